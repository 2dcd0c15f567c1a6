import { printable } from '../diagnostics-format.js';
import { ProjectNotFound } from '../load/project-not-found.js';
import { EXIT_USAGE, processIO, UsageError, type CliIO } from './io.js';

type Command = { run: (argv: string[], io: CliIO) => Promise<number>; help: string };

/** A command module exports `<name>Command` and `<name>Help`; it is imported only when used. */
function lazy(name: string, load: () => Promise<Record<string, unknown>>): () => Promise<Command> {
  return async () => {
    const m = await load();
    return { run: m[`${name}Command`] as Command['run'], help: m[`${name}Help`] as string };
  };
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: lazy('validate', () => import('./validate.js')),
  build: lazy('build', () => import('./build.js')),
  score: lazy('score', () => import('./score.js')),
  checklist: lazy('checklist', () => import('./checklist.js')),
  init: lazy('init', () => import('./init.js')),
  fmt: lazy('fmt', () => import('./fmt.js')),
  serve: lazy('serve', () => import('./serve.js')),
  diff: lazy('diff', () => import('./diff.js')),
  import: lazy('import', () => import('./import.js')),
  export: lazy('export', () => import('./export.js')),
  evidence: lazy('evidence', () => import('./evidence.js')),
};

const HELP = `normkit — 把服务标准（YAML/Markdown）编译成标准体系表、上墙公示、办事指南和考评表

用法：normkit <命令> [选项]

命令：
  validate [dir]            检查项目，列出错误和警告
  build [dir]               生成 HTML 和 PDF 到 out/
  score <result.yaml|.xlsx> 计算一份考评结果的得分和等次
  checklist derive <code>…  从标准的“应/不应”条款生成考评表
  checklist export [id…]    把考评表写成可填写的 .xlsx 工作簿
  diff <旧版> <新版>        比较标准的两个版本，起草主要技术变化，写出修订对照
  evidence [dir]            从好差评、办件和投诉记录计算满意率、按时办结率等，写出通报和台账
  init <dir>                新建一个可直接构建的示例项目
  fmt [dir] [--check]       规范 Markdown 与 YAML 的格式
  serve [dir]               本地预览，修改后自动刷新
  import items <表格>       导入政务服务平台导出的事项表（.xlsx/.csv）
  export items --xlsx       把项目的事项导出为同样格式的表格

通用选项：--help 显示帮助；--debug 出错时显示内部堆栈
退出码：0 成功；1 输入有问题；2 用法错误或内部错误
`;

/** Runs one command line; returns the exit code. Never lets a stack trace reach the user unless --debug. */
export async function run(argv: string[], io: CliIO = processIO): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${(await import('../version.js')).VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`normkit: 未知命令“${name}”。可用命令：${Object.keys(COMMANDS).join('、')}。运行 normkit --help 查看帮助。\n`);
    return EXIT_USAGE;
  }
  try {
    const cmd = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(cmd.help);
      return 0;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ProjectNotFound) {
      io.err(`normkit ${name}: ${printable(e.message)}\n`);
      return EXIT_USAGE;
    }
    if (isArgError(e)) {
      io.err(`normkit ${name}: ${printable((e as Error).message)}。运行 normkit ${name} --help 查看用法。\n`);
      return EXIT_USAGE;
    }
    const fsError = describeFsError(e);
    if (fsError && !debug) {
      io.err(`normkit ${name}: ${printable(fsError)}\n`);
      return EXIT_USAGE;
    }
    io.err(`normkit ${name}: 内部错误：${printable((e as Error)?.message ?? String(e))}\n`);
    if (debug) io.err(`${(e as Error)?.stack ?? ''}\n`);
    else io.err('（加 --debug 查看详细信息；如果问题持续，请报告给 normkit 维护者。）\n');
    return EXIT_USAGE;
  }
}

function isArgError(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}

const FS_ERRORS: Record<string, string> = {
  ENOSPC: '磁盘空间不足', EDQUOT: '磁盘配额已用完', EACCES: '没有权限', EPERM: '操作不被允许', EROFS: '文件系统是只读的',
  ENOENT: '文件或文件夹不存在（可能在处理过程中被删除或移动了）', ELOOP: '符号链接形成了循环', EIO: '磁盘读写出错',
  EMFILE: '同时打开的文件过多', ENFILE: '系统打开的文件过多', ENAMETOOLONG: '文件名过长', EBUSY: '文件正被占用',
  ENOTDIR: '路径中有一段不是文件夹', EISDIR: '应是文件的位置是一个文件夹', EXDEV: '不能跨磁盘移动文件', ENOTEMPTY: '文件夹不是空的',
};

/** A failed file operation (disk full, no permission, a file gone): one line for the user, not an internal error. */
function describeFsError(e: unknown): string | undefined {
  const err = e as { code?: unknown; syscall?: unknown; path?: unknown; dest?: unknown } | null;
  if (!err || typeof err.code !== 'string' || typeof err.syscall !== 'string' || !(err.code in FS_ERRORS)) return undefined;
  const where = typeof err.path === 'string' ? `：${err.path.replace(/\p{Cc}/gu, '?')}` : '';
  return `文件操作失败，${FS_ERRORS[err.code]}（${err.code}，${err.syscall}${where}）。请处理后重试。`;
}
