import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempCopy, tempDir } from './helpers.js';

describe('build --keep-going', () => {
  it('builds every valid source, keeps the last output of a broken one as stale, exits 1', async () => {
    const p = await tempCopy();
    const o = await tempDir();
    try {
      const out = path.join(o.dir, 'out');
      const args = ['build', p.dir, '--out', out, '--format', 'html', '--only', 'posters,guides,catalog,standards', '--quiet'];
      expect((await cli(...args)).code).toBe(0);
      const broken = path.join(p.dir, 'items/zjj/construction-permit.yaml');
      const brokenPage = path.join(out, 'html/posters/530100-XK-0010.html');
      const before = await readFile(brokenPage, 'utf8');
      await writeFile(broken, (await readFile(broken, 'utf8')).replace(/^name: .*$/m, 'name: [未闭合'));
      // another item edited at the same time is built
      const other = path.join(p.dir, 'items/mzj/divorce-registration.yaml');
      await writeFile(other, (await readFile(other, 'utf8')).replace(/^name: (.*)$/m, 'name: $1（已更新）'));

      const plain = await cli(...args);
      expect(plain.code).toBe(1);
      const r = await cli(...args, '--keep-going');
      expect(r.code).toBe(1);
      expect(r.err).toContain('items/zjj/construction-permit.yaml:');
      expect(r.err).toMatch(/标为 stale/);
      expect(await readFile(brokenPage, 'utf8')).toBe(before);
      const manifest = JSON.parse(await readFile(path.join(out, 'normkit-build.json'), 'utf8')) as { stale: string[] };
      expect(manifest.stale).toContain('html/posters/530100-XK-0010.html');
      expect(manifest.stale).toContain('html/guides/530100-XK-0010.html');
      const code = /^code: "?([^"\n]+)/m.exec(await readFile(other, 'utf8'))![1];
      const updated = await readFile(path.join(out, `html/posters/${code}.html`), 'utf8');
      expect(updated).toContain('（已更新）');
      // fixed: the next build brings it up to date and nothing is stale
      await writeFile(broken, (await readFile(broken, 'utf8')).replace('name: [未闭合', 'name: 建筑工程施工许可（修正后）'));
      const fixed = await cli(...args, '--keep-going');
      expect(fixed.code).toBe(0);
      expect(await readFile(brokenPage, 'utf8')).toContain('建筑工程施工许可（修正后）');
      expect(JSON.parse(await readFile(path.join(out, 'normkit-build.json'), 'utf8')).stale).toBeUndefined();
    } finally {
      await p.cleanup();
      await o.cleanup();
    }
  });
});
