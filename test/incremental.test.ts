import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { formatManifest, parseManifest, type Manifest } from '../src/pipeline/manifest.js';
import { generateCounty } from '../bench/generate.js';
import { REPO, tempCopy, tempDir } from './helpers.js';

type Temp = { dir: string; cleanup: () => Promise<void> };
const temps: Temp[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((t) => t.cleanup()));
});
async function temp(copy = false): Promise<Temp> {
  const t = copy ? await tempCopy() : await tempDir();
  temps.push(t);
  return t;
}

async function hashes(dir: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    // what each source held when read, by file stamp: this machine's, not part of the output
    if (path.relative(dir, full) === '.parts/files.bin') continue;
    map.set(path.relative(dir, full), createHash('sha256').update(await readFile(full)).digest('hex'));
  }
  return new Map([...map].sort());
}

const formats = ['html', 'pdf'] as const;

describe('incremental builds', () => {
  it('rebuilds only what an edited item feeds, and matches a clean build byte for byte', async () => {
    const proj = await temp(true);
    const out = await temp();
    const first = await build({ projectDir: proj.dir, outDir: out.dir, formats: [...formats] });
    expect(first.ok).toBe(true);
    const items = path.join(proj.dir, 'items');
    const dep = (await readdir(items)).sort()[0]!;
    const file = path.join(items, dep, (await readdir(path.join(items, dep))).sort()[0]!);
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^name: (.*)$/m, 'name: $1（修订）'));

    const second = await build({ projectDir: proj.dir, outDir: out.dir, formats: [...formats] });
    expect(second.ok).toBe(true);
    expect(second.rendered.length).toBeGreaterThan(0);
    expect(second.rendered.length).toBeLessThan(first.rendered.length);
    expect(second.rendered.filter((p) => p.includes('/standards/') || p.includes('catalog'))).toEqual([]);

    const clean = await temp();
    expect((await build({ projectDir: proj.dir, outDir: clean.dir, formats: [...formats] })).ok).toBe(true);
    expect(await hashes(out.dir)).toEqual(await hashes(clean.dir));
  });

  it('booklets copy the pages of unchanged items from the last build, and still match a clean build', async () => {
    const proj = await temp(true);
    const out = await temp();
    const opts = { projectDir: proj.dir, outDir: out.dir, formats: ['pdf' as const], only: ['guides' as const], workers: 0 };
    const matchesClean = async (): Promise<void> => {
      const clean = await temp();
      expect((await build({ ...opts, outDir: clean.dir })).ok).toBe(true);
      expect(await hashes(out.dir)).toEqual(await hashes(clean.dir));
    };
    expect((await build(opts)).ok).toBe(true);
    const items = path.join(proj.dir, 'items');
    const files = (await readdir(items, { recursive: true })).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(items, f));
    const codeOf = async (f: string): Promise<string> => /^code: "?([^"\n]+)"?$/m.exec(await readFile(f, 'utf8'))![1]!;
    const parts = path.join(out.dir, '.parts/guides');

    // a renamed item keeps its pages: every other item's pages are copied, so their parts are not even read
    const renamed = files[3]!;
    const saved = new Map<string, Buffer>();
    for (const name of await readdir(parts)) {
      if (name === `${await codeOf(renamed)}.nkp`) continue;
      saved.set(name, await readFile(path.join(parts, name)));
      await writeFile(path.join(parts, name), 'not a part');
    }
    await writeFile(renamed, (await readFile(renamed, 'utf8')).replace(/^name: (.*)$/m, 'name: $1（修订）'));
    const r = await build(opts);
    expect(r.ok).toBe(true);
    expect(r.rendered).toContain('pdf/guides/all.pdf');
    for (const [name, bytes] of saved) await writeFile(path.join(parts, name), bytes);
    await matchesClean();

    // the same characters in another order show no new glyph: the fonts are copied too
    await writeFile(renamed, (await readFile(renamed, 'utf8')).replace('（修订）', '（订修）'));
    expect((await build(opts)).ok).toBe(true);
    await matchesClean();

    // an item that grows by pages moves the items after it
    await writeFile(files[1]!, longer(await readFile(files[1]!, 'utf8')));
    expect((await build(opts)).ok).toBe(true);
    await matchesClean();

    // an item taken out, and one added
    await rm(files[5]!);
    expect((await build(opts)).ok).toBe(true);
    await matchesClean();
    const added = (await readFile(files[2]!, 'utf8')).replace(/^code: "?(.+?)(\d)"?$/m, (_, a: string, d: string) => `code: "${a}${(Number(d) + 5) % 10}"`).replace(/^name: (.*)$/m, 'name: $1（新增）');
    await writeFile(files[2]!.replace(/\.yaml$/, '-added.yaml'), added);
    expect((await build(opts)).ok).toBe(true);
    await matchesClean();
  });

  it('a long 目录 keeps the pages whose lines did not change, and the booklet still matches a clean build', async () => {
    const proj = await temp();
    // ninety items: a 目录 of several pages
    await generateCounty(proj.dir, { items: 90, departments: 3, standards: 2, checklists: 1, results: 1, seed: 7 });
    const out = await temp();
    const opts = { projectDir: proj.dir, outDir: out.dir, formats: ['pdf' as const], only: ['guides' as const], workers: 0 };
    expect((await build(opts)).ok).toBe(true);
    const index = JSON.parse(await readFile(path.join(out.dir, '.parts/booklets/pdf/guides/all.pdf.nkx'), 'utf8')) as { toc: { key: string }[] };
    expect(index.toc.length).toBeGreaterThan(2);
    // an item on the last 目录 page is renamed: the pages before it are taken from the last booklet
    const items = (await readdir(path.join(proj.dir, 'items'), { recursive: true })).filter((f) => f.endsWith('.yaml')).sort();
    const last = path.join(proj.dir, 'items', items.at(-1)!);
    await writeFile(last, (await readFile(last, 'utf8')).replace(/^name: "?(.*?)"?$/m, 'name: "$1（修订）"'));
    expect((await build(opts)).ok).toBe(true);
    const after = JSON.parse(await readFile(path.join(out.dir, '.parts/booklets/pdf/guides/all.pdf.nkx'), 'utf8')) as { toc: { key: string }[] };
    expect(after.toc.filter((p, i) => p.key === index.toc[i]?.key).length).toBeGreaterThan(0);
    const clean = await temp();
    expect((await build({ ...opts, outDir: clean.dir })).ok).toBe(true);
    expect(await hashes(out.dir)).toEqual(await hashes(clean.dir));
  });

  it('a build on worker threads (reading the model from one shared copy) writes what a build in one thread writes', async () => {
    const proj = await temp(true);
    const pooled = await temp();
    const single = await temp();
    const r = await runCli(['build', proj.dir, '--out', pooled.dir, '--workers', '2', '--quiet']).done;
    expect(r.code, r.err).toBe(0);
    expect((await runCli(['build', proj.dir, '--out', single.dir, '--workers', '0', '--quiet']).done).code).toBe(0);
    const a = await hashes(pooled.dir);
    expect([...a.keys()].filter((f) => f.endsWith('.nkx')).length).toBeGreaterThan(1);
    expect(a).toEqual(await hashes(single.dir));
  });

  it('an edited standard re-renders standards and the catalog, not items or checklists', async () => {
    const proj = await temp(true);
    const out = await temp();
    expect((await build({ projectDir: proj.dir, outDir: out.dir, formats: [...formats] })).ok).toBe(true);
    const file = path.join(proj.dir, 'catalog/provision/2002-2024-one-time-notification.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('## 范围\n', '## 范围\n\n本文件已修订。\n'));
    const r = await build({ projectDir: proj.dir, outDir: out.dir, formats: [...formats] });
    expect(r.rendered).toContain('pdf/catalog.pdf');
    expect(r.rendered.some((p) => p.startsWith('pdf/standards/'))).toBe(true);
    expect(r.rendered.filter((p) => /posters|guides|checklists|reports|departments/.test(p))).toEqual([]);
  });

  it('deleting a source removes its outputs; --force re-renders everything', async () => {
    const proj = await temp(true);
    const out = await temp();
    const first = await build({ projectDir: proj.dir, outDir: out.dir, formats: ['pdf'], only: ['catalog', 'standards'] });
    const target = first.files.find((f) => f.includes('Q-YLZW-2009'))!;
    expect(target).toBeDefined();
    await rm(path.join(proj.dir, 'catalog/provision/2009-2025-online-service.md'));
    const r = await build({ projectDir: proj.dir, outDir: out.dir, formats: ['pdf'], only: ['catalog', 'standards'] });
    expect(r.files).not.toContain(target);
    await expect(readFile(path.join(out.dir, target))).rejects.toThrow();
    const forced = await build({ projectDir: proj.dir, outDir: out.dir, formats: ['pdf'], only: ['catalog', 'standards'], force: true });
    expect(forced.rendered.length).toBe(forced.files.filter((f) => f.endsWith('.pdf')).length);
  });

  it('a damaged page part stops the build with one line naming --force; the output stays as it was', async () => {
    const proj = await temp(true);
    const out = await temp();
    expect((await build({ projectDir: proj.dir, outDir: out.dir, formats: ['pdf'], only: ['guides'] })).ok).toBe(true);
    const parts = path.join(out.dir, '.parts/guides');
    const names = (await readdir(parts)).sort();
    for (const name of names) await writeFile(path.join(parts, name), 'not a part');
    const before = await hashes(out.dir);
    // an item that grows by pages moves every later item, so the booklets read their (damaged) parts
    const items = path.join(proj.dir, 'items');
    const dep = (await readdir(items)).sort()[0]!;
    const file = path.join(items, dep, (await readdir(path.join(items, dep))).sort()[0]!);
    await writeFile(file, longer(await readFile(file, 'utf8')));
    const r = await runCli(['build', proj.dir, '--out', out.dir, '--format', 'pdf', '--only', 'guides', '--workers', '0']).done;
    expect(r.code).toBe(2);
    expect(names.some((n) => r.err.includes(`.parts/guides/${n}`))).toBe(true);
    expect(r.err).toContain('--force');
    expect(r.err).not.toMatch(/at .*\.js:\d+/);
    expect(await hashes(out.dir)).toEqual(before);
    const forced = await build({ projectDir: proj.dir, outDir: out.dir, formats: ['pdf'], only: ['guides'], force: true });
    expect(forced.ok).toBe(true);
  });

  it('--only and --format rebuild part of the output and keep the rest as it was', async () => {
    const out = await temp();
    const proj = await temp(true);
    expect((await build({ projectDir: proj.dir, outDir: out.dir, only: ['catalog', 'standards', 'posters'] })).ok).toBe(true);
    const before = await hashes(out.dir);
    const r = await build({ projectDir: proj.dir, outDir: out.dir, only: ['posters'], formats: ['pdf'], force: true });
    expect(r.ok).toBe(true);
    expect(r.rendered.every((p) => p.startsWith('pdf/posters/'))).toBe(true);
    const after = await hashes(out.dir);
    for (const [f, h] of before) if (f !== 'normkit-build.json') expect(after.get(f), f).toBe(h);
  });

  it('a changed template re-renders the pages that use it', async () => {
    const proj = await temp(true);
    const out = await temp();
    expect((await build({ projectDir: proj.dir, outDir: out.dir, formats: ['html'], only: ['catalog', 'standards'] })).ok).toBe(true);
    await mkdir(path.join(proj.dir, 'templates'), { recursive: true });
    const layout = await readFile(path.join(REPO, 'templates/layout.hbs'), 'utf8');
    await writeFile(path.join(proj.dir, 'templates/layout.hbs'), layout.replace('<body', '<!-- office layout --><body'));
    const r = await build({ projectDir: proj.dir, outDir: out.dir, formats: ['html'], only: ['catalog', 'standards'] });
    expect(r.rendered).toContain('html/index.html');
    expect(await readFile(path.join(out.dir, 'html/index.html'), 'utf8')).toContain('office layout');
  });
});

const exists = (f: string): Promise<boolean> => stat(f).then(() => true, () => false);

/** Polls `ready` until it holds; fails if the child ends first (the suite's timeout is the backstop). */
async function until(ready: () => Promise<boolean>, ended: Promise<unknown>): Promise<void> {
  let over = false;
  void ended.then(() => { over = true; });
  while (!(await ready())) {
    if (over) throw new Error('the build ended before the state the test waits for');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function runCli(args: string[]): { done: Promise<{ code: number | null; err: string }>; kill: (s: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/normkit.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const done = new Promise<{ code: number | null; err: string }>((resolve) => child.on('close', (code) => resolve({ code, err })));
  return { done, kill: (s) => child.kill(s) };
}

describe('interrupted and concurrent builds', () => {
  it('SIGINT or SIGTERM mid-build leaves the previous output byte-identical and no temporary files', async () => {
    const out = await temp();
    const proj = await temp(true);
    expect((await runCli(['build', proj.dir, '--out', out.dir, '--only', 'catalog,standards', '--quiet']).done).code).toBe(0);
    const before = await hashes(out.dir);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const c = runCli(['build', proj.dir, '--out', out.dir, '--force', '--workers', '0']);
      // mid-build by what the build does (it holds the lock), not by a timer a loaded machine outruns
      await until(() => exists(path.join(out.dir, '.normkit-lock')), c.done);
      c.kill(signal);
      if (signal === 'SIGINT') setTimeout(() => c.kill('SIGINT'), 30); // a second Ctrl-C
      const r = await c.done;
      expect(r.err).not.toMatch(/at .*\.js:\d+/);
      expect(await hashes(out.dir)).toEqual(before);
      expect((await readdir(out.dir)).filter((n) => n.startsWith('.normkit'))).toEqual([]);
    }
  });

  it('a build killed while committing is completed by the next one (journal): the output matches a clean build', async () => {
    const proj = await temp(true);
    const out = await temp();
    const opts = { formats: ['html' as const], only: ['catalog' as const, 'standards' as const] };
    expect((await build({ projectDir: proj.dir, outDir: out.dir, ...opts })).ok).toBe(true);
    const file = path.join(proj.dir, 'catalog/provision/2002-2024-one-time-notification.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('## 范围\n', '## 范围\n\n本文件已修订。\n'));
    const clean = await temp();
    expect((await build({ projectDir: proj.dir, outDir: clean.dir, ...opts })).ok).toBe(true);
    const before = await hashes(out.dir);
    const after = await hashes(clean.dir);
    const changed = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
    expect(changed.length).toBeGreaterThan(2);
    // what a build killed mid-commit leaves: its journal, the staged files not yet moved, one already moved
    const staging = '.normkit-staging-999999-deadbeef';
    for (const [i, rel] of changed.entries()) {
      const to = i === 0 ? path.join(out.dir, rel) : path.join(out.dir, staging, rel);
      await mkdir(path.dirname(to), { recursive: true });
      await writeFile(to, await readFile(path.join(clean.dir, rel)));
    }
    const pinned = [...new Set([...before.keys()].flatMap((f) => f.split(path.sep).slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))))];
    await writeFile(path.join(out.dir, '.normkit-journal'), JSON.stringify({ format: 'normkit-journal-1', staging, trash: '.normkit-trash-999999-deadbeef', remove: [], pinned }));
    const again = await build({ projectDir: proj.dir, outDir: out.dir, ...opts });
    expect(again.ok).toBe(true);
    expect(again.rendered).toEqual([]);
    expect((await readdir(out.dir)).filter((n) => n.startsWith('.normkit'))).toEqual([]);
    expect(await hashes(out.dir)).toEqual(after);
  });

  it('a second build into the same folder refuses while the first runs; a stale lock is taken over', async () => {
    const out = await temp();
    expect((await runCli(['build', '--out', out.dir, '--only', 'catalog', path.join(REPO, 'standards')]).done).code).toBe(0);
    const before = await hashes(out.dir);
    // a lock held by a live process (this test runner), so the refusal does not hang on a timing window
    await writeFile(path.join(out.dir, '.normkit-lock'), `${process.pid}\n`);
    const second = await runCli(['build', '--out', out.dir, '--force', path.join(REPO, 'standards')]).done;
    expect(second.code).toBe(2);
    expect(second.err).toContain('正在写入');
    expect(second.err).toContain(String(process.pid));
    await rm(path.join(out.dir, '.normkit-lock'));
    expect(await hashes(out.dir)).toEqual(before);
    // a lock left by a process that no longer exists
    await writeFile(path.join(out.dir, '.normkit-lock'), '999999\n');
    const third = await runCli(['build', '--out', out.dir, '--only', 'catalog', path.join(REPO, 'standards')]).done;
    expect(third.code).toBe(0);
    expect((await readdir(out.dir)).filter((n) => n.startsWith('.normkit'))).toEqual([]);
  });
});

describe('the build manifest', () => {
  it('round-trips one row per output, and another version’s or a damaged manifest is ignored', () => {
    const m: Manifest = new Map([
      ['html/index.html', { key: 'a1', kind: 'catalog', size: 120 }],
      ['html/assets/site.css', { key: 'b2', kind: 'assets', size: undefined }],
      // names a project may give its files: quotes, backslashes, control characters, half a surrogate pair
      ['pdf/guides/办事"指南"\\a\tb\ud800.pdf', { key: 'c3', kind: 'guides', size: 0 }],
    ]);
    const text = formatManifest(m);
    const rows = text.split('\n').filter((l) => l.startsWith('['));
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.replace(/,$/, ''))).toEqual([...m].map(([p, e]) => JSON.stringify(e.size === undefined ? [p, e.key, e.kind] : [p, e.key, e.kind, e.size])));
    expect(parseManifest(text)).toEqual(m);
    expect(parseManifest(text.replace(/"normkit": "[^"]+"/, '"normkit": "0.0.0-other"'))).toBeUndefined();
    expect(parseManifest(text.slice(0, 40))).toBeUndefined();
    expect(parseManifest(undefined)).toBeUndefined();
  });
});

/** The item with thirty more conditions: its guide runs to more pages. */
function longer(yaml: string): string {
  const extra = Array.from({ length: 30 }, (_, i) => `  - 补充条件第${i + 1}项：申请人应当如实提交有关材料，并对申请材料的真实性负责，不得隐瞒有关情况或者提供虚假材料`).join('\n');
  return yaml.replace(/^conditions:\n/m, `conditions:\n${extra}\n`);
}
