import { createHash, hash } from 'node:crypto';
import type { Font } from 'fontkit';
import { FONT_ROLES, type FontBook, type FontRole } from '../../../typography/fonts.js';
import { textWidth } from '../../../typography/measure.js';
import type { PdfMeta } from '../document.js';
import type { Frame } from '../flow.js';
import { MM } from '../page-frame.js';
import { glyphHex, textOperators } from '../show-text.js';
import { embedFont, FONT_OBJECTS } from './font-embed.js';
import type { GlyphList, GlyphUse, PartPage, PdfPart } from './part.js';
import { hex4, Literal, num, pdfDate, Raw, Ref, serialize, Text, type PdfValue } from './pdf-syntax.js';
import { PdfWriter, type Sink } from './pdf-writer.js';

/** Running header and page number the assembler draws on a page (parts leave them out: they depend on where the part lands). */
export interface Decoration {
  frame: Frame;
  header?: string;
  label: string;
}

export interface OutlineNode {
  title: string;
  page?: Ref;
  expanded?: boolean;
  children: OutlineNode[];
}

const HEADER_SIZE = 10.5;

/**
 * A font as a document uses it: its object, the glyphs shown (with a quick table of which), and,
 * when counted, in how many body parts each glyph appears (what a later reuse of pages needs).
 */
interface FontUse { ref: Ref; glyphs: Map<number, GlyphUse>; seen: Uint8Array; counts?: Uint32Array; referenced: boolean; touched: boolean; embedded?: EmbeddedFont }

/**
 * Per font of a document (in the order of FONT_ROLES): body-part glyph counts as [gid, n] pairs,
 * every glyph shown, and where the embedded font went (see EmbeddedFont).
 */
export interface GlyphState { counts: number[]; uses: GlyphUse[]; embedded?: EmbeddedFont }

/**
 * An embedded font's objects in a document: a digest of the glyphs it holds, its first object after
 * the font's own, and its bytes. A later document with the same glyphs at the same numbers copies them.
 */
export interface EmbeddedFont { digest: string; first: number; start: number; end: number }

/** Bytes of an earlier document, for copying fonts (see finish). */
export interface EarlierBytes {
  read(start: number, end: number): Uint8Array;
  offset(id: number): number;
}

/** The book's distinct fonts in FONT_ROLES order: the order of a document's font objects, glyph states and masks. */
export function distinctFonts(book: FontBook): Font[] {
  return [...new Set(FONT_ROLES.map((role) => book[role].font))];
}

/** Objects a decorated page takes: running header and number, content, the page itself. */
export const OBJECTS_PER_PAGE = 3;
const FOOTER_SIZE = 9;

/**
 * Writes a PDF from page parts as they arrive: each page is written and forgotten, fonts are
 * subset once at the end from the glyphs all parts used, then outline, page tree and catalog.
 */
export class DocumentAssembler {
  private readonly w: PdfWriter;
  private readonly pagesRef: Ref;
  private readonly kids: Ref[] = [];
  /** Pages written after the body but placed before it (a 目录 that needs the body's page numbers). */
  private readonly front: Ref[] = [];
  private readonly fonts = new Map<Font, FontUse>();
  /** A running header's operators by text and page size: every page of a booklet has the same. */
  private readonly headers = new Map<string, string>();
  readonly outline: OutlineNode = { title: '', children: [] };
  private readonly sharedResources = new Map<string, Raw>();
  private notedHeader?: string;
  /** Where the last part's content streams went (their data), page by page: a later build can read them back. */
  lastContents: readonly { at: number; length: number }[] = [];
  private readonly notedLabelChars = new Set<string>();

  /**
   * Font objects are numbered first, so every page's objects get the same numbers whatever fonts
   * earlier pages happened to use: pages can then be copied from an earlier build. `countGlyphs`
   * keeps, per font, in how many body parts each glyph appears (see glyphState).
   */
  constructor(private readonly book: FontBook, private readonly meta: PdfMeta, sink: Sink, opts: { countGlyphs?: boolean } = {}) {
    this.w = new PdfWriter(sink);
    this.pagesRef = this.w.alloc();
    for (const font of distinctFonts(book)) {
      this.fonts.set(font, { ref: this.w.alloc(), glyphs: new Map(), seen: new Uint8Array(0x10000), counts: opts.countGlyphs ? new Uint32Array(0x10000) : undefined, referenced: false, touched: false });
    }
  }

  /** Bytes written so far. */
  get position(): number {
    return this.w.position;
  }

  /** The object number the next page's objects start at. */
  get nextObject(): number {
    return this.w.nextId;
  }

  /**
   * Appends a part's pages (or, with `front`, places them before all body pages); `decorate` gives
   * each page's header and number (by index within the part). Returns the part's first page.
   */
  async addPart(part: PdfPart, decorate?: (i: number) => Decoration | undefined, opts: { front?: boolean; targets?: Map<string, Ref> } = {}): Promise<Ref | undefined> {
    const list = opts.front ? this.front : this.kids;
    const first = list.length;
    for (const [role, list] of Object.entries(part.glyphs) as [FontRole, GlyphList][]) {
      const { glyphs, seen, counts } = this.font(role);
      if (counts && !opts.front) for (let k = 0; k < list.ids.length; k++) counts[list.ids[k]!]!++;
      let uses: GlyphUse[] | undefined;
      // a county's booklet meets a million glyph ids, of a few thousand kinds
      for (let k = 0; k < list.ids.length; k++) {
        const gid = list.ids[k]!;
        if (seen[gid]) continue;
        seen[gid] = 1;
        glyphs.set(gid, (uses ??= list.uses())[k]!);
      }
    }
    const placed: { at: number; length: number }[] = [];
    this.lastContents = placed;
    for (let i = 0; i < part.pages.length; i++) {
      const page = part.pages[i]!;
      const fonts: Record<string, PdfValue> = {};
      for (const [name, role] of Object.entries(page.fonts)) fonts[name] = this.font(role).ref;
      // header and number first, as a reader extracts the page text in content order
      const contents: Ref[] = [];
      const deco = decorate?.(i);
      if (deco) {
        const ref = this.w.alloc();
        this.w.stream(ref, {}, Buffer.from(this.decoration(deco, page.height, fonts), 'latin1'), 'plain');
        contents.push(ref);
      }
      const content = this.w.alloc();
      placed.push({ at: this.w.stream(content, {}, page.content, 'deflated'), length: page.content.byteLength });
      contents.push(content);
      const annots = (page.links ?? []).flatMap((l) => {
        const to = opts.targets?.get(l.target);
        return to ? [{ Type: 'Annot', Subtype: 'Link', Rect: l.rect, Border: [0, 0, 0], Dest: [to, 'XYZ', null, null, null] }] : [];
      });
      const pageRef = this.w.alloc();
      this.w.object(pageRef, {
        Type: 'Page',
        Parent: this.pagesRef,
        MediaBox: [0, 0, page.width, page.height],
        Contents: contents,
        Annots: annots.length ? annots : undefined,
        Resources: this.resources(fonts, page.states),
      });
      list.push(pageRef);
    }
    await this.w.drain();
    return list[first];
  }

  /**
   * Appends `pages` decorated pages copied from an earlier document (see PdfWriter.copy): objects
   * `first` … run on, OBJECTS_PER_PAGE per page, the page object last. Returns the first page.
   */
  copyPages(bytes: Uint8Array, first: number, pages: number, at: (id: number) => number): Ref | undefined {
    this.w.copy(bytes, first, pages * OBJECTS_PER_PAGE, at);
    for (let i = 0; i < pages; i++) this.kids.push(new Ref(first + i * OBJECTS_PER_PAGE + OBJECTS_PER_PAGE - 1));
    return pages ? this.kids[this.kids.length - pages] : undefined;
  }

  /** Which fonts (bits in FONT_ROLES order of distinct fonts) pages used since the last call. */
  touchedFonts(): number {
    let mask = 0;
    [...this.fonts.values()].forEach((f, i) => {
      if (f.touched) mask |= 1 << i;
      f.touched = false;
    });
    return mask;
  }

  /** Marks fonts as used by copied pages (a mask from touchedFonts). */
  touchFonts(mask: number): void {
    [...this.fonts.values()].forEach((f, i) => {
      if (mask & (1 << i)) f.referenced = f.touched = true;
    });
  }

  /** Notes the glyphs a copied page's header and number show (they are in the copied bytes already). */
  decorationGlyphs(d: Decoration): void {
    // thousands of copied pages share one header and a few digits
    if (d.header && d.header !== this.notedHeader) this.glyphs('heading', (this.notedHeader = d.header));
    for (const ch of d.label) {
      if (this.notedLabelChars.has(ch)) continue;
      this.notedLabelChars.add(ch);
      this.glyphs('body', ch);
    }
  }

  /** Glyph counts and uses per font, for an index of this document (counts need `countGlyphs`; where each font went, `finish`). */
  glyphState(): GlyphState[] {
    return [...this.fonts.values()].map(({ glyphs, counts, embedded }) => {
      const pairs: number[] = [];
      if (counts) for (let gid = 0; gid < counts.length; gid++) if (counts[gid]) pairs.push(gid, counts[gid]!);
      return { counts: pairs, uses: [...glyphs.values()].sort((a, b) => a[0] - b[0]), embedded };
    });
  }

  /**
   * Starts from an earlier document's glyphs: `counts` as they stand once the parts that will not be
   * copied are taken out, and `uses` to look up each glyph still counted.
   */
  seedGlyphs(state: { counts: Uint32Array; uses: Map<number, GlyphUse> }[]): void {
    [...this.fonts.values()].forEach((f, i) => {
      const { counts, uses } = state[i]!;
      f.counts?.set(counts);
      for (let gid = 0; gid < counts.length; gid++) {
        if (!counts[gid]) continue;
        const use = uses.get(gid);
        if (!use) throw new Error(`glyph ${gid} is counted but its use is unknown`);
        f.seen[gid] = 1;
        f.glyphs.set(gid, use);
      }
    });
  }

  /** Pages share a handful of resource dictionaries: each is written out as text once. */
  private resources(fonts: Record<string, PdfValue>, states: PartPage['states']): Raw {
    const key = `${Object.entries(fonts).map(([n, r]) => `${n}=${(r as Ref).id}`).join(',')}|${states ? JSON.stringify(states) : ''}`;
    let raw = this.sharedResources.get(key);
    if (!raw) this.sharedResources.set(key, (raw = new Raw(serialize({ ProcSet: ['PDF', 'Text'], Font: fonts, ExtGState: states }))));
    return raw;
  }

  addOutline(title: string, page: Ref | undefined, parent: OutlineNode = this.outline, expanded = false): OutlineNode {
    const node: OutlineNode = { title, page, expanded, children: [] };
    parent.children.push(node);
    return node;
  }

  /**
   * Writes fonts, page tree, outline and catalog. With `earlier` (a document this one replaces) and
   * its fonts' records, a font with the same glyphs at the same object numbers is copied from it
   * instead of subset again.
   */
  async finish(earlier?: { bytes: EarlierBytes; fonts: (EmbeddedFont | undefined)[] }): Promise<void> {
    const w = this.w;
    [...this.fonts].forEach(([font, use], i) => {
      // a font no page shows keeps its number, as an empty object
      if (!use.referenced) return w.object(use.ref, null);
      const uses = [...use.glyphs.values()].sort((a, b) => a[0] - b[0]);
      const digest = hash('sha1', JSON.stringify(uses));
      const first = w.nextId;
      const start = w.position;
      const before = earlier?.fonts[i];
      if (before && before.digest === digest && before.first === first) {
        const ids = [...Array.from({ length: FONT_OBJECTS }, (_, k) => first + k), use.ref.id];
        w.place(earlier!.bytes.read(before.start, before.end), ids, (id) => earlier!.bytes.offset(id) - before.start);
      } else {
        embedFont(w, use.ref, font, uses);
      }
      use.embedded = { digest, first, start, end: w.position };
    });
    const kids = [...this.front, ...this.kids];
    w.object(this.pagesRef, { Type: 'Pages', Count: kids.length, Kids: kids });
    const outlines = this.outline.children.length ? this.writeOutline() : undefined;
    const root = w.alloc();
    w.object(root, {
      Type: 'Catalog',
      Pages: this.pagesRef,
      Outlines: outlines,
      PageMode: outlines ? 'UseOutlines' : undefined,
      Lang: new Literal('zh-CN'),
      ViewerPreferences: { DisplayDocTitle: true },
    });
    const m = this.meta;
    const info = w.alloc();
    w.object(info, {
      Title: new Text(m.title), Author: new Text(m.author), Subject: new Text(m.subject), Keywords: new Text(m.keywords ?? ''),
      Creator: new Literal('normkit'), Producer: new Literal('normkit'), CreationDate: pdfDate(m.date), ModDate: pdfDate(m.date),
    });
    const id = createHash('md5').update(JSON.stringify([m, kids.length])).digest('hex');
    await w.finish(root, info, id);
  }

  private font(role: FontRole): FontUse {
    const entry = this.fonts.get(this.book[role].font)!;
    entry.referenced = entry.touched = true;
    return entry;
  }

  /** Header (right-aligned, ruled) and centred page number, in PDF's own upward coordinates. */
  private decoration(d: Decoration, height: number, fonts: Record<string, PdfValue>): string {
    const { frame } = d;
    let ops = 'q\n0 0 0 rg 0 0 0 RG\n';
    if (d.header) {
      const name = this.fontName('heading', 'NkH', fonts);
      const key = `${d.header}\n${height}\n${frame.top} ${frame.left} ${frame.right} ${frame.width}\n${name}`;
      let header = this.headers.get(key);
      if (header === undefined) {
        const top = frame.top - 12 * MM;
        const w = textWidth(this.book.heading.font, d.header, HEADER_SIZE);
        header = this.text('heading', name, HEADER_SIZE, frame.width - frame.right - w, height - top, d.header, fonts);
        const y = height - (top + 16);
        header += `0.5 w ${num(frame.left)} ${num(y)} m ${num(frame.width - frame.right)} ${num(y)} l S\n`;
        this.headers.set(key, header);
      }
      fonts[name] = this.font('heading').ref;
      ops += header;
    }
    const w = textWidth(this.book.body.font, d.label, FOOTER_SIZE);
    ops += this.text('body', this.fontName('body', 'NkB', fonts), FOOTER_SIZE, (frame.width - w) / 2, height - (frame.height - frame.bottom + 6 * MM), d.label, fonts);
    return `${ops}Q\n`;
  }

  /**
   * The name the page's resources already give a role's font, else `fallback`: one font object
   * under two names in one resource dictionary makes Ghostscript repair the file.
   */
  private fontName(role: FontRole, fallback: string, fonts: Record<string, PdfValue>): string {
    const ref = this.font(role).ref;
    for (const [name, value] of Object.entries(fonts)) if (value === ref || (value as Ref).id === ref.id) return name;
    return fallback;
  }

  /** One line of text whose top is at `top` (as pdfkit places it), glyph by glyph from the cmap. */
  private text(role: FontRole, name: string, size: number, x: number, top: number, s: string, fonts: Record<string, PdfValue>): string {
    const font = this.book[role].font;
    fonts[name] = this.font(role).ref;
    return `${textOperators(name, size, x, top - (font.ascent * size) / font.unitsPerEm, this.glyphs(role, s))}\n`;
  }

  /** The glyph ids that show `s`, in hex, noting each as used. */
  private glyphs(role: FontRole, s: string): string {
    const entry = this.font(role);
    const font = this.book[role].font;
    const scale = 1000 / font.unitsPerEm;
    return glyphHex(font, s, (g, cp) => {
      if (!entry.seen[g.id]) {
        entry.seen[g.id] = 1;
        entry.glyphs.set(g.id, [g.id, g.advanceWidth * scale, [cp]]);
      }
      return hex4(g.id);
    });
  }

  private writeOutline(): Ref {
    const w = this.w;
    const refs = new Map<OutlineNode, Ref>();
    const assign = (n: OutlineNode): void => { refs.set(n, w.alloc()); n.children.forEach(assign); };
    assign(this.outline);
    const visible = (n: OutlineNode): number => n.children.reduce((a, c) => a + 1 + (c.expanded ? visible(c) : 0), 0);
    const write = (n: OutlineNode, parent?: OutlineNode, prev?: OutlineNode, next?: OutlineNode): void => {
      const kids = n.children;
      const dict: Record<string, PdfValue | undefined> = parent
        ? { Title: new Text(n.title), Parent: refs.get(parent), Dest: n.page ? [n.page, 'XYZ', null, null, null] : undefined }
        : { Type: 'Outlines' };
      if (prev) dict.Prev = refs.get(prev);
      if (next) dict.Next = refs.get(next);
      if (kids.length) {
        dict.First = refs.get(kids[0]!);
        dict.Last = refs.get(kids[kids.length - 1]!);
        dict.Count = !parent || n.expanded ? visible(n) : -kids.length;
      }
      w.object(refs.get(n)!, dict);
      kids.forEach((c, i) => write(c, n, kids[i - 1], kids[i + 1]));
    };
    write(this.outline);
    return refs.get(this.outline)!;
  }
}
