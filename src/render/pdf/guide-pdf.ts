import type { FontBook } from '../../typography/fonts.js';
import type { GuideView } from '../../views/guide-view.js';
import type { Pair, SectionView } from '../../views/poster-view.js';
import { DocumentAssembler } from './assemble/assembler.js';
import { capturePart, createPartPdf } from './assemble/capture.js';
import type { PdfPart } from './assemble/part.js';
import { MemorySink } from './assemble/pdf-writer.js';
import { Flow, type Frame, type TextStyle } from './flow.js';
import { frameFor, MM } from './page-frame.js';
import { drawMaterials, POSTER_COLORS as C } from './poster-pdf.js';
import { drawProcess } from './process-flow.js';
import { drawQr } from './qr.js';
import { showText } from './show-text.js';

const SIZE = 10.5;
const TEXT: TextStyle = { role: 'body', size: SIZE, leading: 1.7, align: 'justify' };
const SMALL: TextStyle = { role: 'body', size: 9, leading: 1.6, align: 'justify', color: C.muted };
const H2: TextStyle = { role: 'heading', size: 12, leading: 1.6, align: 'left', color: C.accent };
const GUIDE_MARGINS = { top: 25, bottom: 22, left: 22, right: 20 };

export function guideFrame(): Frame {
  return frameFor('A4', false, GUIDE_MARGINS);
}

export interface GuideHooks {
  /** Called once the guide's first page exists (outline entries, 目录 page numbers). */
  onStart?: (page: number) => void;
}

/**
 * Lays out one item's 办事指南 from a new page: title, basic facts, then every numbered section and
 * the QR codes. The single guide and both booklets use this one function.
 */
export function drawGuide(flow: Flow, view: GuideView, hooks: GuideHooks = {}): void {
  flow.newPage();
  hooks.onStart?.(flow.page);
  flow.space(2 * MM);
  flow.text(view.bilingual ? '办事指南  Service Guide' : '办　事　指　南', { role: 'heading', size: 11, leading: 1.6, align: 'center', color: C.accent });
  flow.text(view.name, { role: 'title', size: 20, leading: 1.45, align: 'center' });
  flow.space(3 * MM);
  drawPairs(flow, view.facts, 2);
  view.sections.forEach((sec, i) => {
    // the QR codes stay on the page of the last section (contacts)
    if (i === view.sections.length - 1 && view.qr.length) {
      const probe = new Flow(flow.doc, flow.book, { ...flow.frame, height: 1e7 }, true);
      probe.newPage();
      drawSection(probe, sec);
      drawQrRow(probe, view);
      const h = probe.y - probe.frame.top;
      if (h <= flow.bottomLimit - flow.frame.top) flow.ensure(h);
    }
    drawSection(flow, sec);
  });
  if (view.qr.length) drawQrRow(flow, view);
}

function sectionHeading(flow: Flow, sec: SectionView, keep: number): void {
  const text = `${sec.no}${sec.zh}${sec.en ? `  ${sec.en}` : ''}`;
  flow.space(3 * MM);
  flow.ensure(flow.heightOf(text, H2) + keep);
  flow.text(text, H2);
  if (!flow.dry) {
    flow.doc.save().lineWidth(0.6).strokeColor(C.rule).moveTo(flow.frame.left, flow.y).lineTo(flow.frame.width - flow.frame.right, flow.y).stroke().restore();
  }
  flow.space(1.5 * MM);
}

function drawSection(flow: Flow, sec: SectionView): void {
  const lh = flow.lineHeight(TEXT);
  switch (sec.kind) {
    case 'text':
      sectionHeading(flow, sec, lh);
      flow.text(sec.text, TEXT);
      if (sec.note) flow.text(`注：${sec.note}`, SMALL);
      break;
    case 'list': {
      sectionHeading(flow, sec, lh * 2);
      sec.items.forEach((item, i) => {
        const marker = sec.items.length > 1 ? `${i + 1}．` : '';
        flow.text(marker + item, { ...TEXT, hang: flow.measure(marker, 'body', SIZE) });
      });
      break;
    }
    case 'pairs':
      sectionHeading(flow, sec, lh * 2);
      drawPairs(flow, sec.pairs, 1);
      if (sec.note) { flow.space(1 * MM); flow.text(`注：${sec.note}`, SMALL); }
      break;
    case 'materials':
      sectionHeading(flow, sec, lh * 4);
      if (sec.rows.length) drawMaterials(flow, sec.rows, { size: 9.5, role: 'body', detailed: sec.detailed });
      if (sec.note) { flow.space(1 * MM); flow.text(sec.note, TEXT); }
      break;
    case 'process':
      sectionHeading(flow, sec, lh * 5);
      drawProcess(flow, sec.steps, { size: 9.5, role: 'body', color: C.accent, tint: C.tint, maxCols: 4 });
      break;
    case 'faq':
      sectionHeading(flow, sec, lh * 2);
      sec.faq.forEach((f, i) => {
        if (i > 0) flow.space(1 * MM);
        const q = `问：${f.q}`;
        flow.ensure(flow.heightOf(q, { ...TEXT, role: 'heading' }) + lh);
        flow.text(q, { ...TEXT, role: 'heading', size: 10, hang: flow.measure('问：', 'heading', 10) });
        flow.text(`答：${f.a}`, { ...TEXT, hang: flow.measure('答：', 'body', SIZE) });
      });
      break;
  }
}

/**
 * Label–value pairs as a grid of `cols` pairs a row: label cells tinted, rows never split across
 * pages.
 */
function drawPairs(flow: Flow, pairs: Pair[], cols: 1 | 2): void {
  const size = 10;
  const pad = 2 * MM;
  const labels = pairs.map((p) => p.label + (p.en ? `\n${p.en}` : ''));
  const labelW = Math.min(flow.contentWidth / (cols * 2.5), Math.max(...labels.flatMap((l) => l.split('\n').map((t) => flow.measure(t, t === l.split('\n')[0] ? 'heading' : 'sans', t === l.split('\n')[0] ? size : 8)))) + 2 * pad);
  const cellW = flow.contentWidth / cols;
  const valueW = cellW - labelW;
  const lab: TextStyle = { role: 'heading', size, leading: 1.5, width: labelW - 2 * pad, align: 'left' };
  const en: TextStyle = { role: 'sans', size: 8, leading: 1.4, width: labelW - 2 * pad, align: 'left', color: C.muted };
  const val: TextStyle = { role: 'body', size, leading: 1.5, width: valueW - 2 * pad, align: 'left' };
  for (let i = 0; i < pairs.length; i += cols) {
    const row = pairs.slice(i, i + cols).map((p) => ({
      label: flow.lines(p.label, lab),
      en: p.en ? flow.lines(p.en, en) : [],
      value: flow.lines(p.value, val),
    }));
    const h = Math.max(...row.map((c) => Math.max(c.label.length * flow.lineHeight(lab) + c.en.length * flow.lineHeight(en), c.value.length * flow.lineHeight(val)))) + 2 * pad * 0.6;
    flow.ensure(h);
    if (!flow.dry) {
      const doc = flow.doc;
      row.forEach((c, k) => {
        const x = flow.frame.left + k * cellW;
        doc.save().rect(x, flow.y, labelW, h).fill(C.tint).restore();
        doc.save().lineWidth(0.5).strokeColor(C.rule).rect(x, flow.y, labelW, h).rect(x + labelW, flow.y, valueW, h).stroke().restore();
        let y = flow.y + pad * 0.6;
        c.label.forEach((l) => { flow.drawLine(l, lab, true, true, x + pad, y); y += flow.lineHeight(lab); });
        c.en.forEach((l) => { flow.drawLine(l, en, true, true, x + pad, y); y += flow.lineHeight(en); });
        c.value.forEach((l, j) => flow.drawLine(l, val, j === 0, j === c.value.length - 1, x + labelW + pad, flow.y + pad * 0.6 + j * flow.lineHeight(val)));
      });
      if (row.length < cols) {
        doc.save().lineWidth(0.5).strokeColor(C.rule).rect(flow.frame.left + row.length * cellW, flow.y, cellW * (cols - row.length), h).stroke().restore();
      }
    }
    flow.y += h;
  }
}

function drawQrRow(flow: Flow, view: GuideView): void {
  const side = 26 * MM;
  const gap = 10 * MM;
  const cap = 9.5;
  const h = side + cap * 1.6 * (view.bilingual ? 2 : 1);
  flow.space(5 * MM);
  flow.ensure(h);
  if (!flow.dry) {
    const doc = flow.doc;
    let x = flow.frame.left;
    for (const q of view.qr) {
      drawQr(doc, q, x, flow.y, side);
      doc.save().lineWidth(0.5).strokeColor(C.rule).rect(x, flow.y, side, side).stroke().restore();
      const label = `扫码${q.label}`;
      const w = flow.measure(label, 'heading', cap);
      showText(doc.font('heading').fontSize(cap).fillColor(C.accent), label, x + (side - w) / 2, flow.y + side + cap * 0.3);
      if (q.labelEn) {
        const ew = flow.measure(q.labelEn, 'sans', cap * 0.85);
        showText(doc.font('sans').fontSize(cap * 0.85).fillColor(C.muted), q.labelEn, x + (side - ew) / 2, flow.y + side + cap * 1.8);
      }
      x += side + gap;
    }
  }
  flow.y += h;
}

/** One item's guide laid out as a page part (no header or page numbers: those depend on where it lands). */
export function renderGuidePart(view: GuideView, book: FontBook): PdfPart {
  const doc = createPartPdf(book, 'A4');
  drawGuide(new Flow(doc, book, guideFrame()), view);
  return capturePart(doc, book);
}

/** One item's guide as an A4 PDF with a running header and page numbers, from its part. */
export async function assembleGuidePdf(part: PdfPart, view: Pick<GuideView, 'name' | 'department' | 'meta'>, book: FontBook): Promise<Buffer> {
  const sink = new MemorySink();
  const asm = new DocumentAssembler(book, view.meta, sink);
  const frame = guideFrame();
  await asm.addPart(part, (i) => ({ frame, header: `${view.department}　${view.name}`, label: String(i + 1) }));
  await asm.finish();
  return sink.result();
}
