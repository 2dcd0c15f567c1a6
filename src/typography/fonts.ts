import { hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readBounded, UnreadableFile } from '../load/bounded-read.js';
import { resolvesInside } from '../load/inside.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';

/** Typographic roles; a project may map title, heading and body to its own files. */
export type FontRole = 'title' | 'heading' | 'body' | 'sans';
export const FONT_ROLES: FontRole[] = ['title', 'heading', 'body', 'sans'];

const require = createRequire(import.meta.url);

/** Freely licensed defaults from npm (SIL OFL): Song-style serif for text, Hei-style sans for headings. */
const BUNDLED: Record<string, string> = {
  'noto-serif-sc': '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  'noto-serif-sc-bold': '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
  'noto-sans-sc': '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  'noto-sans-sc-bold': '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

const DEFAULT_ROLES: Record<FontRole, string> = {
  title: 'noto-serif-sc-bold',
  heading: 'noto-sans-sc-bold',
  body: 'noto-serif-sc',
  sans: 'noto-sans-sc',
};

export function bundledFontPath(name: string): string | undefined {
  const rel = BUNDLED[name];
  return rel ? require.resolve(rel) : undefined;
}

/**
 * pdfkit subsets the font of every document, and fontkit decodes each used glyph's outline again
 * for every subset (to find composite glyphs) — half of a poster's rendering time. Glyph objects are
 * cached per parsed font, so remembering their decoded form makes that work once per process.
 */
function memoizeGlyphDecoding(font: Font): void {
  const sample = font.glyphForCodePoint(0x4e2d) as unknown as object;
  type Glyph = { _decode: () => GlyphData | null; _getContours: () => unknown; __head?: GlyphData | null };
  type GlyphData = { numberOfContours: number; xMin?: number; yMin?: number; xMax?: number; yMax?: number };
  const proto = Object.getPrototypeOf(sample) as Glyph & { __normkitMemo?: boolean };
  if (!proto || typeof proto._decode !== 'function' || proto.__normkitMemo) return;
  const decode = proto._decode;
  const getContours = proto._getContours;
  // Keep only what subsetting reads: the header, and the components of composite glyphs.
  proto._decode = function (this: Glyph) {
    if (this.__head === undefined) {
      const g = decode.call(this);
      this.__head = !g || g.numberOfContours < 0 ? g : { numberOfContours: g.numberOfContours, xMin: g.xMin, yMin: g.yMin, xMax: g.xMax, yMax: g.yMax };
    }
    return this.__head;
  };
  // Outlines (never needed for text, but fontkit can draw glyphs) still decode the full glyph.
  proto._getContours = function (this: Glyph) {
    const own = Object.getOwnPropertyDescriptor(this, '_decode');
    this._decode = decode;
    try {
      return getContours.call(this);
    } finally {
      if (own) Object.defineProperty(this, '_decode', own);
      else delete (this as Partial<Glyph>)._decode;
    }
  };
  proto.__normkitMemo = true;
}

/**
 * fontkit caches each glyph object with the text it was first looked up by. A glyph first created
 * by subsetting (assembling a document from parts laid out elsewhere) has none, and every later
 * layout would then lose its text in the PDF's ToUnicode map; the first lookup with text fills it in.
 */
export function keepGlyphText(font: Font): void {
  const getGlyph = font.getGlyph.bind(font);
  font.getGlyph = (gid, codePoints = []) => {
    const glyph = getGlyph(gid, codePoints);
    if (glyph && codePoints.length && !glyph.codePoints.length) glyph.codePoints = codePoints;
    return glyph;
  };
}

export interface LoadedFont {
  role: FontRole;
  file: string;
  font: Font;
  /** Content hash, for incremental-build manifests. */
  hash: string;
}

export type FontBook = Record<FontRole, LoadedFont>;

export class FontError extends Error {
  constructor(readonly role: FontRole, readonly configured: string, message: string) {
    super(message);
  }
}

/** Parsed fonts are kept per process: reading and parsing 10–15 MB per document would dominate builds. */
const cache = new Map<string, { font: Font; hash: string }>();

/** Larger files are refused before reading: no CJK font comes near this. */
const MAX_FONT_BYTES = 128 * 1024 * 1024;

function openFont(file: string, role: FontRole, configured: string): { font: Font; hash: string } {
  const hit = cache.get(file);
  if (hit) return hit;
  let buf: Buffer;
  try {
    buf = readBounded(file, MAX_FONT_BYTES).bytes;
  } catch (e) {
    if (e instanceof UnreadableFile && e.reason === 'too-large') throw new FontError(role, configured, `字体文件“${configured}”超过 ${MAX_FONT_BYTES / 1048576} MB，不像是字体文件。`);
    if (e instanceof UnreadableFile) throw new FontError(role, configured, `字体路径“${configured}”不是文件（它是文件夹、命名管道或设备）。`);
    throw new FontError(role, configured, `字体文件“${configured}”不存在或无法读取。`);
  }
  let font: Font;
  try {
    font = fontkit.create(buf);
    if (typeof font.glyphForCodePoint !== 'function') throw new Error('collection');
  } catch {
    throw new FontError(role, configured, `“${configured}”不是可用的 TTF/OTF 字体文件（字体集 .ttc 请先拆分为单个字体）。`);
  }
  const damaged = damage(font, buf.byteLength);
  if (damaged) throw new FontError(role, configured, `字体文件“${configured}”不完整或已损坏（${damaged}），可能下载或复制时被截断。请重新获取这个字体文件。`);
  for (const ch of '中文标准服务') {
    let has = false;
    try {
      has = font.hasGlyphForCodePoint(ch.codePointAt(0)!);
    } catch {
      // a damaged cmap table: as good as no glyphs
    }
    if (!has) {
      throw new FontError(role, configured, `字体“${configured}”不含中文字形（缺少“${ch}”）。请选择包含简体中文的字体。`);
    }
  }
  memoizeGlyphDecoding(font);
  keepGlyphText(font);
  const entry = { font, hash: fontIdentity(font, buf.byteLength) };
  cache.set(file, entry);
  return entry;
}

/** Tables every font normkit draws with needs: character map, metrics, and outlines of one kind. */
const NEEDED = ['cmap', 'head', 'hhea', 'hmtx', 'maxp'];

/**
 * Why a parsed font cannot be used, or undefined: fontkit reads tables lazily, so a truncated file
 * parses and then fails deep inside rendering ("Offset is outside the bounds of the DataView").
 * Every table must lie inside the file, and a few glyphs must decode.
 */
function damage(font: Font, size: number): string | undefined {
  const { tables } = (font as unknown as { directory: { tables: Record<string, { offset: number; length: number }> } }).directory;
  for (const [tag, t] of Object.entries(tables)) {
    if (t.offset + t.length > size) return `表 ${tag.trim()} 超出文件末尾`;
  }
  for (const tag of NEEDED) if (!tables[tag]) return `缺少 ${tag} 表`;
  if (!tables.glyf && !tables['CFF '] && !tables.CFF2) return '没有字形轮廓表';
  try {
    for (const ch of '中文标准服务，。1A') {
      const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
      void glyph.advanceWidth;
      void (glyph as unknown as { path: unknown }).path; // decodes the outline
    }
  } catch (e) {
    return `字形无法解码：${(e as Error).message}`;
  }
  return undefined;
}

/**
 * What tells one font file from another, for output keys: its size, the checksum of every table
 * in its directory and the whole-file checksum in its head table, which font tools keep current.
 * Hashing the 40 MB of fonts themselves took longer than the rest of a rebuild's check.
 */
function fontIdentity(font: Font, size: number): string {
  const { tables } = (font as unknown as { directory: { tables: Record<string, { checkSum: number; offset: number; length: number }> } }).directory;
  const head = (font as unknown as { head?: { checkSumAdjustment?: number } }).head;
  const rows = Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : 1)).map(([tag, t]) => `${tag} ${t.checkSum} ${t.offset} ${t.length}`);
  return hash('sha1', `${size}\n${head?.checkSumAdjustment ?? ''}\n${rows.join('\n')}`).slice(0, 16);
}

/** The file a configured name stands for: a bundled font, or a path that must stay inside `projectRoot`. */
function fontFile(role: FontRole, name: string, projectRoot?: string): string {
  const bundled = bundledFontPath(name);
  if (bundled) return bundled;
  if (!projectRoot) throw new FontError(role, name, `未知的内置字体“${name}”。`);
  const file = path.resolve(projectRoot, name);
  const rel = path.relative(projectRoot, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new FontError(role, name, `字体路径“${name}”指向项目文件夹之外。请把字体文件放进项目文件夹，并写相对路径。`);
  }
  // a path inside the project that links out of it is outside too (a missing file is reported when read)
  if (existsSync(file) && !resolvesInside(projectRoot, file)) {
    throw new FontError(role, name, `字体文件“${name}”是指向项目文件夹之外的链接，normkit 不读取它。请把字体文件复制进项目文件夹。`);
  }
  return file;
}

/** One role's font, parsed (or from the cache); throws FontError when it cannot be used. */
export function loadFont(role: FontRole, name: string, projectRoot?: string): LoadedFont {
  const file = fontFile(role, name, projectRoot);
  const { font, hash } = openFont(file, role, name);
  return { role, file, font, hash };
}

/**
 * Resolves each role to a bundled font or a file inside the project folder and parses it once.
 * `configured` values come from project.yaml `fonts:`; paths must stay inside `projectRoot`.
 */
export function loadFontBook(configured: Partial<Record<FontRole, string>> = {}, projectRoot?: string): FontBook {
  const book = {} as FontBook;
  for (const role of FONT_ROLES) book[role] = loadFont(role, configured[role] ?? DEFAULT_ROLES[role], projectRoot);
  return book;
}

/**
 * Per font, whether each code point seen so far can be drawn (0 not yet asked, 1 yes, 2 no): a
 * county's text is millions of characters of a few thousand kinds.
 */
const drawable = new WeakMap<Font, Uint8Array>();

/** Characters of `text` the font cannot draw (reported instead of printing blank boxes). */
export function missingGlyphs(font: Font, text: string): string[] {
  let known = drawable.get(font);
  if (!known) drawable.set(font, (known = new Uint8Array(0x110000)));
  let missing: Set<string> | undefined;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    let ok = known[cp]!;
    if (ok === 0) {
      const ch = String.fromCodePoint(cp);
      ok = known[cp] = cp < 0x20 || ch === '\u3000' || /\s/.test(ch) || font.hasGlyphForCodePoint(cp) ? 1 : 2;
    }
    if (ok === 2) (missing ??= new Set()).add(String.fromCodePoint(cp));
  }
  return missing ? [...missing] : [];
}
