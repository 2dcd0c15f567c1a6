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
    // first line narrower (indent) or later lines narrower (hang)
    return breakLines(text, width - hang, measure, width - first);
  }

  lineHeight(style: TextStyle): number {
    return style.size * (style.leading ?? 1.5);
  }

  /** Height a paragraph would take. */
  heightOf(text: string, style: TextStyle): number {
    return this.lines(text, style).length * this.lineHeight(style);
  }

  /**
   * Lays out a paragraph, breaking across pages between lines. Returns the page of its first line.
   * With `widowControl` a page break leaves at least two lines of the paragraph on each side
   * (no orphan at a page foot, no widow at the next page's head).
   */
  text(text: string, style: TextStyle, opts: { keepTogether?: boolean; x?: number } = {}): number {
    const lines = this.lines(text, style);
    const lh = this.lineHeight(style);
    if (opts.keepTogether) this.ensure(lines.length * lh);
    else if (this.widowControl) this.ensure(this.firstPageShare(lines.length, lh) * lh);
    const startPage = this.page < 0 ? 0 : this.page;
    let first = -1;
    let breakAfter = -1;
    if (this.widowControl && this.page >= 0) {
      const share = this.firstPageShare(lines.length, lh);
      if (share < lines.length) breakAfter = share;
    }
    lines.forEach((line, i) => {
      if (i === breakAfter) this.newPage();
      else this.ensure(lh);
      if (first < 0) first = this.page;
      if (!this.dry) this.drawLine(line, style, i === 0, i === lines.length - 1, opts.x);
      this.y += lh;
    });
    return first < 0 ? startPage : first;
  }

  /** Widow control on: paragraphs keep two lines together at each side of a page break. */
  widowControl = false;

  /** How many of `n` lines to set on this page so that neither side of the break has a single line (n: all fit). */
  private firstPageShare(n: number, lh: number): number {
    const fit = Math.floor((this.bottomLimit + 0.01 - this.y) / lh);
    if (fit >= n) return n;
    if (n < 4) return n; // 2 or 3 lines: move them whole
    const k = Math.min(fit, n - 2);
    return k < 2 ? n : k;
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
      // a line that ends before a long unbreakable run (a standard number) would be letter-spaced
      // past reading: stretch at most 0.15 em per character and leave the rest of the line open
      if (n > 1) characterSpacing = Math.min((avail - w) / (n - 1), style.size * 0.15);
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
