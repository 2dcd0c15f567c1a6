import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkProject } from '../check/check-project.js';
import { checkSchema } from '../check/schemas.js';
import { checklistYaml, deriveChecklist, findStandard, nearStandards } from '../checklist/derive.js';
import { Diagnostics } from '../diagnostics.js';
import { formatText } from '../diagnostics-format.js';
import { loadProject } from '../load/project-loader.js';
import { parseYamlSource } from '../load/yaml-source.js';
import { resolveProject, STATUS_NAMES, type Standard } from '../model/project.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

export const checklistHelp = `normkit checklist derive <标准编号>… [--project DIR] [--out file.yaml] [--force]
  从所列标准的要求条款（含“应/不应”的句子）生成一份逐条检查的考评标准（award 模式）：
  每句要求一项、每项1分，standard 写标准编号，note 写条款号（如 第5.1条），每项标准一个部分。
  --project DIR   项目文件夹（默认当前文件夹下的 standards/，或当前文件夹）
  --out FILE      写入该文件（默认输出到屏幕），例如 --out standards/checklists/first-inquiry.yaml
  --force         文件已存在时覆盖
  例：normkit checklist derive "Q/YLZW 2001—2024" "Q/YLZW 2002—2024" --out standards/checklists/derived.yaml
normkit checklist export [考评标准id…] [--project DIR] [--out DIR] [--force]
  把考评标准写成可填写的 .xlsx 工作簿（默认全部，写入 ./checklists-xlsx/）：工作表受保护，只有评分、考评发现、
  备注和表头空格可填；有数据有效性、小计、总分和等次公式。填好后 normkit score 填好的.xlsx 计分，
  normkit import result 填好的.xlsx 写成考评结果 YAML。加权计分的考评标准另有各部分的票数或得分格。
`;

export async function checklistCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { project: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const [sub, ...codes] = positionals;
  if (sub === 'export') return (await import('./checklist-export.js')).checklistExport(codes, values, io);
  if (sub !== 'derive') throw new UsageError(sub ? `未知的子命令“${sub}”。可用：derive、export。` : '缺少子命令。用法：normkit checklist derive <标准编号>…');
  if (codes.length === 0) throw new UsageError('请至少给出一个标准编号，例如 normkit checklist derive "Q/YLZW 2001—2024"。');

  const loaded = await loadProject(resolveProjectDir(values.project));
  const ctx = checkProject(loaded);
  if (loaded.diagnostics.errorCount > 0) {
    io.err(formatText(loaded.diagnostics.list.filter((d) => d.severity === 'error')));
    io.err('项目有错误，无法生成考评标准。请先改正（normkit validate 可列出全部问题）。\n');
    return EXIT_INPUT;
  }
  const project = resolveProject(ctx, loaded.root);

  const chosen: Standard[] = [];
  const unknown: string[] = [];
  for (const code of codes) {
    const s = findStandard(project, code);
    if (!s) unknown.push(code);
    else if (!chosen.includes(s)) chosen.push(s);
  }
  if (unknown.length) {
    for (const code of unknown) {
      const near = nearStandards(project, code);
      io.err(`normkit checklist: 项目中没有标准“${code}”。${near.length ? `相近的标准：\n${near.map((s) => `  ${s.code}  ${s.title}（${STATUS_NAMES[s.status]}）`).join('\n')}\n` : '项目中还没有标准。\n'}`);
    }
    return EXIT_INPUT;
  }
  for (const s of chosen) {
    if (s.status !== 'current') io.err(`注意：${s.code} 的状态是“${STATUS_NAMES[s.status]}”，不是现行标准。\n`);
  }

  const data = deriveChecklist(chosen);
  const empty = chosen.filter((s) => !data.sections.some((sec) => sec.items[0]?.standard === s.code));
  for (const s of empty) io.err(`注意：${s.code} 中没有找到含“应/不应”的要求条款，未生成该部分。\n`);
  if (data.sections.length === 0) {
    io.err('所列标准中都没有要求条款（应/不应），没有可生成的考评项目。\n');
    return EXIT_INPUT;
  }
  const text = checklistYaml(data);

  // the output must pass the same schema the project is validated with
  const diags = new Diagnostics();
  const src = parseYamlSource(text, 'derived.yaml', diags);
  if (!src || !checkSchema('checklist', src, diags)) throw new Error(`生成的考评标准不符合 schema：${diags.list.map((d) => d.message).join('；')}`);

  if (!values.out) {
    io.out(text);
    return EXIT_OK;
  }
  const file = path.resolve(values.out);
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, text, { flag: values.force ? 'w' : 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      io.err(`normkit checklist: 文件 ${values.out} 已存在。如要覆盖，请加 --force；或用 --out 指定其他文件。\n`);
      return EXIT_INPUT;
    }
    throw e;
  }
  const count = data.sections.reduce((n, s) => n + s.items.length, 0);
  io.err(`✓ 已从 ${chosen.length} 项标准生成 ${count} 个考评项目，写入 ${values.out}\n`);
  return EXIT_OK;
}
