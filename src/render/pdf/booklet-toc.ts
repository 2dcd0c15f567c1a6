import { hash } from 'node:crypto';
import type { FontBook, FontRole } from '../../typography/fonts.js';
import type { BookletView } from '../../views/guide-view.js';
import { capturePart, createPartPdf } from './assemble/capture.js';
import { glyphList, type GlyphUse, type PartLink, type PartPage, type PdfPart } from './assemble/part.js';
import { Flow } from './flow.js';
import { guideFrame } from './guide-pdf.js';
import { MM } from './page-frame.js';
import { drawTocLine } from './toc.js';

/** A 目录 page as a booklet's index keeps it: what it shows (its key), its resources, and where its content went. */
export interface TocPageRecord extends Omit<PartPage, 'content'> {
  key: string;
  /** Glyph ids shown, per font role. */
  glyphs: Partial<Record<FontRole, number[]>>;
  /** Where its content stream's data is in the booklet. */
  at: number;
  length: number;
}

/** The 目录 of an earlier booklet, whose pages can be taken again. */
export interface EarlierToc {
  pages: TocPageRecord[];
  read(at: number, length: number): Uint8Array;
  /** A glyph's use in the earlier booklet's fonts. */
  use(role: FontRole, gid: number): GlyphUse | undefined;
}

const TOC_STYLE = { size: 10.5, leading: 2 };
/** Bumped whenever a 目录 page would come out differently from the same lines. */
const TOC_LAYOUT = 'toc-1';

interface TocLine { label: string; target: string; level: number }

/**
 * The 目录 of a booklet, page by page. Every line is one line high, so which lines go on which page
 * is worked out first; then each page is laid out on its own, or, when the earlier booklet had a
 * page with the same lines and page numbers, its content is taken from there: a rebuild after one
 * edit lays out one page of a hundred. Returns the pages as a part, and their records for the index
 * (without `at`/`length`, known once written).
 */
export function tocPart(view: BookletView, labels: Map<string, string>, book: FontBook, earlier?: EarlierToc): { part: PdfPart; records: Omit<TocPageRecord, 'at' | 'length'>[] } {
  const lines: TocLine[] = [];
  for (const g of view.groups) {
    if (view.grouped) lines.push({ label: g.name, target: `group:${g.name}`, level: 1 });
    for (const guide of g.guides) lines.push({ label: guide.name, target: guide.slug, level: view.grouped ? 2 : 1 });
  }
  const frame = guideFrame();
  const dry = new Flow(undefined as never, book, frame, true);
  heading(dry);
  const perPage: TocLine[][] = [[]];
  for (const l of lines) {
    drawTocLine(dry, entryOf(l, labels), TOC_STYLE);
    (perPage[dry.page] ??= []).push(l);
  }
  const pages = perPage.map((pageLines, k) => {
    const key = hash('sha1', JSON.stringify([TOC_LAYOUT, k === 0, frame, pageLines.map((l) => [l.label, labels.get(l.target) ?? '1', l.level, l.target])]));
    return earlierPage(key, earlier) ?? freshPage(key, layOutPage(pageLines, k === 0, labels, book));
  });
  return { part: mergePages(pages.map((p) => p.part)), records: pages.map((p) => p.record) };
}

type FrontPage = { part: PdfPart; record: Omit<TocPageRecord, 'at' | 'length'> };

/** The page the earlier booklet had under `key`, as a one-page part (undefined: none, or a glyph's use is lost). */
export function earlierPage(key: string, earlier: EarlierToc | undefined): FrontPage | undefined {
  const kept = earlier?.pages.find((p) => p.key === key);
  if (!kept) return undefined;
  const { key: _k, glyphs, at, length, ...page } = kept;
  const lists: PdfPart['glyphs'] = {};
  for (const [role, ids] of Object.entries(glyphs) as [FontRole, number[]][]) {
    const uses = ids.map((gid) => earlier!.use(role, gid));
    if (uses.some((u) => !u)) return undefined;
    lists[role] = glyphList(uses as GlyphUse[]);
  }
  return { part: { pages: [{ ...page, content: earlier!.read(at, length) }], glyphs: lists }, record: { key, glyphs, ...page } };
}

/** A page laid out in this build, with its record for the index. */
export function freshPage(key: string, part: PdfPart): FrontPage {
  const { content: _c, ...page } = part.pages[0]!;
  const glyphs: TocPageRecord['glyphs'] = {};
  for (const [role, list] of Object.entries(part.glyphs) as [FontRole, NonNullable<PdfPart['glyphs'][FontRole]>][]) glyphs[role] = Array.from(list.ids);
  return { part, record: { key, glyphs, ...page } };
}

/** One part of several one-page parts, its glyphs the union of theirs. */
function mergePages(parts: PdfPart[]): PdfPart {
  const uses = new Map<FontRole, Map<number, GlyphUse>>();
  for (const part of parts) {
    for (const [role, list] of Object.entries(part.glyphs) as [FontRole, NonNullable<PdfPart['glyphs'][FontRole]>][]) {
      let m = uses.get(role);
      if (!m) uses.set(role, (m = new Map()));
      const all = list.uses();
      for (const use of all) if (!m.has(use[0])) m.set(use[0], use);
    }
  }
  const glyphs: PdfPart['glyphs'] = {};
  for (const [role, m] of uses) glyphs[role] = glyphList([...m.values()].sort((a, b) => a[0] - b[0]));
  return { pages: parts.flatMap((p) => p.pages), glyphs };
}

function heading(flow: Flow): void {
  flow.newPage();
  flow.space(4 * MM);
  flow.text('目　　录', { role: 'heading', size: 16, leading: 1.6, align: 'center' });
  flow.space(6 * MM);
}

const entryOf = (l: TocLine, labels: Map<string, string>): { label: string; page: string; level: number } => ({ label: l.label, page: labels.get(l.target) ?? '1', level: l.level });

/** One 目录 page, every line a link to its item. */
function layOutPage(lines: TocLine[], first: boolean, labels: Map<string, string>, book: FontBook): PdfPart {
  const doc = createPartPdf(book, 'A4');
  const flow = new Flow(doc, book, guideFrame());
  if (first) heading(flow);
  else flow.newPage();
  const links: { page: number; link: PartLink }[] = [];
  for (const l of lines) {
    drawTocLine(flow, entryOf(l, labels), TOC_STYLE);
    // the line just drawn ends at the cursor; pdfkit pages run top-down, PDF's bottom-up
    const { width, height, left, right } = flow.frame;
    const lh = TOC_STYLE.size * TOC_STYLE.leading;
    links.push({ page: flow.page, link: { rect: [left, height - flow.y, width - right, height - flow.y + lh], target: l.target } });
  }
  if (flow.page !== 0) throw new Error('a 目录 page ran over: its lines were counted for one page');
  return capturePart(doc, book, links);
}
