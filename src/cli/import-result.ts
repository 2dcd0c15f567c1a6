import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkProject } from '../check/check-project.js';
import { Diagnostics } from '../diagnostics.js';
import { formatText } from '../diagnostics-format.js';
import { writeAtomic } from '../format/format-project.js';
import { resultFromWorkbook, resultYaml, workbookChecklistId } from '../import/result-workbook.js';
import { loadProject } from '../load/project-loader.js';
import { readWorkbook } from '../load/sheet-source.js';
import type { ChecklistData } from '../model/data.js';
import type { RuleContext } from '../check/context.js';
import { shownPath } from './export.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

/** A filled checklist workbook → result YAML text, or undefined with the problems in `diags`. */
export async function workbookResultText(abs: string, file: string, ctx: RuleContext, diags: Diagnostics): Promise<string | undefined> {
  const wb = await readWorkbook(abs, file, diags);
  if (!wb) return undefined;
  const id = workbookChecklistId(wb);
  if (!id) {
    diags.error(file, undefined, 'result-workbook-layout', '这个工作簿不是 normkit checklist export 生成的考评表（没有 normkit 隐藏表）。请先用 normkit checklist export 导出考评表，在其中填写。');
    return undefined;
  }
  const checklist = [...ctx.checklists].reverse().find((c) => c.data.id === id)?.data as ChecklistData | undefined;
  if (!checklist) {
    diags.error(file, undefined, 'result-unknown-checklist', `工作簿是按考评标准“${id}”导出的，但项目中没有这个考评标准。请用 --project 指定导出它的项目。`);
    return undefined;
  }
  const r = resultFromWorkbook(wb, checklist, diags);
  return r ? resultYaml(r, path.basename(abs)) : undefined;
}

export async function importResultCommand(file: string, values: { project?: string; out?: string; force?: boolean }, io: CliIO): Promise<number> {
  if (!existsSync(file)) throw new UsageError(`找不到文件 ${file}。`);
  const loaded = await loadProject(resolveProjectDir(values.project));
  const ctx = checkProject(loaded);
  const diags = new Diagnostics();
  const text = await workbookResultText(path.resolve(file), file, ctx, diags);
  if (text === undefined) {
    io.err(formatText(diags.list));
    return EXIT_INPUT;
  }
  const data = (await import('yaml')).parse(text) as { checklist: string; subject: string; assessed: string };
  const out = values.out ? path.resolve(values.out) : path.join(loaded.root, 'results', `${data.assessed.slice(0, 4)}-${data.checklist}-${data.subject.replace(/[\\/:*?"<>|\s]+/g, '-')}.yaml`);
  if (existsSync(out) && !values.force) throw new UsageError(`${shownPath(out)} 已存在。要覆盖请加 --force，或用 --out 指定其他文件。`);
  await (await import('node:fs/promises')).mkdir(path.dirname(out), { recursive: true });
  await writeAtomic(out, text);
  io.err(`✓ 已写出考评结果 ${shownPath(out)}。用 normkit score ${shownPath(out)} 计分。\n`);
  return EXIT_OK;
}
