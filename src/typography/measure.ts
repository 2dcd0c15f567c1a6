import type { Font } from 'fontkit';

/** Advance widths per font and code point, in font units; CJK text is measured by summing advances. */
const advances = new WeakMap<Font, Map<number, number>>();

export function textWidth(font: Font, text: string, size: number, letterSpacing = 0): number {
  let table = advances.get(font);
  if (!table) advances.set(font, (table = new Map()));
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
  return (units * size) / font.unitsPerEm + letterSpacing * Math.max(0, n - 1);
}
