import { describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import type { ChecklistData, ResultData } from '../src/model/data.js';
import { cents } from '../src/scoring/decimal.js';
import { ScoreInputError, scoreResult, toJson } from '../src/scoring/score.js';
import { SAMPLE } from './helpers.js';

const result = (over: Partial<ResultData> = {}): ResultData => ({ checklist: 'c', subject: '测试对象', assessed: '2024-12-01', ...over });

/** 4 (findings 0.5) + 2 (findings 0.3) + 2 (levels) + 2 (veto) = 10, with a component of 5 → 15. */
const award: ChecklistData = {
  id: 'c',
  title: '测试考评标准',
  mode: 'award',
  total: 15,
  components: [{ name: '满意度', points: 5 }],
  ratings: [
    { label: '优秀', min: 13.5 },
    { label: '合格', min: 9 },
  ],
  sections: [
    {
      title: '环境',
      items: [
        { no: 1, text: '无杂物', points: 4, deduct_per_finding: 0.5 },
        { no: 2, text: '桌面整洁', points: 2, deduct_per_finding: 0.3 },
      ],
    },
    {
      title: '规范',
      items: [
        { no: 3, text: '用语规范', points: 2, levels: [{ label: '好', points: 2 }, { label: '中', points: 1.5 }, { label: '差', points: 0.5 }] },
        { no: 4, text: '无有效投诉', points: 2, veto: true },
      ],
    },
  ],
};

const deduct: ChecklistData = {
  id: 'd',
  title: '考核细则',
  mode: 'deduct',
  base: 100,
  ratings: [
    { label: '优秀', min: 95 },
    { label: '称职', min: 85 },
    { label: '不称职', min: 0 },
  ],
  sections: [
    { title: '纪律', items: [{ no: 1, text: '未佩证', per_occurrence: -1 }, { no: 2, text: '迟到', per_occurrence: -2.5 }] },
    { title: '加分', items: [{ no: 3, text: '表扬', per_occurrence: 3 }] },
  ],
};

describe('the transcribed Meishan schemes', () => {
  it('both sum to 80 item points + 10 + 10 = 100', async () => {
    const loaded = await loadProject(SAMPLE);
    const ctx = checkProject(loaded);
    for (const id of ['five-star-center', 'five-star-window']) {
      const found = ctx.checklists.find((c) => c.data.id === id);
      expect(found, id).toBeDefined();
      const cl = found!.data;
      expect(loaded.diagnostics.list.filter((d) => d.file === found!.src.file && d.severity === 'error')).toEqual([]);
      const items = cl.sections.flatMap((s) => s.items).reduce((s, it) => s + cents(it.points!), 0);
      expect(items, id).toBe(8000);
      expect(cl.components?.map((c) => [c.name, c.points])).toEqual([['群众满意度测评', 10], ['考评小组评定', 10]]);
      expect(cl.total).toBe(100);
      // full marks everywhere → exactly 100 and the top rating
      const full = scoreResult(cl, result({ checklist: id, default: 'full' }));
      expect(full.total).toBe(10000);
      expect(full.max).toBe(10000);
      expect(full.rating).toBe('五星级');
    }
  });
});

describe('scoreResult, award mode', () => {
  it('gives full marks with default: full and no entries', () => {
    const r = scoreResult(award, result({ default: 'full' }));
    expect(r.total).toBe(1500);
    expect(r.itemsTotal).toBe(1000);
    expect(r.rating).toBe('优秀');
    expect(r.vetoed).toBe(false);
    expect(r.items.every((i) => i.defaulted && i.score === i.max)).toBe(true);
    expect(r.components).toEqual([{ name: '满意度', score: 500, max: 500, defaulted: true }]);
    expect(r.sections).toEqual([{ title: '环境', score: 600, max: 600 }, { title: '规范', score: 400, max: 400 }]);
  });

  it('takes explicit numbers, levels and findings (floored at 0)', () => {
    const r = scoreResult(award, result({
      scores: { 1: { findings: 3 }, 2: { findings: 10 }, 3: { level: '中' }, 4: 2 },
      components: { 满意度: 4.2 },
    }));
    const by = new Map(r.items.map((i) => [i.no, i]));
    expect(by.get(1)).toMatchObject({ score: 250, max: 400, findings: 3 });
    expect(by.get(2)).toMatchObject({ score: 0, findings: 10 }); // 2 − 10 × 0.3 < 0 → 0
    expect(by.get(3)).toMatchObject({ score: 150, level: '中' });
    expect(by.get(4)).toMatchObject({ score: 200, vetoFailed: false, veto: true });
    expect(r.sections.map((s) => s.score)).toEqual([250, 350]);
    expect(r.total).toBe(250 + 0 + 150 + 200 + 420);
    expect(r.rating).toBe('合格'); // 10.2: below 13.5, at least 9
  });

  it('findings exactly reaching the points give 0, and zero findings give full points', () => {
    const r = scoreResult(award, result({ default: 'full', scores: { 1: { findings: 8 }, 2: { findings: 0 } } }));
    expect(r.items[0]!.score).toBe(0);
    expect(r.items[1]!.score).toBe(200);
  });

  it('a failed veto scores 0 and voids the rating whatever the total', () => {
    const r = scoreResult(award, result({ default: 'full', scores: { 4: { veto: true } } }));
    expect(r.items.find((i) => i.no === 4)).toMatchObject({ score: 0, vetoFailed: true });
    expect(r.total).toBe(1300);
    expect(r.vetoed).toBe(true);
    expect(r.vetoes).toEqual([4]);
    expect(r.rating).toBe(null);
    const j = toJson(r);
    expect(j).toMatchObject({ total: 13, rating: null, vetoed: true, vetoes: [4] });
  });

  it('refuses a missing score without default: full, and takes full marks with it', () => {
    expect(() => scoreResult(award, result({ scores: { 1: 4 }, components: { 满意度: 5 } }))).toThrow(ScoreInputError);
    expect(() => scoreResult(award, result({ scores: { 1: 4, 2: 2, 3: 2, 4: 2 } }))).toThrow(/满意度/);
    const r = scoreResult(award, result({ default: 'full', scores: { 1: 3 } }));
    expect(r.total).toBe(1400);
    expect(r.items.map((i) => i.defaulted)).toEqual([false, true, true, true]);
  });

  it('refuses entries the result rules reject', () => {
    expect(() => scoreResult(award, result({ default: 'full', scores: { 3: { level: '优' } } }))).toThrow(ScoreInputError);
    expect(() => scoreResult(award, result({ default: 'full', scores: { 3: { findings: 1 } } }))).toThrow(ScoreInputError);
    expect(() => scoreResult(award, result({ default: 'full', scores: { 1: { veto: true } } }))).toThrow(ScoreInputError);
  });

  it('shows self scores beside the assessed ones; a missing self score is null', () => {
    const r = scoreResult(award, result({ default: 'full', scores: { 3: { level: '差' } }, self_scores: { 3: { level: '好' }, 1: { findings: 1 } } }));
    expect(r.items.map((i) => i.selfScore)).toEqual([350, null, 200, null]);
    expect(r.items.map((i) => i.score)).toEqual([400, 200, 50, 200]);
    const self = scoreResult(award, result({ default: 'full', self_scores: { 3: { level: '好' } } }), 'self_scores');
    expect(self.items.map((i) => i.score)).toEqual([null, null, 200, null]);
    expect(self.complete).toBe(false);
    expect(self.rating).toBe(null);
    expect(self.sections.map((s) => s.score)).toEqual([null, 200]);
  });

  it('compares rating thresholds in cents: 95.00 meets 95, 94.99 does not', () => {
    const cl: ChecklistData = {
      id: 't', title: '门槛', mode: 'award', total: 100,
      ratings: [{ label: '五星级', min: 95 }, { label: '四星级', min: 90 }],
      sections: [{ title: '全部', items: [{ no: 1, text: '甲', points: 0.5 }, { no: 2, text: '乙', points: 65 }, { no: 3, text: '丙', points: 34.5 }] }],
    };
    expect(0.02 + 64.07 + 30.91).toBeLessThan(95); // the trap
    const exact = scoreResult(cl, result({ checklist: 't', scores: { 1: 0.02, 2: 64.07, 3: 30.91 } }));
    expect(exact.total).toBe(9500);
    expect(exact.rating).toBe('五星级');
    expect(toJson(exact).total).toBe(95);
    const missed = scoreResult(cl, result({ checklist: 't', scores: { 1: 0.02, 2: 64.07, 3: 30.9 } }));
    expect(missed.total).toBe(9499);
    expect(missed.rating).toBe('四星级');
    expect(toJson(missed).total).toBe(94.99);
    const none = scoreResult(cl, result({ checklist: 't', scores: { 1: 0, 2: 60, 3: 29.99 } }));
    expect(none.rating).toBe(null);
    expect(none.vetoed).toBe(false);
  });

  it('adds tenths exactly: ten items of 0.1 make 1', () => {
    const cl: ChecklistData = {
      id: 'x', title: '十分位', mode: 'award', total: 1, ratings: [{ label: '合格', min: 1 }],
      sections: [{ title: '全部', items: Array.from({ length: 10 }, (_, i) => ({ no: i + 1, text: `第${i + 1}项`, points: 0.1 })) }],
    };
    const scores = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), 0.1]));
    const r = scoreResult(cl, result({ checklist: 'x', scores }));
    expect(r.total).toBe(100);
    expect(r.rating).toBe('合格');
    expect(toJson(r)).toMatchObject({ total: 1, max: 1, sections: [{ title: '全部', score: 1, max: 1 }] });
    const s = scoreResult(award, result({ default: 'full', scores: { 1: 0.1, 2: 0.2 }, components: { 满意度: 0 } }));
    expect(toJson(s).total).toBe(4.3); // 0.1 + 0.2 + 2 + 2, not 4.300000000000001
  });
});

describe('scoreResult, deduct mode', () => {
  it('adds per_occurrence × count to the base; missing items are 0 occurrences', () => {
    const r = scoreResult(deduct, result({ checklist: 'd', scores: { 1: 2, 2: 3, 3: 1 } }));
    expect(r.base).toBe(10000);
    expect(r.total).toBe(10000 - 200 - 750 + 300);
    expect(r.max).toBe(null);
    expect(r.rating).toBe('称职'); // 93.5
    expect(r.sections).toEqual([{ title: '纪律', score: -950, max: null }, { title: '加分', score: 300, max: null }]);
    expect(r.items.map((i) => [i.no, i.perOccurrence, i.count, i.score])).toEqual([[1, -100, 2, -200], [2, -250, 3, -750], [3, 300, 1, 300]]);
    const j = toJson(r);
    expect(j).toMatchObject({ total: 93.5, max: null, rating: '称职', vetoed: false, vetoes: [], base: 100 });
    expect((j.sections as unknown[])[0]).toEqual({ title: '纪律', score: -9.5, max: null });
  });

  it('bonuses can lift the total above the base, and a threshold met exactly counts', () => {
    expect(scoreResult(deduct, result({ checklist: 'd', scores: { 3: 2 } })).total).toBe(10600);
    const r = scoreResult(deduct, result({ checklist: 'd', scores: { 2: 2 } })); // 100 − 5 = 95
    expect(r.total).toBe(9500);
    expect(r.rating).toBe('优秀');
    expect(scoreResult(deduct, result({ checklist: 'd', scores: {} })).total).toBe(10000);
  });

  it('goes below every threshold → rating null', () => {
    const r = scoreResult(deduct, result({ checklist: 'd', scores: { 2: 41 } })); // 100 − 102.5
    expect(r.total).toBe(-250);
    expect(r.rating).toBe(null);
  });
});

describe('toJson', () => {
  it('has the contract keys with plain numbers', () => {
    const j = toJson(scoreResult(award, result({ scores: { 1: 3.5, 2: 2, 3: { level: '好' }, 4: 2 }, components: { 满意度: 4.6 } })));
    expect(Object.keys(j).slice(0, 8)).toEqual(['checklist', 'subject', 'total', 'max', 'rating', 'vetoed', 'vetoes', 'sections']);
    expect(j).toMatchObject({
      checklist: 'c', subject: '测试对象', total: 14.1, max: 15, rating: '优秀', vetoed: false, vetoes: [],
      sections: [{ title: '环境', score: 5.5, max: 6 }, { title: '规范', score: 4, max: 4 }],
      components: [{ name: '满意度', score: 4.6, max: 5 }],
      assessed: '2024-12-01',
    });
    expect((j.items as { no: number; score: number }[]).map((i) => [i.no, i.score])).toEqual([[1, 3.5], [2, 2], [3, 2], [4, 2]]);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});
