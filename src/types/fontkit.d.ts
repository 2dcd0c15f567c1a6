declare module 'fontkit' {
  export interface Glyph { advanceWidth: number; id: number; codePoints: number[] }
  export interface Subset {
    /** Adds a glyph and returns its id in the subset (0 is always .notdef). */
    includeGlyph(gid: number): number;
    encode(): Uint8Array;
    /** Present when the font has CFF outlines. */
    cff?: unknown;
  }
  export interface Font {
    unitsPerEm: number;
    ascent: number;
    descent: number;
    capHeight: number;
    xHeight: number;
    italicAngle: number;
    bbox: { minX: number; minY: number; maxX: number; maxY: number };
    postscriptName: string;
    familyName: string;
    characterSet: number[];
    glyphForCodePoint(cp: number): Glyph;
    hasGlyphForCodePoint(cp: number): boolean;
    getGlyph(gid: number, codePoints?: number[]): Glyph;
    createSubset(): Subset;
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
  const fontkit: { create: typeof create };
  export default fontkit;
}
