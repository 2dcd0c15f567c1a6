import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { errorPage, escapeHtml, messagePage } from '../src/serve/error-page.js';
import { injectPreview } from '../src/serve/inject.js';
import { pdfTarget, resolveInside } from '../src/serve/paths.js';
import { startServer, type PreviewServer } from '../src/serve/server.js';
import { tempCopy } from './helpers.js';

const STANDARD = 'catalog/basics/1001-2024-standard-system-guide.md';
const STANDARD_PAGE = 'standards/Q-YLZW-1001-2024.html';

/** A GET with the path sent exactly as given (fetch would normalize `..` away). */
function rawGet(url: string, rawPath: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads server-sent events until `count` events arrived. */
function readEvents(url: string, count: number): Promise<{ event: string; data: string }[]> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL('/__normkit/events', url), (res) => {
      expect(res.headers['content-type']).toContain('text/event-stream');
      let buf = '';
      const events: { event: string; data: string }[] = [];
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ?? '' });
          if (events.length >= count) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on('error', (e) => { if (!(e as NodeJS.ErrnoException).code?.startsWith('ECONNRESET')) reject(e); });
  });
}

describe('preview helpers', () => {
  it('maps pages to the PDF of their kind', () => {
    expect(pdfTarget('index.html')).toEqual({ kind: 'catalog', pdf: 'pdf/catalog.pdf' });
    expect(pdfTarget('/index.html')).toEqual({ kind: 'catalog', pdf: 'pdf/catalog.pdf' });
    expect(pdfTarget('standards/Q-YLZW-1001-2024.html')).toEqual({ kind: 'standards', pdf: 'pdf/standards/Q-YLZW-1001-2024.pdf' });
    expect(pdfTarget('posters/scjg-food.html')).toEqual({ kind: 'posters', pdf: 'pdf/posters/scjg-food.pdf' });
    expect(pdfTarget('guides/scjg/food.html')).toEqual({ kind: 'guides', pdf: 'pdf/guides/scjg/food.pdf' });
    expect(pdfTarget('checklists/five-star-center.html')).toEqual({ kind: 'checklists', pdf: 'pdf/checklists/five-star-center.pdf' });
    expect(pdfTarget('reports/2024-staff-li.html')?.pdf).toBe('pdf/reports/2024-staff-li.pdf');
    for (const bad of ['departments.html', 'checklists/index.html', 'assets/normkit.css', 'standards/../../etc/passwd.html', 'standards/x.pdf', 'other/x.html', 'standards//x.html', '../index.html/x.html']) {
      expect(pdfTarget(bad), bad).toBeUndefined();
    }
  });

  it('keeps resolved paths inside the served folder', () => {
    const root = path.resolve('/srv/site');
    expect(resolveInside(root, '/')).toBe(root);
    expect(resolveInside(root, '/standards/a.html')).toBe(path.join(root, 'standards/a.html'));
    expect(resolveInside(root, '/standards/../index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/%E6%A0%87%E5%87%86.html')).toBe(path.join(root, '标准.html'));
    for (const bad of ['/../etc/passwd', '/..', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/a/..%5c..%5c..%5cx', '/x%00.html', '/%E0%A4%A', '/C:/Windows/win.ini', '/../site-other/x']) {
      expect(resolveInside(root, bad), bad).toBeUndefined();
    }
  });

  it('escapes every value on the error page and lists each diagnostic as file:line:col  rule  message', () => {
    const html = errorPage([
      { file: 'items/<b>.yaml', line: 3, column: 7, severity: 'error', rule: 'bad-"rule"', message: '值“<script>alert(1)</script>”无效 & 错误' },
      { file: 'project.yaml', severity: 'warning', rule: 'w<1>', message: "it's <i>" },
    ], { projectDir: '/tmp/<proj>' });
    expect(html).toContain('<h1>构建失败：项目中有 1 个错误</h1>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('/tmp/&lt;proj&gt;');
    expect(html).toContain('bad-&quot;rule&quot;');
    expect(html).toContain('it&#39;s &lt;i&gt;');
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('items/&lt;b&gt;.yaml:3:7  bad-&quot;rule&quot;  值“&lt;script&gt;');
    expect(text).toContain('project.yaml  w&lt;1&gt;  it&#39;s');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('serves valid HTML for its own pages', async () => {
    const hv = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off', 'no-trailing-whitespace': 'off' } });
    const pages = {
      error: errorPage([{ file: 'a.yaml', line: 1, column: 2, severity: 'error', rule: 'r', message: '<m>' }, { file: 'b.md', severity: 'warning', rule: 'w', message: 'w' }], { projectDir: '/p' }),
      message: messagePage('找不到页面', '预览中没有 <x>。'),
      injected: injectPreview(messagePage('t', 'm'), 'ab-1', '/__normkit/pdf?page=index.html'),
    };
    for (const [name, html] of Object.entries(pages)) {
      const report = await hv.validateString(html, `${name}.html`);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${name}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
    }
  });

  it('injects the reload script before </body> and escapes what it embeds', () => {
    const out = injectPreview('<html><body><p>x</p></body></html>', 'ab12-7', '/__normkit/pdf?page=a%3C%2Fscript%3E</script>');
    expect(out).toMatch(/<p>x<\/p><script data-normkit-preview>[\s\S]*EventSource\("\/__normkit\/events"\)[\s\S]*<\/script>\n<\/body><\/html>$/);
    expect(out).toContain('var built = "ab12-7";');
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    expect(injectPreview('<p>no body</p>', 'x-1')).toMatch(/^<p>no body<\/p><script/);
  });
});

describe('preview server on a copy of the sample', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let server: PreviewServer;
  const tempDirs: string[] = [];

  beforeAll(async () => {
    project = await tempCopy();
    server = await startServer({ projectDir: project.dir, port: 0 });
    tempDirs.push(...server.tempDirs);
  });
  afterAll(async () => {
    await server?.close();
    await project?.cleanup();
  });

  it('builds into temporary folders and listens on 127.0.0.1', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.lastBuild.ok).toBe(true);
    expect(server.rebuilds).toBe(0);
    for (const d of server.tempDirs) expect(path.relative(tmpdir(), d).startsWith('..')).toBe(false);
    expect(existsSync(path.join(server.siteDir, 'index.html'))).toBe(true);
    expect(existsSync(path.join(project.dir, 'out'))).toBe(false);
  });

  it('serves pages with the preview script injected, and leaves the built files script-free', async () => {
    const index = await rawGet(server.url, '/');
    expect(index.status).toBe(200);
    expect(index.type).toBe('text/html; charset=utf-8');
    expect(index.body).toContain("EventSource(\"/__normkit/events\")");
    expect(index.body).toContain('"/__normkit/pdf?page=index.html"');
    const std = await rawGet(server.url, `/${STANDARD_PAGE}`);
    expect(std.status).toBe(200);
    expect(std.body).toContain('政务服务标准体系编制指南');
    expect(std.body).toContain(`"/__normkit/pdf?page=${encodeURIComponent(STANDARD_PAGE)}"`);
    const onDisk = await readFile(path.join(server.siteDir, STANDARD_PAGE), 'utf8');
    expect(onDisk).not.toMatch(/<script/i);
    const css = await rawGet(server.url, '/assets/normkit.css');
    expect(css.status).toBe(200);
    expect(css.type).toBe('text/css; charset=utf-8');
    expect(css.body).not.toContain('EventSource');
    const missing = await rawGet(server.url, '/standards/nope.html');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('找不到页面');
    expect((await rawGet(server.url, '/', 'POST')).status).toBe(405);
    expect((await rawGet(server.url, '/__normkit/whatever')).status).toBe(404);
  });

  it('refuses paths that leave the served folder', async () => {
    // normkit-build.json lies one level above the served html/ folder: reachable only by traversal.
    for (const p of ['/../normkit-build.json', '/..%2fnormkit-build.json', '/%2e%2e/normkit-build.json', '/assets/..%2f..%2fnormkit-build.json', '/..%5cnormkit-build.json', '/../../../../../../etc/passwd', '/index.html%00.css']) {
      const r = await rawGet(server.url, p);
      expect(r.status, p).toBe(403);
      expect(r.body, p).not.toContain('"normkit"');
      expect(r.body, p).not.toContain('root:');
    }
    // `..` that stays inside is fine
    expect((await rawGet(server.url, '/standards/../index.html')).status).toBe(200);
    const pdf = await rawGet(server.url, `/__normkit/pdf?page=${encodeURIComponent('../normkit-build.json')}`);
    expect(pdf.status).toBe(404);
  });

  it('tells new event-stream clients which build is current', async () => {
    const [first] = await readEvents(server.url, 1);
    expect(first!.event).toBe('build');
    expect(first!.data).toMatch(new RegExp(`^[0-9a-f]{8}-${server.lastBuild.id}$`));
    // pages carry the same tag, and reload when the stream reports another one
    expect((await rawGet(server.url, '/')).body).toContain(`var built = "${first!.data}";`);
  });

  it('builds and streams the PDF of a page on demand', async () => {
    const res = await fetch(new URL(`/__normkit/pdf?page=${encodeURIComponent(STANDARD_PAGE)}`, server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const data = Buffer.from(await res.arrayBuffer());
    expect(data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const catalog = await fetch(new URL('/__normkit/pdf?page=index.html', server.url));
    expect(catalog.status).toBe(200);
    expect(Buffer.from(await catalog.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // only the requested kind was built, into the server's own temporary folder
    const pdfRoot = server.tempDirs.find((d) => path.basename(d).startsWith('normkit-serve-pdf-'))!;
    expect((await readdir(pdfRoot)).sort()).toEqual(['catalog', 'standards']);
    expect(await readdir(path.join(pdfRoot, 'standards', 'pdf'))).toEqual(['standards']);
    expect((await fetch(new URL('/__normkit/pdf?page=departments.html', server.url))).status).toBe(404);
    expect((await fetch(new URL('/__normkit/pdf?page=standards/none.html', server.url))).status).toBe(404);
  });

  it('rebuilds on change, shows an escaped error page while the project is broken, and recovers', async () => {
    const file = path.join(project.dir, STANDARD);
    const original = await readFile(file, 'utf8');
    const events = readEvents(server.url, 3);

    let next = server.nextBuild();
    await writeFile(file, original.replace('title: 政务服务标准体系编制指南', 'title: 政务服务标准体系编制指南（修订）'));
    let b = await next;
    expect(b.ok).toBe(true);
    expect(server.rebuilds).toBeGreaterThanOrEqual(1);
    expect((await rawGet(server.url, `/${STANDARD_PAGE}`)).body).toContain('政务服务标准体系编制指南（修订）');

    next = server.nextBuild();
    await writeFile(file, original.replace(/^status: current$/m, 'status: bogus<x>'));
    b = await next;
    // the broken standard is left out; the rest of the site is built around it
    expect(b.ok).toBe(true);
    expect(b.dropped).toEqual([STANDARD]);
    const page = await rawGet(server.url, `/${STANDARD_PAGE}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>构建失败：项目中有 1 个错误</h1>');
    expect(page.body).toContain(`<code class="where">${STANDARD}:6:9</code>  <code class="rule">invalid-value</code>`);
    expect(page.body).toContain('“bogus&lt;x&gt;”');
    expect(page.body).not.toContain('bogus<x>');
    expect(page.body).toContain('EventSource');
    for (const p of ['/', '/standards/Q-YLZW-1002-2024.html']) {
      const other = await rawGet(server.url, p);
      expect(other.status, p).toBe(200);
      expect(other.body, p).not.toContain('构建失败');
      expect(other.body, p).toContain(`项目中有 1 个文件有错误（共 1 处）：${STANDARD}`);
    }
    // assets still load; the PDF preview shows the same error page
    expect((await rawGet(server.url, '/assets/normkit.css')).status).toBe(200);
    expect((await rawGet(server.url, `/__normkit/pdf?page=${encodeURIComponent(STANDARD_PAGE)}`)).body).toContain('构建失败');

    next = server.nextBuild();
    await writeFile(file, original);
    b = await next;
    expect(b.ok).toBe(true);
    const back = await rawGet(server.url, `/${STANDARD_PAGE}`);
    expect(back.body).not.toContain('构建失败');
    expect(back.body).not.toContain('（修订）');
    const got = await events;
    expect(got.map((e) => e.event)).toEqual(['build', 'build', 'build']);
    const ids = got.map((e) => Number(e.data.split('-')[1]));
    expect(ids[2]).toBeGreaterThan(ids[0]!);
    expect(new Set(got.map((e) => e.data.split('-')[0])).size).toBe(1);
  });

  it('closes cleanly: no temporary folders left, no more connections', async () => {
    await server.close();
    for (const d of tempDirs) expect(existsSync(d), d).toBe(false);
    await expect(rawGet(server.url, '/')).rejects.toThrow();
    await server.close(); // twice is fine
  });
});

describe('normkit serve command', () => {
  let tmp: string;
  let savedTmp: string | undefined;
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    project = await tempCopy();
    tmp = await mkdtemp(path.join(tmpdir(), 'normkit-serve-cmd-'));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir() now points here, so leftovers would show
  });
  afterAll(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    await rm(tmp, { recursive: true, force: true });
    await project.cleanup();
  });

  it('serves until SIGINT, then exits 0 leaving nothing behind', async () => {
    let out = '';
    let err = '';
    const io = { out: (s: string) => { out += s; }, err: (s: string) => { err += s; }, tty: false };
    // Keep the worker's own handlers out of the way while the signal is simulated.
    const others = process.listeners('SIGINT');
    for (const l of others) process.off('SIGINT', l);
    try {
      const running = run(['serve', project.dir, '--port', '0'], io);
      const deadline = Date.now() + 60_000;
      while (!/http:\/\/127\.0\.0\.1:\d+\//.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)![0];
      expect(out).toContain('已生成预览');
      expect((await readdir(tmp)).length).toBe(2);
      expect((await fetch(url)).status).toBe(200);
      process.emit('SIGINT');
      expect(await running).toBe(0);
      expect(await readdir(tmp)).toEqual([]);
      expect(out).toContain('预览已停止');
      expect(err).toBe('');
      expect(process.listenerCount('SIGINT')).toBe(0);
    } finally {
      for (const l of others) process.on('SIGINT', l);
    }
  });

  it('reports a busy port and a bad --port as usage errors, leaving nothing behind', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      let err = '';
      const io = { out: () => {}, err: (s: string) => { err += s; }, tty: false };
      expect(await run(['serve', project.dir, '--port', String(port)], io)).toBe(2);
      expect(err).toContain(`端口 ${port} 已被占用`);
      expect(await readdir(tmp)).toEqual([]);
      err = '';
      expect(await run(['serve', project.dir, '--port', 'abc'], io)).toBe(2);
      expect(err).toContain('--port 的值“abc”无效');
      expect(await run(['serve', project.dir, '--port', '70000'], io)).toBe(2);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('has help', async () => {
    let out = '';
    expect(await run(['serve', '--help'], { out: (s) => { out += s; }, err: () => {}, tty: false })).toBe(0);
    expect(out).toContain('--port');
    expect(out).toContain('--open');
  });
});
