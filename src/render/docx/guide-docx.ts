import {
  AlignmentType, Bookmark, BorderStyle, Document, Footer, Header, ImageRun, NumberFormat, PageNumber, Paragraph,
  SectionType, Table, TableCell, TableRow, TextRun, WidthType, type FileChild, type IParagraphStyleOptions,
} from 'docx';
import type { FontBook } from '../../typography/fonts.js';
import type { BookletView, GuideView } from '../../views/guide-view.js';
import type { Pair, SectionView } from '../../views/poster-view.js';
import { docxFonts } from './fonts.js';
import { exactLine, gridTable, Kit, mm, page, pt, share, textWidth, type GridCell, type RunStyle } from './kit.js';
import { packDocx } from './package.js';
import { qrPng } from './pictures.js';
import { baseStyles, documentDefaults } from './styles.js';
import { tocField, type TocEntry } from './toc-field.js';

/** As the PDF guide: A4, 25/22/22/20 mm, the poster's colours. */
const MARGINS = { top: 25, bottom: 22, left: 22, right: 20 };
const WIDTH = textWidth(MARGINS);
const C = { accent: '#1f4e8c', red: '#c0262d', tint: '#eef3fa', head: '#dfe8f3', muted: '#4f5b68', rule: '#c5d0de' };
const TEXT: RunStyle = { role: 'body', size: 10.5 };
const SMALL: RunStyle = { role: 'body', size: 9, color: C.muted };
const CELL: RunStyle = { role: 'body', size: 10 };
const LABEL: RunStyle = { role: 'heading', size: 10 };

/** Bookmark of an item's guide, from its slug (made from the item code): stable across builds. */
export const itemBookmark = (slug: string): string => `item_${slug.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 40);

/** One item's 办事指南 as a Word document: title, basic facts and every section, materials as an editable table. */
export async function renderGuideDocx(view: GuideView, book: FontBook): Promise<Uint8Array> {
  const kit = new Kit(docxFonts(book));
  const doc = new Document({
    ...properties(view.meta),
    styles: { default: documentDefaults(kit.fonts), paragraphStyles: [...baseStyles(kit.fonts), ...guideStyles(kit)] },
    sections: [{
      properties: { page: page(MARGINS) },
      headers: { default: header(kit, `${view.department}　${view.name}`) },
      footers: { default: footer(kit) },
      children: guideBody(kit, view, book, false),
    }],
  });
  return packDocx(doc, view.meta.date);
}

/**
 * A booklet: cover, 目录 (a TOC field, filled in with the page numbers of normkit's PDF booklet
 * when they are known), then every guide from a new page.
 */
export async function renderBookletDocx(view: BookletView, guides: ReadonlyMap<string, GuideView>, pages: ReadonlyMap<string, string>, book: FontBook): Promise<Uint8Array> {
  const kit = new Kit(docxFonts(book));
  const body: FileChild[] = [];
  let first = true;
  const entries: TocEntry[] = [];
  const tocEntry = (label: string, anchor: string, level: 1 | 2, at: string | undefined): TocEntry => ({ label, anchor, level, page: at ?? '' });
  for (const [gi, g] of view.groups.entries()) {
    // as the PDF booklet: no page of its own for a department, its bookmark is on its first guide
    const groupMark = view.grouped ? `dept_${gi + 1}` : undefined;
    if (groupMark) entries.push(tocEntry(g.name, groupMark, 1, pages.get(`group:${g.name}`)));
    g.guides.forEach((e, k) => {
      const guide = guides.get(e.slug);
      if (!guide) return;
      entries.push(tocEntry(e.name, itemBookmark(e.slug), view.grouped ? 2 : 1, pages.get(e.slug)));
      body.push(...guideBody(kit, guide, book, !first, k === 0 ? groupMark : undefined));
      first = false;
    });
  }
  const [y, m] = view.date.split('-');
  const doc = new Document({
    ...properties(view.meta),
    styles: { default: documentDefaults(kit.fonts), paragraphStyles: [...baseStyles(kit.fonts), ...guideStyles(kit)] },
    sections: [
      {
        properties: { page: page(MARGINS) },
        children: [
          new Paragraph({ style: 'NkCover', alignment: AlignmentType.CENTER, spacing: { before: mm(40 - MARGINS.top), ...exactLine(16, 1.5) }, children: [kit.run(view.organization, { role: 'heading', size: 16, color: C.accent })] }),
          // the accent band of the PDF cover, as a paragraph rule
          new Paragraph({ style: 'NkCover', spacing: { before: mm(20), line: 120 }, border: { bottom: { style: BorderStyle.SINGLE, size: 48, color: C.accent.slice(1), space: 0 } }, children: [] }),
          new Paragraph({ style: 'NkCover', spacing: { before: 0, line: 120 }, border: { top: { style: BorderStyle.SINGLE, size: 12, color: C.red.slice(1), space: 0 } }, children: [] }),
          new Paragraph({ style: 'NkCover', alignment: AlignmentType.CENTER, spacing: { before: mm(22), ...exactLine(30, 1.4) }, children: [kit.run(view.title, { role: 'title', size: 30 })] }),
          new Paragraph({ style: 'NkCover', alignment: AlignmentType.CENTER, spacing: { before: mm(8), ...exactLine(14, 1.5) }, children: [kit.run(view.subtitle, { role: 'body', size: 14, color: C.muted })] }),
          new Paragraph({ style: 'NkCover', alignment: AlignmentType.CENTER, spacing: { before: mm(100), ...exactLine(14, 1.6) }, children: [kit.run(view.organization, { role: 'heading', size: 14 })] }),
          new Paragraph({ style: 'NkCover', alignment: AlignmentType.CENTER, spacing: exactLine(12, 1.6), children: [kit.run(`${y}年${Number(m)}月`, { role: 'body', size: 12 })] }),
        ],
      },
      {
        properties: { type: SectionType.NEXT_PAGE, page: { ...page(MARGINS), pageNumbers: { start: 1, formatType: NumberFormat.UPPER_ROMAN } } },
        headers: { default: header(kit, view.title) },
        footers: { default: footer(kit) },
        children: [
          new Paragraph({ style: 'GuideTocTitle', children: [kit.run('目　　录', { role: 'heading', size: 16 })] }),
          ...tocField(kit, entries, WIDTH, { level1: { role: 'heading', size: 10.5 }, level2: TEXT }),
          // the section ends in a paragraph of its own: LibreOffice takes a section break inside the TOC's last entry for the index's
          new Paragraph({ spacing: { line: pt(1), lineRule: 'exact' }, children: [] }),
        ],
      },
      {
        properties: { type: SectionType.NEXT_PAGE, page: { ...page(MARGINS), pageNumbers: { start: 1, formatType: NumberFormat.DECIMAL } } },
        headers: { default: header(kit, view.title) },
        footers: { default: footer(kit) },
        children: body,
      },
    ],
  });
  return packDocx(doc, view.meta.date);
}

function properties(meta: GuideView['meta']) {
  return { title: meta.title, creator: meta.author, lastModifiedBy: meta.author, subject: meta.subject, keywords: meta.keywords, revision: 1, features: { updateFields: false } };
}

function guideStyles(kit: Kit): IParagraphStyleOptions[] {
  return [
    { id: 'GuideKicker', name: '指南_标签', basedOn: 'Normal', next: 'GuideTitle', run: kit.runProps({ role: 'heading', size: 11, color: C.accent }), paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: mm(2), ...exactLine(11, 1.6) } } },
    { id: 'GuideTitle', name: '指南_事项名称', basedOn: 'Normal', next: 'GuideText', run: kit.runProps({ role: 'title', size: 20 }), paragraph: { outlineLevel: 1, alignment: AlignmentType.CENTER, keepNext: true, spacing: { after: mm(3), ...exactLine(20, 1.45) } } },
    { id: 'GuideSection', name: '指南_栏目标题', basedOn: 'Normal', next: 'GuideText', run: kit.runProps({ role: 'heading', size: 12, color: C.accent }), paragraph: { keepNext: true, spacing: { before: mm(3), after: mm(1.5), ...exactLine(12, 1.6) }, border: { bottom: { style: BorderStyle.SINGLE, size: 5, color: C.rule.slice(1), space: 1 } } } },
    { id: 'GuideText', name: '指南_正文', basedOn: 'Normal', run: kit.runProps(TEXT), paragraph: { alignment: AlignmentType.JUSTIFIED, spacing: exactLine(10.5, 1.7) } },
    { id: 'GuideNote', name: '指南_注', basedOn: 'GuideText', run: kit.runProps(SMALL), paragraph: { spacing: { before: mm(1), ...exactLine(9, 1.6) } } },
    { id: 'GuideTocTitle', name: '指南_目录标题', basedOn: 'Normal', run: kit.runProps({ role: 'heading', size: 16 }), paragraph: { alignment: AlignmentType.CENTER, spacing: { before: mm(4), after: mm(6), ...exactLine(16, 1.6) } } },
    { id: 'TOC1', name: 'toc 1', basedOn: 'Normal', run: kit.runProps({ role: 'heading', size: 10.5 }), paragraph: { spacing: exactLine(10.5, 2) } },
    { id: 'TOC2', name: 'toc 2', basedOn: 'Normal', run: kit.runProps(TEXT), paragraph: { indent: { left: pt(21) }, spacing: exactLine(10.5, 2) } },
  ];
}

/** The guide itself: the same sections, in the same order, as the PDF and the HTML page. */
function guideBody(kit: Kit, view: GuideView, book: FontBook, newPage: boolean, groupMark?: string): FileChild[] {
  const out: FileChild[] = [
    new Paragraph({ style: 'GuideKicker', pageBreakBefore: newPage, children: [...(groupMark ? [new Bookmark({ id: groupMark, children: [] })] : []), kit.run(view.bilingual ? '办事指南  Service Guide' : '办　事　指　南', { role: 'heading', size: 11, color: C.accent })] }),
    new Paragraph({ style: 'GuideTitle', children: [new Bookmark({ id: itemBookmark(view.slug), children: [kit.run(view.name, { role: 'title', size: 20 })] })] }),
    pairsTable(kit, view.facts, 2),
  ];
  for (const sec of view.sections) out.push(...section(kit, sec));
  // (a paragraph between two tables, or Word and LibreOffice join them into one)
  if (view.qr.length) out.push(new Paragraph({ spacing: { line: pt(4), lineRule: 'exact' }, children: [] }), qrRow(kit, view));
  return out;
}

function section(kit: Kit, sec: SectionView): FileChild[] {
  const head = new Paragraph({ style: 'GuideSection', children: [kit.run(`${sec.no}${sec.zh}${sec.en ? `  ${sec.en}` : ''}`, { role: 'heading', size: 12, color: C.accent })] });
  const note = (t: string): Paragraph => new Paragraph({ style: 'GuideNote', children: kit.runs(t, SMALL) });
  switch (sec.kind) {
    case 'text':
      return [head, new Paragraph({ style: 'GuideText', children: kit.runs(sec.text, TEXT) }), ...(sec.note ? [note(`注：${sec.note}`)] : [])];
    case 'list':
      return [head, ...sec.items.map((item, i) => {
        const marker = sec.items.length > 1 ? `${i + 1}．` : '';
        return new Paragraph({ style: 'GuideText', indent: marker ? { left: pt(10.5 * 1.5), hanging: pt(10.5 * 1.5) } : undefined, children: kit.runs(marker + item, TEXT) });
      })];
    case 'pairs':
      return [head, pairsTable(kit, sec.pairs, 1), ...(sec.note ? [note(`注：${sec.note}`)] : [])];
    case 'materials': {
      const out: FileChild[] = [head];
      if (sec.rows.length) out.push(materialsTable(kit, sec));
      if (sec.note) out.push(new Paragraph({ style: 'GuideText', spacing: { before: mm(1), ...exactLine(10.5, 1.7) }, children: kit.runs(sec.note, TEXT) }));
      return out;
    }
    case 'process': {
      // the PDF's flow chart as a table to edit: the steps side by side, four to a row, each
      // with its name on the accent colour above what is done and how long it takes
      const s: RunStyle = { role: 'body', size: 9.5 };
      const h: RunStyle = { role: 'heading', size: 9.5, color: '#ffffff' };
      const cols = Math.min(4, sec.steps.length);
      const rows: GridCell[][] = [];
      for (let i = 0; i < sec.steps.length; i += cols) {
        const chunk = sec.steps.slice(i, i + cols);
        const pad = (cells: GridCell[]): GridCell[] => [...cells, ...Array.from({ length: cols - cells.length }, () => ({ text: '', style: s }))];
        rows.push(pad(chunk.map((st) => ({ text: `${st.no}　${st.step}`, style: h, align: AlignmentType.CENTER, fill: C.accent }))));
        rows.push(pad(chunk.map((st) => ({ text: [st.detail ?? '', st.days ? `时限：${st.days}` : ''].filter(Boolean).join('\n'), style: s, fill: C.tint }))));
      }
      return [head, gridTable(kit, share(WIDTH, Array.from({ length: cols }, () => 1)), [], rows, { line: pt(9.5 * 1.4), keepNext: (r) => r % 2 === 0 })];
    }
    case 'faq':
      return [head, ...sec.faq.flatMap((f, i) => [
        new Paragraph({ style: 'GuideText', keepNext: true, spacing: { before: i ? mm(1) : 0, ...exactLine(10, 1.7) }, indent: { left: pt(20), hanging: pt(20) }, children: kit.runs(`问：${f.q}`, { role: 'heading', size: 10 }) }),
        new Paragraph({ style: 'GuideText', indent: { left: pt(21), hanging: pt(21) }, children: kit.runs(`答：${f.a}`, TEXT) }),
      ])];
  }
}

/** Label–value pairs, `cols` to a row, labels tinted (as the PDF's grid). */
function pairsTable(kit: Kit, pairs: Pair[], cols: 1 | 2): Table {
  // labels on one line where they fit, as the PDF measures them (within a quarter of a pair's width)
  const longest = Math.max(...pairs.map((p) => [...p.label].length));
  const labelW = Math.min(Math.round(WIDTH / (cols * 2.5)), pt(longest * 10 + 9));
  const widths = cols === 2 ? [labelW, Math.round(WIDTH / 2) - labelW, labelW, WIDTH - Math.round(WIDTH / 2) - labelW] : [labelW, WIDTH - labelW];
  const rows: GridCell[][] = [];
  for (let i = 0; i < pairs.length; i += cols) {
    const row: GridCell[] = [];
    for (let k = 0; k < cols; k++) {
      const p = pairs[i + k];
      row.push({ text: p ? p.label + (p.en ? `\n${p.en}` : '') : '', style: LABEL, fill: p ? C.tint : undefined });
      row.push({ text: p?.value ?? '', style: CELL });
    }
    rows.push(row);
  }
  return gridTable(kit, widths, [], rows, { line: pt(10 * 1.5) });
}

/** 申请材料 as a table to edit: header repeated on every page, one row per material. */
function materialsTable(kit: Kit, sec: Extract<SectionView, { kind: 'materials' }>): Table {
  const s: RunStyle = { role: 'body', size: 9.5 };
  const h: RunStyle = { role: 'heading', size: 9.5 };
  const sources = sec.detailed && sec.rows.some((r) => r.source);
  const notes = sec.rows.some((r) => r.note);
  type Row = (typeof sec.rows)[number];
  // short columns as wide as their longest text (characters of 9.5 pt and the cell margins), as the PDF
  const chars = (n: number): number => pt(n * 9.5 + 9);
  const formW = chars(Math.max(2, ...sec.rows.map((r) => [...r.form].length)));
  const cols = [
    { header: '序号', fixed: chars(2), get: (r: Row) => String(r.no), center: true },
    { header: '材料名称', w: 12, get: (r: Row) => r.name },
    { header: '份数', fixed: chars(2), get: (r: Row) => r.copies, center: true },
    { header: '形式', fixed: formW, get: (r: Row) => r.form, center: true },
    { header: '是否必需', fixed: chars(4), get: (r: Row) => r.required, center: true },
    ...(sources ? [{ header: '出具单位', w: 6, get: (r: Row) => r.source }] : []),
    ...(notes ? [{ header: '备注', w: 7, get: (r: Row) => r.note }] : []),
  ];
  const free = WIDTH - cols.reduce((s2, c) => s2 + ('fixed' in c ? c.fixed! : 0), 0);
  const flexCols = cols.filter((c) => !('fixed' in c));
  const flex = bestShares(free, flexCols.map((c) => sec.rows.map(c.get)), 9.5);
  let k = 0;
  const widths = cols.map((c) => ('fixed' in c ? c.fixed! : flex[k++]!));
  const header = cols.map((c) => ({ text: c.header, style: h, align: AlignmentType.CENTER, fill: C.head }));
  const rows = sec.rows.map((r) => cols.map((c) => ({ text: c.get(r), style: s, align: 'center' in c ? AlignmentType.CENTER : AlignmentType.LEFT })));
  return gridTable(kit, widths, [header], rows, { line: pt(9.5 * 1.3) });
}

/**
 * Widths of the free columns that take the fewest lines, tried in steps of 5 % as the PDF does
 * (lines estimated from character counts: a Latin character is half a CJK one).
 */
function bestShares(free: number, texts: string[][], size: number): number[] {
  const n = texts.length;
  if (n <= 1) return [free];
  const em = (t: string): number => [...t].reduce((s, ch) => s + (ch.charCodeAt(0) < 0x2e80 ? 0.55 : 1), 0);
  const lines = (t: string, w: number): number => t.split('\n').reduce((s, l) => s + Math.max(1, Math.ceil((em(l) * size * 20) / Math.max(1, w - 160))), 0);
  let best: number[] = share(free, texts.map(() => 1));
  let bestLines = Infinity;
  const rec = (prefix: number[], left: number): void => {
    if (prefix.length === n - 1) {
      if (left < 3) return;
      const widths = share(free, [...prefix, left]);
      const rows = texts[0]!.length;
      let total = 0;
      for (let r = 0; r < rows; r++) total += Math.max(...texts.map((col, k) => lines(col[r]!, widths[k]!)));
      if (total < bestLines) { bestLines = total; best = widths; }
      return;
    }
    for (let k = 3; k <= left - 3; k++) rec([...prefix, k], left - k);
  };
  rec([], 20);
  return best;
}

/** The QR codes side by side, each with its caption, in a borderless table. */
function qrRow(kit: Kit, view: GuideView): Table {
  const side = 26 * 72 / 25.4;
  const px = Math.round((side * 96) / 72);
  const colW = mm(36);
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  return new Table({
    width: { size: colW * view.qr.length, type: WidthType.DXA },
    columnWidths: view.qr.map(() => colW),
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: [new TableRow({
      cantSplit: true,
      children: view.qr.map((q) => new TableCell({
        width: { size: colW, type: WidthType.DXA },
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: mm(5) }, keepNext: true, children: [new ImageRun({ type: 'png', data: qrPng(q, side), transformation: { width: px, height: px }, altText: { name: `QR ${q.label}`, description: q.url, title: q.label } })] }),
          new Paragraph({ alignment: AlignmentType.CENTER, children: kit.runs(`扫码${q.label}${q.labelEn ? `\n${q.labelEn}` : ''}`, { role: 'heading', size: 9.5, color: C.accent }) }),
        ],
      })),
    })],
  });
}

function header(kit: Kit, text: string): Header {
  return new Header({ children: [new Paragraph({ style: 'NkHeader', children: [kit.run(text, { role: 'heading', size: 9 })] })] });
}

function footer(kit: Kit): Footer {
  return new Footer({ children: [new Paragraph({ style: 'NkFooter', children: [new TextRun({ ...kit.runProps({ role: 'body', size: 9 }), children: [PageNumber.CURRENT] })] })] });
}
