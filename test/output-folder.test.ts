/**
 * Whose folder the output goes to (issue 15): a named project builds into its own out/, and a
 * non-empty folder is normkit's only when a manifest normkit wrote accounts for what is there;
 * otherwise the build is refused with exit 2 and nothing is touched.
 */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, REPO, snapshot, tempCopy, tempDir } from './helpers.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');

describe('output folder', () => {
  let proj: { dir: string; cleanup: () => Promise<void> };
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    proj = await tempCopy(MINIMAL);
    tmp = await tempDir();
  });
  afterAll(async () => {
    await proj?.cleanup();
    await tmp?.cleanup();
  });

  it('build <dir> without --out writes into that project\'s out/, not the current folder\'s', async () => {
    const r = await cli('build', proj.dir, '--format', 'html', '--only', 'catalog', '--quiet');
    expect(r.code, r.err).toBe(0);
    const manifest = await readFile(path.join(proj.dir, 'out', 'normkit-build.json'), 'utf8');
    expect(manifest).toContain('html/index.html');
  });

  async function userFolder(name: string, manifest: string): Promise<string> {
    const dir = path.join(tmp.dir, name);
    await mkdir(dir);
    await writeFile(path.join(dir, '报告.docx'), '用户自己的文件');
    await writeFile(path.join(dir, 'normkit-build.json'), manifest);
    return dir;
  }

  for (const [name, manifest] of [
    ['garbage', 'garbage'],
    ['empty-outputs', '{"normkit": "0.0.1", "outputs": []}\n'],
    ['foreign-rows', '{"normkit": "0.0.1", "outputs": [["html/index.html","k","catalog"]]}\n'],
  ] as const) {
    it(`a folder of the user's files with a normkit-build.json that does not account for them (${name}): exit 2, nothing touched`, async () => {
      const dir = await userFolder(name, manifest);
      const before = await snapshot(dir);
      const r = await cli('build', proj.dir, '--out', dir, '--format', 'html', '--only', 'catalog', '--quiet');
      expect(r.code).toBe(2);
      expect(r.err).toContain('不是 normkit 生成的');
      expect(await snapshot(dir)).toEqual(before);
    });
  }

  it('a symlinked --out that points at the project (or at a folder inside the project\'s parent chain) is the project: exit 2, nothing touched', async () => {
    const before = await snapshot(proj.dir);
    for (const [name, target] of [['to-project', proj.dir], ['to-parent', path.dirname(proj.dir)]] as const) {
      const link = path.join(tmp.dir, name);
      await symlink(target, link);
      const r = await cli('build', proj.dir, '--out', link, '--format', 'html', '--only', 'catalog', '--quiet');
      expect(r.code, name).toBe(2);
      expect(r.err).toContain('包含项目本身');
    }
    expect(await snapshot(proj.dir)).toEqual(before);
  });

  it('the folder of a previous build is still accepted (its manifest accounts for every entry)', async () => {
    const r = await cli('build', proj.dir, '--format', 'html', '--only', 'catalog', '--quiet');
    expect(r.code, r.err).toBe(0);
  });
});
