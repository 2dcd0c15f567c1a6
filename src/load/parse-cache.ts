import { hash } from 'node:crypto';
import { VERSION } from '../version.js';

/**
 * Parsed sources from the previous build, by content hash: YAML and Markdown parsing is most of the
 * time a rebuild spends before rendering. Only parses without diagnostics are kept, so every
 * problem is still reported where it is. Entries are kept as JSON text, so later changes to a
 * parsed tree never leak into the cache and the saved file depends only on the sources.
 */
export class ParseCache {
  /** Entries are saved in this many files, so a rebuild after one edit rewrites a few small ones. */
  static readonly SHARDS = 16;
  /** Entries this build used: JSON as read, or a new parse not yet written out. */
  private readonly used = new Map<string, string | { value: unknown }>();
  private readonly misses = new Set<number>();
  /** Shards whose saved file was missing, damaged or another version's: written again in any case. */
  private readonly stale = new Set<number>();
  private readonly previousCounts = new Array<number>(ParseCache.SHARDS).fill(0);

  constructor(private readonly previous = new Map<string, string>()) {
    for (const k of previous.keys()) this.previousCounts[ParseCache.shardOf(k)]!++;
  }

  static key(kind: string, text: string): string {
    return `${kind}:${hash('sha1', text, 'base64')}`;
  }

  /** Which file an entry is saved in: from the first character of its content hash. */
  static shardOf(key: string): number {
    const c = key.charCodeAt(key.lastIndexOf(':') + 1);
    return Number.isNaN(c) ? 0 : c % ParseCache.SHARDS;
  }

  /**
   * Each saved file: a header line naming the normkit version, then one `key<TAB>json` line per
   * entry. `files` holds the saved shards by number (undefined: none saved); a single buffer is
   * read as one file of any entries.
   */
  static from(files: Buffer | (Buffer | undefined)[] | undefined): ParseCache {
    const list = Array.isArray(files) ? files : [files];
    const entries = new Map<string, string>();
    const stale: number[] = [];
    list.forEach((buf, i) => {
      const lines = buf?.toString('utf8').split('\n') ?? [];
      if (lines[0] !== `normkit ${VERSION}`) { // none saved, or another version's parses
        stale.push(i);
        return;
      }
      for (let n = 1; n < lines.length; n++) {
        const line = lines[n]!;
        const tab = line.indexOf('\t');
        if (tab > 0) entries.set(line.slice(0, tab), line.slice(tab + 1));
      }
    });
    const cache = new ParseCache(entries);
    if (Array.isArray(files)) for (const i of stale) cache.stale.add(i);
    return cache;
  }

  get<T>(key: string): T | undefined {
    const hit = this.previous.get(key);
    if (hit === undefined) return undefined;
    try {
      const value = JSON.parse(hit) as T;
      this.used.set(key, hit);
      return value;
    } catch {
      return undefined; // a damaged line: parse the source again
    }
  }

  /**
   * Keeps a new parse. It is written out as JSON only when its shard is saved, a sixteenth at a
   * time: holding the JSON of a whole county's parses next to the model was tens of megabytes.
   * Nothing changes a parse before then (the model copies what it rearranges).
   */
  set(key: string, value: unknown): void {
    this.misses.add(ParseCache.shardOf(key));
    this.used.set(key, { value });
  }

  /**
   * Remembers a fact about a text that holds as long as the text does (it conformed to a schema);
   * true when the previous build already knew it.
   */
  known(key: string): boolean {
    const hit = this.previous.get(key);
    if (hit !== undefined) this.used.set(key, hit);
    return hit !== undefined;
  }

  note(key: string): void {
    if (!this.previous.has(key)) this.misses.add(ParseCache.shardOf(key));
    this.used.set(key, '1');
  }

  /** The shards whose saved file would differ from the one read (a new parse, or an entry no longer used). */
  changedShards(): number[] {
    const counts = new Array<number>(ParseCache.SHARDS).fill(0);
    for (const k of this.used.keys()) counts[ParseCache.shardOf(k)]!++;
    return counts.flatMap((n, i) => (n !== this.previousCounts[i] || this.misses.has(i) || this.stale.has(i) ? [i] : []));
  }

  /** Whether anything saved would differ from what was read. */
  get changed(): boolean {
    return this.changedShards().length > 0;
  }

  /** Lets go of every entry (once saved). */
  clear(): void {
    this.used.clear();
    this.previous.clear();
  }

  /** One shard's entries this build used, for the next build, sorted by key (all entries without `shard`). */
  toBuffer(shard?: number): Buffer {
    const keys = [...this.used.keys()].filter((k) => shard === undefined || ParseCache.shardOf(k) === shard).sort();
    const lines: string[] = [];
    for (const k of keys) {
      const entry = this.used.get(k)!;
      const json = typeof entry === 'string' ? entry : faithfulJson(entry.value);
      if (json !== undefined) lines.push(`${k}\t${json}`);
    }
    return Buffer.from(`normkit ${VERSION}\n${lines.join('\n')}\n`);
  }
}

/** JSON cannot carry NaN, ±Infinity or -0 (YAML can): such a parse is simply not kept. */
function faithfulJson(value: unknown): string | undefined {
  let faithful = true;
  const json = JSON.stringify(value, (_, v: unknown) => {
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) faithful = false;
    return v;
  });
  return faithful ? json : undefined;
}
