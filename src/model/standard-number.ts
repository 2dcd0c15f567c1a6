/** Chinese standard numbers: `GB/T 1.1—2020`, `DB51/T 1174—2010`, `Q/YLZW 2001—2024`. */
const NUMBER = /^([A-Z]{1,4}\d{0,2}(?:\/[A-Z]{1,8})?) (\d+(?:\.\d+)*)(?:[—–-](\d{4}))?$/;

/** Accepts an ASCII hyphen or en dash in the year position and writes the em dash. */
export function normalizeStandardNumber(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').replace(/^([A-Z]{1,4}\d{0,2}(?:\/[A-Z]{1,8})?) (\d+(?:\.\d+)*)[–-](\d{4})$/, '$1 $2—$3');
}

export function isWellFormedStandardNumber(raw: string, opts: { yearRequired: boolean }): boolean {
  const m = NUMBER.exec(normalizeStandardNumber(raw));
  return !!m && (!opts.yearRequired || m[3] !== undefined);
}

/** Finds standard numbers mentioned in running text (for links and citation checks). */
export const STANDARD_NUMBER_IN_TEXT = /[A-Z]{1,4}\d{0,2}(?:\/[A-Z]{1,8})? \d+(?:\.\d+)*(?:[—–-]\d{4})?/g;

/** The number of a 规范性引用文件 entry, written either as a bare number or as `{ code, title }`. */
export function referenceCode(ref: string | { code: string }): string {
  return typeof ref === 'string' ? ref : ref.code;
}
