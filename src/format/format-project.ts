import { randomBytes } from 'node:crypto';
import { lstat, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Diagnostics } from '../diagnostics.js';
import { loadProject } from '../load/project-loader.js';
import { formatSource } from './format-source.js';
import { FormatError } from './yaml-format.js';

export interface FormatReport {
  root: string;
  /** Project-relative paths of every source file looked at. */
  checked: string[];
  /** Files whose text differs from the formatted text (written unless `check`). */
  changed: string[];
  /** Files that could not be read, parsed or safely formatted: reported and left untouched. */
  diagnostics: Diagnostics;
}

/** Formats every source file of a project (the files `normkit build` reads); `check` writes nothing. */
export async function formatProject(dir: string, opts: { check: boolean }): Promise<FormatReport> {
  const loaded = await loadProject(dir);
  const diagnostics = new Diagnostics();
  for (const d of loaded.diagnostics.list) if (d.severity === 'error') diagnostics.add(d);
  const broken = new Set(diagnostics.list.map((d) => d.file));
  const report: FormatReport = { root: loaded.root, checked: [], changed: [], diagnostics };
  const rootReal = await realpath(loaded.root);

  for (const { file, kind } of loaded.files) {
    if (broken.has(file)) continue;
    const abs = path.join(loaded.root, file);
    report.checked.push(file);
    const text = await readFile(abs, 'utf8');
    let formatted: string;
    try {
      formatted = formatSource(text, kind);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      diagnostics.error(file, { line: 1, column: 1 }, 'format-unsafe', `无法安全地格式化：${e.message}。文件未改动；请检查文件内容，或把这个文件报告给 normkit 维护者。`);
      continue;
    }
    if (formatted === text) continue;
    const link = await linkOutside(abs, rootReal);
    if (link) {
      diagnostics.warn(file, { line: 1, column: 1 }, 'fmt-link', `${link}，fmt 不会改写它（以免改动项目以外的文件）。如需格式化，请把文件本身复制到项目中。`);
      continue;
    }
    report.changed.push(file);
    if (!opts.check) await writeAtomic(abs, formatted);
  }
  return report;
}

/** Why a source must not be written through: it is a link, or lies (through a linked folder) outside the project. */
async function linkOutside(abs: string, rootReal: string): Promise<string | undefined> {
  if ((await lstat(abs)).isSymbolicLink()) return '这个文件是符号链接';
  const real = await realpath(abs);
  return real.startsWith(rootReal + path.sep) ? undefined : '这个文件经由链接的文件夹位于项目以外';
}

/** Temp file in the same folder, then rename: a reader never sees half a file. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const target = file;
  const mode = await stat(target).then((s) => s.mode & 0o777, () => 0o644);
  const tmp = path.join(path.dirname(target), `.normkit-tmp-${randomBytes(6).toString('hex')}-${path.basename(target)}`);
  try {
    await writeFile(tmp, text, { mode, flag: 'wx' });
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
