import {
  AlignmentType, BorderStyle, convertMillimetersToTwip, ExternalHyperlink, LineRuleType, PageOrientation, Paragraph, Table, TableCell, TableLayoutType,
  TableRow, TextRun, VerticalAlign, VerticalMergeType, WidthType, type IParagraphOptions, type IRunOptions, type ParagraphChild,
} from 'docx';
import type { Inline } from '../../model/clauses.js';
import type { FontRole } from '../../typography/fonts.js';
import { runFonts, type DocxFonts } from './fonts.js';
import { keepNumbersWhole } from './nobreak.js';

/** Millimetres to twips (page sizes and margins are given in mm, as the PDF renderer's). */
export const mm = (v: number): number => Math.round(convertMillimetersToTwip(v));
/** Points to twips. */
export const pt = (v: number): number => Math.round(v * 20);

export const A4 = { width: mm(210), height: mm(297) };

export interface RunStyle {
  role: FontRole;
  /** Points. */
  size: number;
  bold?: boolean;
  italics?: boolean;
  color?: string;
}

/** Page setup in mm, as the PDF's frames. */
export function page(margins: { top: number; bottom: number; left: number; right: number }, landscape = false) {
  return {
    // the docx library swaps width and height itself for landscape
    size: { width: A4.width, height: A4.height, orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
    margin: { top: mm(margins.top), bottom: mm(margins.bottom), left: mm(margins.left), right: mm(margins.right), header: mm(Math.min(15, margins.top * 0.5)), footer: mm(Math.min(12, margins.bottom * 0.5)) },
  };
}

/** Text width of a page in twips. */
export function textWidth(margins: { left: number; right: number }, landscape = false): number {
  return (landscape ? A4.height : A4.width) - mm(margins.left) - mm(margins.right);
}

/** Builds runs and paragraphs with the project's fonts declared on every run. */
export class Kit {
  constructor(readonly fonts: DocxFonts) {}

  /** Run properties for a role: family for East Asian and Latin text, bold when the face is bold. */
  runProps(s: RunStyle): Pick<IRunOptions, 'font' | 'size' | 'bold' | 'italics' | 'color'> {
    const f = this.fonts[s.role];
    return { font: runFonts(f), size: Math.round(s.size * 2), bold: s.bold ?? f.bold, italics: s.italics, color: s.color?.replace('#', '') };
  }

  run(text: string, s: RunStyle, extra: IRunOptions = {}): TextRun {
    return new TextRun({ ...this.runProps(s), ...extra, text: keepNumbersWhole(text) });
  }

  /** Runs of a text whose line breaks become Word line breaks (cells, addresses). */
  runs(text: string, s: RunStyle): TextRun[] {
    return text.split('\n').map((l, i) => new TextRun({ ...this.runProps(s), text: keepNumbersWhole(l), break: i > 0 ? 1 : undefined }));
  }

  /** Inline text of the model: strong and em kept; web links as hyperlinks, links to project pages as plain text. */
  inlines(inl: Inline[], s: RunStyle): ParagraphChild[] {
    return inl.flatMap((x): ParagraphChild[] => {
      // a line break inside a paragraph (a 注 right under its definition) stays one, as the PDF's line breaker keeps it
      const r = this.runs(x.text, { ...s, bold: x.strong ? true : undefined, italics: x.em || undefined });
      return x.href && /^(https?:|mailto:)/i.test(x.href) ? [new ExternalHyperlink({ link: x.href, children: r })] : r;
    });
  }

  /** A paragraph of one run. */
  para(text: string, s: RunStyle, opts: IParagraphOptions = {}): Paragraph {
    return new Paragraph({ ...opts, children: [...this.runs(text, s), ...(opts.children ?? [])] });
  }
}

/** Exact line spacing in twips from a PDF style's size and leading (so pages break about where the PDF's do). */
export function exactLine(size: number, leading: number): { line: number; lineRule: typeof LineRuleType.EXACT } {
  return { line: Math.round(size * leading * 20), lineRule: LineRuleType.EXACT };
}

const RULE = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
export const CELL_BORDERS = { top: RULE, bottom: RULE, left: RULE, right: RULE };

export interface GridCell {
  text: string;
  style: RunStyle;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  fill?: string;
  /** Columns this cell spans. */
  span?: number;
  /** Vertical merge: first cell of a merged block, or a continuation. */
  vmerge?: 'restart' | 'continue';
}

/**
 * A bordered table at fixed widths (twips): header rows repeat on every page, rows do not split.
 * Word and LibreOffice then break it as the PDF does, without an autofit pass of their own.
 */
export function gridTable(kit: Kit, widths: number[], header: GridCell[][], body: GridCell[][], opts: { keepNext?: (i: number) => boolean; line?: number } = {}): Table {
  const line = opts.line;
  const row = (cells: GridCell[], head: boolean, keepNext: boolean): TableRow => {
    let col = 0;
    return new TableRow({
      tableHeader: head,
      cantSplit: true,
      children: cells.map((c) => {
        const span = c.span ?? 1;
        const w = widths.slice(col, col + span).reduce((s, x) => s + x, 0);
        col += span;
        return new TableCell({
          width: { size: w, type: WidthType.DXA },
          columnSpan: span > 1 ? span : undefined,
          verticalMerge: c.vmerge === 'restart' ? VerticalMergeType.RESTART : c.vmerge === 'continue' ? VerticalMergeType.CONTINUE : undefined,
          verticalAlign: VerticalAlign.CENTER,
          shading: c.fill ? { fill: c.fill.replace('#', ''), color: 'auto', type: 'clear' as never } : undefined,
          borders: CELL_BORDERS,
          margins: { top: 40, bottom: 40, left: 80, right: 80 },
          children: [new Paragraph({
            alignment: c.align ?? AlignmentType.LEFT,
            keepNext: keepNext || head,
            spacing: line ? { line, lineRule: LineRuleType.AT_LEAST } : undefined,
            children: c.text ? kit.runs(c.text, c.style) : [],
          })],
        });
      }),
    });
  };
  return new Table({
    width: { size: widths.reduce((s, x) => s + x, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: [...header.map((h) => row(h, true, false)), ...body.map((b, i) => row(b, false, opts.keepNext?.(i) ?? false))],
  });
}

/** Shares of `total` twips by weights, the rounding put in the last column so widths add up. */
export function share(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const out = weights.map((w) => Math.floor((total * w) / sum));
  out[out.length - 1]! += total - out.reduce((s, w) => s + w, 0);
  return out;
}
