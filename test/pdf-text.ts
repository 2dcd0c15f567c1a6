import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Text of each page of a PDF, as a PDF reader would extract it (ToUnicode maps). */
export async function pdfPages(data: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join(''));
  }
  await doc.destroy();
  return pages;
}

/** All text with white space removed, for comparing CJK strings that the extractor may split. */
export function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

export async function pdfOutline(data: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, verbosity: 0 }).promise;
  const outline = (await doc.getOutline()) ?? [];
  const titles: string[] = [];
  const walk = (items: { title: string; items?: unknown[] }[]): void => {
    for (const it of items) {
      titles.push(it.title);
      walk((it.items ?? []) as { title: string; items?: unknown[] }[]);
    }
  };
  walk(outline as { title: string; items?: unknown[] }[]);
  await doc.destroy();
  return titles;
}
