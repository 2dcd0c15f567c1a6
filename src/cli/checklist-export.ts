import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkProject } from '../check/check-project.js';
import { formatText } from '../diagnostics-format.js';
import { loadProject } from '../load/project-loader.js';
import { resolveProject } from '../model/project.js';
import { checklistWorkbook, UnsupportedWorkbook } from '../render/xlsx/checklist-workbook.js';
import { checklistView } from '../views/checklist-view.js';
import { shownPath, writeFileAtomic } from './export.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

/**
 * `normkit checklist export [id…] [--out DIR]`: each checklist as a fillable .xlsx (all of them
 * without ids), for assessors who fill forms in Excel or WPS; `normkit score filled.xlsx` reads one back.
 */
export async function checklistExport(ids: string[], opts: { project?: string; out?: string; force?: boolean }, io: CliIO): Promise<number> {
  const loaded = await loadProject(resolveProjectDir(opts.project));
  const ctx = checkProject(loaded);
  const errors = loaded.diagnostics.list.filter((d) => d.severity === 'error');
  if (errors.length) {
    io.err(formatText(errors, { root: loaded.root }));
    io.err('项目有错误，无法导出考评表。请先改正（normkit validate 可列出全部问题）。\n');
    return EXIT_INPUT;
  }
  const project = resolveProject(ctx, loaded.root);
  const unknown = ids.filter((id) => !project.checklists.some((c) => c.id === id));
  if (unknown.length) throw new UsageError(`项目中没有考评标准 ${unknown.map((u) => `“${u}”`).join('、')}。可选：${project.checklists.map((c) => c.id).join(' | ')}。`);
  const chosen = ids.length ? project.checklists.filter((c) => ids.includes(c.id)) : project.checklists;
  const outDir = path.resolve(opts.out ?? 'checklists-xlsx');
  let written = 0;
  for (const cl of chosen) {
    const file = path.join(outDir, `${cl.slug}.xlsx`);
    if (existsSync(file) && !opts.force) throw new UsageError(`${shownPath(file)} 已存在。要覆盖请加 --force。`);
    try {
      const { bytes } = await checklistWorkbook(checklistView(project, cl), cl);
      await writeFileAtomic(file, bytes);
      written++;
      io.err(`✓ ${cl.id} → ${shownPath(file)}\n`);
    } catch (e) {
      if (!(e instanceof UnsupportedWorkbook)) throw e;
      io.err(`注意：${cl.id}：${e.message}\n`);
      if (ids.length) return EXIT_INPUT;
    }
  }
  io.err(`已写出 ${written} 份可填写的考评表工作簿。\n`);
  return EXIT_OK;
}
