/**
 * Chinese line breaking (kinsoku after GB/T 15834 and JIS X 4051 practice): a line never starts
 * with closing punctuation and never ends with opening punctuation; Latin words and numbers stay
 * whole. Greedy first-fit over measured widths, shared by every PDF layout.
 */

/** May not begin a line. */
export const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕〉”’…—·%％,.;:?!)]}ー～']);
/** May not end a line. */
export const NO_LINE_END = new Set([...'（《「『【〔〈“‘([{']);

export type MeasureFn = (text: string) => number;

const WORD = /[A-Za-z0-9@#&_\-+./:=?%]/;

/** Splits text into atoms that must not be separated: a CJK character with its punctuation, or a Latin word. */
export function atoms(text: string): string[] {
  const out: string[] = [];
  const chars = [...text];
  let i = 0;
  while (i < chars.length) {
    let atom = '';
    // opening punctuation sticks to what follows
    while (i < chars.length && NO_LINE_END.has(chars[i]!)) atom += chars[i++];
    if (i < chars.length) {
      if (WORD.test(chars[i]!)) {
        while (i < chars.length && WORD.test(chars[i]!)) atom += chars[i++];
      } else atom += chars[i++];
    }
    // closing punctuation (and a trailing space) sticks to what precedes
    while (i < chars.length && (NO_LINE_START.has(chars[i]!) || chars[i] === ' ')) atom += chars[i++];
    out.push(atom);
  }
  return out;
}

/** Breaks one paragraph (hard breaks at \n) into lines no wider than `width`. */
export function breakLines(text: string, width: number, measure: MeasureFn): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const atom of atoms(para)) {
      const w = measure(atom);
      if (lineWidth + w <= width + 0.01 || line === '') {
        if (w > width && line === '') {
          // an atom wider than the line (a long URL): split it by characters
          for (const part of splitWide(atom, width, measure)) {
            if (line) lines.push(line);
            line = part;
          }
          lineWidth = measure(line);
          continue;
        }
        line += atom;
        lineWidth += w;
      } else {
        lines.push(line.replace(/ +$/, ''));
        line = atom.replace(/^ +/, '');
        lineWidth = measure(line);
      }
    }
    lines.push(line.replace(/ +$/, ''));
  }
  return lines;
}

function splitWide(atom: string, width: number, measure: MeasureFn): string[] {
  const parts: string[] = [];
  let cur = '';
  for (const ch of atom) {
    if (cur && measure(cur + ch) > width) {
      parts.push(cur);
      cur = ch;
    } else cur += ch;
  }
  if (cur) parts.push(cur);
  return parts;
}
