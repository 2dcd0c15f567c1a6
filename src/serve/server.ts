import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { build } from '../pipeline/build.js';
import type { OutputKind } from '../pipeline/kind.js';
import type { Diagnostic } from '../diagnostics.js';
import { errorPage, messagePage } from './error-page.js';
import { EVENTS_PATH, injectPreview, PDF_PATH } from './inject.js';
import { pdfTarget, resolveInside } from './paths.js';

export interface ServeOptions {
  projectDir: string;
  /** Default 4000; 0 picks any free port. */
  port?: number;
  /** Default 127.0.0.1: the preview is for this machine only. */
  host?: string;
  /** Quiet time after the last change before rebuilding (default 100 ms). */
  debounceMs?: number;
  /** Watch the project and rebuild on change (default true). */
  watch?: boolean;
  /** Called after every build of the site, the first one included. */
  onBuild?: (outcome: BuildOutcome) => void;
  /** Problems of the server itself (a watcher error, a failed response). */
  onWarning?: (message: string) => void;
}

/** One build of the previewed site. `id` counts builds from 1 (the initial build). */
export interface BuildOutcome {
  id: number;
  ok: boolean;
  diagnostics: Diagnostic[];
  ms: number;
  /** Source files left out for their errors (the rest of the site was built), and their pages (site-relative). */
  dropped?: string[];
  stale?: string[];
}

export interface PreviewServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  /** The folder whose files are served (the `html/` of a temporary build). */
  siteDir: string;
  /** Every temporary folder the server made; all are deleted by close(). */
  tempDirs: string[];
  /** Builds after the initial one. */
  readonly rebuilds: number;
  readonly lastBuild: BuildOutcome;
  /** Resolves after the next build of the site finishes. */
  nextBuild(): Promise<BuildOutcome>;
  /** Stops watching and serving, waits for running builds and deletes the temporary folders. */
  close(): Promise<void>;
}

/** The server could not start (the port is taken, say); nothing is left behind. */
export class ServeError extends Error {}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
};

const ROOT_POLL_MS = 1000;
const PING_MS = 20_000;

/** Builds the project's HTML into a temporary folder, serves it, and rebuilds and reloads on change. */
export async function startServer(opts: ServeOptions): Promise<PreviewServer> {
  const preview = new Preview(opts);
  try {
    await preview.start();
  } catch (e) {
    await preview.close();
    throw e;
  }
  return preview.api();
}

interface KindPdf {
  gen: number;
  done: Promise<{ ok: boolean; diagnostics: Diagnostic[] }>;
}

class Preview {
  private readonly projectDir: string;
  private readonly debounceMs: number;
  private siteOut = '';
  private pdfOut = '';
  private readonly tempDirs: string[] = [];
  private readonly server: http.Server;
  private watcher?: FSWatcher;
  /** Whether the project folder is there: a folder moved away and back needs a new watcher. */
  private rootPoll?: NodeJS.Timeout;
  private rootGone = false;
  private readonly clients = new Set<http.ServerResponse>();
  private ping?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private dirty = false;
  private closed = false;
  private closing?: Promise<void>;
  /** Counts source changes seen by the watcher; a cached PDF build is reused while it is unchanged. */
  private sourceGen = 0;
  private readonly pdfBuilds = new Map<OutputKind, KindPdf>();
  private last: BuildOutcome = { id: 0, ok: false, diagnostics: [], ms: 0 };
  private waiters: ((b: BuildOutcome) => void)[] = [];
  private port = 0;
  /** Tells this server's builds from those of an earlier run, so open pages reload after a restart too. */
  private readonly instance = randomBytes(4).toString('hex');

  constructor(private readonly opts: ServeOptions) {
    this.projectDir = path.resolve(opts.projectDir);
    this.debounceMs = opts.debounceMs ?? 100;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        this.opts.onWarning?.(`处理 ${req.url} 时出错：${(e as Error)?.message ?? String(e)}`);
        if (!res.headersSent) send(res, 500, 'text/html; charset=utf-8', messagePage('预览服务器出错', String((e as Error)?.message ?? e)), req.method === 'HEAD');
        else res.destroy();
      });
    });
  }

  get siteDir(): string {
    return path.join(this.siteOut, 'html');
  }

  async start(): Promise<void> {
    this.siteOut = await this.tempDir('normkit-serve-');
    this.pdfOut = await this.tempDir('normkit-serve-pdf-');
    await this.buildSite();
    if (this.opts.watch !== false) await this.startWatcher();
    await this.listen(this.opts.port ?? 4000, this.opts.host ?? '127.0.0.1');
    this.ping = setInterval(() => { for (const c of this.clients) c.write(': ping\n\n'); }, PING_MS);
    this.ping.unref();
  }

  api(): PreviewServer {
    const self = this;
    const host = this.opts.host ?? '127.0.0.1';
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${this.port}/`,
      port: this.port,
      siteDir: this.siteDir,
      tempDirs: [...this.tempDirs],
      get rebuilds() { return Math.max(0, self.last.id - 1); },
      get lastBuild() { return self.last; },
      nextBuild: () => new Promise<BuildOutcome>((resolve) => { this.waiters.push(resolve); }),
      close: () => this.close(),
    };
  }

  private async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    this.tempDirs.push(dir);
    return dir;
  }

  private listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        if (e.code === 'EADDRINUSE') reject(new ServeError(`端口 ${port} 已被占用。请用 --port 指定其他端口，或用 --port 0 自动选择空闲端口。`));
        else if (e.code === 'EACCES') reject(new ServeError(`没有权限使用端口 ${port}。请用 --port 指定 1024 以上的端口。`));
        else reject(e);
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.server.on('error', (e) => this.opts.onWarning?.(`预览服务器出错：${e.message}`));
        const addr = this.server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : port;
        resolve();
      });
    });
  }

  // ---- building -------------------------------------------------------------------------------

  /** The one place the site is built; a later incremental build replaces this call. */
  private async buildSite(): Promise<void> {
    const started = performance.now();
    let ok = false;
    let diagnostics: Diagnostic[];
    let dropped: string[] = [];
    let stale: string[] = [];
    try {
      // one broken file must not take the whole preview down: the rest is built, its pages say what is wrong
      const r = await build({ projectDir: this.projectDir, outDir: this.siteOut, formats: ['html'], keepGoing: true });
      ok = r.ok;
      diagnostics = r.diagnostics.list;
      dropped = r.dropped;
      stale = r.stale.filter((p) => p.startsWith('html/')).map((p) => p.slice('html/'.length));
      if (!ok && r.diagnostics.errorCount === 0) diagnostics = [...diagnostics, internalProblem('构建没有完成，但没有报告错误。')];
    } catch (e) {
      diagnostics = [internalProblem((e as Error)?.message ?? String(e))];
    }
    this.last = { id: this.last.id + 1, ok, diagnostics, ms: performance.now() - started, dropped, stale };
    this.broadcast();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(this.last);
    this.opts.onBuild?.(this.last);
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.debounceMs);
  }

  /** Runs builds one at a time; changes during a build cause one more build after it. */
  private kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = (async () => {
      do {
        this.dirty = false;
        await this.buildSite();
      } while (this.dirty && !this.closed);
    })().finally(() => { this.running = undefined; });
  }

  private async startWatcher(): Promise<void> {
    const root = this.projectDir;
    const watcher = watch(root, {
      ignoreInitial: true,
      // a link to a folder is not followed: it may lead out of the project or round in a loop
      followSymlinks: false,
      ignored: (p: string) => {
        const rel = path.relative(root, p);
        if (rel === '' || rel.startsWith('..')) return false;
        const parts = rel.split(path.sep);
        if (parts[0] === 'out') return true;
        return parts.some((s) => s.startsWith('.') || s === 'node_modules' || s.endsWith('~'));
      },
    });
    this.watcher = watcher;
    watcher.on('all', (event, p) => {
      // chokidar drops every watch when the folder itself goes: the poll starts a new watcher once it is back
      if (event === 'unlinkDir' && p === root) this.rootGone = true;
      this.sourceGen++;
      this.schedule();
    });
    watcher.on('error', (e) => this.opts.onWarning?.(`监视文件时出错：${(e as Error)?.message ?? String(e)}`));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    this.rootPoll ??= setInterval(() => { void this.checkRoot(); }, ROOT_POLL_MS).unref();
  }

  private async checkRoot(): Promise<void> {
    if (this.closed) return;
    const there = await stat(this.projectDir).then((st) => st.isDirectory(), () => false);
    if (there === !this.rootGone) return;
    this.rootGone = !there;
    if (there) {
      // the old watcher watched the folder that went away, not the one now at this path
      await this.watcher?.close().catch(() => undefined);
      if (this.closed) return;
      await this.startWatcher();
    }
    this.sourceGen++;
    this.schedule();
  }

  /** Builds the PDFs of one kind into the PDF folder, reusing the last build while no source changed. */
  private pdfFor(kind: OutputKind): Promise<{ ok: boolean; diagnostics: Diagnostic[] }> {
    const cached = this.pdfBuilds.get(kind);
    if (cached && cached.gen === this.sourceGen) return cached.done;
    const outDir = path.join(this.pdfOut, kind);
    const previous = cached?.done ?? Promise.resolve();
    const done = previous.then(
      () => undefined,
      () => undefined,
    ).then(async () => {
      try {
        const r = await build({ projectDir: this.projectDir, outDir, formats: ['pdf'], only: [kind] });
        return { ok: r.ok, diagnostics: r.diagnostics.list };
      } catch (e) {
        return { ok: false, diagnostics: [internalProblem((e as Error)?.message ?? String(e))] };
      }
    });
    this.pdfBuilds.set(kind, { gen: this.sourceGen, done });
    return done;
  }

  // ---- serving --------------------------------------------------------------------------------

  /** host:port forms this server answers to: a page elsewhere that rebinds its own name to 127.0.0.1 sends its own Host. */
  private allowedHosts(): Set<string> {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
    const host = this.opts.host ?? '127.0.0.1';
    names.add(host.includes(':') ? `[${host}]` : host);
    return new Set([...names].map((n) => `${n}:${this.port}`));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const head = req.method === 'HEAD';
    const allowed = this.allowedHosts();
    if (!allowed.has((req.headers.host ?? '').toLowerCase())) {
      send(res, 421, 'text/plain; charset=utf-8', `预览服务器只接受发往 ${[...allowed][0]} 的请求。\n`, head);
      return;
    }
    // a page of another site may still send a request (a form, an image): nothing it sends starts work
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.has(origin.replace(/^http:\/\//, '').toLowerCase())) {
      send(res, 403, 'text/plain; charset=utf-8', '预览服务器不接受来自其他网站的请求。\n', head);
      return;
    }
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', '只支持 GET 和 HEAD 请求。\n', false);
      return;
    }
    const raw = req.url ?? '/';
    const rawPath = raw.split(/[?#]/, 1)[0] || '/';
    const query = new URLSearchParams(raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '');

    if (rawPath === EVENTS_PATH) return this.events(req, res);
    if (rawPath === PDF_PATH) {
      // a link on another site opens this too: only the preview's own pages (or a typed address) start a PDF build
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin' && site !== 'none') {
        send(res, 403, 'text/plain; charset=utf-8', '预览服务器不接受来自其他网站的 PDF 请求。\n', head);
        return;
      }
      return this.pdf(query.get('page') ?? '', res, head);
    }
    // the pages' own “下载 PDF” links (../pdf/x.pdf, above the site folder: the browser asks for /pdf/x.pdf)
    // are built on demand like the floating button's
    const pdfLink = /^\/pdf\/(.+)\.pdf$/.exec(rawPath);
    if (pdfLink) {
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin' && site !== 'none') {
        send(res, 403, 'text/plain; charset=utf-8', '预览服务器不接受来自其他网站的 PDF 请求。\n', head);
        return;
      }
      let page: string;
      try {
        page = decodeURIComponent(pdfLink[1]!);
      } catch {
        page = '';
      }
      return this.pdf(page === 'catalog' ? 'index.html' : `${page}.html`, res, head);
    }
    if (rawPath.startsWith('/__normkit/')) {
      this.page(res, 404, messagePage('找不到页面', `预览服务器没有 ${rawPath} 这个地址。`), head);
      return;
    }

    const file = resolveInside(this.siteDir, rawPath);
    if (!file) {
      this.page(res, 403, messagePage('拒绝访问', '请求的路径超出了预览的文件夹。'), head);
      return;
    }
    const ext = path.extname(file).toLowerCase();
    const isPage = rawPath.endsWith('/') || ext === '.html' || ext === '.htm' || ext === '';
    if (isPage && !this.last.ok) {
      this.page(res, 200, errorPage(this.last.diagnostics, { projectDir: this.projectDir }), head);
      return;
    }
    const rel0 = path.relative(this.siteDir, file).split(path.sep).join('/');
    if (isPage && this.last.stale?.includes(rel0)) {
      // the page of a broken source would be its last good version: show what is wrong instead
      const broken = new Set(this.last.dropped);
      this.page(res, 200, errorPage(this.last.diagnostics.filter((d) => broken.has(d.file)), { projectDir: this.projectDir }), head);
      return;
    }
    let target = file;
    let st = await stat(target).catch(() => undefined);
    if (st?.isDirectory()) {
      target = path.join(target, 'index.html');
      st = await stat(target).catch(() => undefined);
    }
    if (!st?.isFile()) {
      this.page(res, 404, messagePage('找不到页面', `预览中没有 ${safeDecode(rawPath)}。`), head);
      return;
    }
    const type = TYPES[path.extname(target).toLowerCase()] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) {
      const rel = path.relative(this.siteDir, target).split(path.sep).join('/');
      const pdf = pdfTarget(rel) ? `${PDF_PATH}?page=${encodeURIComponent(rel)}` : undefined;
      const html = await readFile(target, 'utf8');
      send(res, 200, type, injectPreview(html, this.buildTag, pdf, this.problemBanner()), head);
      return;
    }
    stream(res, target, st.size, type, head);
  }

  /** Names the files left out of the last build, for a banner on every page (none when all built). */
  private problemBanner(): string | undefined {
    const dropped = this.last.dropped ?? [];
    if (!dropped.length) return undefined;
    const errors = this.last.diagnostics.filter((d) => d.severity === 'error').length;
    return `项目中有 ${dropped.length} 个文件有错误（共 ${errors} 处）：${dropped.join('、')}。这些文件的页面显示错误说明，其他页面照常更新。`;
  }

  /** An HTML response with the preview script, so the page reloads after the next build. */
  private page(res: http.ServerResponse, status: number, html: string, head: boolean): void {
    send(res, status, 'text/html; charset=utf-8', injectPreview(html, this.buildTag), head);
  }

  private events(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    if (req.method === 'HEAD' || this.closed) {
      res.end();
      return;
    }
    res.write(`retry: 1000\n\nevent: build\ndata: ${this.buildTag}\n\n`);
    this.clients.add(res);
    const drop = (): void => { this.clients.delete(res); };
    req.on('close', drop);
    res.on('error', drop);
  }

  private broadcast(): void {
    for (const c of this.clients) c.write(`event: build\ndata: ${this.buildTag}\n\n`);
  }

  /** What a page remembers of the build it came from; the event stream sends the current one. */
  private get buildTag(): string {
    return `${this.instance}-${this.last.id}`;
  }

  private async pdf(page: string, res: http.ServerResponse, head: boolean): Promise<void> {
    const target = pdfTarget(page);
    if (!target) {
      this.page(res, 404, messagePage('没有 PDF', `页面“${page}”没有对应的 PDF。`), head);
      return;
    }
    if (!this.last.ok) {
      this.page(res, 200, errorPage(this.last.diagnostics, { projectDir: this.projectDir }), head);
      return;
    }
    const r = await this.pdfFor(target.kind);
    if (this.closed) {
      res.destroy();
      return;
    }
    if (!r.ok) {
      this.page(res, 200, errorPage(r.diagnostics, { projectDir: this.projectDir }), head);
      return;
    }
    const file = resolveInside(path.join(this.pdfOut, target.kind), target.pdf);
    const st = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !st?.isFile()) {
      this.page(res, 404, messagePage('没有 PDF', `构建没有生成 ${target.pdf}。`), head);
      return;
    }
    res.setHeader('Content-Disposition', `inline; filename="${path.basename(file).replace(/[^\w.-]/g, '_')}"`);
    stream(res, file, st.size, 'application/pdf', head);
  }

  // ---- shutdown -------------------------------------------------------------------------------

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.ping) clearInterval(this.ping);
    if (this.rootPoll) clearInterval(this.rootPoll);
    await this.watcher?.close().catch(() => undefined);
    for (const c of this.clients) c.end();
    this.clients.clear();
    if (this.server.listening) {
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    }
    await this.running?.catch(() => undefined);
    await Promise.allSettled([...this.pdfBuilds.values()].map((b) => b.done));
    await Promise.all(this.tempDirs.map((d) => rm(d, { recursive: true, force: true, maxRetries: 3 })));
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(this.last);
  }
}

function internalProblem(message: string): Diagnostic {
  return { file: '.', severity: 'error', rule: 'build-failed', message: `构建时出错：${message}` };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function send(res: http.ServerResponse, status: number, type: string, body: string, head: boolean): void {
  const data = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': data.byteLength,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(head ? undefined : data);
}

function stream(res: http.ServerResponse, file: string, size: number, type: string, head: boolean): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (head) {
    res.end();
    return;
  }
  const s = createReadStream(file);
  s.on('error', () => res.destroy());
  s.pipe(res);
}
