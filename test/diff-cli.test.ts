import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempCopy, tempDir } from './helpers.js';
import { pdfPages, squash } from './pdf-text.js';

const FIX = new URL('./fixtures/revision/', import.meta.url).pathname;

describe('normkit diff', () => {
  it('lists the changes, drafts the 前言 items and writes a redline HTML and PDF marked by characters', async () => {
    const t = await tempDir();
    try {
      const r = await cli('diff', path.join(FIX, '2003-2019.md'), path.join(FIX, '2003-2024.md'), '--out', t.dir);
      expect(r.code).toBe(0);
      expect(r.out).toContain('[技术] 增加  —  →  4.4 延期');
      expect(r.out).toContain('[结构] 重新编号  7 监督与考核  →  6 监督与考核');
      expect(r.out).toContain('——删除了“通报”的规定（2019年版的6.3）。');
      const base = path.join(t.dir, 'QYLZW2003-2024-vs-QYLZW2003-2019');
      const html = readFileSync(`${base}.html`, 'utf8');
      expect(html).toContain('<del>3</del><ins>2</ins>个工作日内完成审查');
      expect(html).toContain('<del>宜</del><ins>应</ins>在5个工作日内归档');
      expect(html).toContain('原 7.1 → 现 6.1');
      const text = squash((await pdfPages(readFileSync(`${base}.pdf`))).join(''));
      expect(text).toContain('原7.1→现6.1');
      expect(text).toContain('承办人应在受理后32个工作日内完成审查'); // both the struck and the inserted figure
      expect(text).toContain('技术性变化5处');
    } finally {
      await t.cleanup();
    }
  });

  it('compares two codes of the project; --write puts the draft into changes: keeping comments, and the project still validates', async () => {
    const p = await tempCopy();
    try {
      const file = path.join(p.dir, 'catalog/provision/2001-2024-first-inquiry.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('replaces: Q/YLZW 2001—2019', 'replaces: Q/YLZW 2001—2019 # 第一次修订'));
      const r = await cli('diff', 'Q/YLZW 2001—2019', 'Q/YLZW 2001—2024', '--project', p.dir, '--no-files', '--write');
      expect(r.code).toBe(0);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('replaces: Q/YLZW 2001—2019 # 第一次修订');
      expect(text).toMatch(/\nchanges:\n {2}- /);
      expect(text).toContain('\n  - 增加了术语“承办人”（见3.2）\n');
      expect((await cli('validate', p.dir)).code).toBe(0);
    } finally {
      await p.cleanup();
    }
  });

  it('reads an edition from a git revision', async () => {
    const r = await cli('diff', 'HEAD:standards/catalog/provision/2001-2019-first-inquiry.md', 'standards/catalog/provision/2001-2024-first-inquiry.md', '--no-files');
    expect(r.code).toBe(0);
    expect(r.out).toContain('与Q/YLZW 2001—2019相比，除结构调整和编辑性改动外，主要技术变化如下：');
    expect(r.out).toContain('——增加了术语“承办人”（见3.2）；');
  });

  it('an unknown code is an input problem; one argument is a usage error', async () => {
    const unknown = await cli('diff', 'Q/YLZW 9999—2024', path.join(FIX, '2003-2024.md'), '--no-files');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('项目中没有标准“Q/YLZW 9999—2024”');
    expect((await cli('diff', 'Q/YLZW 2001—2019')).code).toBe(2);
  });
});
