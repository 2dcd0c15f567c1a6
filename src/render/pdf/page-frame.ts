import type { Frame } from './flow.js';
import { PAPER, type Pdf } from './document.js';
import { showText } from './show-text.js';

export const MM = 72 / 25.4;

export function frameFor(size: keyof typeof PAPER, landscape: boolean, margins: { top: number; bottom: number; left: number; right: number }): Frame {
  const [w, h] = PAPER[size]!;
  return {
    width: landscape ? h : w,
    height: landscape ? w : h,
    top: margins.top * MM,
    bottom: margins.bottom * MM,
    left: margins.left * MM,
    right: margins.right * MM,
  };
}

export type PageNumbering = 'none' | 'roman' | 'arabic';

const ROMAN: [number, string][] = [[10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
export function roman(n: number): string {
  let s = '';
  for (const [v, r] of ROMAN) while (n >= v) { s += r; n -= v; }
  return s;
}

/**
 * Running header and footer: tracks which numbering a page gets (cover none, front matter roman,
 * body arabic) so a layout can switch style at section starts.
 */
export class PageNumberer {
  private style: PageNumbering = 'none';
  private start = 0;

  constructor(private readonly header?: string, private readonly footerSize = 9) {}

  begin(style: PageNumbering, nextPageIndex: number): void {
    this.style = style;
    this.start = nextPageIndex;
  }

  label(pageIndex: number): string | undefined {
    const n = pageIndex - this.start + 1;
    if (this.style === 'roman') return roman(n);
    if (this.style === 'arabic') return String(n);
    return undefined;
  }

  decorate = (doc: Pdf, pageIndex: number, frame: Frame): void => {
    const label = this.label(pageIndex);
    if (label === undefined) return;
    doc.save();
    if (this.header) {
      doc.font('heading').fontSize(10.5).fillColor('#000');
      const w = doc.widthOfString(this.header);
      const y = frame.top - 12 * MM;
      showText(doc, this.header, frame.width - frame.right - w, y);
      doc.lineWidth(0.5).moveTo(frame.left, y + 16).lineTo(frame.width - frame.right, y + 16).stroke();
    }
    doc.font('body').fontSize(this.footerSize);
    const w = doc.widthOfString(label);
    showText(doc, label, (frame.width - w) / 2, frame.height - frame.bottom + 6 * MM);
    doc.restore();
  };
}
