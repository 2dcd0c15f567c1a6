import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { locateDiagnostics } from '../src/load/locate.js';
import { formatManifest, parseManifest } from '../src/pipeline/manifest.js';
import { tempDir } from './helpers.js';

describe('render-time diagnostics get their line and column', () => {
  it('from the key path they name, read from the file again; `at` is dropped once used', async () => {
    const t = await tempDir();
    try {
      await writeFile(path.join(t.dir, 'item.yaml'), 'code: X\nname: 事项\n# 注释\nbasis:\n  - 《某法》第一条\nmaterials: []\n');
      const list: Diagnostic[] = [
        { file: 'item.yaml', at: ['basis'], severity: 'warning', rule: 'poster-digest', message: 'm' },
        { file: 'item.yaml', at: ['materials'], severity: 'warning', rule: 'poster-digest', message: 'm' },
        { file: 'missing.yaml', at: ['basis'], severity: 'warning', rule: 'poster-digest', message: 'm' },
        { file: 'item.yaml', line: 2, column: 1, severity: 'warning', rule: 'other', message: 'm' },
      ];
      locateDiagnostics(t.dir, list);
      expect(list[0]).toMatchObject({ line: 4, column: 1 });
      expect(list[1]).toMatchObject({ line: 6, column: 1 });
      expect(list[2]!.line).toBeUndefined();
      expect(list[3]).toMatchObject({ line: 2, column: 1 });
      for (const d of list) expect(d.at).toBeUndefined();
    } finally {
      await t.cleanup();
    }
  });
});

describe('the manifest keeps an output’s warnings', () => {
  it('round-trips them, and a row with something else than warnings is not trusted', () => {
    const w: Diagnostic = { file: 'items/a.yaml', line: 8, column: 1, severity: 'warning', rule: 'poster-digest', message: '压缩：设立依据' };
    const text = formatManifest(new Map([
      ['pdf/posters/a.pdf', { key: 'k1', kind: 'posters', size: 10, warnings: [w] }],
      ['html/index.html', { key: 'k2', kind: 'catalog', size: 5 }],
    ]));
    const back = parseManifest(text)!;
    expect(back.get('pdf/posters/a.pdf')).toEqual({ key: 'k1', kind: 'posters', size: 10, warnings: [w] });
    expect(back.get('html/index.html')).toEqual({ key: 'k2', kind: 'catalog', size: 5 });
    const forged = text.replace('"severity":"warning"', '"severity":"error"');
    expect(parseManifest(forged)).toBeUndefined();
  });
});
