/**
 * Deduct mode complete (floor, cap, catch-all grade, severity levels, exemptions, vetoes) and the
 * veto effects of every mode, in process; and the rules that guard them, through checkProject.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import type { ChecklistData, ResultData } from '../src/model/data.js';
import { scoreResult, toJson } from '../src/scoring/score.js';
import { SAMPLE, tempDir } from './helpers.js';

const result = (scores: ResultData['scores'], over: Partial<ResultData> = {}): ResultData =>
  ({ checklist: 's', subject: '测试人员', assessed: '2024-12-27', scores, ...over });

/** The staff appraisal's shape: −20 and −30 rows, a +5 bonus, a severity row, a catch-all 不称职. */
const staff = (over: Partial<ChecklistData> = {}): ChecklistData => ({
  id: 's', title: '考核细则', mode: 'deduct', base: 100,
  ratings: [{ label: '优秀', min: 95 }, { label: '称职', min: 85 }, { label: '基本称职', min: 70 }, { label: '不称职' }],
  sections: [
    { title: '纪律', items: [
      { no: 1, text: '违反党纪政纪被查处', per_occurrence: -20 },
      { no: 2, text: '违法被查处', per_occurrence: -30 },
      { no: 3, text: '引起投诉', levels: [{ label: '一般', points: -2 }, { label: '情节严重', points: -5 }] },
      { no: 4, text: '迟到', per_occurrence: -0.01 },
      { no: 5, text: '严重损害群众利益', veto: true },
    ] },
    { title: '加分', items: [{ no: 6, text: '建议被采纳', per_occurrence: 5 }] },
  ],
  ...over,
});

describe('deduct mode: catch-all grade, floor and cap', () => {
  it('one −20 and three −30 score −10 and are rated 不称职 by the catch-all grade', () => {
    const r = scoreResult(staff(), result({ 1: 1, 2: 3 }));
    expect(r.total).toBe(-1000);
    expect(r.rating).toBe('不称职');
    expect(toJson(r)).toMatchObject({ total: -10, rating: '不称职', raw_total: -10, floor: null, cap: null });
  });

  it('a floor keeps the total at the floor and keeps the raw sum', () => {
    const r = scoreResult(staff({ floor: 0 }), result({ 1: 1, 2: 3 }));
    expect([r.rawTotal, r.total, r.rating]).toEqual([-1000, 0, '不称职']);
    expect(toJson(r)).toMatchObject({ total: 0, raw_total: -10, floor: 0 });
  });

  it('without a cap four +5 give 120; with cap 110 they give 110', () => {
    expect(scoreResult(staff(), result({ 6: 4 })).total).toBe(12000);
    const r = scoreResult(staff({ cap: 110 }), result({ 6: 4 }));
    expect([r.rawTotal, r.total, r.rating]).toEqual([12000, 11000, '优秀']);
  });

  it('thresholds met exactly count, missed by 0.01 they do not', () => {
    expect(scoreResult(staff(), result({ 3: { level: '情节严重' } })).rating).toBe('优秀'); // 95
    const miss = scoreResult(staff(), result({ 3: { level: '情节严重' }, 4: 1 })); // 94.99
    expect([miss.total, miss.rating]).toEqual([9499, '称职']);
    const seventy = scoreResult(staff(), result({ 2: 1 })); // 70
    expect(seventy.rating).toBe('基本称职');
    expect(scoreResult(staff(), result({ 2: 1, 4: 1 })).rating).toBe('不称职'); // 69.99
  });

  it('a last rating with min 0 leaves a negative total unrated (the old behaviour, kept)', () => {
    const r = scoreResult(staff({ ratings: [{ label: '合格', min: 60 }, { label: '不合格', min: 0 }] }), result({ 1: 1, 2: 3 }));
    expect(r.rating).toBe(null);
  });
});

describe('deduct mode: severity levels and exemptions on one row', () => {
  it('takes each level’s value per occurrence', () => {
    const r = scoreResult(staff(), result({ 3: { level: '一般', count: 2 } }));
    expect(r.items.find((i) => i.no === 3)).toMatchObject({ level: '一般', perOccurrence: -200, count: 2, score: -400 });
    expect(r.total).toBe(9600);
    expect(scoreResult(staff(), result({ 3: { level: '情节严重' } })).total).toBe(9500); // count defaults to 1
  });

  it('exempt occurrences are not deducted and carry their reason', () => {
    const r = scoreResult(staff(), result({ 1: { count: 2, exempt: 1, reason: '自查自纠，挽回重大损失' } }));
    expect(r.total).toBe(8000);
    const j = toJson(r);
    expect((j.items as Record<string, unknown>[])[0]).toMatchObject({ no: 1, count: 2, exempt: 1, exempt_reason: '自查自纠，挽回重大损失', score: -20 });
  });
});

describe('vetoes and their effects', () => {
  const vetoed = result({ 5: { veto: true }, 6: 1 });

  it('deduct mode takes a veto; void (the default) gives no rating', () => {
    const r = scoreResult(staff(), vetoed);
    expect([r.vetoed, r.vetoes, r.total, r.rating, r.vetoEffect]).toEqual([true, [5], 10500, null, 'void']);
    expect(toJson(r)).toMatchObject({ vetoed: true, vetoes: [5], rating: null, veto_effect: 'void' });
  });

  it('lowest rates the lowest grade whatever the total', () => {
    const r = scoreResult(staff({ veto_effect: 'lowest' }), vetoed);
    expect([r.total, r.rating]).toEqual([10500, '不称职']);
  });

  it('last gives no rating; the effect is in the JSON', () => {
    const r = scoreResult(staff({ veto_effect: 'last' }), vetoed);
    expect([r.rating, toJson(r).veto_effect]).toEqual([null, 'last']);
  });

  it('award mode takes the effect too', () => {
    const award: ChecklistData = {
      id: 'a', title: '星级', mode: 'award', total: 10, veto_effect: 'lowest',
      ratings: [{ label: '五星级', min: 9 }, { label: '三星级', min: 5 }],
      sections: [{ title: '甲', items: [{ no: 1, text: '环境', points: 8 }, { no: 2, text: '无投诉', points: 2, veto: true }] }],
    };
    const r = scoreResult(award, result({ 1: 8, 2: { veto: true } }, { checklist: 'a' }));
    expect([r.total, r.rating, r.vetoed]).toEqual([800, '三星级', true]);
  });
});

describe('the corrected sample staff appraisal', () => {
  it('validates with its severity rows and scores the hand-computed totals', async () => {
    const loaded = await loadProject(SAMPLE);
    const ctx = checkProject(loaded);
    expect(loaded.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    const cl = ctx.checklists.find((c) => c.data.id === 'township-staff-appraisal')!.data;
    const totals = Object.fromEntries(ctx.results.filter((r) => r.data.checklist === cl.id)
      .map((r) => { const s = scoreResult(cl, r.data); return [r.data.subject.slice(0, 3), [s.total, s.rating]]; }));
    expect(totals).toEqual({ 李建国: [8300, '基本称职'], 张晓梅: [9500, '优秀'], 王立新: [-1000, '不称职'] });
  });
});

async function diagnose(checklist: string, results: Record<string, string> = {}) {
  const t = await tempDir();
  await writeFile(path.join(t.dir, 'project.yaml'), 'organization: 测试乡政务服务中心\ncode_prefix: Q/CS\ndepartments:\n  - id: zhx\n    name: 综合办\n');
  await mkdir(path.join(t.dir, 'checklists'));
  await mkdir(path.join(t.dir, 'results'));
  await writeFile(path.join(t.dir, 'checklists/s.yaml'), checklist);
  for (const [name, text] of Object.entries(results)) await writeFile(path.join(t.dir, 'results', name), text);
  const loaded = await loadProject(t.dir);
  checkProject(loaded);
  await t.cleanup();
  return loaded.diagnostics.list.filter((d) => d.severity === 'error').map((d) => ({ file: path.basename(d.file), line: d.line, column: d.column, rule: d.rule, message: d.message }));
}

const DEDUCT = `id: s
title: 考核细则
mode: deduct
base: 100
ratings:
  - { label: 合格, min: 60 }
  - { label: 不合格 }
sections:
  - title: 纪律
    items:
      - no: 1
        text: 引起投诉
        levels:
          - { label: 一般, points: -2 }
          - { label: 情节严重, points: -5 }
      - no: 2
        text: 严重损害群众利益
        veto: true
`;
const RESULT = (scores: string) => `checklist: s\nsubject: 某某\nassessed: 2024-12-27\nscores:\n${scores}`;

describe('rules for the new keys', () => {
  it('a valid deduct scheme with levels, a veto row and a catch-all grade has no errors', async () => {
    expect(await diagnose(DEDUCT, { 'r.yaml': RESULT('  1: { level: 情节严重, count: 2, exempt: 1, reason: 自查自纠 }\n  2: { veto: true }\n') })).toEqual([]);
  });

  it('rating-without-min: only the last grade may omit min', async () => {
    const d = await diagnose(DEDUCT.replace('  - { label: 合格, min: 60 }\n  - { label: 不合格 }', '  - { label: 不合格 }\n  - { label: 合格, min: 60 }'));
    expect(d).toEqual([expect.objectContaining({ line: 6, column: 5, rule: 'rating-without-min' })]);
    expect(d[0]!.message).toContain('不合格');
  });

  it('levels-and-per-occurrence and floor-above-cap, each at its key or value', async () => {
    const d = await diagnose(DEDUCT.replace('        text: 引起投诉\n', '        text: 引起投诉\n        per_occurrence: -2\n').replace('base: 100\n', 'base: 100\nfloor: 50\ncap: 40\n'));
    expect(d.map((x) => [x.rule, x.line]).sort()).toEqual([['floor-above-cap', 5], ['levels-and-per-occurrence', 16]]);
  });

  it('missing-level, unknown-level, exempt-without-reason, exempt-exceeds-count in a result', async () => {
    const d = await diagnose(DEDUCT, { 'r.yaml': RESULT('  1: 2\n') });
    expect(d).toEqual([expect.objectContaining({ file: 'r.yaml', line: 5, column: 6, rule: 'missing-level' })]);
    const e = await diagnose(DEDUCT, { 'r.yaml': RESULT('  1: { level: 轻微 }\n') });
    expect(e).toEqual([expect.objectContaining({ line: 5, rule: 'unknown-level' })]);
    expect(e[0]!.message).toContain('一般 | 情节严重');
    const f = await diagnose(DEDUCT, { 'r.yaml': RESULT('  1: { level: 一般, count: 1, exempt: 2 }\n') });
    expect(f.map((x) => x.rule).sort()).toEqual(['exempt-exceeds-count', 'exempt-without-reason']);
  });
});

describe('escalation tables and appeals', () => {
  const withEscalation = staff({
    escalation: [{ name: '违诺', items: [1, 2], steps: [{ count: 1, sanction: '批评' }, { count: 2, sanction: '通报批评' }, { count: 3, sanction: '调离' }] }],
  });

  it('counts the listed items (exempt ones excluded) and takes the highest step reached; 3 or more is 调离', () => {
    const sanction = (scores: ResultData['scores']) => scoreResult(withEscalation, result(scores)).escalations[0]!;
    expect(sanction({}).sanction).toBe(null);
    expect(sanction({ 1: 1 }).sanction).toBe('批评');
    expect(sanction({ 1: 1, 2: 1 })).toMatchObject({ count: 2, sanction: '通报批评' });
    expect(sanction({ 1: 4, 2: 1 })).toMatchObject({ count: 5, sanction: '调离' });
    expect(sanction({ 1: { count: 3, exempt: 2, reason: '自查自纠' } })).toMatchObject({ count: 1, sanction: '批评' });
    expect(toJson(scoreResult(withEscalation, result({ 1: 2 })))).toMatchObject({ escalations: [{ name: '违诺', items: [1, 2], count: 2, sanction: '通报批评' }] });
  });

  it('an appeal with a revised score changes total and rating and keeps the original', () => {
    const r = scoreResult(staff(), result({ 2: 1 }, { appeal: { date: '2025-01-06', reason: '违法行为系误记', decision: '撤销第2项扣分', revised_score: 100 } }));
    expect([r.total, r.rating, r.appeal!.originalTotal, r.appeal!.originalRating]).toEqual([10000, '优秀', 7000, '基本称职']);
    expect(toJson(r)).toMatchObject({ total: 100, rating: '优秀', appeal: { revised_score: 100, original_total: 70, original_rating: '基本称职', decision: '撤销第2项扣分' } });
    const kept = scoreResult(staff(), result({ 2: 1 }, { appeal: { date: '2025-01-06', reason: '不服', decision: '维持原结果' } }));
    expect([kept.total, kept.rating, kept.appeal!.revised]).toEqual([7000, '基本称职', null]);
  });

  it('rules: escalation items known and counts ascending; an appeal not before the assessment', async () => {
    const esc = DEDUCT.replace('sections:\n', 'escalation:\n  - name: 违诺\n    items: [1, 9]\n    steps:\n      - { count: 2, sanction: 通报批评 }\n      - { count: 1, sanction: 批评 }\nsections:\n');
    expect((await diagnose(esc)).map((d) => [d.rule, d.line, d.column])).toEqual([['unknown-checklist-item', 10, 16], ['escalation-not-ascending', 13, 18]]);
    const early = await diagnose(DEDUCT, { 'r.yaml': RESULT('  2: { veto: true }\n') + 'appeal:\n  date: 2024-12-01\n  reason: 不服\n  decision: 维持\n' });
    expect(early).toEqual([expect.objectContaining({ rule: 'appeal-before-assessment', line: 7, column: 9 })]);
  });
});
