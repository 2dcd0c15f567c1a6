import { createHash } from 'node:crypto';
import type { Font } from 'fontkit';
import { Literal, type Ref } from './pdf-syntax.js';
import type { GlyphUse } from './part.js';
import type { PdfWriter } from './pdf-writer.js';

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

function utf16(codePoints: number[]): string {
  let s = '';
  for (let cp of codePoints) {
    if (cp > 0xffff) {
      cp -= 0x10000;
      s += hex4(0xd800 | (cp >>> 10)) + hex4(0xdc00 | (cp & 0x3ff));
    } else s += hex4(cp);
  }
  return s;
}

/** CMap sections hold at most 100 entries each. */
function blocks(entries: string[], kind: string): string {
  let out = '';
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    out += `${chunk.length} begin${kind}\n${chunk.join('\n')}\nend${kind}\n`;
  }
  return out;
}

function cmap(name: string, ordering: string, type: 1 | 2, body: string): string {
  return `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (${ordering}) /Supplement 0 >> def
/CMapName /${name} def
/CMapType ${type} def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
${body}endcmap
CMapName currentdict /CMap defineresource pop
end
end
`;
}

/**
 * Embeds the glyphs a document used as a Type0 font. Content streams show glyphs by the font's own
 * ids, so the subset comes with an encoding CMap (glyph id → subset CID) instead of Identity-H;
 * that works for TrueType and CFF outlines alike. ToUnicode keeps the text extractable.
 */
/** Objects embedFont writes besides the font's own (reserved) one, numbered in turn. */
export const FONT_OBJECTS = 5;

export function embedFont(w: PdfWriter, ref: Ref, font: Font, used: Iterable<GlyphUse>): void {
  const glyphs = [...used].sort((a, b) => a[0] - b[0]);
  const subset = font.createSubset();
  const cids = glyphs.map((g) => subset.includeGlyph(g[0]));
  const program = subset.encode();
  const isCFF = subset.cff != null;
  const scale = 1000 / font.unitsPerEm;

  const widths: number[] = [font.getGlyph(0).advanceWidth * scale];
  glyphs.forEach((g, i) => { widths[cids[i]!] = g[1]; });
  for (let i = 0; i < widths.length; i++) widths[i] ??= 0;

  const digest = createHash('sha1').update(font.postscriptName ?? '').update(glyphs.map((g) => g[0]).join(',')).digest();
  const tag = [...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
  const baseName = `${tag}+${(font.postscriptName ?? 'Font').replaceAll(' ', '_')}`;

  const fileRef = w.alloc();
  w.stream(fileRef, isCFF ? { Subtype: 'CIDFontType0C' } : {}, program);

  const os2 = (font as unknown as { 'OS/2'?: { sFamilyClass?: number } })['OS/2'];
  const familyClass = (os2?.sFamilyClass ?? 0) >> 8;
  let flags = 1 << 2;
  if ((font as unknown as { post: { isFixedPitch: boolean } }).post.isFixedPitch) flags |= 1;
  if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
  if (familyClass === 10) flags |= 1 << 3;
  if ((font as unknown as { head: { macStyle: { italic: boolean } } }).head.macStyle.italic) flags |= 1 << 6;
  const { bbox } = font;
  const descriptor = w.alloc();
  w.object(descriptor, {
    Type: 'FontDescriptor',
    FontName: baseName,
    Flags: flags,
    FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale],
    ItalicAngle: font.italicAngle,
    Ascent: font.ascent * scale,
    Descent: font.descent * scale,
    CapHeight: (font.capHeight || font.ascent) * scale,
    XHeight: (font.xHeight || 0) * scale,
    StemV: 0,
    [isCFF ? 'FontFile3' : 'FontFile2']: fileRef,
  });

  const descendant = w.alloc();
  w.object(descendant, {
    Type: 'Font',
    Subtype: isCFF ? 'CIDFontType0' : 'CIDFontType2',
    BaseFont: baseName,
    CIDSystemInfo: { Registry: new Literal('Adobe'), Ordering: new Literal('Identity'), Supplement: 0 },
    FontDescriptor: descriptor,
    W: [0, widths],
    CIDToGIDMap: isCFF ? undefined : 'Identity',
  });

  // glyph id → CID, as ranges where both run on together
  const ranges: string[] = [];
  for (let i = 0; i < glyphs.length; ) {
    let j = i;
    while (j + 1 < glyphs.length && glyphs[j + 1]![0] === glyphs[j]![0] + 1 && cids[j + 1] === cids[j]! + 1) j++;
    ranges.push(`<${hex4(glyphs[i]![0])}> <${hex4(glyphs[j]![0])}> ${cids[i]}`);
    i = j + 1;
  }
  const encodingName = `Normkit-${tag}`;
  const encoding = w.alloc();
  w.stream(encoding, { Type: 'CMap', CMapName: encodingName, CIDSystemInfo: { Registry: new Literal('Adobe'), Ordering: new Literal('Identity'), Supplement: 0 } },
    Buffer.from(cmap(encodingName, 'Identity', 1, blocks(ranges, 'cidrange')), 'latin1'));

  const toUnicode = w.alloc();
  const chars = glyphs.filter((g) => g[2].length).map((g) => `<${hex4(g[0])}> <${utf16(g[2])}>`);
  w.stream(toUnicode, {}, Buffer.from(cmap('Adobe-Identity-UCS', 'UCS', 2, blocks(chars, 'bfchar')), 'latin1'));

  w.object(ref, { Type: 'Font', Subtype: 'Type0', BaseFont: baseName, Encoding: encoding, DescendantFonts: [descendant], ToUnicode: toUnicode });
}
