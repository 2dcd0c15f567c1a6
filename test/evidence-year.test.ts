import path from 'node:path';
import { describe, expect, it } from 'vitest';
// the generator has its own calendar and counting: the figures it expects are not computed by src/
import { countyItems, generateYear, writeYearProject } from '../bench/evidence-year.js';
import { checkEvidence } from '../src/check/rules/evidence.js';
import { Diagnostics } from '../src/diagnostics.js';
import { computeFigures } from '../src/evidence/figures.js';
import { loadEvidence } from '../src/load/evidence-loader.js';
import { cli, tempDir } from './helpers.js';

describe('a seeded synthetic year (holidays and 调休 included)', () => {
  for (const seed of [7, 20251001]) {
    it(`gives the independently computed figures (seed ${seed})`, async () => {
      const items = countyItems(30);
      const year = generateYear({ seed, cases: 4000, evaluationShare: 0.3, complaints: 0.02, items });
      const { dir, cleanup } = await tempDir();
      try {
        await writeYearProject(dir, year, items);
        const diags = new Diagnostics();
        const checked = checkEvidence(await loadEvidence(dir, diags), {
          items: items.map((i) => ({ code: i.code, name: i.name, department: i.department, window: i.window, time_limit: { legal_days: 20, promised_days: i.promised } })) as never[],
          departments: [],
        }, diags);
        expect(diags.list).toEqual([]);
        const f = computeFigures(checked.records, checked.calendar, checked.rules, '2025');
        const e = year.expected;
        const t = f.total;
        expect({ cases: t.cases, onTime: t.onTime, onSite: t.onSite, overdue: t.overdueCases, rated: t.ratedCases })
          .toEqual({ cases: e.decided, onTime: e.onTime, onSite: e.onSite, overdue: e.overdue, rated: e.rated });
        expect({ evaluations: t.evaluations, excluded: t.excluded, good: t.good, basic: t.basic, bad: t.bad })
          .toEqual({ evaluations: e.evaluations, excluded: e.excluded, good: e.good, basic: e.basic, bad: e.bad });
        expect({ ledgerOverdue: t.overdueBadReviews, revisited: t.revisited, closed: t.revisitRate.den })
          .toEqual({ ledgerOverdue: e.badOverdue, revisited: e.revisited, closed: e.closedBad });
        expect({ complaints: t.complaints, overdue: t.overdueComplaints, valid: t.validComplaints })
          .toEqual({ complaints: e.complaints, overdue: e.complaintsOverdue, valid: e.validComplaints });
        expect(Object.fromEntries(f.byWindow.filter((g) => g.overdueCases > 0).map((g) => [g.key, g.overdueCases]))).toEqual(e.overdueByWindow);
        expect(t.overdueCases).toBeGreaterThan(0);
        expect(t.bad).toBeGreaterThan(0);
      } finally {
        await cleanup();
      }
    });
  }

  it('normkit evidence reads the generated project as a user would', async () => {
    const items = countyItems(12);
    const year = generateYear({ seed: 3, cases: 600, items });
    const { dir, cleanup } = await tempDir();
    try {
      await writeYearProject(path.join(dir, 'p'), year, items);
      const r = await cli('evidence', path.join(dir, 'p'), '--json', '--no-files');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { total: { cases: number; on_time: number; overdue_cases: number } };
      expect(j.total).toMatchObject({ cases: year.expected.decided, on_time: year.expected.onTime, overdue_cases: year.expected.overdue });
    } finally {
      await cleanup();
    }
  });
});
