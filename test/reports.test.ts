import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import type { Project } from '../src/model/project.js';
import { layoutReportPdf } from '../src/render/pdf/report-pdf.js';
import { formatCents } from '../src/scoring/decimal.js';
import { scoreResult } from '../src/scoring/score.js';
import { loadFontBook } from '../src/typography/fonts.js';
import { rankingView, reportView } from '../src/views/report-view.js';
import { FIXTURE, model } from './fixtures/checklists/fixture.js';
import { SAMPLE, buildOk, tempDir } from './helpers.js';
import { pdfPages, squash } from './pdf-text.js';

describe('score reports and rankings', () => {
  let out: { dir: string; cleanup: () => Promise<void> };
  let fx: { dir: string; cleanup: () => Promise<void> };
  let sample: Project;
  let fixture: Project;
  const pdfText = async (file: string): Promise<string> => squash((await pdfPages(await readFile(file))).join(''));

  beforeAll(async () => {
    out = await tempDir();
    fx = await tempDir();
    sample = await model(SAMPLE);
    fixture = await model(FIXTURE);
    await Promise.all([
      buildOk({ projectDir: SAMPLE, outDir: out.dir, only: ['checklists'] }),
      buildOk({ projectDir: FIXTURE, outDir: fx.dir, only: ['checklists'] }),
    ]);
  });
  afterAll(async () => {
    await out.cleanup();
    await fx.cleanup();
  });

  it('renders every result with the total and rating computed by the scoring module', async () => {
    expect(sample.results.length).toBeGreaterThan(0);
    for (const [dir, project] of [[out.dir, sample], [fx.dir, fixture]] as const) {
      for (const r of project.results) {
        const s = scoreResult(r.checklistRef, r);
        const pdf = await pdfText(path.join(dir, `pdf/reports/${r.slug}.pdf`));
        const html = await readFile(path.join(dir, `html/reports/${r.slug}.html`), 'utf8');
        expect(pdf).toContain(squash(r.subject));
        expect(pdf).toContain(`总分：${formatCents(s.total)}分`);
        expect(html).toContain(`<strong class="report-total">${formatCents(s.total)}</strong>`);
        const verdict = s.vetoed ? '一票否决' : s.rating ?? '未达到评定等次';
        expect(pdf).toContain(`评定结果：${verdict}`);
        expect(html).toContain(`<strong class="report-verdict">${verdict}`);
        for (const sec of s.sections) expect(pdf).toContain(squash(sec.title));
        for (const it of s.items) expect(pdf, `${r.slug} item ${it.no}`).toContain(squash(it.text));
      }
    }
  });

  it('shows the sample figures: 92.7 四星级 with levels and self scores, 83 基本称职', async () => {
    const dong = await pdfText(path.join(out.dir, 'pdf/reports/2024-dongcheng-center.pdf'));
    expect(dong).toContain('总分：92.7分（满分100分）');
    expect(dong).toContain('评定结果：四星级');
    expect(dong).toContain('6（一级达标）3（二级达标）'); // item 3: self score, then assessed score
    expect(dong).toContain('办公场地标准化16.5/20'); // chart value against the maximum
    expect(dong).toContain('小计2016.5');
    const li = await pdfText(path.join(out.dir, 'pdf/reports/2024-staff-li.pdf'));
    expect(li).toContain('总分：83分（基础分100分）');
    expect(li).toContain('评定结果：基本称职');
    expect(li).toContain('工作时间玩电脑游戏\u221251\u22125'); // per occurrence, occurrences, deduction
  });

  it('says 一票否决 for the vetoed sample result and highlights the failed item', async () => {
    const r = sample.results.find((x) => x.slug === '2024-xicheng-center')!;
    expect(scoreResult(r.checklistRef, r).vetoed).toBe(true);
    const pdf = await pdfText(path.join(out.dir, 'pdf/reports/2024-xicheng-center.pdf'));
    expect(pdf).toContain('总分：96.6分（满分100分）评定结果：一票否决（第40项未通过）');
    expect(pdf).toContain('0（未通过）');
    expect(pdf).not.toContain('评定结果：五星级');
    const html = await readFile(path.join(out.dir, 'html/reports/2024-xicheng-center.html'), 'utf8');
    expect(html).toMatch(/<tr class="row-item flag-failed[^"]*" id="item-40">/);
    expect(html).toContain('<a href="#item-40">');
    expect(html).toContain('class="report-summary verdict-vetoed"');
    // the other results have no failed row
    const dong = await readFile(path.join(out.dir, 'html/reports/2024-dongcheng-center.html'), 'utf8');
    expect(dong).not.toContain('flag-failed');
  });

  it('draws the section chart from one geometry: SVG in HTML, scaled bars against maxima', async () => {
    const r = sample.results.find((x) => x.slug === '2024-dongcheng-center')!;
    const view = reportView(sample, r);
    const s = scoreResult(r.checklistRef, r);
    expect(view.chart.bars).toHaveLength(s.sections.length);
    view.chart.bars.forEach((b, i) => {
      const sec = s.sections[i]!;
      expect(b.track).toBeDefined();
      expect(b.w / b.track!.w).toBeCloseTo(sec.score! / sec.max!, 6);
    });
    const html = await readFile(path.join(out.dir, 'html/reports/2024-dongcheng-center.html'), 'utf8');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)![0];
    expect(svg.match(/<g class="chart-bar">/g)).toHaveLength(s.sections.length);
    expect(svg).toContain('>16.5 / 20</text>');
    // deduct: deductions left of the zero line, bonuses right of it
    const li = reportView(sample, sample.results.find((x) => x.slug === '2024-staff-li')!);
    const [discipline, , bonus] = li.chart.bars;
    expect(discipline!.x + discipline!.w).toBeCloseTo(li.chart.axis.x, 6);
    expect(bonus!.x).toBeCloseTo(li.chart.axis.x, 6);
    expect(discipline!.value).toBe('\u221212');
    expect(bonus!.value).toBe('+5');
  });

  it('keeps report rows whole on a page', () => {
    const r = sample.results.find((x) => x.slug === '2024-nanshan-center')!;
    const view = reportView(sample, r);
    const layout = layoutReportPdf(view, loadFontBook({}, SAMPLE));
    layout.doc.end();
    expect(layout.rows).toHaveLength(view.table.rows.length);
    for (const p of layout.rows) expect(p.bottom).toBeLessThanOrEqual(layout.frame.height - layout.frame.bottom + 0.01);
  });

  it('ranks the subjects of each checklist by total, ties sharing a rank, failed vetoes last', async () => {
    const center = rankingView(sample, sample.checklists.find((c) => c.id === 'five-star-center')!);
    expect(center.rows.map((r) => [r.rank, r.total, r.verdict])).toEqual([
      [1, '92.7', '四星级'],
      [2, '84.5', '未达到评定等次'],
      [3, '96.6', '一票否决（第40项未通过）'],
    ]);
    const html = await readFile(path.join(out.dir, 'html/checklists/five-star-center-ranking.html'), 'utf8');
    const order = center.rows.map((r) => html.indexOf(r.subject));
    expect(order.every((p) => p > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const pdf = await pdfText(path.join(out.dir, 'pdf/checklists/five-star-center-ranking.pdf'));
    const pdfOrder = center.rows.map((r) => pdf.indexOf(squash(r.subject)));
    expect([...pdfOrder].sort((a, b) => a - b)).toEqual(pdfOrder);
    expect(pdf).toContain('一票否决（第40项未通过）');

    const staff = rankingView(sample, sample.checklists.find((c) => c.id === 'township-staff-appraisal')!);
    expect(staff.rows.map((r) => [r.rank, r.total, r.verdict])).toEqual([[1, '95', '优秀'], [2, '83', '基本称职']]);

    const window = rankingView(fixture, fixture.checklists.find((c) => c.id === 'window')!);
    expect(window.rows.map((r) => [r.subject, r.total, r.verdict])).toEqual([
      ['测试市北区窗口', '28.9', '五星级'],
      ['测试市东区窗口', '24.6', '四星级'],
      ['测试市西区窗口', '24', '一票否决（第5项未通过）'],
    ]);
    // a checklist with no results has no ranking page
    const bare = { ...fixture, results: [] };
    expect(rankingView(bare, fixture.checklists[0]!).rows).toEqual([]);
  });

  it('writes rankings only for checklists that have results', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const r = await build({ projectDir: FIXTURE, outDir: dir, only: ['checklists'], formats: ['html'] });
      expect(r.ok).toBe(true);
      expect(r.files).toContain('html/checklists/window-ranking.html');
      expect(r.files).toContain('html/checklists/staff-ranking.html');
      expect(r.files.filter((f) => f.includes('-ranking'))).toHaveLength(2);
    } finally {
      await cleanup();
    }
  });
});
