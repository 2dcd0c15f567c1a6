import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Folders } from './folders.js';
import { alive } from './lock.js';

/** Thrown when an output path would leave the output folder. */
export class UnsafeOutputPath extends Error {}

const STAGING = '.normkit-staging-';
const TRASH = '.normkit-trash-';

/**
 * Writes a build into a staging folder inside the output folder and swaps it in only when the
 * whole build succeeded: a failed build leaves the previous output as it was.
 */
export class StagedOutput {
  readonly staging: string;
  private readonly written = new Set<string>();
  private readonly folders = new Folders();

  constructor(readonly outDir: string) {
    this.staging = path.join(outDir, `${STAGING}${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  async open(): Promise<void> {
    await mkdir(this.outDir, { recursive: true });
    await recoverInterrupted(this.outDir);
    await mkdir(this.staging, { recursive: true });
  }

  /** Creates the folder a staged file goes into (once per folder). */
  ensureParent(file: string): Promise<void> {
    return this.folders.ensureParent(file);
  }

  /** Resolves a relative output path, refusing anything that escapes the output folder. */
  resolve(rel: string): string {
    const norm = path.posix.normalize(rel.replace(/\\/g, '/'));
    if (norm.startsWith('../') || norm === '..' || path.posix.isAbsolute(norm) || norm.includes('\0')) {
      throw new UnsafeOutputPath(`refused output path outside the output folder: ${rel}`);
    }
    return path.join(this.staging, norm);
  }

  async write(rel: string, data: string | Uint8Array): Promise<void> {
    const file = this.resolve(rel);
    await this.ensureParent(file);
    await writeFile(file, data);
    this.written.add(rel);
  }

  get files(): string[] {
    return [...this.written].sort();
  }

  /**
   * Replaces the previous output with the staged one (a few renames). If a rename fails part-way,
   * the renames done so far are undone so the previous output is back as it was.
   */
  async commit(): Promise<void> {
    const trash = path.join(this.outDir, `${TRASH}${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(trash);
    const retired: string[] = [];
    const placed: string[] = [];
    try {
      for (const name of await readdir(this.outDir)) {
        if (isInternal(name)) continue;
        await rename(path.join(this.outDir, name), path.join(trash, name));
        retired.push(name);
      }
      for (const name of await readdir(this.staging)) {
        await rename(path.join(this.staging, name), path.join(this.outDir, name));
        placed.push(name);
      }
    } catch (e) {
      for (const name of placed) await rename(path.join(this.outDir, name), path.join(this.staging, name)).catch(() => undefined);
      for (const name of retired) await rename(path.join(trash, name), path.join(this.outDir, name)).catch(() => undefined);
      await rm(trash, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    }
    await rm(this.staging, { recursive: true, force: true });
    await rm(trash, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
  }
}

function isInternal(name: string): boolean {
  return name.startsWith(STAGING) || name.startsWith(TRASH) || name === '.normkit-lock';
}

/**
 * A build killed during commit leaves a trash folder: if the output then lacks what the trash
 * holds, the trash is the previous output and goes back; staging folders of dead builds are removed.
 */
async function recoverInterrupted(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    const pid = Number(/^\.normkit-(?:staging|trash)-(\d+)-/.exec(name)?.[1]);
    if (!pid || (pid !== process.pid && alive(pid))) continue;
    const full = path.join(outDir, name);
    if (name.startsWith(TRASH)) {
      for (const entry of await readdir(full)) {
        await rename(path.join(full, entry), path.join(outDir, entry)).catch(() => undefined);
      }
    }
    await rm(full, { recursive: true, force: true });
  }
}

