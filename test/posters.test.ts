import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import QRCode from 'qrcode';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import type { ItemData } from '../src/model/data.js';
import { resolveProject, type Project } from '../src/model/project.js';
import { renderPosterPdf } from '../src/render/pdf/poster-pdf.js';
import { loadFontBook } from '../src/typography/fonts.js';
import { LABELS, NINE, posterView, qrFor, type QrView } from '../src/views/poster-view.js';
import { decodeQr } from './qr-decode.js';
import { cli, REPO, SAMPLE, tempDir } from './helpers.js';
import { pdfPages, squash } from './pdf-text.js';

const FULL = path.join(REPO, 'test/fixtures/items/full');
const OVERLONG = path.join(REPO, 'test/fixtures/items/overlong');
type Temp = { dir: string; cleanup: () => Promise<void> };

async function model(dir: string): Promise<Project> {
  const loaded = await loadProject(dir);
  return resolveProject(checkProject(loaded), loaded.root);
}

const decode = decodeQr;

describe('wall posters (上墙公示)', () => {
  let full: Temp;
  let project: Project;
  beforeAll(async () => {
    full = await tempDir();
    project = await model(FULL);
    const r = await build({ projectDir: FULL, outDir: full.dir, only: ['posters', 'guides'], workers: 0 });
    expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
  });
  afterAll(() => full.cleanup());

  it('shows every label and every value of the item on one page', async () => {
    const item = project.items.find((i) => i.code === '530199-XK-0001')!;
    const data = parse(await readFile(path.join(FULL, item.file), 'utf8')) as ItemData;
    const pages = await pdfPages(await readFile(path.join(full.dir, `pdf/posters/${item.slug}.pdf`)));
    expect(pages).toHaveLength(1);
    const text = squash(pages[0]!);
    const labels = [
      ...NINE.flatMap((n) => [n.zh, n.en]),
      ...Object.values(LABELS).filter((l) => l !== LABELS.code && l !== LABELS.type && l !== LABELS.guide).flatMap((l) => [l.zh, l.en]),
      '事项编码', '事项类型', '序号', '材料名称', '份数', '形式', '是否必需', '备注', '承诺办结时限', '法定办结时限',
    ];
    const values = [
      data.code, data.name, data.type, item.department.name, data.window!, data.location!, data.hours!, data.phone!,
      ...data.basis, ...data.conditions,
      ...data.process.flatMap((p) => [p.step, p.detail ?? '']), '时限：当场办理', '时限：3个工作日', '时限：1个工作日',
      ...data.materials.flatMap((m) => [m.name, m.form ?? '', m.note ?? '', `${m.copies ?? 1}`]), '是', '否',
      `${data.time_limit.promised_days}个工作日`, `${data.time_limit.legal_days}个工作日`, '时限均为工作日，受理当日不计算在内', data.time_limit.note!,
      data.fee.standard!, data.fee.basis!, data.result, data.commitment!,
      project.hotlines.complaint!, project.hotlines.service!, '扫码网上办理', '扫码评价',
    ];
    for (const s of [...labels, ...values]) expect(text, s).toContain(squash(s));
    // the process is drawn as numbered steps, in order
    let at = text.indexOf(squash('办理流程'));
    data.process.forEach((p, i) => {
      at = text.indexOf(squash(`${i + 1}　${p.step}`), at);
      expect(at, p.step).toBeGreaterThan(-1);
    });
  });

  it('says 即办件 for a zero legal limit and 不收费 for a free item', async () => {
    const item = project.items.find((i) => i.code === '530199-QR-0001')!;
    const [page] = await pdfPages(await readFile(path.join(full.dir, `pdf/posters/${item.slug}.pdf`)));
    const text = squash(page!);
    expect(text).toContain('即办件');
    expect(text).toContain('收费标准Fees不收费');
    expect(text).toContain('收费依据BasisforFees不收费');
    expect(text).toContain('扫码评价');
    expect(text).not.toContain('扫码网上办理'); // no online_url, no QR code for it
  });

  it('encodes the online and evaluation URLs as QR codes that decode back', () => {
    const item = project.items.find((i) => i.code === '530199-XK-0001')!;
    const view = posterView(project, item);
    expect(view.qr.map((q) => q.url)).toEqual([item.online_url, project.evaluationUrl]);
    for (const q of view.qr) {
      expect(decode(q)).toBe(q.url);
      const { modules } = QRCode.create(q.url, { errorCorrectionLevel: 'M' });
      expect(q.size).toBe(modules.size);
      expect(q.rows.join('')).toBe([...modules.data].map((b) => (b ? '1' : '0')).join(''));
    }
    expect(qrFor('ftp://example.gov.cn/x', LABELS.online, false)).toBeUndefined();
    expect(qrFor('javascript:alert(1)', LABELS.online, false)).toBeUndefined();
  });

  it('draws the same matrix in the HTML poster, escapes every value and prints on the poster paper', async () => {
    const item = project.items.find((i) => i.code === '530199-XK-0001')!;
    const html = await readFile(path.join(full.dir, `html/posters/${item.slug}.html`), 'utf8');
    for (const q of posterView(project, item).qr) expect(html).toContain(`d="${q.path}"`);
    expect(html).toContain('@page { size: A3 portrait; }');
    expect(html).toContain('href="../../pdf/posters/530199-XK-0001.pdf"');
    const other = project.items.find((i) => i.code === '530199-XK-0002')!;
    const page = await readFile(path.join(full.dir, `html/posters/${other.slug}.html`), 'utf8');
    expect(page).toContain('须签字 &lt;盖章&gt; &amp; 注明日期');
    expect(page).not.toContain('<盖章>');
    const [pdfText] = await pdfPages(await readFile(path.join(full.dir, `pdf/posters/${other.slug}.pdf`)));
    expect(squash(pdfText!)).toContain('须签字<盖章>&注明日期');
  });

  it('builds byte-identical posters twice', async () => {
    const again = await tempDir();
    try {
      const r = await build({ projectDir: FULL, outDir: again.dir, only: ['posters'], formats: ['pdf'], workers: 0, force: true });
      expect(r.ok).toBe(true);
      for (const item of project.items) {
        const a = await readFile(path.join(full.dir, `pdf/posters/${item.slug}.pdf`));
        const b = await readFile(path.join(again.dir, `pdf/posters/${item.slug}.pdf`));
        expect(Buffer.compare(a, b), item.slug).toBe(0);
      }
    } finally {
      await again.cleanup();
    }
  });

  it('scales to the configured paper (A4) and stays on one page', async () => {
    const t = await tempDir();
    try {
      const dir = path.join(t.dir, 'project');
      await cp(FULL, dir, { recursive: true });
      const yaml = await readFile(path.join(dir, 'project.yaml'), 'utf8');
      await writeFile(path.join(dir, 'project.yaml'), yaml.replace('size: A3', 'size: A4'));
      const out = path.join(t.dir, 'out');
      const r = await build({ projectDir: dir, outDir: out, only: ['posters'], workers: 0 });
      expect(r.ok).toBe(true);
      const pdf = await readFile(path.join(out, 'pdf/posters/530199-XK-0001.pdf'));
      expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
      expect(await pdfPages(pdf)).toHaveLength(1);
      expect(await readFile(path.join(out, 'html/posters/530199-XK-0001.html'), 'utf8')).toContain('@page { size: A4 portrait; }');
    } finally {
      await t.cleanup();
    }
  });
});

describe('sample posters', () => {
  let out: Temp;
  let project: Project;
  beforeAll(async () => {
    out = await tempDir();
    project = await model(SAMPLE);
    const r = await build({ projectDir: SAMPLE, outDir: out.dir, only: ['posters'], formats: ['pdf'], workers: 0 });
    expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
  });
  afterAll(() => out.cleanup());

  it('gives every item exactly one page', async () => {
    const files = (await readdir(path.join(out.dir, 'pdf/posters'))).sort();
    expect(files).toEqual(project.items.map((i) => `${i.slug}.pdf`).sort());
    for (const f of files) expect(await pdfPages(await readFile(path.join(out.dir, 'pdf/posters', f))), f).toHaveLength(1);
  });

  it('fits the longest item (construction permit) on its page', async () => {
    const item = project.items.find((i) => i.file === 'items/zjj/construction-permit.yaml')!;
    expect(item).toBeDefined();
    const [page] = await pdfPages(await readFile(path.join(out.dir, `pdf/posters/${item.slug}.pdf`)));
    const text = squash(page!);
    for (const m of item.materials) expect(text).toContain(squash(m.name));
    // at wall size the step details are left to the guide, and the poster says so
    for (const p of item.process) expect(text).toContain(squash(p.step));
    expect(text).toContain('详见办事指南');
  });
});

describe('an overlong item', () => {
  it('still gets its poster: continuation sheets, a warning naming the item, exit 0', async () => {
    const t = await tempDir();
    try {
      const out = path.join(t.dir, 'out');
      const r = await cli('build', OVERLONG, '--out', out);
      expect(r.code).toBe(0);
      expect(r.err).not.toContain('poster-overflow');
      expect(r.err).toContain('poster-continued');
      expect(r.err).toContain('items/overlong.yaml');
      const pages = await pdfPages(await readFile(path.join(out, 'pdf/posters/530199-XK-0099.pdf')));
      expect(pages.length).toBeGreaterThan(1);
      pages.forEach((p, i) => expect(squash(p)).toContain(`第${i + 1}张，共${pages.length}张`));
    } finally {
      await t.cleanup();
    }
  });
});

const REAL = path.join(REPO, 'test/fixtures/items/real-length');

/** The largest font size on a page: the title, which must be the same on every poster. */
async function titleSize(pdf: Uint8Array): Promise<number> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const page = await doc.getPage(1);
  const items = (await page.getTextContent()).items as { transform: number[]; str: string }[];
  const size = Math.max(...items.filter((it) => it.str.trim()).map((it) => Math.hypot(it.transform[0]!, it.transform[1]!)));
  await doc.destroy();
  return Math.round(size * 10) / 10;
}

describe('items as long as real platform exports', () => {
  let out: Temp;
  let project: Project;
  let err: string;
  beforeAll(async () => {
    out = await tempDir();
    project = await model(REAL);
    const r = await cli('build', REAL, '--out', out.dir);
    expect(r.code, r.err).toBe(0);
    err = r.err;
  });
  afterAll(() => out.cleanup());

  it('build completely: every item gets its poster and guide, the digest is a warning naming the item and the cut', async () => {
    for (const item of project.items) {
      await expect(readFile(path.join(out.dir, `pdf/posters/${item.slug}.pdf`))).resolves.toBeDefined();
      await expect(readFile(path.join(out.dir, `pdf/guides/${item.slug}.pdf`))).resolves.toBeDefined();
    }
    expect(err).toMatch(/items\/jsj\/construction-permit-long\.yaml[\s\S]*poster-digest/);
    expect(err).toContain('设立依据只列法规名称和条款号');
    expect(err).not.toMatch(/\berror\b/);
  });

  it('body text at least 12 pt on A3, the same title size on every poster, one page or the declared sheets', async () => {
    const { fitPoster } = await import('../src/layout/poster-fit.js');
    const { posterMeasurer } = await import('../src/render/pdf/poster-pdf.js');
    const measure = posterMeasurer(loadFontBook(project.fonts ?? {}, project.root));
    const titles = new Set<number>();
    for (const item of project.items) {
      const fit = fitPoster(posterView(project, item), measure);
      expect(fit.size, item.code).toBeGreaterThanOrEqual(12);
      const pdf = await readFile(path.join(out.dir, `pdf/posters/${item.slug}.pdf`));
      const pages = await pdfPages(pdf);
      expect(pages, item.code).toHaveLength(fit.sheets.length);
      if (fit.sheets.length > 1) pages.forEach((p, i) => expect(squash(p)).toContain(`第${i + 1}张，共${pages.length}张`));
      titles.add(await titleSize(pdf));
    }
    expect([...titles]).toEqual([30]);
  });

  it('no text is lost: what the poster leaves out is in the guide, every condition and material is on the poster', async () => {
    const item = project.items.find((i) => i.code === '530199-XK-0101')!;
    const poster = squash((await pdfPages(await readFile(path.join(out.dir, `pdf/posters/${item.slug}.pdf`)))).join(''));
    const guide = squash((await pdfPages(await readFile(path.join(out.dir, `pdf/guides/${item.slug}.pdf`)))).join(''));
    for (const c of item.conditions) expect(poster).toContain(squash(c));
    for (const m of item.materials) expect(poster).toContain(squash(m.name));
    expect(poster).toContain('《中华人民共和国行政许可法》第十二条、第二十九条、第三十二条、第四十二条');
    expect(poster).toContain('详见办事指南');
    const quoted = squash(item.basis[0]!.split('：')[1]!);
    expect(poster).not.toContain(quoted);
    expect(guide).toContain(quoted);
    expect(guide).toContain(squash(item.process[1]!.detail!).slice(0, 120));
    expect(guide).toContain(squash(item.materials[0]!.note!));
    // the HTML poster takes the same digest
    const html = await readFile(path.join(out.dir, `html/posters/${item.slug}.html`), 'utf8');
    expect(html).toContain('（详见办事指南）');
    expect(html).not.toContain(item.basis[0]!.split('：')[1]!);
  });

  it('the poster carries a QR code that decodes to the item guide page under site_url', async () => {
    const { fitPoster } = await import('../src/layout/poster-fit.js');
    const { posterMeasurer } = await import('../src/render/pdf/poster-pdf.js');
    const item = project.items.find((i) => i.code === '530199-XK-0101')!;
    const fit = fitPoster(posterView(project, item), posterMeasurer(loadFontBook(project.fonts ?? {}, project.root)));
    const urls = fit.sheets[0]!.qr.map(decode);
    expect(urls).toContain(`https://zwfw.example.gov.cn/guide/guides/${item.slug}.html`);
    const html = await readFile(path.join(out.dir, `html/posters/${item.slug}.html`), 'utf8');
    expect(html).toContain('扫码看办事指南');
  });

  it('an author’s poster: block wins over the digest; the guide keeps the full text', async () => {
    const item = project.items.find((i) => i.code === '530199-XK-0101')!;
    const own = { ...item, poster: { basis: ['《中华人民共和国建筑法》第七条等五部法规'] } };
    const view = posterView(project, own);
    const { digestPoster } = await import('../src/layout/poster-digest.js');
    const digested = digestPoster(view, 3, view.authored).view;
    expect(digested.sections.find((s) => s.zh === '设立依据')).toMatchObject({ kind: 'list', items: ['《中华人民共和国建筑法》第七条等五部法规'] });
  });
});

describe('real-length items on a project that allows a larger sheet, and in a strict build', () => {
  let t: Temp;
  let dir: string;
  beforeAll(async () => {
    t = await tempDir();
    dir = path.join(t.dir, 'project');
    await cp(REAL, dir, { recursive: true });
    const yaml = await readFile(path.join(dir, 'project.yaml'), 'utf8');
    await writeFile(path.join(dir, 'project.yaml'), `${yaml}poster:\n  max_size: A2\n`);
  });
  afterAll(() => t.cleanup());

  it('--strict fails on the digest warnings and leaves the output as it was', async () => {
    const out = path.join(t.dir, 'strict-out');
    const r = await cli('build', dir, '--out', out, '--strict', '--only', 'posters');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--strict');
    expect(r.err).toContain('poster-digest');
    await expect(readdir(out)).rejects.toThrow();
  });

  it('a poster too long for A3 goes onto one A2 sheet with the wall’s type sizes; warnings point at the cut field, and a rebuild tells them again', async () => {
    const out = path.join(t.dir, 'out');
    const r = await cli('build', dir, '--out', out, '--only', 'posters', '--verbose');
    expect(r.code, r.err).toBe(0);
    // 0101 fits one A2 sheet; 0103 (fifteen materials, each with a page of notes) is continued even on A2
    expect(r.err).toMatch(/（530199-XK-0101）的上墙公示压缩后仍放不下一张 A3，已按 project\.yaml 的 poster\.max_size 改用 A2/);
    expect(r.err).toMatch(/（530199-XK-0103）的上墙公示在 12 pt 的最小字号下压缩后仍超过一张 A2，已分为 2 张/);
    // the digest warning names the line of `basis:` in the item, the field it cut first
    const file = 'items/jsj/construction-permit-long.yaml';
    const basisLine = (await readFile(path.join(dir, file), 'utf8')).split('\n').findIndex((l) => l.startsWith('basis:')) + 1;
    expect(r.err).toMatch(new RegExp(`${file.replace(/[./]/g, '\\$&')}:${basisLine}:1\\s+warning[^\\n]*\\n?[^\\n]*poster-digest`));
    const pdf = await readFile(path.join(out, 'pdf/posters/530199-XK-0101.pdf'));
    const pages = await pdfPages(pdf);
    expect(pages).toHaveLength(1);
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 1190\.55 1683\.78\]/);
    expect(await titleSize(pdf)).toBe(30);
    const html = await readFile(path.join(out, 'html/posters/530199-XK-0101.html'), 'utf8');
    expect(html).toContain('@page { size: A2 portrait; }');

    // nothing changed: the posters are kept, and their warnings are told as before
    const again = await cli('build', dir, '--out', out, '--only', 'posters', '--verbose');
    expect(again.code).toBe(0);
    expect(again.out).toContain('posters 6，其中 6 个未变化沿用上次');
    expect(again.err).toContain('poster-enlarged');
    expect(again.err).toMatch(new RegExp(`${file.replace(/[./]/g, '\\$&')}:${basisLine}:1`));
  });
});
