import { execFileSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { ParseCache } from '../src/load/parse-cache.js';
import { VERSION } from '../src/version.js';
import { tempCopy, tempDir } from './helpers.js';

describe('parse cache', () => {
  it('gives back what was stored, as a fresh copy, and saves only what this build used, sorted', () => {
    const first = new ParseCache();
    first.set('yaml:b', { name: '结婚登记', days: [0, 1] });
    first.set('yaml:a', { x: 1 });
    const saved = first.toBuffer();
    expect(saved.toString('utf8').split('\n').slice(1, 3).map((l) => l.split('\t')[0])).toEqual(['yaml:a', 'yaml:b']);

    const second = ParseCache.from(saved);
    const v = second.get<{ name: string; days: number[] }>('yaml:b')!;
    expect(v).toEqual({ name: '结婚登记', days: [0, 1] });
    v.days.push(2); // a later change to the parsed data never reaches the cache
    expect(second.get('yaml:b')).toEqual({ name: '结婚登记', days: [0, 1] });
    expect(second.get('yaml:missing')).toBeUndefined();
    expect(second.changed).toBe(true); // yaml:a was not used: the next cache drops it
    expect(ParseCache.from(second.toBuffer()).get('yaml:a')).toBeUndefined();
  });

  it('keeps nothing JSON cannot carry, and ignores another version’s or a damaged cache', () => {
    const c = new ParseCache();
    c.set('yaml:nan', { v: Number.NaN });
    c.set('yaml:neg', { v: -0 });
    c.set('yaml:inf', [Number.POSITIVE_INFINITY]);
    const back = ParseCache.from(c.toBuffer());
    for (const k of ['yaml:nan', 'yaml:neg', 'yaml:inf']) expect(back.get(k)).toBeUndefined();
    expect(ParseCache.from(Buffer.from(`normkit 0.0.0-other\nyaml:a\t{"x":1}\n`)).get('yaml:a')).toBeUndefined();
    const damaged = ParseCache.from(Buffer.from(`normkit ${VERSION}\nyaml:a\t{"x":\nyaml:b\t2\n`));
    expect(damaged.get('yaml:a')).toBeUndefined();
    expect(damaged.get('yaml:b')).toBe(2);
  });

  it('is saved in shards: after one edit only the shards holding the old and the new entries are written', async () => {
    const proj = await tempCopy();
    const out = await tempDir();
    try {
      expect((await build({ projectDir: proj.dir, outDir: out.dir, formats: ['html'], only: ['posters'], workers: 0 })).ok).toBe(true);
      const dir = path.join(out.dir, '.parts/parse-cache');
      const read = async (): Promise<Map<string, string>> => new Map(await Promise.all((await readdir(dir)).sort().map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as [string, string])));
      const before = await read();
      expect(before.size).toBe(ParseCache.SHARDS);
      const items = path.join(proj.dir, 'items');
      const dep = (await readdir(items)).sort()[0]!;
      const file = path.join(items, dep, (await readdir(path.join(items, dep))).sort()[0]!);
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace(/^name: (.*)$/m, 'name: $1（修订）'));
      expect((await build({ projectDir: proj.dir, outDir: out.dir, formats: ['html'], only: ['posters'], workers: 0 })).ok).toBe(true);
      const after = await read();
      const changed = [...after.keys()].filter((f) => after.get(f) !== before.get(f));
      // the old and new parse, and the old and new fact that the item's text has every glyph
      expect(changed.length).toBeGreaterThanOrEqual(1);
      expect(changed.length).toBeLessThanOrEqual(4);
      // the edited item's parse is there, the old one is gone
      const all = [...after.values()].join('');
      expect(all).toContain(ParseCache.key('yaml', (await readFile(file, 'utf8'))));
      expect(all).not.toContain(ParseCache.key('yaml', text));
    } finally {
      await proj.cleanup();
      await out.cleanup();
    }
  });

  it('a rebuild from cached parses reports the same problems and a new one where it is', async () => {
    const proj = await tempCopy();
    const out = await tempDir();
    // files just copied count as unchanged, so the rebuild takes them from the cache without reading them
    process.env.NORMKIT_RACY_MS = '0';
    try {
      const first = await build({ projectDir: proj.dir, outDir: out.dir, workers: 0 });
      expect(first.ok).toBe(true);
      // a kept poster tells its fit again from the manifest
      const warnings = (r: typeof first): string[] => r.diagnostics.list.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`).sort();
      expect(warnings(first).length).toBeGreaterThan(0);
      const stamps = (await readFile(path.join(out.dir, '.parts/files.bin'), 'utf8')).split('\n').filter((l) => l.includes('\t'));
      expect(stamps.map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining(['project.yaml', ...first.project!.items.map((i) => i.file)]));

      const again = await build({ projectDir: proj.dir, outDir: out.dir, workers: 0 });
      expect(again.ok).toBe(true);
      expect(warnings(again)).toEqual(warnings(first));

      // an edit is parsed afresh: its problem is reported at its line
      const file = path.join(proj.dir, 'project.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^organization:/m, 'organisation:'));
      const broken = await build({ projectDir: proj.dir, outDir: out.dir, workers: 0 });
      expect(broken.ok).toBe(false);
      expect(broken.diagnostics.list.find((d) => d.rule === 'unknown-key')).toMatchObject({ file: 'project.yaml' });
    } finally {
      delete process.env.NORMKIT_RACY_MS;
      await proj.cleanup();
      await out.cleanup();
    }
  });

  it('a file changed behind its stamp (same size, old modification time put back) is still read again', async () => {
    const proj = await tempCopy();
    const out = await tempDir();
    process.env.NORMKIT_RACY_MS = '0';
    try {
      const opts = { projectDir: proj.dir, outDir: out.dir, formats: ['html' as const], only: ['posters' as const], workers: 0 };
      const first = await build(opts);
      expect(first.ok).toBe(true);
      const item = first.project!.items[0]!;
      const file = path.join(proj.dir, item.file);
      const before = await stat(file, { bigint: true });
      const text = await readFile(file, 'utf8');
      const renamed = text.replace(/^name: (.)/mu, (_, c: string) => `name: ${c === '甲' ? '乙' : '甲'}`);
      expect(Buffer.byteLength(renamed)).toBe(Buffer.byteLength(text));
      await writeFile(file, renamed);
      // to the nanosecond (utimes would round it): only the change time tells
      const ns = before.mtimeNs;
      execFileSync('touch', ['-m', '-d', `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`, file]);
      expect((await stat(file, { bigint: true })).mtimeNs).toBe(ns);
      const r = await build(opts);
      expect(r.ok).toBe(true);
      const newName = /^name: (.*)$/m.exec(renamed)![1]!;
      expect(await readFile(path.join(out.dir, `html/posters/${item.slug}.html`), 'utf8')).toContain(newName);
    } finally {
      delete process.env.NORMKIT_RACY_MS;
      await proj.cleanup();
      await out.cleanup();
    }
  });
});
