import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { tempDir } from './helpers.js';

const HOSTILE = fileURLToPath(new URL('./fixtures/hostile/', import.meta.url));

async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.html')) out.push(path.join(e.parentPath, e.name));
  }
  return out.sort();
}

/** Real tags in the markup (escaped source text has no literal `<`). */
function tags(html: string): string[] {
  return html.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

describe('source text never reaches a page unescaped', () => {
  let out: { dir: string; cleanup: () => Promise<void> };
  let files: string[];
  beforeAll(async () => {
    out = await tempDir();
    const r = await build({ projectDir: HOSTILE, outDir: out.dir, formats: ['html'] });
    expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    files = await htmlFiles(path.join(out.dir, 'html'));
  });
  afterAll(() => out.cleanup());

  it('builds pages for every kind present', () => {
    expect(files.some((f) => f.endsWith('index.html'))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}standards${path.sep}`))).toBe(true);
  });

  it('has no script, iframe or event-handler attribute and no javascript:/data: URL', async () => {
    for (const f of files) {
      const html = await readFile(f, 'utf8');
      for (const tag of tags(html)) {
        const where = `${path.relative(out.dir, f)}: ${tag}`;
        // normkit's own scripts from the site's assets (the poster's print fit) are the only ones
        const own = /^<script src="(\.\.\/)*assets\/[a-z-]+\.js">$/.test(tag);
        expect(/^<(script|iframe|object|embed)\b/i.test(tag) && !own, where).toBe(false);
        expect(/\son[a-z]+\s*=/i.test(tag), where).toBe(false);
        expect(/\s(href|src|xlink:href|action)\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(tag), where).toBe(false);
      }
    }
  });

  it('shows the hostile text as text', async () => {
    const index = await readFile(files.find((f) => f.endsWith(`html${path.sep}index.html`))!, 'utf8');
    expect(index).toContain('&lt;script&gt;');
  });

  it('keeps safe links and drops unsafe ones in standard bodies', async () => {
    const std = await readFile(files.find((f) => f.includes(`${path.sep}standards${path.sep}`))!, 'utf8');
    expect(std).toContain('href="https://example.gov.cn"');
    expect(std).toContain('危险链接');
    expect(std).not.toContain('原始HTML块');
  });
});
