import {
  AlignmentType, Bookmark, BorderStyle, Document, Footer, FrameAnchorType, Header, LevelFormat, LevelSuffix,
  NumberFormat, PageNumber, Paragraph, SectionType, TabStopType, TextRun, type ILevelsOptions, type IParagraphStyleOptions,
  type FileChild, type IFrameOptions, type ParagraphChild,
} from 'docx';
import type { Block, ClauseBlock, TermEntry } from '../../model/clauses.js';
import { cellText } from '../../model/clauses.js';
import type { StandardView } from '../../views/standard-view.js';
import type { DocxFonts } from './fonts.js';
import { exactLine, gridTable, Kit, mm, page, pt, share, textWidth, type RunStyle } from './kit.js';
import { keepNumbersWhole } from './nobreak.js';
import { packDocx } from './package.js';
import { baseStyles, documentDefaults } from './styles.js';
import { tocField } from './toc-field.js';

/** The standard's page frame, as the PDF's (GB/T 1.1: A4, 30/25/25/20 mm). */
const MARGINS = { top: 30, bottom: 25, left: 25, right: 20 };
const COVER_MARGINS = { top: 20, bottom: 20, left: 25, right: 20 };
const WIDTH = textWidth(MARGINS);

const BODY: RunStyle = { role: 'body', size: 10.5 };
const HEAD: RunStyle = { role: 'heading', size: 10.5 };
const NOTE: RunStyle = { role: 'body', size: 9 };

/** Page labels of normkit's own PDF of the same standard: 前言 and every clause number → I, 1, 2 … */
export type PageLabels = ReadonlyMap<string, string>;

/** Bookmark of a clause, from its number (c3_1 for 3.1): the same in every build and every edition. */
export const clauseBookmark = (number: string): string => `c${number.replace(/\./g, '_')}`;
const FOREWORD_BOOKMARK = 'foreword';

/**
 * A standard in GB/T 1.1 form as a Word document: cover, 目次 (a TOC field already filled with
 * the PDF's page numbers), 前言 and the body with multilevel clause numbering, each in its own
 * section (no page number on the cover, Roman in the front matter, Arabic in the body).
 */
export async function renderStandardDocx(view: StandardView, fonts: DocxFonts, pages: PageLabels): Promise<Uint8Array> {
  const kit = new Kit(fonts);
  const lists = { n: 0 };
  const body = blocks(kit, view.clauses, lists, false);
  const doc = new Document({
    title: view.meta.title,
    creator: view.meta.author,
    lastModifiedBy: view.meta.author,
    subject: view.meta.subject,
    keywords: view.meta.keywords,
    revision: 1,
    styles: { default: documentDefaults(fonts), paragraphStyles: [...baseStyles(fonts), ...standardStyles(kit)] },
    numbering: { config: numbering(kit) },
    features: { updateFields: false },
    sections: [
      { properties: { page: { ...page(COVER_MARGINS), margin: { ...page(COVER_MARGINS).margin, footer: mm(18) } } }, footers: { default: coverFoot(kit, view) }, children: cover(kit, view) },
      {
        properties: { type: SectionType.NEXT_PAGE, page: { ...page(MARGINS), pageNumbers: { start: 1, formatType: NumberFormat.UPPER_ROMAN } } },
        headers: { default: runningHeader(kit, view.runningHeader) },
        footers: { default: pageFooter(kit) },
        children: [...toc(kit, view, pages), ...foreword(kit, view)],
      },
      {
        properties: { type: SectionType.NEXT_PAGE, page: { ...page(MARGINS), pageNumbers: { start: 1, formatType: NumberFormat.DECIMAL } } },
        headers: { default: runningHeader(kit, view.runningHeader) },
        footers: { default: pageFooter(kit) },
        children: [
          new Paragraph({ style: 'NkDocTitle', children: [kit.run(view.title, { role: 'heading', size: 16 })] }),
          ...body,
          endLine(),
        ],
      },
    ],
  });
  return packDocx(doc, view.meta.date);
}

function standardStyles(kit: Kit): IParagraphStyleOptions[] {
  const head = (id: string, name: string, outline: number): IParagraphStyleOptions => ({
    id, name, basedOn: 'NkBody', next: 'NkBody', quickFormat: true,
    run: kit.runProps(HEAD),
    paragraph: { keepNext: true, keepLines: true, outlineLevel: outline, indent: { firstLine: 0 }, spacing: { ...exactLine(10.5, 1.8), before: outline === 0 ? pt(6) : pt(2) } },
  });
  return [
    head('NkChapter', '标准文件_章标题', 0),
    head('NkClause1', '标准文件_一级条标题', 1),
    head('NkClause2', '标准文件_二级条标题', 2),
    head('NkClause3', '标准文件_三级条标题', 3),
    head('NkClause4', '标准文件_四级条标题', 4),
    { id: 'NkTermNo', name: '标准文件_术语条目编号', basedOn: 'NkBody', next: 'NkTerm', run: kit.runProps(HEAD), paragraph: { keepNext: true, indent: { firstLine: 0 }, spacing: { ...exactLine(10.5, 1.8), before: pt(2) } } },
    { id: 'NkTerm', name: '标准文件_术语', basedOn: 'NkBody', next: 'NkBody', run: kit.runProps(HEAD), paragraph: { keepNext: true, alignment: AlignmentType.LEFT, indent: { firstLine: 0 } } },
    { id: 'NkTermSource', name: '标准文件_术语来源', basedOn: 'NkBody', next: 'NkTermNo', run: kit.runProps(BODY), paragraph: {} },
    { id: 'NkListDash', name: '标准文件_列项——', basedOn: 'NkBody', run: kit.runProps(BODY), paragraph: { indent: { firstLine: 0 } } },
    { id: 'NkListLetter', name: '标准文件_字母编号列项', basedOn: 'NkBody', run: kit.runProps(BODY), paragraph: { indent: { firstLine: 0 } } },
    { id: 'NkNote', name: '标准文件_注', basedOn: 'NkBody', run: kit.runProps(NOTE), paragraph: { spacing: exactLine(9, 1.6), alignment: AlignmentType.JUSTIFIED, indent: { left: pt(21 + 27), hanging: pt(27) } } },
    { id: 'NkTableTitle', name: '标准文件_表标题', basedOn: 'NkBody', next: 'NkBody', run: kit.runProps(HEAD), paragraph: { keepNext: true, alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, spacing: { ...exactLine(10.5, 1.8), before: pt(4) } } },
    { id: 'NkFrontTitle', name: '标准文件_前言、引言标题', basedOn: 'NkBody', next: 'NkBody', run: kit.runProps({ role: 'heading', size: 16 }), paragraph: { outlineLevel: 0, keepNext: true, alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, spacing: { ...exactLine(16, 1.6), before: mm(4), after: mm(6) } } },
    { id: 'NkTocTitle', name: '标准文件_目次标题', basedOn: 'NkBody', next: 'TOC1', run: kit.runProps({ role: 'heading', size: 16 }), paragraph: { keepNext: true, alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, spacing: { ...exactLine(16, 1.6), before: mm(4), after: mm(6) } } },
    { id: 'NkDocTitle', name: '标准文件_文件名称', basedOn: 'NkBody', next: 'NkBody', run: kit.runProps({ role: 'heading', size: 16 }), paragraph: { keepNext: true, alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, spacing: { ...exactLine(16, 1.6), before: mm(4), after: mm(6) + pt(6) } } },
    { id: 'NkEndLine', name: '标准文件_终结线', basedOn: 'NkBody', paragraph: { indent: { left: Math.round(WIDTH * 3 / 8), right: Math.round(WIDTH * 3 / 8), firstLine: 0 }, spacing: { before: pt(18), line: 240 }, border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: '000000', space: 1 } } } },
    { id: 'TOC1', name: 'toc 1', basedOn: 'NkBody', next: 'NkBody', run: kit.runProps(HEAD), paragraph: { indent: { firstLine: 0 }, spacing: exactLine(10.5, 1.9) } },
    { id: 'TOC2', name: 'toc 2', basedOn: 'NkBody', next: 'NkBody', run: kit.runProps(BODY), paragraph: { indent: { left: pt(21), firstLine: 0 }, spacing: exactLine(10.5, 1.9) } },
  ];
}

/** Clause numbers 1 / 1.1 / 1.1.1 as one multilevel list; lists a) 1) and —— as their own. */
function numbering(kit: Kit): { reference: string; levels: ILevelsOptions[] }[] {
  const num = (level: number): ILevelsOptions => ({
    level,
    format: LevelFormat.DECIMAL,
    // a full-width space after the number, as GB/T 1.1 sets “3.1　术语”
    text: `${Array.from({ length: level + 1 }, (_, i) => `%${i + 1}`).join('.')}\u3000`,
    isLegalNumberingStyle: true,
    suffix: LevelSuffix.NOTHING,
    alignment: AlignmentType.LEFT,
    style: { run: kit.runProps(HEAD), paragraph: { indent: { left: 0, hanging: 0 } } },
  });
  const marker = (level: number, format: (typeof LevelFormat)[keyof typeof LevelFormat], text: string): ILevelsOptions => ({
    level, format, text, alignment: AlignmentType.LEFT, suffix: LevelSuffix.NOTHING,
    style: { run: kit.runProps(BODY), paragraph: { indent: { left: pt(21 * (level + 1) + 21), hanging: pt(21) } } },
  });
  return [
    { reference: 'nk-clauses', levels: [0, 1, 2, 3, 4].map(num) },
    { reference: 'nk-ordered', levels: [marker(0, LevelFormat.LOWER_LETTER, '%1)'), marker(1, LevelFormat.DECIMAL, '%2)')] },
    // literal text, not a bullet: LibreOffice shows only the first character of a bullet (one dash of ——)
    { reference: 'nk-dash', levels: [marker(0, LevelFormat.NONE, '——'), marker(1, LevelFormat.NONE, '·')] },
  ];
}

const CLAUSE_STYLES = ['NkChapter', 'NkClause1', 'NkClause2', 'NkClause3', 'NkClause4'];

function blocks(kit: Kit, list: Block[], lists: { n: number }, inTerms: boolean): FileChild[] {
  const out: FileChild[] = [];
  for (const b of list) {
    switch (b.kind) {
      case 'clause':
        out.push(...clause(kit, b, lists, inTerms));
        break;
      case 'para':
        out.push(new Paragraph({ style: 'NkBody', children: kit.inlines(b.segments.flatMap((s) => s.inlines), BODY) }));
        break;
      case 'note':
        out.push(new Paragraph({ style: 'NkNote', children: [kit.run(b.label, NOTE), ...kit.inlines(b.segments.flatMap((s) => s.inlines), NOTE)] }));
        break;
      case 'list': {
        const instance = ++lists.n;
        const level = Math.min(1, b.depth);
        for (const item of b.items) {
          item.forEach((child, k) => {
            if ((child.kind === 'para' || child.kind === 'note') && k === 0) {
              out.push(new Paragraph({
                style: b.ordered ? 'NkListLetter' : 'NkListDash',
                numbering: { reference: b.ordered ? 'nk-ordered' : 'nk-dash', level, instance },
                children: kit.inlines(child.segments.flatMap((s) => s.inlines), BODY),
              }));
            } else if (child.kind === 'para' || child.kind === 'note') {
              out.push(new Paragraph({ style: 'NkBody', indent: { left: pt(21 * (level + 1) + 21), firstLine: 0 }, children: kit.inlines(child.segments.flatMap((s) => s.inlines), BODY) }));
            } else out.push(...blocks(kit, [child], lists, inTerms));
          });
        }
        break;
      }
      case 'table':
        out.push(...table(kit, b));
        break;
    }
  }
  return out;
}

function clause(kit: Kit, b: ClauseBlock, lists: { n: number }, inTerms: boolean): FileChild[] {
  const level = Math.min(4, b.level - 1);
  const mark = new Bookmark({ id: clauseBookmark(b.number), children: [kit.run(b.title, HEAD)] });
  if (b.entry) return termEntry(kit, b, b.entry, level, lists);
  // a view without entries (older views): the old entry head, the title as the term
  if (inTerms && b.level === 2) return termEntry(kit, b, { term: b.title }, level, lists);
  return [
    new Paragraph({ style: CLAUSE_STYLES[level], numbering: { reference: 'nk-clauses', level, instance: 0 }, children: [mark] }),
    ...blocks(kit, b.children, lists, b.special === 'terms'),
  ];
}

/**
 * GB/T 1.1 term entry, as the PDF sets it: the number alone on its line, the term in bold with its
 * English equivalent after it, the definition and its 注, then “[来源：…]”.
 */
function termEntry(kit: Kit, b: ClauseBlock, entry: TermEntry, level: number, lists: { n: number }): FileChild[] {
  const term: ParagraphChild[] = [kit.run(entry.term, HEAD)];
  // English in the body face, not bold, a full-width space after the term; Word wraps it under the term when it does not fit
  if (entry.english) term.push(kit.run(`\u3000${entry.english}`, { ...BODY, bold: false }));
  return [
    new Paragraph({ style: 'NkTermNo', numbering: { reference: 'nk-clauses', level, instance: 0 }, children: [new Bookmark({ id: clauseBookmark(b.number), children: [] })] }),
    new Paragraph({ style: 'NkTerm', children: term }),
    ...blocks(kit, b.children, lists, false),
    ...(entry.source ? [new Paragraph({ style: 'NkTermSource', children: kit.inlines(entry.source, BODY) })] : []),
  ];
}

function table(kit: Kit, b: Extract<Block, { kind: 'table' }>): FileChild[] {
  const small: RunStyle = { role: 'body', size: 9 };
  const caption = b.caption ? `表${b.number}　${b.caption}` : b.number ? `表${b.number}` : undefined;
  const widths = share(WIDTH, b.header.map((h) => Math.max(2, Math.min(8, cellText(h).length))));
  const head = [b.header.map((h) => ({ text: cellText(h), style: { role: 'heading' as const, size: 9 }, align: AlignmentType.CENTER }))];
  const rows = b.rows.map((r) => b.header.map((_, i) => ({ text: cellText(r[i] ?? []), style: small })));
  return [
    ...(caption ? [new Paragraph({ style: 'NkTableTitle', children: [kit.run(caption, HEAD)] })] : []),
    gridTable(kit, widths, head, rows, { line: pt(9 * 1.4) }),
    new Paragraph({ style: 'NkBody', spacing: { line: pt(6), lineRule: 'exact' }, children: [] }),
  ];
}

/** 目次: a TOC field (\o "1-2" with outline levels and links), filled in with the PDF's page numbers. */
function toc(kit: Kit, view: StandardView, pages: PageLabels): FileChild[] {
  return [
    new Paragraph({ style: 'NkTocTitle', children: [kit.run('目　　次', { role: 'heading', size: 16 })] }),
    ...tocField(kit, [
      { label: '前言', page: pages.get('前言') ?? 'I', anchor: FOREWORD_BOOKMARK, level: 1 },
      ...view.toc.map((t) => ({ label: `${t.number}　${t.title}`, page: pages.get(t.number) ?? '', anchor: clauseBookmark(t.number), level: (t.level === 1 ? 1 : 2) as 1 | 2 })),
    ], WIDTH, { level1: HEAD, level2: BODY }),
  ];
}

function foreword(kit: Kit, view: StandardView): FileChild[] {
  return [
    new Paragraph({ style: 'NkFrontTitle', pageBreakBefore: true, children: [new Bookmark({ id: FOREWORD_BOOKMARK, children: [kit.run('前　　言', { role: 'heading', size: 16 })] })] }),
    ...view.foreword.map((para) => new Paragraph({ style: 'NkBody', children: kit.inlines(para.flatMap((s) => s.inlines), BODY) })),
  ];
}

/** 终结线: a short rule under the last clause, centred. */
function endLine(): Paragraph {
  return new Paragraph({ style: 'NkEndLine', children: [] });
}

function runningHeader(kit: Kit, code: string): Header {
  // one line that never wraps: the number keeps its plain space (the narrow no-break one is only for wrapping text)
  return new Header({ children: [new Paragraph({ style: 'NkHeader', children: [new TextRun({ ...kit.runProps(HEAD), text: code })] })] });
}

function pageFooter(kit: Kit): Footer {
  return new Footer({ children: [new Paragraph({ style: 'NkFooter', children: [new TextRun({ ...kit.runProps({ role: 'body', size: 9 }), children: [PageNumber.CURRENT] })] })] });
}

/** The replaced mark of a superseded edition, as the PDF's: red, boxed tight round the text (a run border), centred above the title. */
function replacedStamp(kit: Kit, text: string, f: IFrameOptions): Paragraph {
  const s: RunStyle = { role: 'heading', size: 16, color: '#CC0000' };
  const red = { style: BorderStyle.SINGLE, size: 12, color: 'CC0000', space: 4 };
  // the spaces inside the run pad the box sideways, as the PDF's 12 pt; one line, so the number keeps its plain space
  return new Paragraph({ style: 'NkCover', frame: f, alignment: AlignmentType.CENTER, spacing: exactLine(16, 2), children: [new TextRun({ ...kit.runProps(s), border: red, text: `\u3000${text}\u3000` })] });
}

/**
 * 征求意见稿 cover: the patent notice boxed across the type area, its foot 30 mm above the dates
 * (the PDF's place). Frames grow downwards, so its top is found from an estimate of its lines.
 */
function noticeBox(kit: Kit, text: string, frame: (y: number, h: number, x?: number, width?: number) => IFrameOptions): Paragraph {
  const pad = 12;
  const inner = WIDTH / 20 - 2 * pad;
  const lines = Math.max(1, Math.ceil(([...text].length * 10.5) / inner));
  const bottom = 297 - 45 - 30; // mm from the page's top, as the PDF's footY − 30 mm
  const height = (lines * 10.5 * 1.6 + 16) / 72 * 25.4;
  const line = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
  return new Paragraph({
    style: 'NkCover', frame: frame(bottom - height + 1, 0, 25 + (pad / 72) * 25.4, WIDTH - 2 * pt(pad)),
    alignment: AlignmentType.LEFT, spacing: exactLine(10.5, 1.6),
    border: { top: { ...line, space: 4 }, bottom: { ...line, space: 4 }, left: { ...line, space: pad }, right: { ...line, space: pad } },
    children: kit.runs(text, BODY),
  });
}

/** The foot of the cover (dates, rule, 发布): in the cover's footer, so it stays at the bottom of the page. */
function coverFoot(kit: Kit, v: StandardView): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: 'NkCover', spacing: exactLine(14, 1.6),
        tabStops: [{ type: TabStopType.RIGHT, position: WIDTH }],
        border: { bottom: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 } },
        children: [kit.run(v.issuedLine ?? '', { role: 'heading', size: 14 }), new TextRun({ ...kit.runProps({ role: 'heading', size: 14 }), children: ['\t', keepNumbersWhole(v.effectiveLine ?? '')] })],
      }),
      new Paragraph({ style: 'NkCover', alignment: AlignmentType.CENTER, spacing: { ...exactLine(16, 1.4), before: pt(8) }, children: [kit.run(`${v.organization}　发布`, { role: 'heading', size: 16 })] }),
    ],
  });
}

/**
 * The cover as the PDF draws it: every block in a frame at the PDF's position on the page
 * (GB/T 1.1 covers are laid out by position, not by flow).
 */
function cover(kit: Kit, v: StandardView): Paragraph[] {
  const half = Math.round(WIDTH / 2);
  /** A frame at (x, y) mm from the page's corner; paragraphs given the same frame share it. */
  const frame = (y: number, h: number, x = 25, width = WIDTH) => ({
    type: 'absolute' as const, position: { x: mm(x), y: mm(y) }, width, height: h, anchor: { horizontal: FrameAnchorType.PAGE, vertical: FrameAnchorType.PAGE },
  });
  const p = (f: ReturnType<typeof frame>, text: string, s: RunStyle, alignment: (typeof AlignmentType)[keyof typeof AlignmentType], extra: object = {}): Paragraph =>
    new Paragraph({ style: 'NkCover', frame: f, alignment, spacing: exactLine(s.size, 1.25), children: text ? kit.runs(text, s) : [], ...extra });
  const rule = { bottom: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 } };
  const codes = [v.ics ? `ICS ${v.ics}` : '', v.ccs ? `CCS ${v.ccs}` : ''].filter(Boolean).join('\n');
  const letters = frame(17, pt(60), 25 + (210 - 25 - 20) / 2, half);
  const out: Paragraph[] = [
    p(frame(20, pt(60), 25, half), codes, { role: 'heading', size: 10.5 }, AlignmentType.LEFT),
    p(letters, v.codeLetters, { role: 'heading', size: 40 }, AlignmentType.RIGHT),
    ...(v.filingNo ? [p(letters, `备案号：${v.filingNo}`, BODY, AlignmentType.RIGHT)] : []),
    p(frame(62, pt(40)), v.layer, { role: 'title', size: 24 }, AlignmentType.CENTER),
    // the rule under the number at the PDF's 86 mm: a frame of its own that grows to its text (a framed paragraph's
    // border is drawn at the frame's foot, so a fixed-height frame would push the rule down), the 代替 line under it
    // single lines that never wrap: the numbers keep their plain space
    p(frame(76.5, 0), '', { role: 'heading', size: 14 }, AlignmentType.RIGHT, { border: rule, children: [new TextRun({ ...kit.runProps({ role: 'heading', size: 14 }), text: v.code })] }),
    ...(v.replaces ? [p(frame(88, 0), '', BODY, AlignmentType.RIGHT, { spacing: exactLine(10.5, 1.4), children: [new TextRun({ ...kit.runProps(BODY), text: `代替 ${v.replaces}` })] })] : []),
    p(frame(120, 0), v.title, { role: 'title', size: 26 }, AlignmentType.CENTER, { spacing: exactLine(26, 1.4) }),
    ...(v.englishTitle ? [p(frame(120, 0), v.englishTitle, { role: 'body', size: 14 }, AlignmentType.CENTER, { spacing: { ...exactLine(14, 1.4), before: mm(6) } })] : []),
    ...(v.draftStage ? [p(frame(120, 0), `（${v.draftStage}）`, { role: 'heading', size: 14 }, AlignmentType.CENTER, { spacing: { ...exactLine(14, 1.4), before: mm(6) } })] : []),
  ];
  if (v.replacedMark) out.push(replacedStamp(kit, v.replacedMark, frame(104, 0)));
  if (v.patentNotice) out.push(noticeBox(kit, v.patentNotice, frame));
  // the section needs a paragraph of its own in the flow
  out.push(new Paragraph({ style: 'NkCover', children: [] }));
  return out;
}
