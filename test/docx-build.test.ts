import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOk, cli, SAMPLE, snapshot, tempDir } from './helpers.js';

/** `--format docx` through the CLI: what it writes, that a rebuild gives the same bytes, and how it sits beside PDF. */
describe('normkit build --format docx', () => {
  let a: { dir: string; cleanup: () => Promise<void> };
  let b: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    a = await tempDir();
    b = await tempDir();
    // one after the other: two builds at once would only share two cores
    for (const out of [a, b]) {
      const r = await cli('build', SAMPLE, '--out', out.dir, '--format', 'docx', '--only', 'standards,checklists', '--quiet');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
  });
  afterAll(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  it('writes a .docx for every standard, checklist form, ranking and report, and no HTML or PDF', async () => {
    const files = Object.keys(await snapshot(a.dir));
    const docx = files.filter((f) => f.endsWith('.docx'));
    expect(docx).toEqual(expect.arrayContaining(['docx/standards/Q-YLZW-1001-2024.docx', 'docx/checklists/five-star-center.docx', 'docx/checklists/five-star-center-ranking.docx', 'docx/reports/2024-dongcheng-center.docx']));
    expect(docx.filter((f) => f.startsWith('docx/standards/'))).toHaveLength(25);
    expect(files.filter((f) => f.startsWith('html/') || f.startsWith('pdf/'))).toEqual([]);
    const manifest = JSON.parse(await readFile(path.join(a.dir, 'normkit-build.json'), 'utf8')) as { outputs: [string, ...unknown[]][] };
    expect(manifest.outputs.map((o) => o[0]).filter((p) => p.endsWith('.docx')).sort()).toEqual(docx.sort());
  });

  it('gives byte-identical files when an unchanged source is built again', async () => {
    const [sa, sb] = [await snapshot(a.dir), await snapshot(b.dir)];
    const docx = (s: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(s).filter(([f]) => f.endsWith('.docx')));
    expect(Object.keys(docx(sa)).length).toBeGreaterThan(30);
    expect(docx(sb)).toEqual(docx(sa));
  });

  it('leaves the Word files alone when a later build asks for PDF only, and a rebuild renders nothing', async () => {
    const before = await snapshot(a.dir);
    const pdf = await cli('build', SAMPLE, '--out', a.dir, '--format', 'pdf', '--only', 'checklists', '--quiet');
    expect(pdf.code).toBe(0);
    const after = await snapshot(a.dir);
    for (const [f, h] of Object.entries(before)) if (f.endsWith('.docx')) expect(after[f], f).toBe(h);
    expect(Object.keys(after).some((f) => f.startsWith('pdf/checklists/'))).toBe(true);
    const again = await buildOk({ projectDir: SAMPLE, outDir: a.dir, formats: ['docx'], only: ['standards', 'checklists'] });
    expect(again.rendered).toEqual([]);
    expect(again.files.filter((f) => f.endsWith('.docx')).length).toBeGreaterThan(30);
  });

  it('refuses an unknown format with the formats it knows', async () => {
    const r = await cli('build', SAMPLE, '--out', b.dir, '--format', 'odt');
    expect(r.code).toBe(2);
    expect(r.err).toContain('html, pdf, docx');
  });
});
