import type { Font, Glyph } from 'fontkit';
import type { Pdf } from './document.js';
import { hex4 } from './assemble/pdf-syntax.js';

/** What of pdfkit's embedded font this needs; a part document's fonts carry their own `glyphCode`. */
export interface PdfkitFont {
  id: string;
  font: Font;
  ascender: number;
  scale: number;
  subset: { includeGlyph(gid: number): number };
  widths: number[];
  unicode: number[][];
  ref(): object;
  /** Set on the fonts of part documents: glyph ids are written as they are. */
  glyphCode?: (glyph: Glyph, cp: number) => string;
}

interface PdfkitState { _font: PdfkitFont; _fontSize: number; page: { height: number; fonts: Record<string, object> } }

/** pdfkit's own bookkeeping for a glyph in its per-document subset. */
function subsetCode(f: PdfkitFont, g: Glyph, cp: number): string {
  const gid = f.subset.includeGlyph(g.id);
  f.widths[gid] ??= g.advanceWidth * f.scale;
  f.unicode[gid] ??= g.codePoints.length ? g.codePoints : [cp];
  return hex4(gid);
}


const num = (n: number): string => String(Math.round(n * 1e6) / 1e6);

/** The glyphs of `text`, one per character from the cmap, as 4-digit hex codes made by `code`. */
export function glyphHex(font: Font, text: string, code: (g: Glyph, cp: number) => string): string {
  // a leader of sixty dots: one lookup, repeated
  if (text.length > 4 && SAME_CHAR.test(text)) {
    const cp = text.codePointAt(0)!;
    return cp === 10 ? '' : code(glyphFor(font, cp), cp).repeat([...text].length);
  }
  let hex = '';
  for (const ch of text) {
    if (ch === '\n') continue;
    const cp = ch.codePointAt(0)!;
    hex += code(glyphFor(font, cp), cp);
  }
  return hex;
}

const SAME_CHAR = /^(.)\1*$/su;

/** The text object that shows `hex` with its baseline at (x, y), in the current coordinates. */
export function textOperators(fontName: string, size: number, x: number, y: number, hex: string, characterSpacing = 0): string {
  return `BT\n1 0 0 1 ${num(x)} ${num(y)} Tm\n/${fontName} ${num(size)} Tf${characterSpacing ? `\n${num(characterSpacing)} Tc` : ''}\n<${hex}> Tj\nET`;
}

/** Glyph per code point, per font: a 目录 line alone is sixty dots. */
const glyphs = new WeakMap<Font, Map<number, Glyph>>();

function glyphFor(font: Font, cp: number): Glyph {
  let map = glyphs.get(font);
  if (!map) glyphs.set(font, (map = new Map()));
  let g = map.get(cp);
  if (!g) map.set(cp, (g = font.glyphForCodePoint(cp)));
  return g;
}

/**
 * One line of text in the current font and size, its top at (x, top), as pdfkit's
 * `text(s, x, top, { lineBreak: false })` draws it — but glyphs come straight from the cmap, one
 * per character, as normkit measures and breaks lines. pdfkit shapes every string twice (once to
 * measure, once to draw), which was a seventh of all rendering time for text normkit has already
 * measured.
 */
export function showText(doc: Pdf, text: string, x: number, top: number, characterSpacing = 0): void {
  const ops = textOps(doc, text, x, top, characterSpacing);
  if (ops) doc.addContent(Buffer.from(`${ops}\n`, 'latin1'));
}

/**
 * The operators showText adds for `text` in the current font and size ('' for nothing to show):
 * what doc.save(), doc.transform(1, 0, 0, -1, 0, height), the text and doc.restore() would write,
 * each ended by a newline as pdfkit ends every addition. Texts joined by newlines and added at once
 * make the same bytes as adding each (a 目录 line shows three; pdfkit turns strings into bytes a
 * character at a time, so they are added as one Buffer).
 */
export function textOps(doc: Pdf, text: string, x: number, top: number, characterSpacing = 0): string {
  const d = doc as unknown as PdfkitState;
  const f = d._font;
  const size = d._fontSize;
  const code = f.glyphCode ?? ((g: Glyph, cp: number) => subsetCode(f, g, cp));
  const hex = glyphHex(f.font, text, code);
  if (!hex) return '';
  d.page.fonts[f.id] ??= f.ref();
  const y = d.page.height - top - (f.ascender / 1000) * size;
  return `q\n1 0 0 -1 0 ${num(d.page.height)} cm\n${textOperators(f.id, size, x, y, hex, characterSpacing)}\nQ`;
}
