import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Creates each folder once: a county writes tens of thousands of files into a few dozen folders. */
export class Folders {
  private readonly made = new Set<string>();

  async ensureParent(file: string): Promise<void> {
    const dir = path.dirname(file);
    if (this.made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.made.add(dir);
  }
}

/**
 * `mkdir -p` one level at a time; returns the first folder it created, as mkdir's recursive mode
 * does. Node's recursive mode retries forever where mkdir answers ENOENT for a parent that
 * exists (under /proc or /sys): 100 % CPU, deaf to SIGTERM. Here that ENOENT is the error.
 */
export async function makeFolders(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; ) {
    try {
      if ((await stat(d)).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${d}'`), { code: 'ENOTDIR', syscall: 'mkdir', path: d });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(d);
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  missing.reverse();
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it meanwhile
    }
  }
  return missing[0];
}
