/**
 * Windows line endings (issue 15): a project saved with CRLF (Windows editors, git autocrlf) or
 * lone CR validates and builds exactly as with LF: front matter ending in a flow collection
 * parses, and no \r reaches a value or the HTML.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, REPO, tempCopy, tempDir } from './helpers.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const STD = 'catalog/provision/2001-2024-first-inquiry.md';

async function convert(dir: string, eol: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const f = path.join(e.parentPath, e.name);
    await writeFile(f, (await readFile(f, 'utf8')).replace(/\n/g, eol));
  }
}

describe.each([['CRLF', '\r\n'], ['CR', '\r']])('a project saved with %s line endings', (_name, eol) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const c of cleanups) await c(); });

  it('validates and builds; the HTML holds no \\r and the values are whole', async () => {
    const proj = await tempCopy(MINIMAL);
    const out = await tempDir();
    cleanups.push(proj.cleanup, out.cleanup);
    const std = path.join(proj.dir, STD);
    // front matter that ends in a flow collection: what CRLF used to break
    const text = (await readFile(std, 'utf8')).replace('references:\n  - code: GB/T 32169.3—2015\n    title: 政务服务中心运行规范　第3部分：窗口服务提供要求\n', 'references: [{ code: GB/T 32169.3—2015, title: 政务服务中心运行规范　第3部分：窗口服务提供要求 }]\n');
    expect(text).toContain('references: [');
    await writeFile(std, text);
    await convert(proj.dir, eol);
    expect((await readFile(std, 'utf8')).includes('\n')).toBe(eol === '\r\n');

    const v = await cli('validate', proj.dir);
    expect(v.code, v.out + v.err).toBe(0);
    const r = await cli('build', proj.dir, '--out', path.join(out.dir, 'out'), '--format', 'html', '--only', 'catalog,standards', '--quiet');
    expect(r.code, r.err).toBe(0);
    const html = await readFile(path.join(out.dir, 'out/html/standards/Q-CSZW-2001-2024.html'), 'utf8');
    expect(html).not.toContain('\r');
    expect(html).not.toContain('&#13;');
    expect(html).toContain('首问负责服务规范</');
    expect(html).toContain('GB/T 32169.3—2015');
  });
});
