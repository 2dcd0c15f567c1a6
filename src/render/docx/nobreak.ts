import { UNBREAKABLE } from '../../typography/linebreak.js';

/** Zero-width no-break (U+2060 WORD JOINER): Word and LibreOffice never break a line at it. */
export const WORD_JOINER = '\u2060';
/**
 * The space inside a standard number: U+202F NARROW NO-BREAK SPACE. With U+00A0 LibreOffice finds
 * no break before a number that follows Chinese text and splits the number mid-digits
 * (“GB/T 395|54.1—2020”); with U+202F it moves the whole number to the next line, as Word does.
 */
export const NUMBER_SPACE = '\u202f';
const NBSP = NUMBER_SPACE;

/**
 * Makes the runs the PDF line breaker keeps whole — standard numbers (`GB/T 39046—2020`), dates,
 * “第X条” — unbreakable in Word too: the space becomes a narrow no-break space and a word joiner goes
 * wherever Word or LibreOffice could otherwise break (after “/”, around the dash, between a digit
 * and 年). Word has no “keep together” for a span of text, so it has to be in the characters.
 */
export function keepNumbersWhole(text: string): string {
  if (!/\d/.test(text)) return text;
  return text.replace(UNBREAKABLE, (m) => {
    const chars = [...m.replace(/ /g, NBSP)];
    // no joiner between two Latin letters or digits (they never break apart), nor next to the no-break space
    const glued = (a: string, b: string): boolean => (/[A-Za-z0-9]/.test(a) && /[A-Za-z0-9]/.test(b)) || a === NBSP || b === NBSP;
    return chars.reduce((out, c, i) => (i === 0 || glued(chars[i - 1]!, c) ? out + c : out + WORD_JOINER + c), '');
  });
}

/** The text a reader sees (and searches for): joiners dropped, no-break spaces as spaces. */
export function plainText(text: string): string {
  return text.replace(/\u2060/g, '').replace(/[\u00a0\u202f]/g, ' ');
}
