import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { loadProject } from '../src/load/project-loader.js';
import { checkProject } from '../src/check/check-project.js';
import { resolveProject, type Project } from '../src/model/project.js';
import { SAMPLE, cli, snapshot, tempCopy, tempDir } from './helpers.js';
import { pdfOutline, pdfPages, squash } from './pdf-text.js';



describe('catalog and standards from the sample', () => {
  let out: { dir: string; cleanup: () => Promise<void> };
  let project: Project;
  beforeAll(async () => {
    out = await tempDir();
    const loaded = await loadProject(SAMPLE);
    project = resolveProject(checkProject(loaded), loaded.root);
    const r = await build({ projectDir: SAMPLE, outDir: out.dir, only: ['catalog', 'standards'] });
    expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
  });
  afterAll(() => out.cleanup());

  it('lists every standard in the catalog with the right counts', async () => {
    const html = await readFile(path.join(out.dir, 'html/index.html'), 'utf8');
    for (const s of project.standards) {
      expect(html).toContain(s.code);
      expect(html).toContain(`standards/${s.slug}.html`);
    }
    expect(html).toContain(`共 ${project.standards.length} 项标准`);
    // statistics total row equals the number of standards
    const total = /<tr class="total">.*?<\/tr>/s.exec(html)![0];
    expect(total).toContain(`<td>${project.standards.length}</td></tr>`);
    // drafts and superseded standards are shown and marked
    expect(html).toContain('badge-superseded');
    expect(html).toContain('badge-draft');
    const pdf = squash((await pdfPages(await readFile(path.join(out.dir, 'pdf/catalog.pdf')))).join(''));
    for (const s of project.standards) expect(pdf).toContain(squash(s.title));
    expect(pdf).toContain('标准统计表');
  });

  it('draws a well-formed SVG structure diagram', async () => {
    const html = await readFile(path.join(out.dir, 'html/index.html'), 'utf8');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)![0];
    expect(XMLValidator.validate(svg)).toBe(true);
    for (const sys of project.systems.filter((s) => project.standards.some((x) => x.system === s.key))) expect(svg).toContain(sys.name);
  });

  it('puts numbered clauses and the cover lines into each standard PDF', async () => {
    for (const s of project.standards) {
      const buf = await readFile(path.join(out.dir, 'pdf/standards', `${s.slug}.pdf`));
      const pages = await pdfPages(buf);
      const text = squash(pages.join(''));
      expect(squash(pages[0]!)).toContain(squash(s.code));
      expect(squash(pages[0]!)).toContain(squash(s.title));
      if (s.issued) expect(squash(pages[0]!)).toContain(`${s.issued}发布`);
      expect(squash(pages[0]!)).toContain('发布');
      expect(text).toContain('1范围');
      expect(text).toContain('2规范性引用文件');
      expect(text).toContain('本文件按照GB/T1.1—2020');
      const outline = await pdfOutline(buf);
      expect(outline).toContain('1 范围');
    }
  });

  it('marks requirements, recommendations and permissions in HTML', async () => {
    const files = await readdir(path.join(out.dir, 'html/standards'));
    const all = (await Promise.all(files.map((f) => readFile(path.join(out.dir, 'html/standards', f), 'utf8')))).join('');
    expect(all).toContain('class="provision requirement"');
    expect(all).toContain('class="provision recommendation"');
    expect(all).toContain('class="provision permission"');
  });

  it('links standard codes to their pages', async () => {
    const replacing = project.standards.find((s) => s.replaces && project.standardByCode.has(s.replaces))!;
    const html = await readFile(path.join(out.dir, 'html/standards', `${replacing.slug}.html`), 'utf8');
    expect(html).toContain(`href="${project.standardByCode.get(replacing.replaces!)!.slug}.html"`);
  });
});

describe('builds are deterministic and atomic', () => {
  it('two builds of the same input are byte-identical', async () => {
    const a = await tempDir();
    const b = await tempDir();
    try {
      expect((await cli('build', SAMPLE, '--out', a.dir, '--only', 'catalog,standards', '--quiet')).code).toBe(0);
      expect((await cli('build', SAMPLE, '--out', b.dir, '--only', 'catalog,standards', '--quiet')).code).toBe(0);
      expect(await snapshot(a.dir)).toEqual(await snapshot(b.dir));
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it('a failed build leaves the previous output untouched', async () => {
    const proj = await tempCopy();
    const out = await tempDir();
    try {
      expect((await cli('build', proj.dir, '--out', out.dir, '--only', 'catalog', '--quiet')).code).toBe(0);
      const before = await snapshot(out.dir);
      const item = path.join(proj.dir, 'project.yaml');
      await writeFile(item, (await readFile(item, 'utf8')).replace('organization:', 'organisation:'));
      const r = await cli('build', proj.dir, '--out', out.dir, '--only', 'catalog');
      expect(r.code).toBe(1);
      expect(r.err).toContain('unknown-key');
      expect(await snapshot(out.dir)).toEqual(before);
      expect((await readdir(out.dir)).filter((n) => n.startsWith('.normkit'))).toEqual([]);
    } finally {
      await proj.cleanup();
      await out.cleanup();
    }
  });

  it('refuses an output folder that holds other files', async () => {
    const dir = await tempDir();
    try {
      await writeFile(path.join(dir.dir, 'thesis.docx'), 'precious');
      const r = await cli('build', SAMPLE, '--out', dir.dir, '--only', 'catalog');
      expect(r.code).toBe(2);
      expect(r.err).toContain('不是空的');
      expect(await readFile(path.join(dir.dir, 'thesis.docx'), 'utf8')).toBe('precious');
    } finally {
      await dir.cleanup();
    }
  });
});
