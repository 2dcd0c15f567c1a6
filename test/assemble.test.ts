import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import * as fontkit from 'fontkit';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import { resolveProject } from '../src/model/project.js';
import { decodePart, encodePart, type PdfPart } from '../src/render/pdf/assemble/part.js';
import { MemorySink, streamSink } from '../src/render/pdf/assemble/pdf-writer.js';
import { assembleBookletPdf } from '../src/render/pdf/booklet-pdf.js';
import { assembleGuidePdf, renderGuidePart } from '../src/render/pdf/guide-pdf.js';
import { bundledFontPath, keepGlyphText, loadFontBook } from '../src/typography/fonts.js';
import { guideView } from '../src/views/guide-view.js';
import { REPO } from './helpers.js';
import { pdfOutline, pdfPages, squash } from './pdf-text.js';

const book = loadFontBook();

async function sampleViews() {
  const loaded = await loadProject(path.join(REPO, 'standards'));
  const project = resolveProject(checkProject(loaded), loaded.root);
  return project.items.slice(0, 3).map((i) => guideView(project, i));
}

describe('documents assembled from page parts', () => {
  it('a part survives its file format: pages, fonts and content bytes', async () => {
    const [view] = await sampleViews();
    const part = renderGuidePart(view!, book);
    expect(part.pages.length).toBeGreaterThan(0);
    const back = decodePart(encodePart(part));
    const uses = (g: PdfPart['glyphs']) => Object.fromEntries(Object.entries(g).map(([role, list]) => [role, { ids: [...Array.from(list!.ids)], uses: list!.uses() }]));
    expect(Object.keys(back.glyphs).length).toBeGreaterThan(0);
    expect(uses(back.glyphs)).toEqual(uses(part.glyphs));
    expect(back.pages.map((p) => ({ ...p, content: Buffer.from(p.content) }))).toEqual(part.pages.map((p) => ({ ...p, content: Buffer.from(p.content) })));
    expect(() => decodePart(Buffer.from('not a part at all'))).toThrow(/part/);
  });

  it('a guide assembled from its part has subset fonts, extractable text, header and page numbers', async () => {
    const [view] = await sampleViews();
    const part = renderGuidePart(view!, book);
    const pdf = await assembleGuidePdf(part, view!, book);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-Regular/);
    expect(raw).toContain('/FontFile2');
    const pages = await pdfPages(pdf);
    expect(pages).toHaveLength(part.pages.length);
    expect(squash(pages[0]!).startsWith(squash(`${view!.department}　${view!.name}1`))).toBe(true);
    expect(squash(pages.join(''))).toContain(squash(view!.name));
    // the same part always makes the same bytes
    expect((await assembleGuidePdf(part, view!, book)).equals(pdf)).toBe(true);
  });

  it('a booklet takes items from their parts: 目录 numbers follow the parts, bookmarks reach every item', async () => {
    const views = await sampleViews();
    const parts = new Map(views.map((v) => [v.slug, renderGuidePart(v, book)]));
    const sink = new MemorySink();
    const booklet = { title: '测试汇编', subtitle: '副标题', organization: '测试中心', date: '2026-11-01', grouped: false, meta: views[0]!.meta, groups: [{ name: '组', guides: views }] };
    await assembleBookletPdf(booklet, book, { part: async (s) => parts.get(s)! }, sink);
    const pdf = sink.result();
    const pages = (await pdfPages(pdf)).map(squash);
    const total = [...parts.values()].reduce((a, p) => a + p.pages.length, 0);
    expect(pages).toHaveLength(2 + total);
    let first = 1;
    for (const v of views) {
      expect(pages[1]).toMatch(new RegExp(`${squash(v.name).replace(/[()（）]/g, '.')}[.…]*${first}`));
      expect(pages[1 + first]!.startsWith(`测试汇编${first}`)).toBe(true);
      first += parts.get(v.slug)!.pages.length;
    }
    expect(await pdfOutline(pdf)).toEqual(views.map((v) => v.name));

    // each 目录 line links to its item's first page
    const doc = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, verbosity: 0 }).promise;
    const annots = (await (await doc.getPage(2)).getAnnotations()) as { subtype: string; dest: [{ num: number; gen: number }]; rect: number[] }[];
    const targets = await Promise.all(annots.filter((a) => a.subtype === 'Link').map((a) => doc.getPageIndex(a.dest[0])));
    let page = 2;
    expect(targets).toEqual(views.map((v) => { const at = page; page += parts.get(v.slug)!.pages.length; return at; }));
    // top to bottom, one line each
    expect(annots.map((a) => Math.round(a.rect[1]!))).toEqual([...annots.map((a) => Math.round(a.rect[1]!))].sort((a, b) => b - a));
    await doc.destroy();

    // written page by page into a stream, the booklet is the same bytes
    const chunks: Buffer[] = [];
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => chunks.push(c));
    const sink2 = streamSink(stream);
    await assembleBookletPdf(booklet, book, { part: async (s) => parts.get(s)! }, sink2);
    await sink2.end();
    expect(Buffer.concat(chunks).equals(pdf)).toBe(true);
  });

  it('keeps a glyph’s text when subsetting created the glyph before any layout used it', async () => {
    const file = bundledFontPath('noto-serif-sc')!;
    const cp = '鼹'.codePointAt(0)!;
    const gid = book.body.font.glyphForCodePoint(cp).id;
    const data = await readFile(file);
    // what assembling a part laid out in another worker does: the subset touches the glyph first
    const plain = fontkit.create(data);
    plain.getGlyph(gid);
    expect(plain.glyphForCodePoint(cp).codePoints).toEqual([]);
    const kept = fontkit.create(data);
    keepGlyphText(kept);
    kept.getGlyph(gid);
    expect(kept.glyphForCodePoint(cp).codePoints).toEqual([cp]);
  });
});
