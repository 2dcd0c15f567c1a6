import type { FontBook } from '../../typography/fonts.js';
import type { StandardView } from '../../views/standard-view.js';
import { drawBlocks, BODY } from './blocks.js';
import { createPdf, finishPdf } from './document.js';
import { Flow, type TextStyle } from './flow.js';
import { frameFor, MM, PageNumberer, roman } from './page-frame.js';
import { drawTocLine, type TocLine } from './toc.js';
import { showText } from './show-text.js';


/** A standard as a GB/T 1.1 document: cover, 目次, 前言, body with running header and outline. */
export async function renderStandardPdf(view: StandardView, book: FontBook): Promise<Buffer> {
  // Dry run: learn which page every clause lands on, so the 目次 can carry page numbers.
  const dry = layout(view, book, true, new Map());
  return finishPdf(layout(view, book, false, dry.pages).doc);
}

/** The page label (I, II … for 前言, 1, 2 … for clauses) each 目次 entry of the PDF shows, by clause number and '前言'. */
export function standardPageLabels(view: StandardView, book: FontBook): Map<string, string> {
  return layout(view, book, true, new Map()).pages;
}

function layout(view: StandardView, book: FontBook, dry: boolean, pages: Map<string, string>): { doc: ReturnType<typeof createPdf>; pages: Map<string, string> } {
  const doc = createPdf(book, view.meta, 'A4');
  const frame = frameFor('A4', false, { top: 30, bottom: 25, left: 25, right: 20 });
  const numberer = new PageNumberer(view.runningHeader);
  const flow = new Flow(doc, book, frame, dry, { decorate: (d, i) => numberer.decorate(d, i, frame) });
  const found = new Map<string, string>();
  flow.widowControl = true;

  cover(flow, view);

  // 目次
  numberer.begin('roman', flow.page + 1);
  flow.newPage();
  const tocIndex = flow.page;
  title(flow, '目　　次');
  const toc: TocLine[] = [
    { label: '前言', page: pages.get('前言') ?? 'I', level: 1 },
    ...view.toc.map((t) => ({ label: `${t.number}　${t.title}`, page: pages.get(t.number) ?? '1', level: t.level })),
  ];
  for (const e of toc) drawTocLine(flow, e);

  // 前言
  flow.newPage();
  found.set('前言', roman(flow.page - tocIndex + 1));
  if (!dry) doc.outline.addItem('前言');
  title(flow, '前　　言');
  for (const para of view.foreword) flow.text(para.flatMap((s) => s.inlines.map((i) => i.text)).join(''), BODY);

  // body
  numberer.begin('arabic', flow.page + 1);
  flow.newPage();
  const bodyStart = flow.page;
  title(flow, view.title);
  flow.space(6);
  const outline: { level: number; item: PDFKit.PDFOutline }[] = [];
  drawBlocks(flow, view.clauses, {
    onClause: (number, t, level, page) => {
      found.set(number, String(page - bodyStart + 1));
      if (dry) return;
      while (outline.length && outline[outline.length - 1]!.level >= level) outline.pop();
      const parent = outline.length ? outline[outline.length - 1]!.item : doc.outline;
      outline.push({ level, item: parent.addItem(`${number} ${t}`) });
    },
  });
  endLine(flow);
  return { doc, pages: found };
}

/** 终结线: a centred rule a quarter of the type area wide, after the last element (GB/T 1.1). */
function endLine(flow: Flow): void {
  flow.space(5 * MM);
  flow.ensure(2);
  if (!flow.dry) {
    const w = flow.contentWidth / 4;
    const x = flow.frame.left + (flow.contentWidth - w) / 2;
    flow.doc.save().lineWidth(0.75).strokeColor('#000').moveTo(x, flow.y).lineTo(x + w, flow.y).stroke().restore();
  }
  flow.y += 2;
}

function title(flow: Flow, text: string): void {
  const style: TextStyle = { role: 'heading', size: 16, leading: 1.6, align: 'center' };
  flow.space(4 * MM);
  flow.text(text, style);
  flow.space(6 * MM);
}

function cover(flow: Flow, v: StandardView): void {
  flow.newPage();
  const { doc, frame } = flow;
  if (flow.dry) return;
  const left = frame.left;
  const right = frame.width - frame.right;
  const width = right - left;
  const at = (text: string, role: 'title' | 'heading' | 'body' | 'sans', size: number, y: number, align: 'left' | 'center' | 'right' = 'left'): void => {
    const w = flow.measure(text, role, size);
    const x = align === 'left' ? left : align === 'right' ? right - w : left + (width - w) / 2;
    showText(doc.font(role).fontSize(size).fillColor('#000'), text, x, y);
  };
  let y = 20 * MM;
  if (v.ics) at(`ICS ${v.ics}`, 'heading', 10.5, y);
  if (v.ccs) at(`CCS ${v.ccs}`, 'heading', 10.5, y + 16);
  at(v.codeLetters, 'heading', 40, y, 'right');
  if (v.filingNo) at(`备案号：${v.filingNo}`, 'body', 10.5, y + 56, 'right');
  y = 62 * MM;
  at(v.layer, 'title', 24, y, 'center');
  y += 34;
  doc.lineWidth(1).moveTo(left, y + 34).lineTo(right, y + 34).stroke();
  at(v.code, 'heading', 14, y + 8, 'right');
  if (v.replaces) at(`代替 ${v.replaces}`, 'body', 10.5, y + 40, 'right');
  // title block in the middle of the page, wrapped if long
  const titleStyle: TextStyle = { role: 'title', size: 26, leading: 1.4, align: 'center' };
  flow.y = 120 * MM;
  flow.text(v.title, titleStyle);
  if (v.englishTitle) {
    flow.space(6 * MM);
    flow.text(v.englishTitle, { role: 'body', size: 14, leading: 1.4, align: 'center' });
  }
  if (v.draftStage) {
    flow.space(6 * MM);
    flow.text(`（${v.draftStage}）`, { role: 'heading', size: 14, align: 'center' });
  }
  const footY = frame.height - 45 * MM;
  if (v.replacedMark) stamp(flow, v.replacedMark, 104 * MM);
  if (v.patentNotice) noticeBox(flow, v.patentNotice, footY - 30 * MM);
  if (v.issuedLine) at(v.issuedLine, 'heading', 14, footY);
  if (v.effectiveLine) at(v.effectiveLine, 'heading', 14, footY, 'right');
  doc.lineWidth(1).moveTo(left, footY + 24).lineTo(right, footY + 24).stroke();
  at(`${v.organization}　发布`, 'heading', 16, footY + 36, 'center');
}

/** The replaced mark of a superseded edition: boxed and centred above the title, in red as offices stamp it. */
function stamp(flow: Flow, text: string, y: number): void {
  const size = 16;
  const w = flow.measure(text, 'heading', size) + 24;
  const x = flow.frame.left + (flow.contentWidth - w) / 2;
  flow.doc.save().lineWidth(1.5).strokeColor('#c00').rect(x, y, w, size * 2).stroke();
  showText(flow.doc.font('heading').fontSize(size).fillColor('#c00'), text, x + 12, y + size * 0.4);
  flow.doc.restore();
}

/** 征求意见稿 cover: the patent notice in a box above the dates. */
function noticeBox(flow: Flow, text: string, bottom: number): void {
  const style: TextStyle = { role: 'body', size: 10.5, leading: 1.6, align: 'left', width: flow.contentWidth - 24 };
  const lines = flow.lines(text, style);
  const lh = flow.lineHeight(style);
  const h = lines.length * lh + 16;
  const top = bottom - h;
  flow.doc.save().lineWidth(0.75).strokeColor('#000').rect(flow.frame.left, top, flow.contentWidth, h).stroke().restore();
  lines.forEach((line, i) => flow.drawLine(line, style, i === 0, true, flow.frame.left + 12, top + 8 + i * lh));
}
