import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatText } from '../diagnostics-format.js';
import { ServeError, startServer, type BuildOutcome } from '../serve/server.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

export const serveHelp = `normkit serve [dir] [--port N] [--open]
  本地预览：只生成 HTML（写入系统临时文件夹，不动 out/），在 http://127.0.0.1:<端口>/ 提供浏览，
  修改项目文件后自动重新生成并刷新已打开的页面；有错误时页面列出全部问题，改正后自动恢复。
  每页右下角的“PDF 预览”按需生成该页的 PDF。按 Ctrl-C 停止，临时文件随之删除。
  --port N   端口（默认 4000；0 表示自动选择空闲端口）
  --open     启动后用默认浏览器打开
`;

export interface ServeCommandOptions {
  /** Stops the server like Ctrl-C does (tests use it instead of a signal). */
  signal?: AbortSignal;
  /** Called once the server listens. */
  onListening?: (url: string) => void;
}

export async function serveCommand(argv: string[], io: CliIO, opts: ServeCommandOptions = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4000' },
      open: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw new UsageError('serve 只接受一个项目文件夹。');
  const port = parsePort(values.port!);
  const projectDir = resolveProjectDir(positionals[0]);

  // a closed terminal or pipe must not crash the next rebuild's log line
  const quietPipe = (e: NodeJS.ErrnoException): void => { if (e.code !== 'EPIPE') throw e; };
  process.stdout.on('error', quietPipe);
  process.stderr.on('error', quietPipe);

  let server;
  try {
    server = await startServer({
      projectDir,
      port,
      onBuild: (b) => report(b, io),
      onWarning: (m) => io.err(`normkit serve: ${m}\n`),
    });
  } catch (e) {
    if (e instanceof ServeError) throw new UsageError(e.message);
    throw e;
  }
  // handlers first: a signal right after the address is printed must find them
  const stopped = new Promise<void>((resolve) => {
    // SIGHUP: the terminal was closed; the temporary folders go as on Ctrl-C
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const stop = (): void => {
      for (const s of signals) process.off(s, stop);
      opts.signal?.removeEventListener('abort', stop);
      resolve();
    };
    for (const s of signals) process.on(s, stop);
    if (opts.signal?.aborted) stop();
    else opts.signal?.addEventListener('abort', stop);
  });
  io.out(`normkit 预览：${server.url}  （项目 ${path.relative(process.cwd(), projectDir) || '.'}；按 Ctrl-C 停止）\n`);
  opts.onListening?.(server.url);
  if (values.open) openBrowser(server.url, io);

  await stopped;
  io.out('\n正在停止预览…\n');
  await server.close();
  io.out('✓ 预览已停止，临时文件已删除。\n');
  return EXIT_OK;
}

function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) throw new UsageError(`--port 的值“${raw}”无效。请给出 0 到 65535 之间的整数（0 表示自动选择）。`);
  return Number(raw);
}

function report(b: BuildOutcome, io: CliIO): void {
  const secs = (b.ms / 1000).toFixed(1);
  const what = b.id === 1 ? '已生成预览' : '已重新生成';
  if (b.ok) {
    const warnings = b.diagnostics.length;
    io.out(`✓ ${what}（${secs} 秒${warnings ? `，${warnings} 个警告` : ''}）\n`);
    return;
  }
  io.err(formatText(b.diagnostics));
  io.err(`✖ 构建失败（${secs} 秒）：浏览器中显示错误列表，改正后自动刷新。\n`);
}

function openBrowser(url: string, io: CliIO): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['explorer.exe', [url]]
    : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => io.err(`normkit serve: 无法自动打开浏览器，请手动访问 ${url}\n`));
    child.unref();
  } catch {
    io.err(`normkit serve: 无法自动打开浏览器，请手动访问 ${url}\n`);
  }
}
