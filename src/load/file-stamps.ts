import { VERSION } from '../version.js';

/** How a file looked when it was read; any change to its content changes this (ctime cannot be set back). */
export interface Stamp { size: number; mtimeMs: number; ctimeMs: number; ino: number }

/** What a source held: its content hash, the parse-cache keys of its parts, and where its YAML starts. */
export interface FileRecord { hash: string; keys: string[]; base: number }

/**
 * What each source file held when the last build read it, by path and stamp: a rebuild takes an
 * unchanged file's content hash and parses from here and the parse cache instead of reading and
 * hashing thousands of files again. A file changed within RACY_MS of being read is not recorded:
 * a second change in the same timestamp tick could otherwise go unnoticed (git's "racily clean").
 */
export class FileStamps {
  /** NORMKIT_RACY_MS lets tests record files they have just written. */
  static get RACY_MS(): number {
    return Number(process.env.NORMKIT_RACY_MS ?? 2000);
  }

  private readonly current = new Map<string, string>();

  private constructor(private readonly previous: Map<string, string>) {}

  /** One line per file after a header naming the normkit version; anything else starts afresh. */
  static from(buf: Buffer | undefined): FileStamps {
    const lines = buf?.toString('utf8').split('\n') ?? [];
    const previous = new Map<string, string>();
    if (lines[0] === `normkit ${VERSION}`) {
      for (let i = 1; i < lines.length; i++) {
        const tab = lines[i]!.indexOf('\t');
        if (tab > 0) previous.set(lines[i]!.slice(0, tab), lines[i]!.slice(tab + 1));
      }
    }
    return new FileStamps(previous);
  }

  /** The record of a file whose stamp has not changed since it was recorded (kept for the next build). */
  lookup(rel: string, st: Stamp): FileRecord | undefined {
    const line = this.previous.get(rel);
    if (line === undefined || !line.startsWith(`${stampText(st)}\t`)) return undefined;
    const [, , , , hash, base, ...keys] = line.split('\t');
    if (!hash || !keys.length) return undefined;
    this.current.set(rel, line);
    return { hash, base: Number(base), keys };
  }

  /** Records what a file held as read at stamp `st` (unless it changed too recently to trust the stamp). */
  record(rel: string, st: Stamp, rec: FileRecord, now = Date.now()): void {
    if (now - Math.max(st.mtimeMs, st.ctimeMs) < FileStamps.RACY_MS || /[\t\n\r]/.test(rel)) return;
    this.current.set(rel, `${stampText(st)}\t${rec.hash}\t${rec.base}\t${rec.keys.join('\t')}`);
  }

  /** Whether the saved file would differ from the one read. */
  get changed(): boolean {
    if (this.current.size !== this.previous.size) return true;
    for (const [rel, line] of this.current) if (this.previous.get(rel) !== line) return true;
    return false;
  }

  toBuffer(): Buffer {
    const rows = [...this.current].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([rel, line]) => `${rel}\t${line}`);
    return Buffer.from(`normkit ${VERSION}\n${rows.join('\n')}\n`);
  }
}

function stampText(st: Stamp): string {
  return `${st.size}\t${st.mtimeMs}\t${st.ctimeMs}\t${st.ino}`;
}
