import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument, stringify } from 'yaml';
import { Diagnostics } from '../diagnostics.js';
import { formatText } from '../diagnostics-format.js';
import { writeAtomic } from '../format/format-project.js';
import { ITEM_FIELDS, MATERIAL_FIELDS } from '../import/columns.js';
import { planItemImport } from '../import/import-items.js';
import { detectedMap, findSheets, type ImportMap } from '../import/item-rows.js';
import { addDepartments } from '../import/merge-items.js';
import { loadProject } from '../load/project-loader.js';
import { readWorkbook } from '../load/sheet-source.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

export const importHelp = `normkit import items <file.xlsx|file.csv> [--map map.yaml] [--into DIR] [--print-map]
normkit import result <filled.xlsx> [--project DIR] [--out FILE] [--force]
  items：把政务服务平台导出的事项表（GB/T 39046 列名及常见变体）导入为 items/<部门>/<编码>.yaml。
    申请材料可在第二张表（按实施编码对应）或事项表的“申请材料”格中（编号列表）。
    再次导入同一张表不改变任何文件；表中没有的字段、注释和手工修改保留。
    有问题的行不导入，问题按“文件:表名!单元格”列出；其余行照常导入，最后以 1 退出。
  --map FILE      映射文件：items_sheet、materials_sheet、columns（列名: 字段）、materials_columns、departments（实施主体: 部门 id）
  --print-map     只输出识别到的映射（YAML），可保存后修改再用 --map 导入；不写任何文件
  --into DIR      导入到该项目文件夹（默认 ./standards 或当前文件夹）
  result：把填好的考评表工作簿（normkit checklist export 生成）写成考评结果 YAML（默认 results/<考评标准>-<考评对象>.yaml）。
`;

export async function importCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      map: { type: 'string' }, into: { type: 'string' }, 'print-map': { type: 'boolean', default: false },
      project: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false },
    },
  });
  const [what, file, ...extra] = positionals;
  if (what === 'result') {
    const { importResultCommand } = await import('./import-result.js');
    if (!file || extra.length) throw new UsageError('用法：normkit import result <filled.xlsx> [--project DIR] [--out FILE]');
    return importResultCommand(file, values, io);
  }
  if (what !== 'items') throw new UsageError(what ? `未知的导入对象“${what}”。可用：items、result。` : '缺少导入对象。用法：normkit import items <file.xlsx>');
  if (!file) throw new UsageError('请指定要导入的表格文件，例如 normkit import items 事项导出.xlsx。');
  if (extra.length) throw new UsageError('一次只能导入一个表格文件。');
  if (!existsSync(file)) throw new UsageError(`找不到文件 ${file}。`);

  const diags = new Diagnostics();
  const map = values.map ? await readMap(values.map) : {};
  const wb = await readWorkbook(path.resolve(file), file, diags);
  if (!wb) {
    io.err(formatText(diags.list));
    return EXIT_INPUT;
  }
  if (values['print-map']) {
    const found = findSheets(wb, map);
    if (!found.items) {
      io.err(`${file}：没有找到事项表（没有认出“事项名称”等列名）。\n`);
      return EXIT_INPUT;
    }
    const detected = detectedMap(found);
    io.out(`# normkit import items 的映射文件：列名: 字段（platform 原样保存，ignore 不导入）\n${stringify({ ...detected, departments: map.departments ?? {} }, { lineWidth: 0 })}`);
    return EXIT_OK;
  }

  const dir = resolveProjectDir(values.into);
  if (!existsSync(path.join(dir, 'project.yaml'))) throw new UsageError(`${values.into ?? dir} 中没有 project.yaml。请先用 normkit init 新建项目，或用 --into 指定项目文件夹。`);
  const loaded = await loadProject(dir);
  const blocking = loaded.diagnostics.list.filter((d) => d.severity === 'error' && d.file === 'project.yaml');
  if (blocking.length) {
    io.err(formatText(blocking, { root: loaded.root }));
    io.err('project.yaml 有错误，无法匹配部门。请先改正。\n');
    return EXIT_INPUT;
  }
  const plan = planItemImport(wb, loaded, map, diags);
  if (plan) {
    for (const [rel, text] of plan.writes) {
      const abs = path.join(loaded.root, rel);
      await mkdir(path.dirname(abs), { recursive: true });
      await writeAtomic(abs, text);
    }
    if (plan.departmentsCreated.length) {
      const projectFile = path.join(loaded.root, 'project.yaml');
      await writeAtomic(projectFile, addDepartments(await readFile(projectFile, 'utf8'), plan.departmentsCreated));
    }
  }
  if (diags.list.length) io.err(formatText(diags.list));
  if (plan) {
    io.out(`导入 ${file} → ${loaded.root}：新建 ${plan.created} 项，更新 ${plan.updated} 项，未变 ${plan.unchanged} 项，拒绝 ${plan.refused} 项${plan.departmentsCreated.length ? `；新建部门 ${plan.departmentsCreated.map((d) => `${d.id}（${d.name}）`).join('、')}` : ''}。\n`);
  }
  return diags.errorCount > 0 ? EXIT_INPUT : EXIT_OK;
}

/** A mapping file: its fields must be ones normkit knows, so a typo is not a silently dropped column. */
async function readMap(file: string): Promise<ImportMap> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`找不到映射文件 ${file}。`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) throw new UsageError(`映射文件 ${file} 不是有效的 YAML：${doc.errors[0]!.message}`);
  const map = (doc.toJS() ?? {}) as ImportMap;
  for (const [h, f] of Object.entries(map.columns ?? {})) {
    if (!ITEM_FIELDS.has(f)) throw new UsageError(`映射文件 ${file}：列“${h}”的字段“${f}”不存在。可用：${[...ITEM_FIELDS].join('、')}。`);
  }
  for (const [h, f] of Object.entries(map.materials_columns ?? {})) {
    if (!MATERIAL_FIELDS.has(f)) throw new UsageError(`映射文件 ${file}：材料列“${h}”的字段“${f}”不存在。可用：${[...MATERIAL_FIELDS].join('、')}。`);
  }
  return map;
}
