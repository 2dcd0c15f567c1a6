import { parseArgs } from 'node:util';
import { checkProject } from '../check/check-project.js';
import { readEvidence } from '../check/evidence-input.js';
import { formatJson, formatText } from '../diagnostics-format.js';
import { loadProject } from '../load/project-loader.js';
import { locateDiagnostics } from '../load/locate.js';
import { checkRenderInputs } from '../pipeline/preflight.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

export const validateHelp = `normkit validate [dir] [--format text|json] [--strict]
  检查项目文件（schema 与跨文件规则），按文件列出问题。
  --format text|json  输出格式（默认 text）
  --strict            有警告时也以 1 退出
`;

export async function validateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, strict: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) throw new UsageError('validate 只接受一个项目文件夹。');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format 只能是 text 或 json，不是“${values.format}”。`);
  const dir = resolveProjectDir(positionals[0]);
  const loaded = await loadProject(dir);
  const ctx = checkProject(loaded);
  const diags = loaded.diagnostics;
  // evidence/ and calendar/ are checked like every source (nothing happens when they are absent)
  for (const d of (await readEvidence(loaded.root, ctx, loaded)).diags.list) diags.add(d);
  await checkRenderInputs(loaded.root, ctx, diags);
  // the posters' fit names key paths: their lines come from the files
  locateDiagnostics(loaded.root, diags.list);
  io.out(values.format === 'json' ? formatJson(diags.list) : formatText(diags.list));
  const failed = diags.errorCount > 0 || (values.strict && diags.warningCount > 0);
  return failed ? EXIT_INPUT : EXIT_OK;
}
