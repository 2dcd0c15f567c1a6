/** Periods on results: rankings per period (ranks restart), `normkit score --ranking … --period`. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../src/model/project.js';
import { renderRankingPdf } from '../src/render/pdf/report-pdf.js';
import { comparePeriods, parsePeriod, periodOf } from '../src/scoring/period.js';
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
