import type { FontRole } from '../../typography/fonts.js';
import type { StepView } from '../../views/poster-view.js';
import type { Flow, TextStyle } from './flow.js';

export interface ProcessOptions {
  /** Size of the step detail; the step name is set in the heading face at the same size. */
  size: number;
  role?: FontRole;
  /** Left edge and width of the area (default: the frame). */
  x?: number;
  width?: number;
  color?: string;
  tint?: string;
  maxCols?: number;
}

interface BoxLayout { title: string[]; detail: string[]; days: string[]; height: number }
interface Layout { cols: number; boxW: number; rows: { boxes: BoxLayout[]; height: number }[]; height: number }

const LEAD = 1.4;

/**
 * 办理流程 as a flow chart: numbered step boxes in rows, arrows between them and an elbow connector
 * from the end of one row to the start of the next. The number of columns is chosen to take the
 * least height; rows are never split across pages.
 */
export function drawProcess(flow: Flow, steps: StepView[], opts: ProcessOptions): void {
  const x0 = opts.x ?? flow.frame.left;
  const width = opts.width ?? flow.contentWidth;
  const lay = processLayout(flow, steps, { ...opts, width });
  const { size } = opts;
  const gap = hgap(size);
  const vgap = rowGap(size);
  const color = opts.color ?? '#1f4e8c';
  const tint = opts.tint ?? '#eef3fa';
  const pad = size * 0.5;
  const lh = size * LEAD;
  let prev: { page: number; x: number; y: number } | undefined;
  lay.rows.forEach((row, r) => {
    if (r > 0) flow.space(vgap);
    const before = flow.page;
    flow.ensure(row.height);
    const continued = r > 0 && flow.page !== before;
    const top = flow.y;
    row.boxes.forEach((box, i) => {
      const x = x0 + i * (lay.boxW + gap);
      if (!flow.dry) {
        const doc = flow.doc;
        const strip = box.title.length * lh + pad;
        doc.save().lineWidth(Math.max(0.6, size / 14)).roundedRect(x, top, lay.boxW, row.height, size * 0.25).fillAndStroke(tint, color).restore();
        doc.save().roundedRect(x, top, lay.boxW, strip, size * 0.25).fill(color).restore();
        box.title.forEach((line, j) => flow.drawLine(line, { role: 'heading', size, leading: LEAD, width: lay.boxW - 2 * pad, align: 'center', color: '#ffffff' }, true, true, x + pad, top + pad / 2 + j * lh));
        const detailStyle: TextStyle = { role: opts.role ?? 'body', size, leading: LEAD, width: lay.boxW - 2 * pad, align: 'left' };
        box.detail.forEach((line, j) => flow.drawLine(line, detailStyle, j === 0, j === box.detail.length - 1, x + pad, top + strip + pad / 2 + j * lh));
        const daysTop = top + row.height - pad / 2 - box.days.length * lh;
        box.days.forEach((line, j) => flow.drawLine(line, { ...detailStyle, role: 'heading', color, align: 'center' }, true, true, x + pad, daysTop + j * lh));
        if (i > 0) arrow(flow, [[x - gap + size * 0.15, top + row.height / 2], [x - size * 0.15, top + row.height / 2]], size, color);
        if (i === 0 && prev && prev.page === flow.page && !continued) {
          const mid = prev.y + vgap / 2;
          arrow(flow, [[prev.x, prev.y], [prev.x, mid], [x + lay.boxW / 2, mid], [x + lay.boxW / 2, top]], size, color);
        }
      }
      if (i === row.boxes.length - 1) prev = { page: flow.page, x: x + lay.boxW / 2, y: top + row.height };
    });
    flow.y = top + row.height;
  });
}

/** Height the chart would take at this size and width (for fitting a poster). */
export function processHeight(flow: Flow, steps: StepView[], opts: ProcessOptions): number {
  return processLayout(flow, steps, opts).height;
}

function hgap(size: number): number { return size * 1.8; }
function rowGap(size: number): number { return size * 1.6; }

function processLayout(flow: Flow, steps: StepView[], opts: ProcessOptions): Layout {
  const { size } = opts;
  const width = opts.width ?? flow.contentWidth;
  const pad = size * 0.5;
  const lh = size * LEAD;
  const maxCols = Math.min(steps.length, opts.maxCols ?? 5);
  // a box is at least seven characters wide and keeps each step name and time limit on one line
  const minW = Math.max(size * 7, ...steps.flatMap((s) => [
    flow.measure(`${s.no}　${s.step}`, 'heading', size),
    s.days ? flow.measure(`时限：${s.days}`, 'heading', size) : 0,
  ])) + 2 * pad;
  let best: Layout | undefined;
  for (let cols = maxCols; cols >= 1; cols--) {
    const boxW = (width - (cols - 1) * hgap(size)) / cols;
    if (cols > 1 && boxW < minW) continue;
    const inner = boxW - 2 * pad;
    const boxes = steps.map((s) => {
      const title = flow.lines(`${s.no}　${s.step}`, { role: 'heading', size, width: inner });
      const detail = s.detail ? flow.lines(s.detail, { role: opts.role ?? 'body', size, width: inner }) : [];
      const days = s.days ? flow.lines(`时限：${s.days}`, { role: 'heading', size, width: inner }) : [];
      const height = title.length * lh + pad + pad / 2 + (detail.length + days.length) * lh + pad / 2 + (detail.length && days.length ? pad / 3 : 0);
      return { title, detail, days, height };
    });
    const rows: Layout['rows'] = [];
    for (let i = 0; i < boxes.length; i += cols) {
      const slice = boxes.slice(i, i + cols);
      rows.push({ boxes: slice, height: Math.max(...slice.map((b) => b.height)) });
    }
    const height = rows.reduce((s, r) => s + r.height, 0) + (rows.length - 1) * rowGap(size);
    if (!best || height < best.height - 0.5) best = { cols, boxW, rows, height };
  }
  return best!;
}

/** A polyline ending in a filled arrowhead. */
function arrow(flow: Flow, pts: [number, number][], size: number, color: string): void {
  const doc = flow.doc;
  const head = size * 0.45;
  const [ax, ay] = pts[pts.length - 2]!;
  const [bx, by] = pts[pts.length - 1]!;
  const len = Math.hypot(bx - ax, by - ay) || 1;
  const ux = (bx - ax) / len;
  const uy = (by - ay) / len;
  const end: [number, number] = [bx - ux * head, by - uy * head];
  doc.save().lineWidth(Math.max(0.8, size / 12)).strokeColor(color);
  pts.slice(0, -1).forEach(([x, y], i) => (i === 0 ? doc.moveTo(x, y) : doc.lineTo(x, y)));
  doc.lineTo(end[0], end[1]).stroke();
  doc.polygon([bx, by], [end[0] - uy * head * 0.6, end[1] + ux * head * 0.6], [end[0] + uy * head * 0.6, end[1] - ux * head * 0.6]).fill(color);
  doc.restore();
}
