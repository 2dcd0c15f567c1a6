import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import type { Project } from '../src/model/project.js';
import { layoutChecklistPdf } from '../src/render/pdf/checklist-pdf.js';
import { loadFontBook, type FontBook } from '../src/typography/fonts.js';
import { checklistView } from '../src/views/checklist-view.js';
import { FIXTURE, model } from './fixtures/checklists/fixture.js';
import { SAMPLE, buildOk, tempDir } from './helpers.js';
import { pdfPages, squash } from './pdf-text.js';


describe('blank checklist forms', () => {
  let out: { dir: string; cleanup: () => Promise<void> };
  let fx: { dir: string; cleanup: () => Promise<void> };
  let sample: Project;
  let fixture: Project;
  let book: FontBook;
  const pages = new Map<string, string[]>();
  const pdfOf = async (dir: string, rel: string): Promise<string[]> => {
    const key = path.join(dir, rel);
    if (!pages.has(key)) pages.set(key, (await pdfPages(await readFile(key))).map(squash));
    return pages.get(key)!;
  };

  beforeAll(async () => {
    out = await tempDir();
    fx = await tempDir();
    sample = await model(SAMPLE);
    fixture = await model(FIXTURE);
    book = loadFontBook({}, SAMPLE);
    await Promise.all([
      buildOk({ projectDir: SAMPLE, outDir: out.dir, only: ['checklists'] }),
      buildOk({ projectDir: FIXTURE, outDir: fx.dir, only: ['catalog', 'checklists'] }),
    ]);
  });
  afterAll(async () => {
    await out.cleanup();
    await fx.cleanup();
  });

  it('prints every item of every checklist, each whole on one page', async () => {
    for (const [dir, project] of [[out.dir, sample], [fx.dir, fixture]] as const) {
      for (const cl of project.checklists) {
        const text = await pdfOf(dir, `pdf/checklists/${cl.slug}.pdf`);
        for (const sec of cl.sections) {
          for (const it of sec.items) {
            const onPages = text.map((t, i) => (t.includes(squash(it.text)) ? i : -1)).filter((i) => i >= 0);
            expect(onPages, `${cl.id} item ${it.no} printed whole on one page`).toHaveLength(1);
          }
        }
        const html = await readFile(path.join(dir, `html/checklists/${cl.slug}.html`), 'utf8');
        for (const it of cl.sections.flatMap((s) => s.items)) expect(html).toContain(`id="item-${it.no}"`);
      }
    }
  });

  it('never splits a row across pages and repeats the header row on every page', async () => {
    const cl = sample.checklists.find((c) => c.id === 'five-star-center')!;
    const view = checklistView(sample, cl);
    const layout = layoutChecklistPdf(view, book);
    expect(layout.pages).toBeGreaterThan(3);
    expect(layout.rows).toHaveLength(view.table.rows.length);
    const bottom = layout.frame.height - layout.frame.bottom;
    for (const r of layout.rows) {
      expect(r.top).toBeGreaterThanOrEqual(layout.frame.top);
      expect(r.bottom).toBeLessThanOrEqual(bottom + 0.01);
      expect(r.bottom).toBeGreaterThan(r.top);
    }
    // rows follow one another without gaps on a page
    for (let i = 1; i < layout.rows.length; i++) {
      const [a, b] = [layout.rows[i - 1]!, layout.rows[i]!];
      if (a.page === b.page) expect(b.top).toBeCloseTo(a.bottom, 5);
      else expect(b.page).toBe(a.page + 1);
    }
    // a section's last item stays with its 小计; the closing total rows stay together
    view.table.rows.forEach((row, i) => {
      if (row.kind === 'subtotal') expect(layout.rows[i]!.page).toBe(layout.rows[i - 1]!.page);
      if (row.kind === 'total') expect(layout.rows[i]!.page).toBe(layout.rows[i - 1]!.page);
    });
    layout.doc.end();
    const text = await pdfOf(out.dir, `pdf/checklists/${cl.slug}.pdf`);
    expect(text).toHaveLength(layout.pages);
    text.forEach((t, i) => {
      expect(t).toContain('类别序号考评内容分值自评分得分备注');
      expect(t).toContain(`第${i + 1}页共${text.length}页`);
    });
  });

  it('has the header blanks, levels, components, totals, ratings and signature lines', async () => {
    const all = (await pdfOf(out.dir, 'pdf/checklists/five-star-center.pdf')).join('');
    for (const s of ['被考评单位：', '考评日期：', '考评人员：', '考评人员签字：', '被考评单位负责人签字：', '日期：', '年', '月', '日']) expect(all).toContain(s);
    expect(all).toContain('一级达标6分；二级达标3分；三级达标1分');
    expect(all).toContain('小计20');
    expect(all).toContain('考评项目合计80');
    expect(all).toContain('群众满意度测评10');
    expect(all).toContain('考评小组评定10');
    expect(all).toContain('合计100');
    expect(all).toContain('五星级（95分及以上）');
    expect(all).not.toContain('考评方法'); // no item of the sample has a method
    const html = await readFile(path.join(out.dir, 'html/checklists/five-star-center.html'), 'utf8');
    const cl = sample.checklists.find((c) => c.id === 'five-star-center')!;
    // 类别 merged over each section's items and its 小计
    for (const sec of cl.sections) expect(html).toContain(`rowspan="${sec.items.length + 1}" class="col-group">${sec.title}</th>`);
    expect(html).toContain('<th scope="row" colspan="3" class="row-label">群众满意度测评</th>');
  });

  it('marks veto items with ★ and prints the legend only for schemes with vetoes', async () => {
    for (const cl of [...sample.checklists, ...fixture.checklists]) {
      const dir = fixture.checklists.includes(cl) ? fx.dir : out.dir;
      const all = (await pdfOf(dir, `pdf/checklists/${cl.slug}.pdf`)).join('');
      const html = await readFile(path.join(dir, `html/checklists/${cl.slug}.html`), 'utf8');
      const vetoes = cl.sections.flatMap((s) => s.items).filter((i) => i.veto);
      if (vetoes.length) {
        expect(all, cl.id).toContain('★一票否决');
        expect(html).toContain('★ 一票否决');
        for (const v of vetoes) expect(all).toContain(squash(`★${v.text}`));
        expect(html.match(/class="veto-mark"/g)).toHaveLength(vetoes.length);
      } else {
        expect(all, cl.id).not.toContain('★');
        expect(html).not.toContain('veto-mark');
      }
    }
  });

  it('shows 考评方法 when items have one, and the deduction per finding', async () => {
    const all = (await pdfOf(fx.dir, 'pdf/checklists/window.pdf')).join('');
    expect(all).toContain('类别序号考评内容分值考评方法自评分得分备注');
    expect(all).toContain('暗访');
    expect(all).toContain('看现场');
    expect(all).toContain('每发现一处扣0.5分');
    expect(all).toContain('本标准适用于测试市政务服务中心各窗口的星级评定。');
  });

  it('prints deduct schemes as 扣分/加分 tables with occurrences, base score and ratings', async () => {
    const all = (await pdfOf(out.dir, 'pdf/checklists/township-staff-appraisal.pdf')).join('');
    expect(all).toContain('类别序号考评内容每次扣（加）分发生次数扣（加）分备注');
    expect(all).toContain('基础分100');
    expect(all).toContain('考评得分（基础分＋加分－扣分）');
    expect(all).toContain('未按规定佩证上岗\u22121');
    expect(all).toContain('+3');
    expect(all).toContain('不称职（低于70分）');
    expect(all).toContain('优秀（95分及以上）');
  });

  it('lists the checklists with links to forms, rankings and reports', async () => {
    const html = await readFile(path.join(out.dir, 'html/checklists/index.html'), 'utf8');
    for (const cl of sample.checklists) {
      expect(html).toContain(`href="${cl.slug}.html"`);
      expect(html).toContain(`href="../../pdf/checklists/${cl.slug}.pdf"`);
      expect(html).toContain(`href="${cl.slug}-ranking.html"`);
    }
    for (const r of sample.results) {
      expect(html).toContain(`href="../reports/${r.slug}.html"`);
      expect(html).toContain(`href="../../pdf/reports/${r.slug}.pdf"`);
    }
  });
});

describe('traceability in the catalog', () => {
  let fx: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    fx = await tempDir();
    const r = await build({ projectDir: FIXTURE, outDir: fx.dir, only: ['catalog'] });
    expect(r.ok).toBe(true);
  });
  afterAll(() => fx.cleanup());

  it('lists for each standard the checklist items citing it, and the current standards none checks', async () => {
    const html = await readFile(path.join(fx.dir, 'html/index.html'), 'utf8');
    const section = /<section id="traceability">[\s\S]*?<\/section>/.exec(html)![0];
    expect(section).toContain('四、标准实施检查对照');
    // standard numbers sit in nowrap spans (never broken at the em dash); compare the text without them
    const plain = section.replace(/<span class="nowrap">([^<]*)<\/span>/g, '$1');
    const row = (code: string): string => new RegExp(`<tr[^>]*><td><a [^>]*>${code}</a>[\\s\\S]*?</tr>`).exec(plain)?.[0] ?? '';
    expect(row('Q/CSZW 2001—2024')).toContain('href="checklists/window.html#item-1"');
    expect(row('Q/CSZW 2001—2024')).toContain('href="checklists/window.html#item-5"');
    expect(row('Q/CSZW 2002—2024')).toContain('href="checklists/window.html#item-2"');
    expect(row('Q/CSZW 2001—2019')).toContain('已被 Q/CSZW 2001—2024 代替');
    expect(row('Q/CSZW 2003—2024')).toBe(''); // cited by nothing: not a row …
    const unchecked = /<div class="trace-unchecked">[\s\S]*?<\/div>/.exec(plain)![0];
    expect(unchecked).toContain('Q/CSZW 2003—2024'); // … but listed as unchecked
    expect(unchecked).not.toContain('Q/CSZW 2001—2024');
    expect(html).toContain('<h2>五、编制说明</h2>');

    const pdf = squash((await pdfPages(await readFile(path.join(fx.dir, 'pdf/catalog.pdf')))).join(''));
    expect(pdf).toContain('四、标准实施检查对照');
    expect(pdf).toContain(squash('测试市政务服务窗口考评标准：第1、5项'));
    expect(pdf).toContain(squash('尚无考评项目检查的现行标准（1项）：Q/CSZW 2003—2024《限时办结服务规范》'));
    expect(pdf).toContain('五、编制说明');
  });
});
