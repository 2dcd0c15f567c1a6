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

/**
 * The glyphs a part shows in one font, ids ascending. A booklet needs the details (`uses`, aligned
 * with `ids`) only for glyphs no earlier part showed, so a stored part decodes them on demand.
 */
export interface GlyphList {
  ids: ArrayLike<number>;
  uses(): GlyphUse[];
}

export interface PdfPart {
  pages: PartPage[];
  glyphs: Partial<Record<FontRole, GlyphList>>;
}

export function glyphList(uses: GlyphUse[]): GlyphList {
  return { ids: uses.map((u) => u[0]), uses: () => uses };
}

const MAGIC = 'NKP2';
/** Part of every output's key: a new part format rebuilds everything instead of misreading old parts. */
export const PART_FORMAT = MAGIC;

interface Header {
  pages: (Omit<PartPage, 'content'> & { bytes: number })[];
  /** Per font role: how many glyphs, and the length of their details. */
  glyphs: Partial<Record<FontRole, { count: number; bytes: number }>>;
}

/**
 * One file: magic, header length, JSON header (pages without their streams), then per font role
 * the glyph ids (16-bit) and their details as JSON, then the streams. Ids are binary because a
 * county's booklet reads a million of them and needs the details of only a few thousand.
 */
export function encodePart(part: PdfPart): Buffer {
  const sections: Buffer[] = [];
  const glyphs: Header['glyphs'] = {};
  for (const [role, list] of Object.entries(part.glyphs) as [FontRole, GlyphList][]) {
    const ids = Buffer.alloc(list.ids.length * 2);
    for (let i = 0; i < list.ids.length; i++) ids.writeUInt16LE(list.ids[i]!, i * 2);
    const details = Buffer.from(JSON.stringify(list.uses().map((u) => [u[1], u[2]])));
    glyphs[role] = { count: list.ids.length, bytes: details.byteLength };
    sections.push(ids, details);
  }
  const header: Header = {
    pages: part.pages.map((p) => ({ width: p.width, height: p.height, bytes: p.content.byteLength, fonts: p.fonts, states: p.states, links: p.links })),
    glyphs,
  };
  const json = Buffer.from(JSON.stringify(header));
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32BE(json.byteLength, 4);
  return Buffer.concat([head, json, ...sections, ...part.pages.map((p) => p.content)]);
}

export function decodePart(buf: Buffer): PdfPart {
  if (buf.byteLength < 8 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a normkit page part');
  const len = buf.readUInt32BE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + len)) as Header;
  let at = 8 + len;
  const glyphs: PdfPart['glyphs'] = {};
  for (const [role, { count, bytes }] of Object.entries(header.glyphs) as [FontRole, { count: number; bytes: number }][]) {
    const ids = new Uint16Array(count);
    for (let i = 0; i < count; i++) ids[i] = buf.readUInt16LE(at + i * 2);
    at += count * 2;
    const details = buf.subarray(at, at + bytes);
    at += bytes;
    let uses: GlyphUse[] | undefined;
    glyphs[role] = {
      ids,
      uses: () => (uses ??= (JSON.parse(details.toString('utf8')) as [number, number[]][]).map(([w, cps], i) => [ids[i]!, w, cps])),
    };
  }
  const pages = header.pages.map(({ bytes, ...p }) => {
    const content = buf.subarray(at, at + bytes);
    at += bytes;
    return { ...p, content };
  });
  return { pages, glyphs };
}
