import { hash } from 'node:crypto';
import { FONT_ROLES, type FontBook, type FontRole } from '../../typography/fonts.js';
import type { BookletView } from '../../views/guide-view.js';
import { distinctFonts, DocumentAssembler, OBJECTS_PER_PAGE, type Decoration, type EmbeddedFont, type OutlineNode } from './assemble/assembler.js';
import { capturePart, createPartPdf } from './assemble/capture.js';
import { decodeIndex, encodeIndex, xrefOffsets, type EarlierDocument, type IndexedSegment } from './assemble/earlier.js';
import type { GlyphUse, PdfPart } from './assemble/part.js';
import { Ref } from './assemble/pdf-syntax.js';
import type { Sink } from './assemble/pdf-writer.js';
import { Flow } from './flow.js';
import { guideFrame } from './guide-pdf.js';
import { MM, roman } from './page-frame.js';
import { POSTER_COLORS as C } from './poster-pdf.js';
import { earlierPage, freshPage, tocPart, type EarlierToc } from './booklet-toc.js';

/** The laid-out guide of each item in a booklet, by item slug. */
export interface GuideParts {
  part(slug: string): Promise<PdfPart>;
  /** The previous build's booklet, whose unchanged pages can be copied (absent: assemble every page). */
  earlier?: EarlierBooklet;
  /** Receives an index of the new booklet, for the next build's `earlier`. */
  saveIndex?(index: Buffer): Promise<void>;
}

export interface EarlierBooklet {
  doc: EarlierDocument;
  /** The index saved with it. */
  index: Uint8Array;
  /** Whether an item's part differs from the one the earlier booklet was made from. */
  changed(slug: string): boolean;
  /** The part the earlier booklet was made from (undefined: no longer there). */
  previousPart(slug: string): Promise<PdfPart | undefined>;
}

/** Bumped whenever the cover would come out differently from the same view. */
const COVER_LAYOUT = 'cover-1';
/** Bumped whenever body pages would come out differently from the same parts. */
const PAGE_LAYOUT = 'booklet-pages-1';
/** Beyond this many items to lay in again, a booklet is assembled afresh (the planned parts are held in memory). */
const MAX_FRESH = 64;
/** Copied pages are read in runs of at most this many bytes. */
const COPY_RUN = 4 << 20;

type Step = { slug: string; copy: IndexedSegment } | { slug: string; part: PdfPart };

/**
 * A booklet of guides: cover, 目录 with page numbers, then every item from a new page, bookmarked
 * (department → item when grouped), with running header and page numbers. Items are not laid out
 * again: their parts are read one at a time and written straight to `sink`; the cover and 目录 are
 * written last, once the page numbers are known, and placed first. With `parts.earlier`, the pages
 * of items whose part and position did not change are copied from the previous booklet byte for
 * byte; the result is the same file a full assembly makes.
 */
export async function assembleBookletPdf(view: BookletView, book: FontBook, parts: GuideParts, sink: Sink): Promise<void> {
  const frame = guideFrame();
  const asm = new DocumentAssembler(book, view.meta, sink, { countGlyphs: !!parts.saveIndex });
  const context = JSON.stringify([PAGE_LAYOUT, view.title, frame, OBJECTS_PER_PAGE, asm.nextObject, FONT_ROLES.map((r) => book[r].hash)]);
  const decorate = (start: number) => (i: number): Decoration => ({ frame, header: view.title, label: String(start + i + 1) });
  const plan = parts.earlier && (await planCopies(view, book, parts, parts.earlier, context, asm.nextObject));
  if (plan) asm.seedGlyphs(plan.glyphs);
  const steps = plan?.steps ?? streamParts(view, parts);

  const labels = new Map<string, string>();
  const starts = new Map<string, Ref>();
  const segments: IndexedSegment[] = [];
  let body = 0;
  let run: { from: number; to: number; items: { seg: IndexedSegment; start: number }[] } | undefined;
  let parent: OutlineNode | undefined;
  let group: number | undefined;
  // runs of copied pages that lie together in the earlier booklet are read and written at once
  const flush = (): void => {
    if (!run) return;
    const bytes = plan!.doc.read(run.from, run.to);
    const first = run.items[0]!.seg;
    const pages = run.items.reduce((n, it) => n + it.seg.pages, 0);
    const at = asm.position;
    asm.copyPages(bytes, first.obj, pages, (id) => plan!.offsets[id]! - run!.from);
    for (const { seg, start } of run.items) {
      asm.touchFonts(seg.fonts);
      for (let i = 0; i < seg.pages; i++) asm.decorationGlyphs(decorate(start)(i));
      asm.touchedFonts();
      segments.push({ ...seg, start: at + seg.start - run.from, end: at + seg.end - run.from });
    }
    run = undefined;
  };
  for await (const [step, groupIndex, name] of steps) {
    const start = body;
    let first: Ref | undefined;
    if ('copy' in step) {
      const seg = step.copy;
      const adjoins = run && run.to === seg.start && run.to - run.from + seg.end - seg.start <= COPY_RUN;
      if (!adjoins) flush();
      run ??= { from: seg.start, to: seg.start, items: [] };
      run.to = seg.end;
      run.items.push({ seg, start });
      first = seg.pages ? new Ref(seg.obj + OBJECTS_PER_PAGE - 1) : undefined;
      body += seg.pages;
    } else {
      flush();
      asm.touchedFonts();
      const at = asm.position;
      const obj = asm.nextObject;
      first = await asm.addPart(step.part, decorate(start));
      const pages = step.part.pages.length;
      const copyable = asm.nextObject - obj === pages * OBJECTS_PER_PAGE;
      segments.push({ slug: step.slug, firstPage: start, pages, obj: copyable ? obj : -1, start: at, end: asm.position, fonts: asm.touchedFonts() });
      body += pages;
    }
    labels.set(step.slug, String(start + 1));
    if (first) starts.set(step.slug, first);
    if (groupIndex !== group) {
      group = groupIndex;
      parent = undefined;
      if (view.grouped) {
        const name = view.groups[groupIndex]!.name;
        parent = asm.addOutline(name, first, undefined, true);
        labels.set(`group:${name}`, String(start + 1));
        if (first) starts.set(`group:${name}`, first);
      }
    }
    asm.addOutline(name, first, parent);
  }
  flush();
  const coverKey = hash('sha1', JSON.stringify([COVER_LAYOUT, view.title, view.organization, view.subtitle, view.date]));
  const cover = earlierPage(coverKey, plan?.toc) ?? freshPage(coverKey, coverPart(view, book));
  await asm.addPart(cover.part, undefined, { front: true });
  const coverRecord = { ...cover.record, ...asm.lastContents[0]! };
  // every 目录 line is a link to its item
  const toc = tocPart(view, labels, book, plan?.toc);
  await asm.addPart(toc.part, (i) => ({ frame, header: view.title, label: roman(i + 1) }), { front: true, targets: starts });
  const tocRecords = toc.records.map((r, i) => ({ ...r, ...asm.lastContents[i]! }));
  await asm.finish(plan && { bytes: { read: (a, b) => plan.doc.read(a, b), offset: (id) => plan.offsets[id] ?? -1 }, fonts: plan.fonts });
  await parts.saveIndex?.(encodeIndex({ context, size: asm.position, segments, fonts: asm.glyphState(), toc: [coverRecord, ...tocRecords] }));
}

/** A step, the index of its group in the view, and the item's name (for bookmarks). */
type StepOf = [step: Step, group: number, name: string];

/** Every item's part, read a few ahead of the one being written. */
async function* streamParts(view: BookletView, parts: GuideParts): AsyncGenerator<StepOf> {
  const entries = view.groups.flatMap((g, gi) => g.guides.map((guide) => [guide, gi] as const));
  const AHEAD = 16;
  const pending = new Map<number, Promise<PdfPart>>();
  const fetch = (i: number): void => {
    if (i >= entries.length || pending.has(i)) return;
    const p = parts.part(entries[i]![0].slug);
    p.catch(() => undefined); // a read that fails is reported where it is awaited, never as unhandled
    pending.set(i, p);
  };
  for (let at = 0; at < entries.length; at++) {
    for (let k = at; k < at + AHEAD; k++) fetch(k);
    const part = await pending.get(at)!;
    pending.delete(at);
    const [guide, group] = entries[at]!;
    yield [{ slug: guide.slug, part }, group, guide.name];
  }
}

interface CopyPlan {
  steps: StepOf[];
  doc: EarlierDocument;
  offsets: Float64Array;
  glyphs: { counts: Uint32Array; uses: Map<number, GlyphUse> }[];
  fonts: (EmbeddedFont | undefined)[];
  toc: EarlierToc;
}

/**
 * Which items' pages can be copied from the earlier booklet: those whose part did not change and
 * whose pages and objects start where they did. undefined when nothing can be, or when the earlier
 * booklet cannot be trusted; the booklet is then assembled afresh.
 */
async function planCopies(view: BookletView, book: FontBook, parts: GuideParts, earlier: EarlierBooklet, context: string, firstObject: number): Promise<CopyPlan | undefined> {
  const index = decodeIndex(earlier.index);
  if (!index || index.context !== context || index.size !== earlier.doc.size) return undefined;
  const offsets = xrefOffsets(earlier.doc);
  if (!offsets) return undefined;
  const before = new Map(index.segments.map((s) => [s.slug, s]));
  const steps: StepOf[] = [];
  const copied = new Set<string>();
  let page = 0;
  let fresh = 0;
  for (const [gi, g] of view.groups.entries()) {
    for (const guide of g.guides) {
      const seg = before.get(guide.slug);
      if (seg && seg.obj >= 0 && seg.firstPage === page && seg.obj === firstObject + page * OBJECTS_PER_PAGE && !earlier.changed(guide.slug)) {
        steps.push([{ slug: guide.slug, copy: seg }, gi, guide.name]);
        copied.add(guide.slug);
        page += seg.pages;
      } else {
        if (++fresh > MAX_FRESH) return undefined;
        const part = await parts.part(guide.slug);
        steps.push([{ slug: guide.slug, part }, gi, guide.name]);
        page += part.pages.length;
      }
    }
  }
  if (copied.size === 0) return undefined;

  // glyph counts as they were, less the parts of items not copied (their new parts count themselves)
  const fontIndex = distinctFontIndex(book);
  const glyphs = index.fonts.map((f) => {
    const counts = new Uint32Array(0x10000);
    for (let i = 0; i < f.counts.length; i += 2) counts[f.counts[i]!] = f.counts[i + 1]!;
    return { counts, uses: new Map(f.uses.map((u) => [u[0], u])) };
  });
  if (glyphs.length !== new Set(fontIndex.values()).size) return undefined;
  for (const seg of index.segments) {
    if (copied.has(seg.slug)) continue;
    const part = await earlier.previousPart(seg.slug);
    if (!part) return undefined;
    for (const [role, list] of Object.entries(part.glyphs) as [FontRole, PdfPart['glyphs'][FontRole]][]) {
      const { counts } = glyphs[fontIndex.get(role)!]!;
      for (let k = 0; k < list!.ids.length; k++) {
        const gid = list!.ids[k]!;
        if (counts[gid] === 0) return undefined; // not the parts the index was made from
        counts[gid]!--;
      }
    }
  }
  const toc: EarlierToc = {
    pages: index.toc,
    read: (at, length) => earlier.doc.read(at, at + length),
    use: (role, gid) => glyphs[fontIndex.get(role)!]?.uses.get(gid),
  };
  return { steps, doc: earlier.doc, offsets, glyphs, fonts: index.fonts.map((f) => f.embedded), toc };
}

/** Each role's font by its number among the document's fonts (see distinctFonts). */
function distinctFontIndex(book: FontBook): Map<FontRole, number> {
  const fonts = distinctFonts(book);
  return new Map(FONT_ROLES.map((role) => [role, fonts.indexOf(book[role].font)]));
}

function coverPart(view: BookletView, book: FontBook): PdfPart {
  const doc = createPartPdf(book, 'A4');
  cover(new Flow(doc, book, guideFrame()), view);
  return capturePart(doc, book);
}

function cover(flow: Flow, view: BookletView): void {
  flow.newPage();
  if (flow.dry) return;
  const { doc, frame } = flow;
  const W = frame.width;
  doc.save().rect(0, 70 * MM, W, 4 * MM).fill(C.accent).rect(0, 74 * MM, W, 1.2 * MM).fill(C.red).restore();
  flow.y = 40 * MM;
  flow.text(view.organization, { role: 'heading', size: 16, leading: 1.5, align: 'center', color: C.accent });
  flow.y = 100 * MM;
  flow.text(view.title, { role: 'title', size: 30, leading: 1.4, align: 'center' });
  flow.space(8 * MM);
  flow.text(view.subtitle, { role: 'body', size: 14, leading: 1.5, align: 'center', color: C.muted });
  const [y, m] = view.date.split('-');
  flow.y = frame.height - 60 * MM;
  flow.text(view.organization, { role: 'heading', size: 14, leading: 1.6, align: 'center' });
  flow.text(`${y}年${Number(m)}月`, { role: 'body', size: 12, leading: 1.6, align: 'center' });
}

