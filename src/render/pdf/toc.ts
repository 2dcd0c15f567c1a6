import type { Flow } from './flow.js';
import { textOps } from './show-text.js';

export interface TocLine {
  label: string;
  page: string;
  level: number;
}

/** One 目次 line: label, dot leader, page number at the right; an overlong label is cut with “…”. */
export function drawTocLine(flow: Flow, e: TocLine, opts: { size?: number; leading?: number } = {}): void {
  const size = opts.size ?? 10.5;
  const role = e.level === 1 ? 'heading' : 'body';
  const indent = (e.level - 1) * 2 * size;
  const lh = size * (opts.leading ?? 1.9);
  flow.ensure(lh);
  if (!flow.dry) {
    const doc = flow.doc;
    const left = flow.frame.left + indent;
    const right = flow.frame.width - flow.frame.right;
    const top = flow.y + (lh - size * 1.2) / 2;
    const pw = flow.measure(e.page, 'body', size);
    const room = right - left - pw - 24;
    // most labels fit: breaking them into lines only to find one line is most of a long 目录's cost
    const lines = flow.measure(e.label, role, size) <= room ? [e.label] : flow.lines(e.label, { role, size, width: room });
    const text = lines.length > 1 ? `${lines[0]!.replace(/.$/u, '')}…` : e.label;
    const from = left + flow.measure(text, role, size) + 6;
    const to = right - pw - 6;
    const step = size * 0.5;
    const dotW = flow.measure('.', 'body', size);
    const dots = Math.max(0, Math.floor((to - from) / step));
    // label, number and leader in one addition: a booklet's 目录 has thousands of lines
    // black, as doc.fillColor('#000') writes it (and remembers it), in the same addition
    (doc as unknown as { _fillColor: unknown[] })._fillColor = ['#000', undefined];
    const ops = [
      '/DeviceRGB cs\n0 0 0 scn',
      textOps(doc.font(role).fontSize(size), text, left, top),
      textOps(doc.font('body'), e.page, right - pw, top),
      dots > 0 ? textOps(doc, '.'.repeat(dots), to - dots * step, top, step - dotW) : '',
    ].filter((o) => o !== '');
    if (ops.length) doc.addContent(Buffer.from(`${ops.join('\n')}\n`, 'latin1'));
  }
  flow.y += lh;
}
