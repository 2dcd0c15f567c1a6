import { deflateSync } from 'node:zlib';
import type { Font } from 'fontkit';
import type { FontBook, FontRole } from '../../../typography/fonts.js';
import { FONT_ROLES } from '../../../typography/fonts.js';
import { createPdf, type Pdf, type PAPER } from '../document.js';
import { hex4 } from './pdf-syntax.js';
import { glyphList, type GlyphUse, type PartLink, type PartPage, type PdfPart } from './part.js';

type Glyph = { id: number; advanceWidth: number; codePoints: number[] };
interface PdfkitFont {
  id: string;
  font: Font;
  dictionary?: object;
  layout(text: string, features?: unknown): { glyphs: Glyph[]; positions: unknown[] };
  encode(text: string, features?: unknown): [string[], unknown[]];
  /** How showText writes a glyph (see show-text.ts). */
  glyphCode?: (g: Glyph, cp: number) => string;
  __part?: true;
}
interface PdfkitRef { data: Record<string, unknown>; buffer: Uint8Array[] }
interface PdfkitPage { width: number; height: number; content: PdfkitRef; resources: PdfkitRef; dictionary: PdfkitRef }
interface PdfkitInternals { _font: PdfkitFont; _fontFamilies: Record<string, PdfkitFont>; _pageBuffer: PdfkitPage[]; options: { bufferPages: boolean } }

const SCALE = (f: Font): number => 1000 / f.unitsPerEm;

/**
 * A pdfkit document whose pages are kept for capturePart: text is shown by each font's own glyph
 * ids (no per-document subset) and every glyph used is recorded with its width and text.
 */
export function createPartPdf(book: FontBook, size: keyof typeof PAPER = 'A4'): Pdf {
  const doc = createPdf(book, { title: '', author: '', subject: '', date: '2000-01-01' }, size);
  const inner = doc as unknown as PdfkitInternals;
  inner.options.bufferPages = true;
  const used = new Map<Font, Map<number, GlyphUse>>();
  partGlyphs.set(doc, used);
  const font = doc.font.bind(doc);
  (doc as { font: unknown }).font = (...args: Parameters<Pdf['font']>): Pdf => {
    font(...args);
    const f = inner._font;
    if (!f.__part) rawGlyphIds(f, used);
    return doc;
  };
  return doc;
}

const partGlyphs = new WeakMap<Pdf, Map<Font, Map<number, GlyphUse>>>();

function rawGlyphIds(f: PdfkitFont, used: Map<Font, Map<number, GlyphUse>>): void {
  const seen = used.get(f.font) ?? new Map<number, GlyphUse>();
  used.set(f.font, seen);
  const scale = SCALE(f.font);
  f.encode = (text, features) => {
    const { glyphs, positions } = f.layout(text, features);
    const hex = glyphs.map((g) => {
      if (!seen.has(g.id)) seen.set(g.id, [g.id, g.advanceWidth * scale, g.codePoints]);
      return hex4(g.id);
    });
    return [hex, positions];
  };
  // the same, a glyph at a time, for showText
  f.glyphCode = (g, cp) => {
    if (!seen.has(g.id)) seen.set(g.id, [g.id, g.advanceWidth * scale, g.codePoints.length ? g.codePoints : [cp]]);
    return hex4(g.id);
  };
  f.__part = true;
}

/** The laid-out pages of a part document, ready to be stored and assembled. */
export function capturePart(doc: Pdf, book: FontBook, links: { page: number; link: PartLink }[] = []): PdfPart {
  const inner = doc as unknown as PdfkitInternals;
  const used = partGlyphs.get(doc);
  if (!used) throw new Error('capturePart needs a document from createPartPdf');
  const roleOf = new Map<Font, FontRole>();
  for (const role of FONT_ROLES) if (!roleOf.has(book[role].font)) roleOf.set(book[role].font, role);
  const refRole = new Map<object, FontRole>();
  for (const f of Object.values(inner._fontFamilies)) if (f.dictionary) refRole.set(f.dictionary, roleOf.get(f.font)!);

  const pages: PartPage[] = inner._pageBuffer.map((page, index) => {
    const res = page.resources.data as { Font?: Record<string, object>; ExtGState?: Record<string, PdfkitRef>; XObject?: object; Pattern?: object };
    if (Object.keys(res.XObject ?? {}).length || Object.keys(res.Pattern ?? {}).length || (page.dictionary.data.Annots as unknown[] | undefined)?.length) {
      throw new Error('page parts cannot carry images, patterns or links');
    }
    const fonts: Record<string, FontRole> = {};
    for (const [name, ref] of Object.entries(res.Font ?? {})) fonts[name] = refRole.get(ref)!;
    let states: Record<string, Record<string, number>> | undefined;
    for (const [name, ref] of Object.entries(res.ExtGState ?? {})) {
      const { Type: _t, ...state } = ref.data as Record<string, number>;
      (states ??= {})[name] = state;
    }
    const content = deflateSync(Buffer.concat([Buffer.from('q\n'), ...page.content.buffer, Buffer.from('Q\n')]));
    const own = links.filter((l) => l.page === index).map((l) => l.link);
    return { width: page.width, height: page.height, content, fonts, states, links: own.length ? own : undefined };
  });
  const glyphs: PdfPart['glyphs'] = {};
  for (const [font, seen] of used) {
    if (seen.size) glyphs[roleOf.get(font)!] = glyphList([...seen.values()].sort((a, b) => a[0] - b[0]));
  }
  return { pages, glyphs };
}
