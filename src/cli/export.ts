import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkProject } from '../check/check-project.js';
import { formatText } from '../diagnostics-format.js';
import { loadProject } from '../load/project-loader.js';
import { resolveProject } from '../model/project.js';
import { itemsWorkbook } from '../render/xlsx/items-workbook.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

export const exportHelp = `normkit export items --xlsx [--project DIR] [--out FILE] [--force]
  把项目的全部事项导出为政务服务平台格式的工作簿：“事项”表（GB/T 39046 列名）和按实施编码对应的“申请材料”表。
  用 normkit import items 导入这份导出，项目不会有任何改变。
  --out FILE   写入该文件（默认 ./items.xlsx）
  --force      文件已存在时覆盖
`;

export async function exportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { xlsx: { type: 'boolean', default: false }, project: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const [what, ...extra] = positionals;
  if (what !== 'items') throw new UsageError(what ? `未知的导出对象“${what}”。目前只有 items。` : '缺少导出对象。用法：normkit export items --xlsx');
  if (extra.length) throw new UsageError('export items 不接受其他参数；项目文件夹请用 --project 指定。');
  if (!values.xlsx) throw new UsageError('请指定格式：normkit export items --xlsx（目前只支持 xlsx）。');
  const out = path.resolve(values.out ?? 'items.xlsx');
  if (existsSync(out) && !values.force) throw new UsageError(`${values.out ?? 'items.xlsx'} 已存在。要覆盖请加 --force。`);

  const loaded = await loadProject(resolveProjectDir(values.project));
  const ctx = checkProject(loaded);
  const errors = loaded.diagnostics.list.filter((d) => d.severity === 'error');
  if (errors.length) {
    io.err(formatText(errors, { root: loaded.root }));
    io.err('项目有错误，无法导出。请先改正（normkit validate 可列出全部问题）。\n');
    return EXIT_INPUT;
  }
  const project = resolveProject(ctx, loaded.root);
  const items = [...ctx.items].sort((a, b) => (a.src.file < b.src.file ? -1 : 1)).map((c) => c.data);
  await writeFileAtomic(out, await itemsWorkbook(items, { organization: project.organization, date: project.date }));
  io.out(`已导出 ${items.length} 项事项到 ${shownPath(out)}。\n`);
  return EXIT_OK;
}

/** A path as the user would type it: relative when under the current folder, else absolute. */
export function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** Temp file beside the target, then rename: a reader never sees half a workbook. */
export async function writeFileAtomic(file: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.normkit-tmp-${randomBytes(6).toString('hex')}-${path.basename(file)}`);
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
