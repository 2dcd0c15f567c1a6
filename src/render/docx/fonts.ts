import type { FontBook, FontRole } from '../../typography/fonts.js';

/** How a role's font is named in a Word file: the family name, bold when the file is a bold face. */
export interface DocxFont { name: string; bold: boolean }
export type DocxFonts = Record<FontRole, DocxFont>;

/**
 * The configured fonts by family name (Word and WPS find installed fonts by name, not by file).
 * Bold faces (Noto Serif SC Bold) are the family with bold on, as Word expects.
 */
export function docxFonts(book: FontBook): DocxFonts {
  const of = (role: FontRole): DocxFont => {
    const f = book[role].font;
    return { name: f.familyName, bold: /bold|black|heavy/i.test((f as unknown as { subfamilyName?: string }).subfamilyName ?? '') };
  };
  return { title: of('title'), heading: of('heading'), body: of('body'), sans: of('sans') };
}

/**
 * rFonts for one role: the same family for East Asian and Latin text, declared on every run,
 * so no theme font is left for WPS or LibreOffice to replace.
 */
export function runFonts(f: DocxFont): { ascii: string; hAnsi: string; eastAsia: string; cs: string } {
  return { ascii: f.name, hAnsi: f.name, eastAsia: f.name, cs: f.name };
}
