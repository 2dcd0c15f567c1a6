import { mkdir } from 'node:fs/promises';
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
