import type { TocPageRecord } from '../booklet-toc.js';
import type { GlyphState } from './assembler.js';

/**
 * A document this writer made in an earlier build, opened by the caller (renderers never read
 * files): its size and its bytes by range.
 */
export interface EarlierDocument {
  size: number;
  read(start: number, end: number): Uint8Array;
}

/** Where each object starts, from the cross-reference table PdfWriter ends every document with. */
export function xrefOffsets(doc: EarlierDocument): Float64Array | undefined {
  const tail = Buffer.from(doc.read(Math.max(0, doc.size - 64), doc.size)).toString('latin1');
  const end = /startxref\n(\d+)\n%%EOF\n$/.exec(tail);
  if (!end) return undefined;
  const start = Number(end[1]);
  const head = /^xref\n0 (\d+)\n/.exec(Buffer.from(doc.read(start, Math.min(doc.size, start + 32))).toString('latin1'));
  if (!head) return undefined;
  const count = Number(head[1]);
  const first = start + head[0].length;
  if (first + count * 20 > doc.size) return undefined;
  const table = doc.read(first, first + count * 20);
  const offsets = new Float64Array(count);
  // each entry is exactly 20 bytes: ten digits of offset, then generation and type
  for (let i = 0; i < count; i++) {
    let n = 0;
    for (let k = i * 20; k < i * 20 + 10; k++) n = n * 10 + table[k]! - 48;
    offsets[i] = n;
  }
  return offsets;
}

/** One item's pages in a booklet: where they start, how many, their first object and their bytes. */
export interface IndexedSegment {
  slug: string;
  firstPage: number;
  pages: number;
  /** First object number; -1 when the pages did not take OBJECTS_PER_PAGE objects each (not copyable). */
  obj: number;
  start: number;
  end: number;
  /** Fonts the pages use (see DocumentAssembler.touchedFonts). */
  fonts: number;
}

/**
 * What a later build needs to copy a booklet's unchanged pages instead of assembling them again:
 * where each item's pages are, and the glyphs of each font (counts per body part and every use).
 */
export interface BookletIndex {
  /** Everything besides the parts that shapes the body pages (header text, frame, numbering). */
  context: string;
  /** Size of the booklet the index describes. */
  size: number;
  segments: IndexedSegment[];
  fonts: GlyphState[];
  /** The cover and the 目录, page by page (see booklet-toc.ts). */
  toc: TocPageRecord[];
}

const FORMAT = 'NKX2';

export function encodeIndex(index: BookletIndex): Buffer {
  const rows = index.segments.map((s) => [s.slug, s.firstPage, s.pages, s.obj, s.start, s.end, s.fonts]);
  return Buffer.from(`${JSON.stringify({ format: FORMAT, context: index.context, size: index.size, segments: rows, fonts: index.fonts, toc: index.toc })}\n`);
}

/** undefined for anything that is not a readable index of this format. */
export function decodeIndex(buf: Uint8Array): BookletIndex | undefined {
  try {
    const raw = JSON.parse(Buffer.from(buf).toString('utf8')) as { format: string; context: string; size: number; segments: [string, number, number, number, number, number, number][]; fonts: GlyphState[]; toc: TocPageRecord[] };
    if (raw.format !== FORMAT) return undefined;
    const segments = raw.segments.map(([slug, firstPage, pages, obj, start, end, fonts]) => ({ slug, firstPage, pages, obj, start, end, fonts }));
    return { context: raw.context, size: raw.size, segments, fonts: raw.fonts, toc: raw.toc ?? [] };
  } catch {
    return undefined;
  }
}
