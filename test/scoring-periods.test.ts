/** Periods on results: rankings per period (ranks restart), `normkit score --ranking … --period`. */
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../src/model/project.js';
import { renderRankingPdf } from '../src/render/pdf/report-pdf.js';
import { comparePeriods, parsePeriod, periodOf } from '../src/scoring/period.js';
import { validUntil } from '../src/scoring/register.js';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import { loadFontBook } from '../src/typography/fonts.js';
import { rankingView, reportView } from '../src/views/report-view.js';
import { model } from './fixtures/checklists/fixture.js';
import { cli, tempCopy } from './helpers.js';
import { pdfPages, squash } from './pdf-text.js';

const quarter = (subject: string, period: string, good: number, daily: string) => `checklist: township-dual-appraisal
subject: ${subject}
assessed: 2025-04-08
period: ${period}
scores:
${daily}parts:
  服务对象评议: { 满意: ${good}, 基本满意: ${100 - good}, 不满意: 0 }
  镇党委、政府评议: { 满意: 10, 基本满意: 0, 不满意: 0 }
`;

describe('periods', () => {
  let copy: { dir: string; cleanup: () => Promise<void> };
  let project: Project;

  beforeAll(async () => {
    copy = await tempCopy();
    // 2025Q1: 国土所 (90 满意 → 96 × 56 % = 53.76, + 24 + 20 = 97.76) ahead of 民政办
    // (50 满意 → 80 × 56 % = 44.8, + 24 + 20 − 2 = 86.8); the 2024 results stay as they are.
    await writeFile(path.join(copy.dir, 'results/2025q1-dual-guotu.yaml'), quarter('青石镇国土所', '2025Q1', 90, '  1: 0\n'));
    await writeFile(path.join(copy.dir, 'results/2025q1-dual-minzheng.yaml'), quarter('青石镇民政办', '2025Q1', 50, '  1: 1\n'));
    project = await model(copy.dir);
  });
  afterAll(() => copy.cleanup());

  it('parses years, quarters and months, orders them newest first, defaults to the assessed year', () => {
    expect(parsePeriod('2024Q3')).toMatchObject({ kind: 'quarter', label: '2024年第三季度', month: 7 });
    expect(parsePeriod('2024-07')).toMatchObject({ kind: 'month', label: '2024年7月' });
    expect(parsePeriod('2024')).toMatchObject({ kind: 'year', label: '2024年度' });
    expect(parsePeriod('2024Q5')).toBeUndefined();
    expect(['2024', '2025Q1', '2024Q4', '2024-12'].map((k) => parsePeriod(k)!).sort(comparePeriods).map((p) => p.key)).toEqual(['2025Q1', '2024-12', '2024Q4', '2024']);
    expect(periodOf({ assessed: '2024-12-20' }).key).toBe('2024');
  });

  it('ranks each period on its own, newest first, ranks restarting at 1', () => {
    const cl = project.checklists.find((c) => c.id === 'township-dual-appraisal')!;
    const view = rankingView(project, cl);
    expect(view.periods.map((p) => [p.label, p.rows.map((r) => [r.rank, r.subject, r.total])])).toEqual([
      ['2025年第一季度', [[1, '青石镇国土所', '97.76'], [2, '青石镇民政办', '86.8']]],
      ['2024年度', [[1, '青石镇民政办', '92.42'], [2, '青石镇国土所', '77.81'], [3, '青石镇农业服务中心', '94.99']]],
    ]);
    expect(rankingView(project, cl, '2025Q1').rows.map((r) => r.subject)).toEqual(['青石镇国土所', '青石镇民政办']);
    const r = project.results.find((x) => x.slug === '2025q1-dual-guotu')!;
    expect(reportView(project, r).periodLabel).toBe('2025年第一季度');
  });

  it('prints one table per period in the ranking PDF', async () => {
    const cl = project.checklists.find((c) => c.id === 'township-dual-appraisal')!;
    const text = squash((await pdfPages(await renderRankingPdf(rankingView(project, cl), loadFontBook({}, copy.dir)))).join(''));
    expect(text).toContain('考评期：2025年第一季度共2个被考评对象不设等次2个');
    expect(text).toContain('考评期：2024年度共3个被考评对象不设等次2个，一票否决1个');
    expect(text.indexOf('2025年第一季度')).toBeLessThan(text.indexOf('2024年度'));
  });

  it('normkit score --ranking --period lists one period; a bad period is a usage error', async () => {
    const r = await cli('score', '--ranking', 'township-dual-appraisal', '--period', '2025Q1', '--json', '--project', copy.dir);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { periods: { period: string; rows: { rank: number; subject: string; total: number }[] }[] };
    expect(j.periods.map((p) => [p.period, p.rows.map((x) => [x.rank, x.subject, x.total])])).toEqual([['2025Q1', [[1, '青石镇国土所', 97.76], [2, '青石镇民政办', 86.8]]]]);
    const bad = await cli('score', '--ranking', 'township-dual-appraisal', '--period', '2025Q5', '--project', copy.dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('考评期“2025Q5”写法不对');
  });
});

describe('valid_years: the register of ratings', () => {
  let copy: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    copy = await tempCopy();
    // 北山 rated 2022-12-01 (full marks → 五星级): valid until 2024-11-30, expired on the project
    // date 2025-01-15; 东城 (四星级, 2024-12-05) revoked on 2025-01-10.
    await writeFile(path.join(copy.dir, 'results/2022-beishan-center.yaml'),
      'checklist: five-star-center\nsubject: 云岭市北山区政务服务中心\nassessed: 2022-12-01\ndefault: full\n');
    await appendFile(path.join(copy.dir, 'results/2024-dongcheng-center.yaml'), 'revoked:\n  date: 2025-01-10\n  reason: 窗口工作人员违纪被市纪委通报，取消星级资格\n');
  });
  afterAll(() => copy.cleanup());

  it('counts validity from the assessment: two years less a day, from 29 February to 28 February', () => {
    expect(validUntil('2024-12-05', 2)).toBe('2026-12-04');
    expect(validUntil('2024-02-29', 1)).toBe('2025-02-28');
    expect(validUntil('2024-01-01', 2)).toBe('2025-12-31');
  });

  it('lists each subject’s latest rating, its validity and a revocation, as of the project date', async () => {
    const project = await model(copy.dir);
    const cl = project.checklists.find((c) => c.id === 'five-star-center')!;
    const reg = rankingView(project, cl).register!;
    expect(reg.asOf).toBe('2025-01-15');
    expect(reg.rows.map((r) => [r.subject, r.rating, r.validUntil, r.status])).toEqual([
      ['云岭市东城区政务服务中心', '四星级', '2026-12-04', '已撤销'],
      ['云岭市北山区政务服务中心', '五星级', '2024-11-30', '已过有效期，应重新评定'],
    ]);
    const text = squash((await pdfPages(await renderRankingPdf(rankingView(project, cl), loadFontBook({}, copy.dir)))).join(''));
    expect(text).toContain('评定登记表（有效期2年，截至2025-01-15）');
    expect(text).toContain('2025年1月10日撤销：窗口工作人员违纪被市纪委通报，取消星级资格');
    const dong = reportView(project, project.results.find((r) => r.slug === '2024-dongcheng-center')!);
    expect(dong.summaryLines[0]).toBe('评定等次已于2025年1月10日撤销：窗口工作人员违纪被市纪委通报，取消星级资格。');
  });

  it('warns rerating-due at the expired result’s assessed date, and nowhere else', async () => {
    const loaded = await loadProject(copy.dir);
    checkProject(loaded);
    const due = loaded.diagnostics.list.filter((d) => d.rule === 'rerating-due');
    expect(due.map((d) => [d.file, d.line, d.column, d.severity])).toEqual([['results/2022-beishan-center.yaml', 3, 11, 'warning']]);
    expect(due[0]!.message).toContain('有效期至 2024-11-30（2年），已过期');
  });
});
