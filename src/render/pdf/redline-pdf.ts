import type { FontBook } from '../../typography/fonts.js';
import { textWidth } from '../../typography/measure.js';
import type { RedlineView, Run } from '../../revision/redline.js';
import { createPdf, finishPdf } from './document.js';
import { Flow, type TextStyle } from './flow.js';
import { frameFor, MM, PageNumberer } from './page-frame.js';
import { showText } from './show-text.js';

const INS = '#0a6e2a';
const DEL = '#b00020';
const BODY: TextStyle = { role: 'body', size: 10.5, leading: 1.7, align: 'left' };
const NUMS: TextStyle = { role: 'sans', size: 8.5, leading: 1.5, align: 'left', color: '#444' };

/** A redline of two editions: insertions underlined in green, deletions struck through in red. */
export function renderRedlinePdf(view: RedlineView, book: FontBook): Promise<Buffer> {
  const doc = createPdf(book, view.meta, 'A4');
  const frame = frameFor('A4', false, { top: 25, bottom: 20, left: 25, right: 20 });
  const numberer = new PageNumberer(view.title);
  numberer.begin('arabic', 0);
  const flow = new Flow(doc, book, frame, false, { decorate: (d, i) => numberer.decorate(d, i, frame) });
  flow.newPage();
  flow.text(view.title, { role: 'heading', size: 15, leading: 1.6, align: 'center' });
  flow.text('带下划线的绿色文字为增加，带删除线的红色文字为删除。', { ...NUMS, align: 'center' });
  flow.text(`技术性变化 ${view.counts.technical} 处，编辑性改动 ${view.counts.editorial} 处，结构调整 ${view.counts.structural} 处`, { ...NUMS, align: 'center' });
  flow.space(4 * MM);
  if (view.foreword) {
    flow.text(view.foreword.lead, { ...BODY, firstLine: 2 });
    for (const item of view.foreword.items) flow.text(item, { ...BODY, firstLine: 2 });
    flow.space(3 * MM);
  }
  for (const row of view.rows) {
    flow.ensure(3 * flow.lineHeight(BODY));
    flow.rule(0.3, '#bbb');
    flow.space(2);
    flow.text(`${row.oldNumber ? `原 ${row.oldNumber}` : '（原版无）'} → ${row.newNumber ? `现 ${row.newNumber}` : '（已删除）'}　【${row.label}】`, NUMS);
    drawRuns(flow, row.title, { ...BODY, role: 'heading' });
    for (const p of row.body) drawRuns(flow, p, { ...BODY, firstLine: 2 });
  }
  return finishPdf(doc);
}

/** A paragraph of runs: broken as one text, then drawn run by run so each keeps its mark. */
function drawRuns(flow: Flow, runs: Run[], style: TextStyle): void {
  const text = runs.map((r) => r.text).join('');
  if (!text) return;
  const ops: Run['op'][] = runs.flatMap((r) => [...r.text].map(() => r.op));
  const chars = [...text];
  const lines = flow.lines(text, style);
  const lh = flow.lineHeight(style);
  const font = flow.book[style.role].font;
  let at = 0; // index into chars
  lines.forEach((line, li) => {
    flow.ensure(lh);
    const lineChars = [...line];
    while (at < chars.length && chars[at] !== lineChars[0]) at++; // spaces dropped at the break
    let x = flow.frame.left + (li === 0 ? (style.firstLine ?? 0) * style.size : 0);
    const top = flow.y + (lh - style.size * 1.2) / 2;
    let i = 0;
    while (i < lineChars.length) {
      const op = ops[at + i] ?? 'same';
      let j = i;
      while (j < lineChars.length && (ops[at + j] ?? 'same') === op) j++;
      const piece = lineChars.slice(i, j).join('');
      const w = textWidth(font, piece, style.size);
      const color = op === 'ins' ? INS : op === 'del' ? DEL : style.color ?? '#000';
      flow.doc.font(style.role).fontSize(style.size).fillColor(color);
      showText(flow.doc, piece, x, top);
      if (op !== 'same') {
        const ly = op === 'ins' ? top + style.size * 1.15 : top + style.size * 0.62;
        flow.doc.save().lineWidth(0.6).strokeColor(color).moveTo(x, ly).lineTo(x + w, ly).stroke().restore();
      }
      x += w;
      i = j;
    }
    at += lineChars.length;
    flow.y += lh;
  });
}
