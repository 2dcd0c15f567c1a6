import { hash } from 'node:crypto';
import { VERSION } from '../version.js';

/**
 * Parsed sources from the previous build, by content hash: YAML and Markdown parsing is most of the
 * time a rebuild spends before rendering. Only parses without diagnostics are kept, so every
 * problem is still reported where it is. Entries are kept as JSON text, so later changes to a
 * parsed tree never leak into the cache and the saved file depends only on the sources.
 */
export class ParseCache {
  private readonly used = new Map<string, string>();
  private misses = 0;

  constructor(private readonly previous = new Map<string, string>()) {}

  static key(kind: string, text: string): string {
    return `${kind}:${hash('sha1', text, 'base64')}`;
  }

  /** One `key<TAB>json` line per entry, after a header line naming the normkit version. */
  static from(buf: Buffer | undefined): ParseCache {
    const lines = buf?.toString('utf8').split('\n') ?? [];
    if (lines[0] !== `normkit ${VERSION}`) return new ParseCache(); // another version's parses
    const entries = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const tab = line.indexOf('\t');
      if (tab > 0) entries.set(line.slice(0, tab), line.slice(tab + 1));
    }
    return new ParseCache(entries);
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

  set(key: string, value: unknown): void {
    this.misses++;
    // JSON cannot carry NaN, ±Infinity or -0 (YAML can): such a parse is simply not kept
    let faithful = true;
    const json = JSON.stringify(value, (_, v: unknown) => {
      if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) faithful = false;
      return v;
    });
    if (faithful && json !== undefined) this.used.set(key, json);
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
    if (!this.previous.has(key)) this.misses++;
    this.used.set(key, '1');
  }

  /** Whether the saved cache would differ from the one read (a new parse, or an entry no longer used). */
  get changed(): boolean {
    return this.misses > 0 || this.used.size !== this.previous.size;
  }

  /** Lets go of every entry (once saved). */
  clear(): void {
    this.used.clear();
    this.previous.clear();
  }

  /** The entries this build used, for the next one, sorted by key. */
  toBuffer(): Buffer {
    const keys = [...this.used.keys()].sort();
    return Buffer.from(`normkit ${VERSION}\n${keys.map((k) => `${k}\t${this.used.get(k)}`).join('\n')}\n`);
  }
}
