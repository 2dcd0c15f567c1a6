import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import type { ItemData } from '../src/model/data.js';
import { resolveProject, type Project } from '../src/model/project.js';
import { ONE_TIME_NOTICE } from '../src/views/guide-view.js';
import { REPO, tempDir } from './helpers.js';
import { pdfPages, squash } from './pdf-text.js';

const FULL = path.join(REPO, 'test/fixtures/items/full');
type Node = { title: string; items: Node[] };

async function outlineTree(data: Uint8Array): Promise<Node[]> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const map = (items: { title: string; items?: unknown[] }[]): Node[] => items.map((i) => ({ title: i.title, items: map((i.items ?? []) as { title: string; items?: unknown[] }[]) }));
  const tree = map(((await doc.getOutline()) ?? []) as { title: string; items?: unknown[] }[]);
  await doc.destroy();
  return tree;
}

describe('office guides (办事指南) and booklets', () => {
  let out: { dir: string; cleanup: () => Promise<void> };
  let project: Project;
  const pdf = (rel: string): Promise<Buffer> => readFile(path.join(out.dir, 'pdf', rel));
  const html = (rel: string): Promise<string> => readFile(path.join(out.dir, 'html', rel), 'utf8');

  beforeAll(async () => {
    out = await tempDir();
    const loaded = await loadProject(FULL);
    project = resolveProject(checkProject(loaded), loaded.root);
    const r = await build({ projectDir: FULL, outDir: out.dir, workers: 0 });
    expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
  });
  afterAll(() => out.cleanup());

  it('gives every field of the item in its guide', async () => {
    const item = project.items.find((i) => i.code === '530199-XK-0001')!;
    const data = parse(await readFile(path.join(FULL, item.file), 'utf8')) as ItemData;
    const text = squash((await pdfPages(await pdf(`guides/${item.slug}.pdf`))).join(''));
    const values = [
      data.code, data.name, data.type, item.department.name, data.window!, data.location!, data.hours!, data.phone!, data.online_url!,
      ...data.basis, ...data.conditions, ...data.process.flatMap((p) => [p.step, p.detail ?? '']),
      ...data.materials.flatMap((m) => [m.name, m.form ?? '', m.note ?? '', m.source ?? '']), '出具单位',
      '法定办结时限', '20个工作日', '承诺办结时限', '5个工作日', '时限均为工作日，受理当日不计算在内', data.time_limit.note!,
      data.fee.standard!, data.fee.basis!, data.result, data.commitment!, ONE_TIME_NOTICE,
      ...data.service_objects!, ...data.channels!, '到现场次数', '1次', ...data.faq!.flatMap((f) => [f.q, f.a]),
      project.hotlines.complaint!, project.hotlines.service!, project.evaluationUrl!, '扫码网上办理', '扫码评价',
    ];
    for (const v of values) expect(text, v).toContain(squash(v));
  });

  it('prints a department booklet: cover, 目录 with right page numbers, a bookmark and a new page per item', async () => {
    const dep = project.departments.find((d) => d.id === 'scjg')!;
    const data = await pdf(`guides/departments/${dep.slug}.pdf`);
    const pages = (await pdfPages(data)).map(squash);
    const guidePages = await Promise.all(dep.items.map(async (i) => (await pdfPages(await pdf(`guides/${i.slug}.pdf`))).length));
    expect(pages).toHaveLength(2 + guidePages.reduce((a, b) => a + b, 0));
    expect(pages[0]).toContain(squash(dep.name));
    expect(pages[0]).toContain(squash(project.organization));
    expect(pages[1]).toContain('目录');
    expect((await outlineTree(data)).map((n) => n.title)).toEqual(dep.items.map((i) => i.name));
    let first = 1;
    dep.items.forEach((item, k) => {
      const escaped = squash(item.name).replace(/[()（）]/g, '\\$&');
      expect(pages[1], item.name).toMatch(new RegExp(`${escaped}${first}\\.{3}`));
      // the guide's first page: running header and page number, then the guide's title
      expect(pages[1 + first]!.startsWith(squash(`${dep.name}办事指南${first}`)), item.name).toBe(true);
      expect(pages[1 + first], item.name).toContain(squash(`办事指南ServiceGuide${item.name}`));
      first += guidePages[k]!;
    });
  });

  it('leaves out departments without items and groups the centre booklet by department', async () => {
    const files = (await readdir(path.join(out.dir, 'pdf/guides/departments'))).sort();
    expect(files).toEqual(['mzj.pdf', 'scjg.pdf']);
    const tree = await outlineTree(await pdf('guides/all.pdf'));
    expect(tree).toEqual(project.departments.filter((d) => d.items.length).map((d) => ({
      title: d.name, items: d.items.map((i) => ({ title: i.name, items: [] })),
    })));
  });

  it('links departments, posters and guides with relative links that all resolve', async () => {
    const index = await html('departments.html');
    for (const d of project.departments) expect(index).toContain(`href="departments/${d.slug}.html"`);
    expect(index).toContain('href="../pdf/guides/all.pdf"');
    expect(await html('departments/kong.html')).toContain('本部门暂无事项');
    const pages = ['departments.html', ...project.departments.map((d) => `departments/${d.slug}.html`), ...project.items.flatMap((i) => [`guides/${i.slug}.html`, `posters/${i.slug}.html`])];
    for (const p of pages) {
      const text = await html(p);
      const hrefs = [...text.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
      expect(hrefs.length).toBeGreaterThan(0);
      for (const href of hrefs) {
        expect(href, `${p}: ${href}`).not.toMatch(/^(\/|[a-z]+:)/i);
        const target = path.join(out.dir, 'html', path.dirname(p), decodeURIComponent(href.split('#')[0]!));
        if (!target.includes(`${path.sep}assets${path.sep}`)) await access(target); // assets are written with the whole site
      }
    }
    const dep = await html('departments/scjg.html');
    for (const i of project.departments.find((d) => d.id === 'scjg')!.items) {
      for (const h of [`../posters/${i.slug}.html`, `../guides/${i.slug}.html`, `../../pdf/posters/${i.slug}.pdf`, `../../pdf/guides/${i.slug}.pdf`]) expect(dep).toContain(`href="${h}"`);
    }
  });

  it('prints the HTML guide on A4 with the item escaped, bilingual labels and QR codes', async () => {
    const item = project.items.find((i) => i.code === '530199-XK-0002')!;
    const page = await html(`guides/${item.slug}.html`);
    expect(page).toContain('@page { size: A4; }');
    expect(page).toContain('须签字 &lt;盖章&gt; &amp; 注明日期');
    expect(page).toContain('Legal Basis');
    expect(page).toContain('<svg');
    expect(page).toContain('时限均为工作日，受理当日不计算在内');
  });
});
