import type { Font } from 'fontkit';

/** Advance widths per font and code point, in font units; CJK text is measured by summing advances. */
const advances = new WeakMap<Font, { upm: number; table: Map<number, number> }>();

export function textWidth(font: Font, text: string, size: number, letterSpacing = 0): number {
  let entry = advances.get(font);
  if (!entry) advances.set(font, (entry = { upm: font.unitsPerEm, table: new Map() }));
  const table = entry.table;
  let units = 0;
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let adv = table.get(cp);
    if (adv === undefined) {
      adv = font.glyphForCodePoint(cp).advanceWidth;
      table.set(cp, adv);
    }
    units += adv;
    n++;
  }
  return (units * size) / entry.upm + letterSpacing * Math.max(0, n - 1);
}
