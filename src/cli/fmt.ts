import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatText } from '../diagnostics-format.js';
import { formatProject } from '../format/format-project.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

export const fmtHelp = `normkit fmt [dir] [--check]
  规范项目中 Markdown 正文和 YAML（含前置元数据）的格式：键按约定顺序排列，缩进两个空格，
  列表用“-”，不自动折行；注释、表格、中文标点和内容保持不变。
  无法解析的文件会列出位置（文件:行:列）且不改动，此时以 1 退出。
  --check          只检查不写入：列出需要格式化的文件，有则以 1 退出（适合 CI）
`;

export async function fmtCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { check: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) throw new UsageError('fmt 只接受一个项目文件夹。');
  const dir = resolveProjectDir(positionals[0]);
  const report = await formatProject(dir, { check: values.check! });
  const failed = report.diagnostics.errorCount > 0;
  if (report.diagnostics.list.length) io.err(formatText(report.diagnostics.list));

  const n = report.changed.length;
  const where = path.relative(process.cwd(), report.root) || '.';
  if (values.check) {
    for (const f of report.changed) io.out(`${f}\n`);
    io.out(n > 0
      ? `✖ ${n} 个文件需要格式化（共检查 ${report.checked.length} 个）。运行 normkit fmt ${where} 修正。\n`
      : `✓ ${failed ? '其余 ' : ''}${report.checked.length} 个文件格式都已规范\n`);
    return failed || n > 0 ? EXIT_INPUT : EXIT_OK;
  }
  for (const f of report.changed) io.out(`已格式化 ${f}\n`);
  io.out(n > 0
    ? `✓ 已格式化 ${n} 个文件（共检查 ${report.checked.length} 个）\n`
    : `✓ ${failed ? '其余 ' : ''}${report.checked.length} 个文件格式都已规范，无需改动\n`);
  return failed ? EXIT_INPUT : EXIT_OK;
}
