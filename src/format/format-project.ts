import { randomBytes } from 'node:crypto';
import { readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
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
    report.changed.push(file);
    if (!opts.check) await writeAtomic(abs, formatted);
  }
  return report;
}

/** Temp file in the same folder, then rename: a reader never sees half a file. Links keep pointing at their file. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const target = await realpath(file).catch(() => file);
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
