import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Folders, makeFolders } from './folders.js';
import { alive } from './lock.js';
import { readBounded, UnreadableFile } from '../load/bounded-read.js';

/** Thrown when an output path would leave the output folder. */
export class UnsafeOutputPath extends Error {}

/** A journal normkit did not write (or that names paths outside the output folder): nothing is done with it. */
export class UntrustedJournal extends Error {}

const STAGING = '.normkit-staging-';
const TRASH = '.normkit-trash-';
/** Present only while a commit moves files: a build killed then is finished by the next one. */
const JOURNAL = '.normkit-journal';

const JOURNAL_FORMAT = 'normkit-journal-1';

interface Journal {
  format: typeof JOURNAL_FORMAT;
  staging: string;
  trash: string;
  /** Previous files that are not part of the new output. */
  remove: string[];
  /** Folders holding files that stay as they are: these are merged file by file; any other staged folder replaces its old one whole. */
  pinned: string[];
}

/**
 * Writes what a build renders into a staging folder inside the output folder; unchanged outputs
 * stay where they are. Only when the whole build succeeded are the staged files moved in and stale
 * ones taken out, under a journal: a failed build leaves the previous output as it was, and a build
 * killed while committing is completed by the next.
 */
export class StagedOutput {
  readonly staging: string;
  private readonly trash: string;
  private readonly folders = new Folders();
  /** Files of the previous output (relative, '/'-separated), listed once when opened. */
  private existing = new Set<string>();

  constructor(readonly outDir: string) {
    const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
    this.staging = path.join(outDir, `${STAGING}${id}`);
    this.trash = path.join(outDir, `${TRASH}${id}`);
  }

  async open(): Promise<void> {
    await makeFolders(this.outDir);
    await recoverInterrupted(this.outDir);
    this.existing = listFiles(this.outDir);
    await mkdir(this.staging, { recursive: true });
  }

  /** Whether the previous output has this file (it can be kept as it is). */
  has(rel: string): boolean {
    return this.existing.has(rel);
  }

  /** Creates the folder a staged file goes into (once per folder). */
  ensureParent(file: string): Promise<void> {
    return this.folders.ensureParent(file);
  }

  /** Resolves a relative output path in the staging folder, refusing anything that escapes the output folder. */
  resolve(rel: string): string {
    return path.join(this.staging, safeRelative(rel));
  }

  /** Where a kept output of the previous build is. */
  previous(rel: string): string {
    return path.join(this.outDir, safeRelative(rel));
  }

  async write(rel: string, data: string | Uint8Array): Promise<void> {
    const file = this.resolve(rel);
    await this.ensureParent(file);
    await writeFile(file, data);
  }

  /**
   * Moves the staged files in (replacing older versions) and takes out every previous file not in
   * `keep`. If a step fails, what was done is undone so the previous output is back as it was.
   */
  async commit(keep: Set<string>): Promise<void> {
    const remove = [...this.existing].filter((f) => !keep.has(f)).sort();
    const staged = listFiles(this.staging);
    const pinned = new Set<string>();
    for (const f of this.existing) {
      if (!keep.has(f) || staged.has(f)) continue;
      for (let d = path.posix.dirname(f); d !== '.' && !pinned.has(d); d = path.posix.dirname(d)) pinned.add(d);
    }
    const journal: Journal = { format: JOURNAL_FORMAT, staging: path.basename(this.staging), trash: path.basename(this.trash), remove, pinned: [...pinned].sort() };
    const journalFile = path.join(this.outDir, JOURNAL);
    await writeFile(`${journalFile}.tmp`, JSON.stringify(journal));
    await rename(`${journalFile}.tmp`, journalFile);
    const done: Move[] = [];
    try {
      await apply(this.outDir, journal, done);
    } catch (e) {
      for (const m of done.reverse()) await rename(m.to, m.from).catch(() => undefined);
      await rm(journalFile, { force: true });
      await rm(this.trash, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    }
    await rm(journalFile, { force: true });
    await rm(this.staging, { recursive: true, force: true });
    await rm(this.trash, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
  }
}

interface Move { from: string; to: string }

/**
 * Carries out a journal: staged entries move in (a folder replaces its old one whole unless some of
 * its files stay); what they replace and the files to remove go to the trash. Safe to run again
 * after an interruption: whatever already moved is no longer where it was.
 */
async function apply(outDir: string, j: Journal, done: Move[]): Promise<void> {
  const staging = path.join(outDir, j.staging);
  const trash = path.join(outDir, j.trash);
  const trashed = new Folders();
  const pinned = new Set(j.pinned);
  const move = async (from: string, to: string): Promise<void> => {
    await rename(from, to);
    done.push({ from, to });
  };
  const retire = async (rel: string): Promise<void> => {
    const to = path.join(trash, rel);
    await trashed.ensureParent(to);
    await move(path.join(outDir, rel), to);
  };
  const merge = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(staging, rel), { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' && rel === '') return []; // a journal whose staging folder was already emptied
      throw e;
    });
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const target = kindOf(path.join(outDir, r));
      if (target === 'dir' && e.isDirectory() && pinned.has(r)) {
        await merge(r);
        continue;
      }
      if (target !== 'none') await retire(r);
      await move(path.join(staging, r), path.join(outDir, r));
    }
  };
  await merge('');
  const emptied = new Set<string>();
  for (const rel of j.remove) {
    for (let d = path.posix.dirname(rel); d !== '.'; d = path.posix.dirname(d)) emptied.add(d);
    if (kindOf(path.join(outDir, rel)) === 'file') await retire(rel);
  }
  // folders left empty by removals go too (deepest first; one that still holds files stays)
  for (const d of [...emptied].sort((a, b) => b.length - a.length)) await rmdir(path.join(outDir, d)).catch(() => undefined);
}

function kindOf(p: string): 'none' | 'dir' | 'file' {
  const st = lstatSync(p, { throwIfNoEntry: false });
  return !st ? 'none' : st.isDirectory() ? 'dir' : 'file';
}

function safeRelative(rel: string): string {
  const norm = path.posix.normalize(rel.replace(/\\/g, '/'));
  if (norm.startsWith('../') || norm === '..' || path.posix.isAbsolute(norm) || norm.includes('\0')) {
    throw new UnsafeOutputPath(`refused output path outside the output folder: ${rel}`);
  }
  return norm;
}

function isInternal(name: string): boolean {
  return name.startsWith('.normkit-');
}

/** Every file below the output folder except normkit's own working files, as '/'-separated paths. */
function listFiles(outDir: string): Set<string> {
  const files = new Set<string>();
  for (const e of readdirSync(outDir, { withFileTypes: true })) {
    if (isInternal(e.name)) continue;
    if (!e.isDirectory()) {
      files.add(e.name);
      continue;
    }
    const base = outDir.length + 1;
    for (const f of readdirSync(path.join(outDir, e.name), { withFileTypes: true, recursive: true })) {
      if (f.isDirectory()) continue;
      const rel = `${(f.parentPath ?? f.path).slice(base)}/${f.name}`;
      files.add(path.sep === '/' ? rel : rel.split(path.sep).join('/'));
    }
  }
  return files;
}

/**
 * Working files of builds that are gone: a journal is carried out to the end (the build had decided
 * to commit); staging folders without one are dropped; a trash folder left by an older normkit,
 * which swapped whole trees, holds the previous output and goes back.
 */
async function recoverInterrupted(outDir: string): Promise<void> {
  const journalFile = path.join(outDir, JOURNAL);
  let text: string | undefined;
  try {
    text = readBounded(journalFile, 64 * 2 ** 20).bytes.toString('utf8');
  } catch (e) {
    if (e instanceof UnreadableFile) throw new UntrustedJournal(`${journalFile} 不是 normkit 写的提交记录（不是普通文件或过大），构建没有改动输出文件夹。请换一个空文件夹作为 --out，或确认无用后删除它。`);
    text = undefined;
  }
  const journal = text === undefined ? undefined : trustedJournal(text, journalFile);
  if (journal) {
    await apply(outDir, journal, []);
    await rm(journalFile, { force: true });
  }
  await rm(`${journalFile}.tmp`, { force: true });
  for (const name of await readdir(outDir)) {
    const pid = Number(/^\.normkit-(?:staging|trash)-(\d+)-/.exec(name)?.[1]);
    if (!pid || (pid !== process.pid && alive(pid))) continue;
    const full = path.join(outDir, name);
    if (name.startsWith(TRASH) && name !== journal?.trash) {
      for (const entry of await readdir(full)) {
        await rename(path.join(full, entry), path.join(outDir, entry)).catch(() => undefined);
      }
    }
    await rm(full, { recursive: true, force: true });
  }
}

const WORK_FOLDER = /^\.normkit-(staging|trash)-\d+-[0-9a-f]{8}$/;

/**
 * A journal as this normkit writes it, every path inside the output folder; anything else (an
 * output folder received from elsewhere, a hand-edited file) is refused before a file is moved.
 */
export function trustedJournal(text: string, file: string): Journal {
  const refuse = (why: string): never => {
    throw new UntrustedJournal(`${file} 不是本 normkit 写的提交记录（${why}），构建没有改动输出文件夹。如果这个输出文件夹来自别处，请换一个空文件夹作为 --out；确认无用后也可删除该文件。`);
  };
  let j: Partial<Journal>;
  try {
    j = JSON.parse(text) as Partial<Journal>;
  } catch {
    return refuse('不是有效的 JSON');
  }
  if (typeof j !== 'object' || j === null || j.format !== JOURNAL_FORMAT) return refuse('格式标记不符');
  if (typeof j.staging !== 'string' || !WORK_FOLDER.test(j.staging) || !j.staging.startsWith(STAGING)) return refuse('暂存文件夹名不符');
  if (typeof j.trash !== 'string' || !WORK_FOLDER.test(j.trash) || !j.trash.startsWith(TRASH)) return refuse('回收文件夹名不符');
  for (const list of [j.remove, j.pinned]) {
    if (!Array.isArray(list)) return refuse('缺少文件清单');
    for (const rel of list) {
      if (typeof rel !== 'string' || rel === '' || rel.split('/').some((seg) => seg === '..' || seg === '.' || seg === '' || isInternal(seg)) || path.posix.isAbsolute(rel) || rel.includes('\0')) {
        return refuse(`路径“${String(rel).slice(0, 80)}”不在输出文件夹内`);
      }
    }
  }
  return j as Journal;
}
