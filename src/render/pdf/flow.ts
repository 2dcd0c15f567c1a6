import type { FontBook, FontRole } from '../../typography/fonts.js';
import { breakLines } from '../../typography/linebreak.js';
import { textWidth } from '../../typography/measure.js';
import type { Pdf } from './document.js';
import { showText } from './show-text.js';

export interface Frame {
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface TextStyle {
  role: FontRole;
  size: number;
  /** Line height as a multiple of the size. */
  leading?: number;
  /** Left indent of every line, in points. */
  indent?: number;
  /** Indent of the first line, in em (两字缩进 = 2). */
  firstLine?: number;
  /** Indent of lines after the first (hanging lists), in points. */
  hang?: number;
  align?: 'left' | 'center' | 'right' | 'justify';
  color?: string;
  width?: number;
}

export interface PageHooks {
  /** Draws running header and footer on a fresh page (not in dry runs). */
  decorate?: (doc: Pdf, pageIndex: number) => void;
}

/**
 * A cursor over pages: lays text out with Chinese line breaking and starts new pages when the frame
 * is full. In a dry run nothing is drawn, so the same code can measure page numbers for a 目次.
 */
export class Flow {
  y = 0;
  page = -1;

  constructor(
    readonly doc: Pdf,
    readonly book: FontBook,
    public frame: Frame,
    readonly dry = false,
    readonly hooks: PageHooks = {},
  ) {}

  get contentWidth(): number {
    return this.frame.width - this.frame.left - this.frame.right;
  }

  get bottomLimit(): number {
    return this.frame.height - this.frame.bottom;
  }

  newPage(frame?: Frame): void {
    if (frame) this.frame = frame;
    this.page++;
    if (!this.dry) {
      this.doc.addPage({ size: [this.frame.width, this.frame.height], margin: 0 });
      this.hooks.decorate?.(this.doc, this.page);
    }
    this.y = this.frame.top;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.page < 0 || this.y + height > this.bottomLimit + 0.01) this.newPage();
  }

  space(pt: number): void {
    this.y += pt;
  }

  measure(text: string, role: FontRole, size: number): number {
    return textWidth(this.book[role].font, text, size);
  }

  lines(text: string, style: TextStyle): string[] {
    const width = (style.width ?? this.contentWidth) - (style.indent ?? 0);
    const first = (style.firstLine ?? 0) * style.size;
    const hang = style.hang ?? 0;
    const font = this.book[style.role].font;
    const measure = (s: string): number => textWidth(font, s, style.size);
    if (!first && !hang) return breakLines(text, width, measure);
    // first line narrower (indent) or later lines narrower (hang): break the first line alone
    const firstWidth = width - first;
    const lines = breakLines(text, firstWidth, measure);
    if (lines.length <= 1) return lines;
    const rest = text.slice(lines[0]!.length).replace(/^ +/, '');
    return [lines[0]!, ...breakLines(rest, width - hang, measure)];
  }

  lineHeight(style: TextStyle): number {
    return style.size * (style.leading ?? 1.5);
  }

  /** Height a paragraph would take. */
  heightOf(text: string, style: TextStyle): number {
    return this.lines(text, style).length * this.lineHeight(style);
  }

  /** Lays out a paragraph, breaking across pages between lines. Returns the page of its first line. */
  text(text: string, style: TextStyle, opts: { keepTogether?: boolean; x?: number } = {}): number {
    const lines = this.lines(text, style);
    const lh = this.lineHeight(style);
    if (opts.keepTogether) this.ensure(lines.length * lh);
    const startPage = this.page < 0 ? 0 : this.page;
    let first = -1;
    lines.forEach((line, i) => {
      this.ensure(lh);
      if (first < 0) first = this.page;
      if (!this.dry) this.drawLine(line, style, i === 0, i === lines.length - 1, opts.x);
      this.y += lh;
    });
    return first < 0 ? startPage : first;
  }

  /** Draws one already-broken line at the cursor (or at `y`). */
  drawLine(line: string, style: TextStyle, isFirst: boolean, isLast: boolean, x0?: number, y?: number): void {
    const doc = this.doc;
    const width = (style.width ?? this.contentWidth) - (style.indent ?? 0);
    const indent = (isFirst ? (style.firstLine ?? 0) * style.size : style.hang ?? 0);
    const avail = width - indent;
    const w = textWidth(this.book[style.role].font, line, style.size);
    let x = (x0 ?? this.frame.left) + (style.indent ?? 0) + indent;
    let characterSpacing = 0;
    const align = style.align ?? 'justify';
    if (align === 'center') x += (avail - w) / 2;
    else if (align === 'right') x += avail - w;
    else if (align === 'justify' && !isLast && w > avail * 0.75) {
      const n = [...line].length;
      if (n > 1) characterSpacing = (avail - w) / (n - 1);
    }
    // centre the glyphs in the line box
    const lh = this.lineHeight(style);
    const top = (y ?? this.y) + (lh - style.size * 1.2) / 2;
    doc.font(style.role).fontSize(style.size).fillColor(style.color ?? '#000');
    showText(doc, line, x, top, characterSpacing);
  }

  /** A horizontal rule across the frame at the cursor. */
  rule(weight = 0.5, color = '#000'): void {
    if (!this.dry) {
      this.doc.save().lineWidth(weight).strokeColor(color)
        .moveTo(this.frame.left, this.y).lineTo(this.frame.width - this.frame.right, this.y).stroke().restore();
    }
  }
}
