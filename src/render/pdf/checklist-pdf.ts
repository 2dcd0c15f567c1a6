import type { FontBook } from '../../typography/fonts.js';
import type { Blank, ChecklistView, ColumnKey, FormRow, FormTable, PartsTable } from '../../views/checklist-view.js';
import { VETO_MARK } from '../../views/checklist-view.js';
import { createPdf, finishPdf, type Pdf, type PdfMeta } from './document.js';
import { Flow, type Frame, type TextStyle } from './flow.js';
import { frameFor, MM } from './page-frame.js';
import { drawTable, type Column, type Row, type RowPlacement } from './table.js';
import { showText } from './show-text.js';

/** Sizes shared by the form, the report and the ranking (A4 landscape). */
export const FORM = {
  size: 9.5,
  title: { role: 'title', size: 17, leading: 1.6, align: 'center' } as TextStyle,
  subtitle: { role: 'body', size: 10.5, leading: 1.6, align: 'center' } as TextStyle,
  heading: { role: 'heading', size: 11, leading: 1.8, align: 'left' } as TextStyle,
  text: { role: 'body', size: 10, leading: 1.65, align: 'justify' } as TextStyle,
  rowFill: { subtotal: '#f3f3f3', label: '#eceff3', failed: '#fbdada', hit: '#fff1cc', short: undefined } as Record<string, string | undefined>,
};

export function formFrame(): Frame {
  return frameFor('A4', true, { top: 16, bottom: 16, left: 15, right: 15 });
}

export interface FormLayout {
  doc: Pdf;
  frame: Frame;
  pages: number;
  /** Placement of every row of the main table, in order (page is 0-based). */
  rows: RowPlacement[];
}

/**
 * Lays a form out twice: a dry run counts the pages, the real run prints “第 x 页　共 y 页” and a
 * running title on continuation pages. `body` draws the content into the flow it is given.
 */
export function layoutForm(book: FontBook, meta: PdfMeta, runningTitle: string, body: (flow: Flow) => RowPlacement[]): FormLayout {
  const frame = formFrame();
  const run = (dry: boolean, pages: number): { doc: Pdf; flow: Flow; rows: RowPlacement[] } => {
    const doc = createPdf(book, meta, 'A4', true);
    const flow = new Flow(doc, book, frame, dry, {
      decorate: (d, i) => {
        d.save().font('body').fontSize(8.5).fillColor('#555');
        if (i > 0) showText(d, `${runningTitle}（续）`, frame.left, frame.top - 7 * MM);
        const label = `第 ${i + 1} 页　共 ${pages} 页`;
        d.fontSize(9).fillColor('#000');
        showText(d, label, (frame.width - d.widthOfString(label)) / 2, frame.height - frame.bottom + 5 * MM);
        d.restore();
      },
    });
    const rows = body(flow);
    return { doc, flow, rows };
  };
  const dry = run(true, 0);
  const pages = dry.flow.page + 1;
  const real = run(false, pages);
  return { doc: real.doc, frame, pages, rows: real.rows };
}

const WIDTHS: Record<ColumnKey, Column> = {
  points: { header: '', width: 38, align: 'center' },
  method: { header: '', width: 58, align: 'center' },
  self: { header: '', width: 50, align: 'center' },
  score: { header: '', width: 50, align: 'center' },
  perOccurrence: { header: '', width: 86, align: 'center' },
  count: { header: '', width: 50, align: 'center' },
  delta: { header: '', width: 66, align: 'center' },
  selfDelta: { header: '', width: 76, align: 'center' },
  note: { header: '', flex: 3.2, align: 'left' },
};

/** Content cell: ★, the text, then the details each on its own line. */
export function contentText(row: FormRow): string {
  return [`${row.veto ? VETO_MARK : ''}${row.text}`, ...row.details].join('\n');
}

/**
 * Draws a checklist table (blank or filled) through the shared table machinery: 类别 merged per
 * section, header repeated on each page, rows never split. Returns where each row landed.
 */
export function drawFormTable(flow: Flow, table: FormTable, opts: { wide?: Partial<Record<ColumnKey, number>>; reserveAfter?: number } = {}): RowPlacement[] {
  const size = FORM.size;
  const pad = size * 0.4;
  const groups = [...new Set(table.rows.map((r) => r.group).filter((g): g is string => !!g))];
  // 类别 wide enough for the longest section title on one line, within 3–7 characters
  const longest = Math.max(0, ...groups.map((g) => flow.measure(g, 'heading', size)));
  const groupWidth = Math.min(7 * size, Math.max(3 * size, longest)) + 2 * pad + 1;
  const columns: Column[] = [
    { header: '类别', width: groupWidth, align: 'center' },
    { header: '序号', width: 30, align: 'center' },
    { header: '考评内容', flex: 10, align: 'left' },
    ...table.columns.map((c) => ({ ...WIDTHS[c.key], ...(opts.wide?.[c.key] ? { width: opts.wide[c.key] } : {}), header: c.header })),
  ];
  const rows: Row[] = table.rows.map((r) => {
    if (r.label !== undefined) {
      return { cells: [r.label, ...r.values.map((v) => v.text)], merge: 3, keepWithNext: r.keepWithNext, role: 'heading', fill: FORM.rowFill[r.flag ?? ''] ?? FORM.rowFill.label };
    }
    const sub = r.kind === 'subtotal';
    return {
      cells: [r.group ?? '', r.no, sub ? r.text : contentText(r), ...r.values.map((v) => v.text)],
      group: r.group,
      keepWithNext: r.keepWithNext,
      role: sub ? 'heading' : 'body',
      fill: sub ? FORM.rowFill.subtotal : FORM.rowFill[r.flag ?? ''],
    };
  });
  return drawTable(flow, { columns, rows, size, headerSize: size + 0.5, grouped: true, headerFill: '#e4e9f0', padding: pad, leading: 1.4, reserveAfter: opts.reserveAfter });
}

/** Blanks laid out into lines (wrapping when they do not fit one line). */
function blankLines(flow: Flow, blanks: Blank[], size: number) {
  const role = 'body';
  const gap = 2 * size;
  const parts = blanks.map((b) => {
    const label = `${b.label}：`;
    const segs: { text?: string; line?: number }[] = b.date
      ? [{ line: 3.5 * size }, { text: '年' }, { line: 2.2 * size }, { text: '月' }, { line: 2.2 * size }, { text: '日' }]
      : [{ line: b.width * size }];
    const width = flow.measure(label, role, size) + segs.reduce((s, g) => s + (g.line ?? flow.measure(g.text!, role, size)), 0);
    return { label, segs, width };
  });
  const lines: (typeof parts)[] = [[]];
  let used = 0;
  for (const p of parts) {
    const cur = lines[lines.length - 1]!;
    if (cur.length && used + gap + p.width > flow.contentWidth) {
      lines.push([p]);
      used = p.width;
    } else {
      used += (cur.length ? gap : 0) + p.width;
      cur.push(p);
    }
  }
  return lines;
}

const BLANK_LEADING = 2.1;

export function blanksHeight(flow: Flow, blanks: Blank[], size = 11): number {
  return blankLines(flow, blanks, size).length * size * BLANK_LEADING;
}

/** A line of fill-in blanks: “被考评单位：＿＿＿＿　考评日期：＿＿年＿＿月＿＿日 …”, wrapped if needed. */
export function drawBlanks(flow: Flow, blanks: Blank[], size = 11): void {
  const role = 'body';
  const lh = size * BLANK_LEADING;
  const lines = blankLines(flow, blanks, size);
  flow.ensure(lines.length * lh);
  for (const line of lines) {
    if (!flow.dry) {
      const doc = flow.doc;
      const total = line.reduce((s, p) => s + p.width, 0);
      const spread = line.length > 1 ? (flow.contentWidth - total) / (line.length - 1) : 0;
      let x = flow.frame.left;
      const base = flow.y + lh - size * 0.55;
      doc.save().font(role).fontSize(size).fillColor('#000').lineWidth(0.6).strokeColor('#000');
      for (const p of line) {
        showText(doc, p.label, x, base - size * 1.05);
        x += flow.measure(p.label, role, size);
        for (const g of p.segs) {
          if (g.line) {
            doc.moveTo(x, base + 1.5).lineTo(x + g.line, base + 1.5).stroke();
            x += g.line;
          } else {
            showText(doc, g.text!, x, base - size * 1.05);
            x += flow.measure(g.text!, role, size);
          }
        }
        x += Math.min(spread, 6 * size);
      }
      doc.restore();
    }
    flow.y += lh;
  }
}

const FOOTER_TEXT: TextStyle = { ...FORM.text, size: 9.5, leading: 1.6 };
const SIGNATURE_GAP = 14;

/** Height of the notes and signature lines: what a table keeps free below its last rows. */
export function footerHeight(flow: Flow, rules: string[], signatures: Blank[]): number {
  const rulesH = rules.reduce((s, r) => s + flow.heightOf(r, FOOTER_TEXT), 0);
  return 6 + rulesH + (signatures.length ? SIGNATURE_GAP + blanksHeight(flow, signatures) : 0);
}

/** Notes under the table and the signature lines, kept together on one page (never signatures alone). */
export function drawFooter(flow: Flow, rules: string[], signatures: Blank[]): void {
  const style = FOOTER_TEXT;
  const sigGap = SIGNATURE_GAP;
  const sigH = signatures.length ? sigGap + blanksHeight(flow, signatures) : 0;
  flow.space(6);
  const whole = footerHeight(flow, rules, signatures) - 6;
  flow.ensure(Math.min(whole, flow.bottomLimit - flow.frame.top));
  for (const r of rules) flow.text(r, style);
  if (signatures.length) {
    flow.ensure(sigH);
    flow.space(sigGap);
    drawBlanks(flow, signatures, 11);
  }
}

/** weighted: the parts of the total, sub-parts indented under their parent. */
export function drawPartsTable(flow: Flow, parts: PartsTable): void {
  const flex: Record<string, number> = { 计分方法: 8, 票数或得分: 4, 输入: 7 };
  drawTable(flow, {
    columns: parts.columns.map((header, i) => (i === 0 ? { header, flex: 4 } : flex[header] ? { header, flex: flex[header] } : { header, width: 62, align: 'center' as const })),
    rows: parts.rows.map((r) => ({
      cells: r.cells.map((c, i) => (i === 0 && r.depth > 0 ? `${'　'.repeat(r.depth)}${c}` : c)),
      role: r.kind === 'total' || r.depth === 0 ? 'heading' as const : undefined,
      fill: r.kind === 'total' ? '#f3f6fa' : undefined,
    })),
    size: 10.5,
    headerFill: '#e4e9f0',
    leading: 1.5,
  });
}

/** Lays out the blank form; `renderChecklistPdf` finishes it. Exposed so tests can inspect row placement. */
export function layoutChecklistPdf(view: ChecklistView, book: FontBook): FormLayout {
  return layoutForm(book, view.meta, view.title, (flow) => {
    flow.newPage();
    if (!flow.dry) flow.doc.outline.addItem(view.title);
    flow.text(view.title, FORM.title);
    if (view.weighted) flow.text('（加权计分表）', FORM.subtitle);
    else if (view.mode === 'deduct') flow.text('（扣分考核表）', FORM.subtitle);
    flow.space(4);
    drawBlanks(flow, view.blanks);
    if (view.description) {
      flow.space(2);
      flow.text(view.description, { ...FORM.text, firstLine: 2 });
    }
    flow.space(6);
    if (view.parts) {
      flow.text('一、计分部分', FORM.heading, { keepTogether: true });
      drawPartsTable(flow, view.parts);
      flow.space(8);
      flow.text('二、考评记录', FORM.heading, { keepTogether: true });
    }
    const notes = [...view.rules, view.ratingsText].filter(Boolean);
    const rows = drawFormTable(flow, view.table, { reserveAfter: footerHeight(flow, notes, view.signatures) });
    drawFooter(flow, notes, view.signatures);
    return rows;
  });
}

export async function renderChecklistPdf(view: ChecklistView, book: FontBook): Promise<Buffer> {
  return finishPdf(layoutChecklistPdf(view, book).doc);
}
