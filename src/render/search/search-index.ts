import type { SearchDoc } from '../../views/search-view.js';

/**
 * The site's search index, written as scripts (pages opened from file:// may not fetch JSON, but
 * may load scripts): `search/meta.js` (counts), one `search/d/<id>.js` per item or standard (its
 * title, page and passages), and the postings in shards `search/k<n>.js`, chosen by a hash of the
 * key, so a query loads only the shards of its own keys. Keys are a document's Han characters and
 * every pair of adjacent characters (bigrams): any substring of two or more characters of a
 * document has all its bigrams there. templates/assets/search.js reads these files and must
 * normalize, split and hash exactly as this module does (test/search.test.ts checks both agree).
 */

export const SEARCH_DIR = 'html/search';
export const INDEX_FORMAT = 1;

const HAN = /^\p{Script=Han}$/u;
/** Posting numbers in base 32, most significant digit first; a digit with 32 added means more follow. */
const ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';

export function normalize(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/**
 * While indexing (a county has millions of character pairs), characters are small numbers given in
 * order of appearance and keys are numbers too: a character n is n, a bigram (a + 1) × 2^15 + b,
 * all small integers, which V8 keeps in sets and maps several times faster than strings.
 */
const SHIFT = 32768;
export class KeyCoder {
  /** Per code point: 0 not seen yet, -1 a separator, else ((number + 1) << 1) | 1 for Han. */
  private readonly info = new Int32Array(0x110000);
  readonly chars: number[] = [];

  /** A coder numbering characters as an earlier one did (so its saved keys stay valid). */
  constructor(chars: readonly number[] = []) {
    for (const cp of chars) this.learn(cp);
  }

  /** Adds the keys of `text` (Han characters, and bigrams within runs of letters and digits) to `into`. */
  add(text: string, into: Set<number>): void {
    const t = normalize(text);
    let prev = -1;
    for (let i = 0; i < t.length; i++) {
      let cp = t.charCodeAt(i);
      if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < t.length) {
        cp = t.codePointAt(i)!;
        i++;
      }
      let v = this.info[cp]!;
      if (v === 0) v = this.learn(cp);
      if (v < 0) { prev = -1; continue; }
      const n = (v >> 1) - 1;
      if (v & 1) into.add(n);
      if (prev >= 0) into.add((prev + 1) * SHIFT + n);
      prev = n;
    }
  }

  private learn(cp: number): number {
    const ch = String.fromCodePoint(cp);
    // past 32,767 distinct characters (never in Chinese text) the rest are not indexed
    const word = /^[\p{L}\p{N}]$/u.test(ch) && this.chars.length < SHIFT - 1;
    const v = word ? this.chars.push(cp) * 2 + (HAN.test(ch) ? 1 : 0) : -1;
    this.info[cp] = v;
    return v;
  }

  text(key: number): string {
    return key < SHIFT ? String.fromCodePoint(this.chars[key]!) : String.fromCodePoint(this.chars[Math.floor(key / SHIFT) - 1]!, this.chars[key % SHIFT]!);
  }
}

/** The keys of `text` as search.js spells them (for tests). */
export function keysOf(text: string): string[] {
  const coder = new KeyCoder();
  const set = new Set<number>();
  coder.add(text, set);
  return [...set].map((k) => coder.text(k)).sort();
}

/** A document's keys, doubled, plus 1 for those in its title. */
export function docKeys(coder: KeyCoder, d: SearchDoc): number[] {
  const title = new Set<number>();
  const keys = new Set<number>();
  coder.add(d.title, title);
  // one pass over the document: a line break between passages keeps their keys apart
  coder.add(d.passages.map((p) => (p.anchor ? `${p.label}\n${p.text}` : p.text)).join('\n'), keys);
  for (const k of title) keys.add(k);
  return Array.from(keys, (k) => k * 2 + (title.has(k) ? 1 : 0));
}

/** FNV-1a over the key's UTF-16 units: the shard a key's postings are in. */
export function shardOf(key: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

/**
 * Shards for a corpus of `docs` documents: about 16 documents' worth of postings each (a shard of
 * a county's index is some kilobytes), a power of two from 16 to 512.
 */
export function shardCount(docs: number): number {
  let n = 16;
  while (n < docs / 16 && n < 512) n *= 2;
  return n;
}

/** Postings of every key: document ids ascending, each doubled, plus 1 where the key is in the document's title. */
export interface Postings { shards: number; docs: number; byKey: Map<string, number[]> }

/**
 * The postings of `count` documents. With what the last build `saved` (its returned `index`: each
 * document's keys and the character numbering they need), documents `unchanged` since take their
 * keys from there: a rebuild after one edit makes only that document's text and keys again.
 */
export function buildPostings(count: number, docAt: (id: number) => SearchDoc, saved?: KeyIndex, unchanged?: (id: number) => boolean): { postings: Postings; index: Uint8Array } {
  const coder = new KeyCoder(saved?.chars);
  const perDoc: ArrayLike<number>[] = [];
  for (let id = 0; id < count; id++) {
    const kept = saved && id < saved.docs.length && unchanged?.(id) ? saved.docs[id] : undefined;
    perDoc.push(kept ?? docKeys(coder, docAt(id)));
  }
  const byNumber = new Map<number, number[]>();
  perDoc.forEach((keys, id) => {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      let list = byNumber.get(k >> 1);
      if (!list) byNumber.set(k >> 1, (list = []));
      list.push(id * 2 + (k & 1));
    }
  });
  const byKey = new Map<string, number[]>();
  for (const [k, list] of byNumber) byKey.set(coder.text(k), list);
  return { postings: { shards: shardCount(count), docs: count, byKey }, index: encodeKeyIndex(coder.chars, perDoc) };
}

/**
 * After a few edits: the last build's shard scripts with only the shards that hold a key some
 * changed document gained, lost or moved into or out of its title made again (from those shards'
 * own lists, not from every document). Undefined when it does not apply (then buildPostings):
 * other counts, or many changed documents (an item added renumbers all after it).
 */
export function patchShards(count: number, docAt: (id: number) => SearchDoc, saved: KeyIndex, scripts: string[], changed: number[]): { scripts: string[]; index: Uint8Array } | undefined {
  const shards = shardCount(count);
  if (saved.docs.length !== count || scripts.length !== shards || changed.length > Math.max(8, count / 50)) return undefined;
  const coder = new KeyCoder(saved.chars);
  const perDoc: ArrayLike<number>[] = saved.docs.slice();
  // key text → for each changed document holding it now: its posting (id doubled, plus title)
  const touched = new Map<string, number[]>();
  const isChanged = new Set(changed);
  for (const id of changed) {
    const now = docKeys(coder, docAt(id));
    perDoc[id] = now;
    const before = new Set(saved.docs[id]);
    const after = new Set(now);
    const touch = (k: number): void => { if (!touched.has(coder.text(k >> 1))) touched.set(coder.text(k >> 1), []); };
    for (const k of before) if (!after.has(k)) touch(k);
    for (const k of after) if (!before.has(k)) touch(k);
  }
  // the new postings of each touched key's changed documents (unchanged keys of a changed document stay as they are)
  for (const id of changed) for (const k of perDoc[id] as number[]) touched.get(coder.text(k >> 1))?.push(id * 2 + (k & 1));
  const byShard = new Map<number, string[]>();
  for (const key of touched.keys()) {
    const n = shardOf(key, shards);
    byShard.set(n, [...(byShard.get(n) ?? []), key]);
  }
  const out = scripts.slice();
  for (const [n, keys] of byShard) {
    const m = /^NKSearch\.shard\(\d+,(.*)\);\n$/s.exec(scripts[n]!);
    if (!m) return undefined;
    const obj = JSON.parse(m[1]!) as Record<string, string>;
    for (const key of keys) {
      const list = decodeList(obj[key] ?? '').filter((v) => !isChanged.has(v >> 1));
      list.push(...touched.get(key)!);
      list.sort((a, b) => a - b);
      if (list.length) obj[key] = encodeList(list);
      else delete obj[key];
    }
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(obj).sort()) sorted[k] = obj[k]!;
    out[n] = `NKSearch.shard(${n},${JSON.stringify(sorted)});\n`;
  }
  return { scripts: out, index: encodeKeyIndex(coder.chars, perDoc) };
}

/** What a build saves of its documents' keys for the next: the character numbering, then each document's keys. */
export interface KeyIndex { chars: number[]; docs: Uint32Array[] }

function encodeKeyIndex(chars: number[], docs: ArrayLike<number>[]): Uint8Array {
  let n = 3 + chars.length;
  for (const d of docs) n += 1 + d.length;
  const out = new Uint32Array(n);
  let at = 0;
  out[at++] = INDEX_FORMAT;
  out[at++] = chars.length;
  out[at++] = docs.length;
  for (const c of chars) out[at++] = c;
  for (const d of docs) {
    out[at++] = d.length;
    for (let i = 0; i < d.length; i++) out[at++] = d[i]!;
  }
  return new Uint8Array(out.buffer);
}

/** The saved keys, or undefined when they are not as this version writes them (then everything is made again). */
export function decodeKeyIndex(bytes: Uint8Array): KeyIndex | undefined {
  if (bytes.byteLength % 4 || bytes.byteLength < 12) return undefined;
  const u = new Uint32Array(bytes.slice().buffer);
  if (u[0] !== INDEX_FORMAT) return undefined;
  const nChars = u[1]!;
  const nDocs = u[2]!;
  let at = 3 + nChars;
  if (at > u.length) return undefined;
  const chars = Array.from(u.subarray(3, at));
  const docs: Uint32Array[] = [];
  for (let i = 0; i < nDocs; i++) {
    const len = u[at++];
    if (len === undefined || at + len > u.length) return undefined;
    docs.push(u.subarray(at, at + len));
    at += len;
  }
  return at === u.length ? { chars, docs } : undefined;
}

/** A posting list as text: gaps between ids (less one), doubled, plus 1 for a title key. */
export function encodeList(list: readonly number[]): string {
  let out = '';
  let prev = -1;
  for (const v of list) {
    const id = v >> 1;
    let n = ((id - prev - 1) * 2) + (v & 1);
    prev = id;
    let digits = ALPHA[n & 31]!;
    n = Math.floor(n / 32);
    while (n > 0) {
      digits = ALPHA[32 + (n & 31)]! + digits;
      n = Math.floor(n / 32);
    }
    out += digits;
  }
  return out;
}

/** The inverse of encodeList (for tests and the benchmark; search.js has its own). */
export function decodeList(s: string): number[] {
  const out: number[] = [];
  let prev = -1;
  let n = 0;
  for (const ch of s) {
    const d = ALPHA.indexOf(ch);
    if (d >= 32) { n = n * 32 + (d - 32); continue; }
    n = n * 32 + d;
    const id = prev + 1 + (n >> 1);
    out.push(id * 2 + (n & 1));
    prev = id;
    n = 0;
  }
  return out;
}

export function metaScript(p: Pick<Postings, 'shards' | 'docs'>): string {
  return `NKSearch.meta(${JSON.stringify({ format: INDEX_FORMAT, shards: p.shards, docs: p.docs })});\n`;
}

/** Every shard's script, keys sorted within each (so an unchanged shard is byte for byte the same). */
export function shardScripts(p: Postings): string[] {
  const keys: string[][] = Array.from({ length: p.shards }, () => []);
  for (const k of p.byKey.keys()) keys[shardOf(k, p.shards)]!.push(k);
  return keys.map((list, n) => {
    const obj: Record<string, string> = {};
    for (const k of list.sort()) obj[k] = encodeList(p.byKey.get(k)!);
    return `NKSearch.shard(${n},${JSON.stringify(obj)});\n`;
  });
}

/** One document as the results show it: kind, title, the line under it, its page, and passages [label, text, anchor?] (a clause has an anchor, and its label is searched). */
export function docScript(id: number, d: SearchDoc): string {
  const passages = d.passages.map((p) => (p.anchor ? [p.label, p.text, p.anchor] : [p.label, p.text]));
  return `NKSearch.doc(${id},${JSON.stringify({ k: d.kind, t: d.title, s: d.sub, u: d.url, p: passages })});\n`;
}

export const shardPath = (n: number): string => `${SEARCH_DIR}/k${n}.js`;
export const docPath = (id: number): string => `${SEARCH_DIR}/d/${id}.js`;
export const META_PATH = `${SEARCH_DIR}/meta.js`;
