import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/serve/server.js';
import { REPO, tempCopy } from './helpers.js';

/** A request with the headers given as they are (fetch would set its own Host). */
function request(url: string, headers: Record<string, string>, rawPath = '/'): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath, headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve keeps working around a broken source', () => {
  it('the broken file’s pages show its diagnostics, every page names the problem, the others keep updating', async () => {
    const p = await tempCopy();
    const server = await startServer({ projectDir: p.dir, port: 0, debounceMs: 20 });
    try {
      expect(server.lastBuild.ok).toBe(true);
      const broken = path.join(p.dir, 'items/zjj/construction-permit.yaml');
      const other = path.join(p.dir, 'items/mzj/divorce-registration.yaml');
      let next = server.nextBuild();
      await writeFile(broken, (await readFile(broken, 'utf8')).replace(/^name: .*$/m, 'name: [未闭合'));
      let b = await next;
      while (!(b.dropped ?? []).length) b = await server.nextBuild();
      expect(b.ok).toBe(true);
      const host = { host: `127.0.0.1:${server.port}` };
      const bad = await request(server.url, host, '/posters/530100-XK-0010.html');
      expect(bad.status).toBe(200);
      expect(bad.body).toContain('items/zjj/construction-permit.yaml');
      expect(bad.body).toContain('yaml-syntax');
      next = server.nextBuild();
      await writeFile(other, (await readFile(other, 'utf8')).replace(/^name: (.*)$/m, 'name: $1（预览中更新）'));
      b = await next;
      const good = await request(server.url, host, '/posters/530100-QR-0005.html');
      expect(good.status).toBe(200);
      expect(good.body).toContain('（预览中更新）');
      expect(good.body).toContain('项目中有 1 个文件有错误');
      expect(good.body).toContain('items/zjj/construction-permit.yaml');
    } finally {
      await server.close();
      await p.cleanup();
    }
  });
});

describe('serve: only this machine, only its own pages', () => {
  it('answers its own Host only (DNS rebinding), refuses other origins and cross-site PDF builds', async () => {
    const p = await tempCopy();
    const server = await startServer({ projectDir: p.dir, port: 0, watch: false });
    try {
      const host = `127.0.0.1:${server.port}`;
      expect((await request(server.url, { host })).status).toBe(200);
      expect((await request(server.url, { host: `localhost:${server.port}` })).status).toBe(200);
      const rebound = await request(server.url, { host: `attacker.example:${server.port}` });
      expect(rebound.status).toBe(421);
      expect([400, 421]).toContain((await request(server.url, {})).status); // Node answers 400 itself to HTTP/1.1 without Host
      expect((await request(server.url, { host, origin: 'http://attacker.example' })).status).toBe(403);
      expect((await request(server.url, { host, origin: `http://${host}` })).status).toBe(200);
      const pdf = '/__normkit/pdf?page=index.html';
      expect((await request(server.url, { host, 'sec-fetch-site': 'cross-site' }, pdf)).status).toBe(403);
    } finally {
      await server.close();
      await p.cleanup();
    }
  });

  it('survives the project folder moved away and back, and never follows a folder link round in a loop', async () => {
    const p = await tempCopy();
    await symlink('..', path.join(p.dir, 'items', 'loop'));
    const server = await startServer({ projectDir: p.dir, port: 0, debounceMs: 20 });
    /** Waits build by build (a build already under way may predate the change) until the page shows `text`. */
    const builtWith = async (text: string): Promise<void> => {
      for (let i = 0; i < 10; i++) {
        const index = await readFile(path.join(server.siteDir, 'index.html'), 'utf8').catch(() => '');
        if (server.lastBuild.ok && index.includes(text)) return;
        await server.nextBuild();
      }
      throw new Error(`no build showed ${text}`);
    };
    try {
      expect(server.lastBuild.ok).toBe(true);
      const away = `${p.dir}-away`;
      let next = server.nextBuild();
      await rename(p.dir, away);
      expect((await next).ok).toBe(false);
      // edited while away, then put back: the new text is built
      const project = path.join(away, 'project.yaml');
      await writeFile(project, (await readFile(project, 'utf8')).replace(/^organization: .*$/m, 'organization: 搬回来的政务服务中心'));
      await rename(away, p.dir);
      await builtWith('搬回来的政务服务中心');
      // and the new watcher sees edits again
      const back = path.join(p.dir, 'project.yaml');
      await writeFile(back, (await readFile(back, 'utf8')).replace('搬回来的政务服务中心', '再次修改的政务服务中心'));
      await builtWith('再次修改的政务服务中心');
    } finally {
      await server.close();
      await p.cleanup();
    }
  });
});

/** Runs `normkit serve` in a child whose temporary folder is its own, so what it leaves behind can be counted. */
async function child(args: string[]): Promise<{ proc: ReturnType<typeof spawn>; url: Promise<string>; tmp: string; exit: Promise<number | null> }> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'normkit-serve-child-'));
  const proc = spawn(process.execPath, [path.join(REPO, 'bin/normkit.js'), 'serve', ...args, '--port', '0'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    });
    proc.on('exit', () => reject(new Error(`serve exited before listening: ${out}`)));
  });
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, url, tmp, exit };
}

describe('serve: a closed terminal', () => {
  it('SIGHUP stops it as Ctrl-C does, leaving no temporary folder', async () => {
    const p = await tempCopy();
    const c = await child([p.dir]);
    try {
      await c.url;
      expect((await readdir(c.tmp)).some((n) => n.startsWith('normkit-serve-'))).toBe(true);
      c.proc.kill('SIGHUP');
      expect(await c.exit).toBe(0);
      expect(await readdir(c.tmp)).toEqual([]);
    } finally {
      c.proc.kill('SIGKILL');
      await rm(c.tmp, { recursive: true, force: true });
      await p.cleanup();
    }
  });

  it('a closed standard output does not crash the next rebuild', async () => {
    const p = await tempCopy();
    const c = await child([p.dir]);
    let err = '';
    c.proc.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
    try {
      await c.url;
      c.proc.stdout!.destroy();
      const site = path.join(c.tmp, (await readdir(c.tmp)).find((n) => /^normkit-serve-(?!pdf)/.test(n))!, 'html', 'index.html');
      const project = path.join(p.dir, 'project.yaml');
      await writeFile(project, (await readFile(project, 'utf8')).replace(/^organization: .*$/m, 'organization: 关闭终端后的政务服务中心'));
      // the rebuild is done when its page is in place (no clock involved)
      await new Promise<void>((resolve) => {
        const check = async (): Promise<void> => {
          if (existsSync(site) && (await readFile(site, 'utf8').catch(() => '')).includes('关闭终端后的政务服务中心')) resolve();
          else setTimeout(() => void check(), 50);
        };
        void check();
      });
      // one more change: the rebuild after a failed log line still happens
      await writeFile(project, (await readFile(project, 'utf8')).replace('关闭终端后的政务服务中心', '第二次修改的政务服务中心'));
      await new Promise<void>((resolve) => {
        const check = async (): Promise<void> => {
          if ((await readFile(site, 'utf8').catch(() => '')).includes('第二次修改的政务服务中心')) resolve();
          else setTimeout(() => void check(), 50);
        };
        void check();
      });
      expect(c.proc.exitCode).toBe(null);
      c.proc.kill('SIGTERM');
      expect(await c.exit).toBe(0);
      expect(err).not.toMatch(/EPIPE|内部错误/);
    } finally {
      c.proc.kill('SIGKILL');
      await rm(c.tmp, { recursive: true, force: true });
      await p.cleanup();
    }
  });
});
