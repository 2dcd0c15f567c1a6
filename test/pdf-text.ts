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

/**
 * Lines of each page as a reader sees them: text items grouped by their baseline, top to bottom,
 * items of one line joined left to right (a gap wider than a third of the type size becomes a space).
 */
export async function pdfLines(data: Uint8Array): Promise<string[][]> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const rows: { y: number; items: { x: number; end: number; size: number; str: string }[] }[] = [];
    for (const it of content.items) {
      if (!('str' in it) || !it.str.trim()) continue;
      const [, , , d, x, y] = it.transform as number[];
      const size = Math.abs(d!) || 10;
      let row = rows.find((r) => Math.abs(r.y - y!) < size * 0.4);
      if (!row) rows.push((row = { y: y!, items: [] }));
      row.items.push({ x: x!, end: x! + it.width, size, str: it.str });
    }
    rows.sort((a, b) => b.y - a.y);
    pages.push(rows.map((r) => {
      const items = r.items.sort((a, b) => a.x - b.x);
      return items.map((it, k) => (k > 0 && it.x - items[k - 1]!.end > it.size / 3 ? ' ' : '') + it.str).join('');
    }));
  }
  await doc.destroy();
  return pages;
}

/** Horizontal rules drawn on a page (0-based), as [x1, x2, y] in PDF points: table borders, header rules, 终结线. */
export async function pdfHorizontalRules(data: Uint8Array, pageIndex: number): Promise<[number, number, number][]> {
  const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, verbosity: 0 }).promise;
  const page = await doc.getPage(pageIndex + 1);
  const ops = await page.getOperatorList();
  const rules: [number, number, number][] = [];
  ops.fnArray.forEach((fn, i) => {
    if (fn !== OPS.constructPath) return;
    // args: [paint op, path data, bounding box [minX, minY, maxX, maxY]]
    const box = (ops.argsArray[i] as unknown[])[2] as Record<number, number> | undefined;
    if (box && Math.abs(box[1]! - box[3]!) < 0.01 && box[2]! - box[0]! > 1) rules.push([box[0]!, box[2]!, box[1]!]);
  });
  await doc.destroy();
  return rules;
}
