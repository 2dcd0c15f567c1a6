/**
 * Chinese line breaking (kinsoku after GB/T 15834 and JIS X 4051 practice): a line never starts
 * with closing punctuation and never ends with opening punctuation; Latin words and numbers stay
 * whole, and so do standard numbers (`GB/T 39046—2020`), dates and “第X条”. Greedy first-fit over
 * measured widths, shared by every PDF layout, then one tightening pass: a paragraph never ends
 * with one character alone on its last line when pulling a character down from the line above
 * gives a tighter break.
 */

/** May not begin a line. */
export const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕〉”’…—·%％,.;:?!)]}ー～']);
/** May not end a line. */
export const NO_LINE_END = new Set([...'（《「『【〔〈“‘([{']);

export type MeasureFn = (text: string) => number;

const WORD = /[A-Za-z0-9@#&_\-+./:=?%]/;

/**
 * Runs that must never break inside: a standard number with its prefix and year (a break after
 * “GB/T” or at the em dash leaves a number no reader can cite), a date, an article number.
 * Kept here (not in the model) because line breaking sits below the model.
 */
export const UNBREAKABLE = /[A-Z]{1,4}\d{0,2}(?:\/[A-Z]{1,8})? \d+(?:\.\d+)*(?:[—–-]\d{4})?|\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}-\d{2}-\d{2}|第[一二三四五六七八九十百千零〇\d]+[章节条款项]/g;

/** Splits text into atoms that must not be separated: a CJK character with its punctuation, a Latin word, or an unbreakable run. */
export function atoms(text: string): string[] {
  const out: string[] = [];
  // protected ranges by UTF-16 offset: start → end
  const protect = new Map<number, number>();
  for (const m of text.matchAll(UNBREAKABLE)) protect.set(m.index!, m.index! + m[0].length);
  let i = 0;
  const next = (): string => {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    return ch;
  };
  const peek = (): string => String.fromCodePoint(text.codePointAt(i)!);
  while (i < text.length) {
    let atom = '';
    // opening punctuation sticks to what follows
    while (i < text.length && NO_LINE_END.has(peek())) atom += next();
    if (i < text.length) {
      const end = protect.get(i);
      if (end !== undefined) {
        atom += text.slice(i, end);
        i = end;
      } else if (WORD.test(peek())) {
        while (i < text.length && WORD.test(peek()) && !protect.has(i)) atom += next();
      } else atom += next();
    }
    // closing punctuation (and a trailing space) sticks to what precedes
    while (i < text.length && !protect.has(i) && (NO_LINE_START.has(peek()) || peek() === ' ')) atom += next();
    out.push(atom);
  }
  return out;
}

/** Characters of a line that count as text (not punctuation or spaces). */
function textLength(line: string): number {
  let n = 0;
  for (const ch of line) if (ch !== ' ' && !NO_LINE_START.has(ch) && !NO_LINE_END.has(ch)) n++;
  return n;
}

/**
 * Breaks one paragraph (hard breaks at \n) into lines no wider than `width`; the paragraph's first
 * line may have its own width (a first-line indent or a hanging list marker).
 */
export function breakLines(text: string, width: number, measure: MeasureFn, firstWidth = width): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    const widthOf = (): number => (lines.length === 0 ? firstWidth : width);
    const paraLines: string[][] = [];
    let line: string[] = [];
    let lineWidth = 0;
    const push = (): void => {
      paraLines.push(line);
      lines.push(line.join('').replace(/ +$/, ''));
    };
    for (const atom of atoms(para)) {
      const w = measure(atom);
      const limit = widthOf();
      if (lineWidth + w <= limit + 0.01 || line.length === 0) {
        if (w > limit + 0.01 && line.length === 0) {
          // an atom wider than the line (a long URL): split it by characters
          const parts = splitWide(atom, limit, measure);
          for (const part of parts.slice(0, -1)) {
            line = [part];
            push();
          }
          line = [parts[parts.length - 1]!];
          lineWidth = measure(line[0]!);
          continue;
        }
        line.push(atom);
        lineWidth += w;
      } else {
        push();
        const head = atom.replace(/^ +/, '');
        line = [head];
        lineWidth = measure(head);
      }
    }
    push();
    tightenLastLine(lines, paraLines, width, measure);
  }
  return lines;
}

/**
 * A last line of one character (“务。”) looks like a mistake on a filed page: pull the last atom of
 * the line above down when both still fit, which leaves the line above a little looser.
 */
function tightenLastLine(lines: string[], paraLines: string[][], width: number, measure: MeasureFn): void {
  const n = paraLines.length;
  if (n < 2) return;
  const last = paraLines[n - 1]!;
  const prev = paraLines[n - 2]!;
  if (!last.join('').trim() || textLength(last.join('')) > 1 || prev.length < 3) return;
  const moved = prev[prev.length - 1]!;
  const joined = moved.replace(/ +$/, ' ') + last.join('');
  if (measure(joined.replace(/ +$/, '')) > width + 0.01) return;
  const newPrev = prev.slice(0, -1);
  lines[lines.length - 2] = newPrev.join('').replace(/ +$/, '');
  lines[lines.length - 1] = joined.replace(/ +$/, '');
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
