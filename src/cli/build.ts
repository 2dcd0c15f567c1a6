import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, BuildInterrupted, OutputFolderError } from '../pipeline/build.js';
import { maxWorkers } from '../pipeline/pool.js';
import { OutputLocked } from '../write/lock.js';
import { UntrustedJournal } from '../write/output.js';
import { FORMATS, OUTPUT_KINDS, type Format, type OutputKind } from '../pipeline/kind.js';
import { formatText } from '../diagnostics-format.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { BuildProgress, buildSummary, filesText, warningsText, type Verbosity } from './progress.js';
import { resolveProjectDir } from './project-dir.js';

export const buildHelp = `normkit build [dir] [--out DIR] [--format html,pdf,docx,xlsx] [--only catalog,standards,posters,guides,checklists,search]
  先检查项目，无错误时生成 HTML 与 PDF。输出先写入临时文件夹，全部成功后才替换 out/，失败时保留上一次的输出。
  --out DIR        输出文件夹（默认：指定了项目文件夹时为该项目的 out/，否则为当前文件夹的 out/）
  --format LIST    html、pdf、docx、xlsx 中的一种或几种（默认 html,pdf；docx 为可在 Word/WPS 中编辑的标准、办事指南、考评表和考评结果；xlsx 为可填写的考评表工作簿）
  --only LIST      只生成这些种类：${OUTPUT_KINDS.join(', ')}
  --quiet          只在出错时输出（只列错误）
  --verbose        列出写入的每个文件和全部警告
  --force          忽略上次构建的记录，全部重新生成（默认只重新生成有变化的文件）
  --strict         有警告（包括上墙公示的压缩、换幅面和续页）也视为失败，以 1 退出，输出保持不变
  --keep-going     有错误的文件跳过，其余照常生成；有错误的文件的输出保留上次的版本（在 normkit-build.json 中标为 stale），以 1 退出
  --workers N      生成 PDF 的工作线程数（默认自动；0 表示在主线程中生成）
`;

export async function buildCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      format: { type: 'string', default: 'html,pdf' },
      only: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'keep-going': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      workers: { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new UsageError('build 只接受一个项目文件夹。');
  if (values.quiet && values.verbose) throw new UsageError('--quiet 和 --verbose 不能同时使用。');
  const verbosity: Verbosity = values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal';
  const formats = list(values.format!, FORMATS, '--format') as Format[];
  const only = values.only ? (list(values.only, OUTPUT_KINDS, '--only') as OutputKind[]) : undefined;
  const projectDir = resolveProjectDir(positionals[0]);
  // a project named on the command line builds into its own out/, never into the current folder's
  const outDir = path.resolve(values.out ?? (positionals[0] === undefined ? 'out' : path.join(projectDir, 'out')));
  const started = performance.now();
  let result;
  // First Ctrl-C (or SIGTERM) stops the build before it touches the output; a second one is told to wait.
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      io.err('normkit build: 正在清理临时文件，请稍候……\n');
      return;
    }
    // what happens to the output is told once it is known: a signal during the commit lets it finish
    io.err('\nnormkit build: 收到中止信号，正在停止……\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = new BuildProgress({ io, verbosity });
  try {
    let workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) throw new UsageError('--workers 应为非负整数（0 表示不用工作线程）。');
    if (workers !== undefined && workers > maxWorkers()) {
      io.err(`normkit build: --workers ${workers} 超过本机的处理器和内存能承受的数量，已改为 ${maxWorkers()}。\n`);
      workers = maxWorkers();
    }
    result = await build({ projectDir, outDir, formats, only, force: values.force, keepGoing: values['keep-going'], strict: values.strict, workers, signal: controller.signal, onProgress: progress.onProgress });
  } catch (e) {
    if (e instanceof OutputFolderError || e instanceof OutputLocked || e instanceof UntrustedJournal) throw new UsageError(e.message);
    if (e instanceof BuildInterrupted) {
      io.err(`normkit build: 已中止，${outDir} 保持不变。\n`);
      return 130;
    }
    if (isFsError(e)) throw new UsageError(`写入输出时出错（${(e as NodeJS.ErrnoException).code}：${(e as NodeJS.ErrnoException).path ?? outDir}）。输出文件夹保持不变。请检查磁盘空间和写入权限。`);
    throw e;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const diags = result.diagnostics;
  if (!result.ok) {
    const byWarnings = values.strict && diags.errorCount === 0;
    io.err(formatText(verbosity === 'quiet' && !byWarnings ? diags.list.filter((d) => d.severity === 'error') : diags.list));
    io.err(byWarnings ? `构建未完成（--strict：有 ${diags.warningCount} 个警告）：${outDir} 保持不变。\n` : `构建未完成：${outDir} 保持不变。\n`);
    return EXIT_INPUT;
  }
  if (controller.signal.aborted) io.err(`normkit build: 中止信号到达时新的输出已在移入 ${outDir}；为保持输出完整，构建已完成，新的输出已就位。\n`);
  const warnings = warningsText(diags.list, verbosity);
  if (warnings) io.err(warnings);
  if (verbosity === 'verbose') io.err(filesText(result, outDir));
  if (verbosity !== 'quiet') io.out(buildSummary(result, outDir, performance.now() - started));
  if (result.dropped.length) {
    io.err(formatText(diags.list.filter((d) => d.severity === 'error')));
    io.err(`有错误的 ${result.dropped.length} 个文件没有生成（${result.dropped.join('、')}）；它们上次的 ${result.stale.length} 个输出保留未变，已在 normkit-build.json 中标为 stale。改正后重新构建即可更新。\n`);
    return EXIT_INPUT;
  }
  return EXIT_OK;
}

function list(raw: string, allowed: readonly string[], flag: string): string[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((i) => !allowed.includes(i));
  if (bad.length || items.length === 0) throw new UsageError(`${flag} 的值“${bad.join(',') || raw}”无效。可选：${allowed.join(', ')}。`);
  return items;
}

function isFsError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EDQUOT', 'EIO', 'ENOTDIR', 'EISDIR', 'ENOENT', 'EEXIST', 'EMFILE'].includes(code);
}
