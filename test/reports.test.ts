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
        const verdict = s.vetoed ? '一票否决' : s.rating ?? (s.rated ? '未达到评定等次' : '不设等次');
        expect(pdf).toContain(`评定结果：${verdict}`);
        expect(html).toContain(`<strong class="report-verdict">${verdict}`);
        for (const sec of s.sections) expect(pdf).toContain(squash(sec.title));
        for (const it of s.items) expect(pdf, `${r.slug} item ${it.no}`).toContain(squash(it.text));
      }
    }
  });

  it('prints a weighted report with each part, its weight, its inputs and how the total was formed', async () => {
    const pdf = await pdfText(path.join(out.dir, 'pdf/reports/2024-dual-guotu.pdf'));
    expect(pdf).toContain('总分：77.81分（满分100分）');
    expect(pdf).toContain('计分部分权重占总分输入本部分得分计入总分满分问卷调查80%80%下级部分之和63.8180');
    expect(pdf).toContain('服务对象评议70%56%满意130票、基本满意50票、不满意20票，共200票8044.856');
    expect(pdf).toContain('日常考核20%20%扣6个百分点（第3、5、7项，免扣1次）—1420合计100%100%77.81100');
    expect(pdf).toContain('镇党委、政府评议：（15×100+8×60+2×0）÷25=79.2，×24%=19.01');
    expect(pdf).toContain('免扣理由：自查自纠，主动退还并挽回损失');
    expect(pdf).toContain('复核：2025年1月6日提出，理由：第5项记录的两次推诿中有一次系申请材料不全、已一次性告知；复核决定：经镇纪委核查，两次均属推诿，维持原结果；维持原得分（原得分77.81分）。');
    expect(pdf).toContain('违诺：共0次（第1项），未达到处理标准（1次批评和诫勉教育，并向当事人赔礼道歉；2次视情给予通报批评；3次及以上调离工作岗位）。');
    expect(pdf).toContain('考评期：2024年度');
    const html = await readFile(path.join(out.dir, 'html/reports/2024-dual-guotu.html'), 'utf8');
    expect(html).toContain('<tr class="part-part part-depth-1"><th scope="row">服务对象评议</th><td>70%</td><td>56%</td>');
    const nongye = await pdfText(path.join(out.dir, 'pdf/reports/2024-dual-nongye.pdf'));
    expect(nongye).toContain('评定结果：一票否决，列为最差（第8项未通过）');
    expect(nongye).toContain('——未通过，一票否决，直接列为最差，排在所有对象之后。');
    const form = await pdfText(path.join(out.dir, 'pdf/checklists/township-dual-appraisal.pdf'));
    expect(form).toContain('（加权计分表）');
    expect(form).toContain('服务对象评议70%56%按票计分：满意100分、基本满意60分、不满意0分满意＿＿＿＿票基本满意＿＿＿＿票不满意＿＿＿＿票');
    expect(form).toContain('计分办法：百分制，问卷调查占80%（服务对象评议占70%，镇党委、政府评议占30%），日常考核占20%');
  });

  it('ranks a veto with effect last after every other subject, even with the highest total', async () => {
    const dual = rankingView(sample, sample.checklists.find((c) => c.id === 'township-dual-appraisal')!);
    expect(dual.rows.map((r) => [r.rank, r.subject, r.total, r.verdict])).toEqual([
      [1, '青石镇民政办', '92.42', '不设等次'],
      [2, '青石镇国土所', '77.81', '不设等次'],
      [3, '青石镇农业服务中心', '94.99', '一票否决，列为最差（第8项未通过）'],
    ]);
    expect(dual.notes).toContain('一票否决的对象直接列为最差，排在所有对象之后。');
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
    expect(staff.rows.map((r) => [r.rank, r.total, r.verdict])).toEqual([[1, '95', '优秀'], [2, '83', '基本称职'], [3, '−10', '不称职']]);

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
