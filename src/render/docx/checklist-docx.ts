import {
  AlignmentType, BorderStyle, Document, Footer, Header, ImageRun, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, UnderlineType,
  WidthType, type FileChild, type IParagraphStyleOptions, type ParagraphChild,
} from 'docx';
import type { FontBook } from '../../typography/fonts.js';
import { VETO_MARK, type Blank, type ChecklistView, type ColumnKey, type FormTable, type PartsTable } from '../../views/checklist-view.js';
import type { RankingView, ReportView } from '../../views/report-view.js';
import { contentText, FORM } from '../pdf/checklist-pdf.js';
import { docxFonts } from './fonts.js';
import { exactLine, gridTable, Kit, mm, page, pt, share, textWidth, type GridCell, type RunStyle } from './kit.js';
import { packDocx } from './package.js';
import { barChartPng } from './pictures.js';
import { baseStyles, documentDefaults } from './styles.js';

/** As the PDF forms: A4 landscape, 16/16/15/15 mm. */
const MARGINS = { top: 16, bottom: 16, left: 15, right: 15 };
const WIDTH = textWidth(MARGINS, true);
const RED = '#b3261e';
const HEAD_FILL = '#e4e9f0';
const TEXT: RunStyle = { role: 'body', size: 10 };
const CELL: RunStyle = { role: 'body', size: FORM.size };
const CELL_HEAD: RunStyle = { role: 'heading', size: FORM.size };

/** Column widths of the PDF form in points (note takes what is left). */
const WIDTHS: Record<ColumnKey, number> = { points: 38, method: 58, self: 50, score: 50, perOccurrence: 86, count: 50, delta: 66, selfDelta: 76, note: 0 };

/** The blank form: header blanks, the scoring table (类别 merged per section), rules and signature lines. */
export async function renderChecklistDocx(view: ChecklistView, book: FontBook): Promise<Uint8Array> {
  const kit = new Kit(docxFonts(book));
  const children: FileChild[] = [
    title(kit, view.title),
    ...(view.weighted ? [subtitle(kit, '（加权计分表）')] : view.mode === 'deduct' ? [subtitle(kit, '（扣分考核表）')] : []),
    blanks(kit, view.blanks),
    ...(view.description ? [new Paragraph({ style: 'FormText', indent: { firstLine: pt(20) }, children: kit.runs(view.description, TEXT) })] : []),
  ];
  if (view.parts) children.push(heading(kit, '一、计分部分'), partsTable(kit, view.parts), heading(kit, '二、考评记录'));
  children.push(formTable(kit, view.table, {}));
  children.push(...foot(kit, [...view.rules, view.ratingsText].filter(Boolean), view.signatures));
  return pack(kit, view.meta, view.title, children);
}

/** A filled score report: the result box, the chart of section scores as a picture, every item's score. */
export async function renderReportDocx(view: ReportView, book: FontBook): Promise<Uint8Array> {
  const kit = new Kit(docxFonts(book));
  const children: FileChild[] = [
    title(kit, view.title),
    new Paragraph({ style: 'FormTitle', spacing: exactLine(13, 1.8), children: [kit.run(view.subtitle, { role: 'heading', size: 13 })] }),
    infoLine(kit, [['被考评单位', view.subject], ['考评期', view.periodLabel], ['考评日期', view.assessedText], ['考评人员', view.assessors || '—']]),
    new Paragraph({ spacing: { line: pt(4), lineRule: 'exact' }, children: [] }),
    summaryBox(kit, view),
  ];
  if (view.parts) {
    children.push(heading(kit, '一、各部分得分'), partsTable(kit, view.parts));
    for (const f of view.formulas) children.push(new Paragraph({ style: 'FormText', children: kit.runs(f, TEXT) }));
    children.push(heading(kit, '二、考评记录'));
  } else {
    children.push(heading(kit, view.mode === 'award' ? '一、各类别得分' : '一、各类别扣（加）分'));
    const chart = barChartPng(view.chart, book, WIDTH / 20);
    const px = (p: number): number => Math.round((p * 96) / 72);
    children.push(new Paragraph({
      keepNext: false,
      children: [new ImageRun({ type: 'png', data: chart.png, transformation: { width: px(chart.width), height: px(chart.height) }, altText: { name: '各类别得分', description: view.chart.caption, title: view.chart.caption } })],
    }));
    children.push(heading(kit, '二、逐项得分'));
  }
  children.push(formTable(kit, view.table, view.mode === 'award' ? { self: 78, score: 78 } : { selfDelta: 86 }));
  children.push(...foot(kit, view.notes, view.signatures));
  return pack(kit, view.meta, `${view.subject} ${view.title}${view.subtitle}`, children);
}

/** The ranking of every subject assessed against one checklist, per period. */
export async function renderRankingDocx(view: RankingView, book: FontBook): Promise<Uint8Array> {
  const kit = new Kit(docxFonts(book));
  const s: RunStyle = { role: 'body', size: 10.5 };
  const h: RunStyle = { role: 'heading', size: 10.5 };
  const children: FileChild[] = [title(kit, view.title), new Paragraph({ style: 'FormTitle', spacing: exactLine(13, 1.8), children: [kit.run(view.subtitle, { role: 'heading', size: 13 })] })];
  const widths = share(WIDTH, [40, 200, 80, 100, 90, 125]);
  for (const period of view.periods) {
    children.push(heading(kit, `考评期：${period.label}　共 ${period.rows.length} 个被考评对象　${period.tally.map((t) => `${t.label} ${t.count} 个`).join('，')}`));
    const header = ['名次', '被考评单位', '考评日期', '考评人员', view.max ? `总分（满分${view.max}）` : '总分', '评定结果'].map((t) => ({ text: t, style: h, align: AlignmentType.CENTER, fill: HEAD_FILL }));
    children.push(gridTable(kit, widths, [header], period.rows.map((r) => {
      const st: RunStyle = { ...s, color: r.vetoed ? RED : undefined };
      const fill = r.vetoed ? '#fdecea' : undefined;
      return [String(r.rank), r.subject, r.assessed, r.assessors, r.total, r.verdict].map((t, i) => ({ text: t, style: st, fill, align: i === 1 ? AlignmentType.LEFT : AlignmentType.CENTER }));
    }), { line: pt(10.5 * 1.5) }));
  }
  if (view.register) {
    children.push(heading(kit, `评定登记表（有效期${view.register.validYears}年，截至${view.register.asOf}）`));
    const header = ['被考评单位', '当前等次', '考评日期', '有效期至', '状态', '撤销情况'].map((t) => ({ text: t, style: h, align: AlignmentType.CENTER, fill: HEAD_FILL }));
    children.push(gridTable(kit, share(WIDTH, [8, 3.2, 3.2, 3.2, 5, 7]), [header], view.register.rows.map((r) => {
      const st: RunStyle = { ...s, color: r.revoked ? RED : undefined };
      return [r.subject, r.rating, r.assessed, r.validUntil, r.status, r.note].map((t, i) => ({ text: t, style: st, align: i === 0 || i === 5 ? AlignmentType.LEFT : AlignmentType.CENTER }));
    }), { line: pt(10.5 * 1.5) }));
  }
  children.push(...foot(kit, [view.ratingsText, ...view.notes].filter(Boolean), view.signatures));
  return pack(kit, view.meta, `${view.title}${view.subtitle}`, children);
}

async function pack(kit: Kit, meta: ChecklistView['meta'], running: string, children: FileChild[]): Promise<Uint8Array> {
  const doc = new Document({
    title: meta.title, creator: meta.author, lastModifiedBy: meta.author, subject: meta.subject, keywords: meta.keywords, revision: 1,
    features: { updateFields: false },
    styles: { default: documentDefaults(kit.fonts), paragraphStyles: [...baseStyles(kit.fonts), ...formStyles(kit)] },
    sections: [{
      properties: { page: { ...page(MARGINS, true), margin: { ...page(MARGINS, true).margin, header: mm(8), footer: mm(8) } }, titlePage: true },
      // the running title only from the second page on, as the PDF's “（续）”
      headers: { first: new Header({ children: [new Paragraph({ children: [] })] }), default: new Header({ children: [new Paragraph({ style: 'FormRunning', children: [kit.run(`${running}（续）`, { role: 'body', size: 8.5, color: '#555555' })] })] }) },
      footers: { first: pageOf(kit), default: pageOf(kit) },
      children,
    }],
  });
  return packDocx(doc, meta.date);
}

function formStyles(kit: Kit): IParagraphStyleOptions[] {
  return [
    { id: 'FormTitle', name: '考评表_标题', basedOn: 'Normal', next: 'FormText', run: kit.runProps({ role: 'title', size: 17 }), paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: exactLine(17, 1.6) } },
    { id: 'FormSubtitle', name: '考评表_副标题', basedOn: 'Normal', next: 'FormText', run: kit.runProps({ role: 'body', size: 10.5 }), paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: exactLine(10.5, 1.6) } },
    { id: 'FormHeading', name: '考评表_栏目标题', basedOn: 'Normal', next: 'FormText', run: kit.runProps({ role: 'heading', size: 11 }), paragraph: { keepNext: true, spacing: { before: pt(8), ...exactLine(11, 1.8) } } },
    { id: 'FormText', name: '考评表_说明', basedOn: 'Normal', run: kit.runProps(TEXT), paragraph: { alignment: AlignmentType.JUSTIFIED, spacing: exactLine(10, 1.65) } },
    { id: 'FormBlanks', name: '考评表_填写栏', basedOn: 'Normal', run: kit.runProps({ role: 'body', size: 11 }), paragraph: { spacing: exactLine(11, 2.1) } },
    { id: 'FormRunning', name: '考评表_续页标题', basedOn: 'Normal', run: kit.runProps({ role: 'body', size: 8.5, color: '#555555' }), paragraph: {} },
  ];
}

const title = (kit: Kit, text: string): Paragraph => new Paragraph({ style: 'FormTitle', children: [kit.run(text, { role: 'title', size: 17 })] });
const subtitle = (kit: Kit, text: string): Paragraph => new Paragraph({ style: 'FormSubtitle', children: [kit.run(text, { role: 'body', size: 10.5 })] });
const heading = (kit: Kit, text: string): Paragraph => new Paragraph({ style: 'FormHeading', children: [kit.run(text, { role: 'heading', size: 11 })] });

/** Blanks to fill in by hand: the label, then an underlined space of the PDF's width (年 月 日 for dates). */
function blankRuns(kit: Kit, blanks: Blank[], size = 11): ParagraphChild[] {
  const s: RunStyle = { role: 'body', size };
  const line = (em: number): TextRun => kit.run('\u3000'.repeat(Math.max(1, Math.round(em))), s, { underline: { type: UnderlineType.SINGLE } });
  const out: ParagraphChild[] = [];
  blanks.forEach((b, i) => {
    if (i > 0) out.push(new TextRun({ ...kit.runProps(s), children: ['\t'] }));
    out.push(kit.run(`${b.label}：`, s));
    if (b.date) out.push(line(3), kit.run('年', s), line(2), kit.run('月', s), line(2), kit.run('日', s));
    else out.push(line(b.width));
  });
  return out;
}

function blanks(kit: Kit, list: Blank[], extra: { spacing?: object; keepLines?: boolean } = {}): Paragraph {
  return new Paragraph({ style: 'FormBlanks', ...extra, tabStops: spreadTabs(list.length), children: blankRuns(kit, list) });
}

/** Blanks spread across the line as the PDF sets them: the middle ones centred, the last at the right margin. */
function spreadTabs(n: number): { type: 'center' | 'right'; position: number }[] {
  return Array.from({ length: Math.max(0, n - 1) }, (_, i) => (i === n - 2
    ? { type: 'right' as const, position: WIDTH }
    : { type: 'center' as const, position: Math.round((WIDTH * (i + 1)) / (n - 1)) }));
}

/** Rules and ratings under the table, then the signature lines, kept together. */
function foot(kit: Kit, rules: string[], signatures: Blank[]): Paragraph[] {
  const out = rules.map((r, i) => new Paragraph({ style: 'FormText', keepNext: true, spacing: { before: i === 0 ? pt(6) : 0, ...exactLine(9.5, 1.6) }, children: kit.runs(r, { role: 'body', size: 9.5 }) }));
  if (signatures.length) out.push(blanks(kit, signatures, { keepLines: true, spacing: { before: pt(14), ...exactLine(11, 2.1) } }));
  return out;
}

/**
 * The scoring table: 类别 merged over each section's rows, header repeated on every page, rows
 * never split; rows outside the sections carry one label over 类别, 序号 and 考评内容.
 */
function formTable(kit: Kit, table: FormTable, wide: Partial<Record<ColumnKey, number>>): Table {
  const groups = [...new Set(table.rows.map((r) => r.group).filter((g): g is string => !!g))];
  const longest = Math.max(3, Math.min(7, Math.max(0, ...groups.map((g) => [...g].length))));
  const fixed = [longest * FORM.size + 12, 30, 0, ...table.columns.map((c) => wide[c.key] ?? WIDTHS[c.key])];
  const free = WIDTH / 20 - fixed.reduce((s, w) => s + w, 0);
  // 考评内容 takes 10 shares of what is left, 备注 3.2 (as the PDF's flex columns)
  const noteAt = table.columns.findIndex((c) => c.key === 'note');
  const flexTotal = 10 + (noteAt >= 0 ? 3.2 : 0);
  const pts = fixed.map((w, i) => (i === 2 ? (free * 10) / flexTotal : noteAt >= 0 && i === 3 + noteAt ? (free * 3.2) / flexTotal : w));
  const widths = share(WIDTH, pts);
  const header: GridCell[] = ['类别', '序号', '考评内容', ...table.columns.map((c) => c.header)].map((t) => ({ text: t, style: { role: 'heading', size: FORM.size + 0.5 }, align: AlignmentType.CENTER, fill: HEAD_FILL }));
  const aligns = (i: number): (typeof AlignmentType)[keyof typeof AlignmentType] => {
    const key = table.columns[i]?.key;
    return key === 'note' ? AlignmentType.LEFT : AlignmentType.CENTER;
  };
  const body: GridCell[][] = table.rows.map((r, i) => {
    const fill = r.label !== undefined ? (FORM.rowFill[r.flag ?? ''] ?? FORM.rowFill.label) : r.kind === 'subtotal' ? FORM.rowFill.subtotal : FORM.rowFill[r.flag ?? ''];
    const values = r.values.map((v, k) => ({ text: v.text, style: r.label !== undefined ? CELL_HEAD : CELL, align: aligns(k), fill }));
    if (r.label !== undefined) return [{ text: r.label, style: CELL_HEAD, span: 3, fill }, ...values];
    const first = i === 0 || table.rows[i - 1]!.group !== r.group;
    const sub = r.kind === 'subtotal';
    return [
      { text: first ? r.group ?? '' : '', style: CELL_HEAD, align: AlignmentType.CENTER, vmerge: r.group ? (first ? 'restart' : 'continue') : undefined },
      { text: r.no, style: CELL, align: AlignmentType.CENTER, fill },
      { text: sub ? r.text : contentText(r), style: sub ? CELL_HEAD : CELL, fill },
      ...values,
    ];
  });
  return gridTable(kit, widths, [header], body, { keepNext: (i) => table.rows[i]!.keepWithNext === true, line: pt(FORM.size * 1.4) });
}

function partsTable(kit: Kit, parts: PartsTable): Table {
  const flex: Record<string, number> = { 计分方法: 8, 票数或得分: 4, 输入: 7 };
  const widths = share(WIDTH, parts.columns.map((c, i) => (i === 0 ? 4 : flex[c] ?? 1.6)));
  const s: RunStyle = { role: 'body', size: 10.5 };
  const h: RunStyle = { role: 'heading', size: 10.5 };
  const header = parts.columns.map((t) => ({ text: t, style: h, align: AlignmentType.CENTER, fill: HEAD_FILL }));
  const rows = parts.rows.map((r) => r.cells.map((c, i) => ({
    text: i === 0 && r.depth > 0 ? `${'　'.repeat(r.depth)}${c}` : c,
    style: r.kind === 'total' || r.depth === 0 ? h : s,
    fill: r.kind === 'total' ? '#f3f6fa' : undefined,
    align: i === 0 || flex[parts.columns[i]!] ? AlignmentType.LEFT : AlignmentType.CENTER,
  })));
  return gridTable(kit, widths, [header], rows, { line: pt(10.5 * 1.5) });
}

/** “label：value” pairs spread across the line (a borderless row, widths after the texts' lengths). */
function infoLine(kit: Kit, pairs: string[][]): Table {
  const texts = pairs.map(([k, v]) => `${k}：${v}`);
  const widths = share(WIDTH, texts.map((t) => [...t].length + 2));
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  return new Table({
    width: { size: WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: [new TableRow({
      children: texts.map((t, i) => new TableCell({
        width: { size: widths[i]!, type: WidthType.DXA },
        margins: { left: 0, right: 0 },
        // at least the line height: a long list of assessors wraps instead of being cut off
        children: [new Paragraph({ alignment: i === 0 ? AlignmentType.LEFT : i === texts.length - 1 ? AlignmentType.RIGHT : AlignmentType.CENTER, spacing: { line: pt(10.5 * 1.9), lineRule: 'atLeast' }, children: kit.runs(t, { role: 'body', size: 10.5 }) })],
      })),
    })],
  });
}

/** 总分 and 评定结果 in a box (red when vetoed), with the failed veto items and the summary lines. */
function summaryBox(kit: Kit, view: ReportView): Table {
  const color = view.vetoed ? RED : '#000000';
  const border = { style: BorderStyle.SINGLE, size: view.vetoed ? 11 : 6, color: (view.vetoed ? RED : '#333333').slice(1) };
  const headline = `总分：${view.total} 分${view.max ? `（满分 ${view.max} 分）` : view.base ? `（基础分 ${view.base} 分）` : ''}　　评定结果：${view.verdict}`;
  const lines = view.vetoItems.map((v) => `${VETO_MARK}第${v.no}项　${v.text}　——未通过，一票否决，${view.vetoConsequence}。`);
  return new Table({
    width: { size: WIDTH, type: WidthType.DXA },
    columnWidths: [WIDTH],
    rows: [new TableRow({
      cantSplit: true,
      children: [new TableCell({
        width: { size: WIDTH, type: WidthType.DXA },
        shading: { fill: (view.vetoed ? '#fdecea' : '#f3f6fa').slice(1), color: 'auto', type: 'clear' as never },
        borders: { top: border, bottom: border, left: border, right: border },
        margins: { top: pt(8), bottom: pt(8), left: pt(8), right: pt(8) },
        children: [
          new Paragraph({ spacing: exactLine(14, 1.6), children: [kit.run(headline, { role: 'heading', size: 14, color })] }),
          ...lines.map((l) => new Paragraph({ spacing: exactLine(10, 1.6), children: kit.runs(l, { role: 'body', size: 10, color: RED }) })),
          ...view.summaryLines.map((l) => new Paragraph({ spacing: exactLine(10, 1.6), children: kit.runs(l, { role: 'body', size: 10 }) })),
        ],
      })],
    })],
  });
}

/** “第 x 页　共 y 页”, as the PDF forms. */
function pageOf(kit: Kit): Footer {
  const r = kit.runProps({ role: 'body', size: 9 });
  return new Footer({ children: [new Paragraph({ style: 'NkFooter', children: [new TextRun({ ...r, children: ['第 ', PageNumber.CURRENT, ' 页　共 ', PageNumber.TOTAL_PAGES, ' 页'] })] })] });
}
