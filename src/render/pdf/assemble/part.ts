import type { FontRole } from '../../../typography/fonts.js';

/**
 * Pages laid out once and reusable in any document: content streams are deflated and show text by
 * the fonts' own glyph ids, so they need no per-document font subset. A booklet is assembled from
 * its items' parts without laying anything out again.
 */
export interface PartPage {
  width: number;
  height: number;
  /** Deflated content stream, wrapped in q … Q. */
  content: Uint8Array;
  /** Resource name → font role, e.g. F1 → body. */
  fonts: Record<string, FontRole>;
  /** Resource name → graphics state (opacity). */
  states?: Record<string, Record<string, number>>;
  /** Areas that jump to another part's first page (a 目录 line to its item), in PDF coordinates. */
  links?: PartLink[];
}

export interface PartLink { rect: [number, number, number, number]; target: string }

/** A glyph a part shows: id in the role's font, advance (1/1000 em) and the text it stands for. */
export type GlyphUse = [gid: number, width: number, codePoints: number[]];

export interface PdfPart {
  pages: PartPage[];
  glyphs: Partial<Record<FontRole, GlyphUse[]>>;
}

const MAGIC = 'NKP1';

/** One file: magic, header length, JSON header (everything but the streams), then the streams. */
export function encodePart(part: PdfPart): Buffer {
  const header = Buffer.from(JSON.stringify({
    pages: part.pages.map((p) => ({ width: p.width, height: p.height, bytes: p.content.byteLength, fonts: p.fonts, states: p.states, links: p.links })),
    glyphs: part.glyphs,
  }));
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32BE(header.byteLength, 4);
  return Buffer.concat([head, header, ...part.pages.map((p) => p.content)]);
}

export function decodePart(buf: Buffer): PdfPart {
  if (buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a normkit page part');
  const len = buf.readUInt32BE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + len)) as { pages: (Omit<PartPage, 'content'> & { bytes: number })[]; glyphs: PdfPart['glyphs'] };
  let at = 8 + len;
  const pages = header.pages.map(({ bytes, ...p }) => {
    const content = buf.subarray(at, at + bytes);
    at += bytes;
    return { ...p, content };
  });
  return { pages, glyphs: header.glyphs };
}
