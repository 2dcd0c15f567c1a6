/**
 * mode: weighted — nested weights, ballots, 0–100 inputs, section parts (award, deduct on 100,
 * percentage points), exemptions, vetoes; exact to the hundredth; the township 双评 sample through
 * `normkit score --json`; and the rules that guard the parts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import type { ChecklistData, ResultData } from '../src/model/data.js';
import { scoreResult, toJson } from '../src/scoring/score.js';
import { cli, SAMPLE, tempDir } from './helpers.js';

const GRADES = [{ label: '满意', value: 100 }, { label: '基本满意', value: 60 }, { label: '不满意', value: 0 }];

/** The 双评 shape: 80 (70 ballots + 30 ballots) + 20 percentage points. */
const dual = (over: Partial<ChecklistData> = {}): ChecklistData => ({
  id: 'w', title: '双评', mode: 'weighted', veto_effect: 'last',
  parts: [
    { name: '问卷调查', weight: 80, parts: [
      { name: '服务对象', weight: 70, ballots: GRADES },
      { name: '党委政府', weight: 30, ballots: GRADES },
    ] },
    { name: '日常考核', weight: 20, section: '日常考核', percentage_points: true },
  ],
  sections: [{ title: '日常考核', items: [
    { no: 1, text: '承诺不践诺', per_occurrence: -2 },
    { no: 2, text: '态度差', per_occurrence: -2 },
    { no: 3, text: '严重损害群众利益', veto: true },
  ] }],
  ...over,
});

const res = (scores: ResultData['scores'], parts: ResultData['parts']): ResultData =>
  ({ checklist: 'w', subject: '某站所', assessed: '2024-12-20', scores, parts });

describe('weighted scoring', () => {
  it('nests 70/30 inside 80: shares 56 % and 24 %, each leaf rounded once, the total their sum', () => {
    const r = scoreResult(dual(), res({ 1: 1 }, { 服务对象: { 满意: 180, 基本满意: 15, 不满意: 5 }, 党委政府: { 满意: 20, 基本满意: 4, 不满意: 1 } }));
    const [survey, daily] = r.parts;
    expect(survey!.children.map((c) => [c.share, c.score, c.contribution])).toEqual([[5600, 9450, 5292], [2400, 8960, 2150]]); // 21.504 → 21.5
    expect(survey!.contribution).toBe(7442);
    expect([daily!.contribution, daily!.percentagePoints]).toEqual([1800, true]);
    expect([r.total, r.max]).toEqual([9242, 10000]);
  });

  it('percentage points stop at zero, exempt findings are not deducted', () => {
    const parts = { 服务对象: { 满意: 1 }, 党委政府: { 满意: 1 } };
    expect(scoreResult(dual(), res({ 1: 6, 2: 5 }, parts)).parts[1]!.contribution).toBe(0); // 20 − 22 → 0
    const r = scoreResult(dual(), res({ 1: { count: 3, exempt: 2, reason: '自查自纠' } }, parts));
    expect([r.parts[1]!.contribution, r.total]).toEqual([1800, 9800]);
  });

  it('thirds do not drift: 1/3 of the votes each → 53.33…, × 56 % = 29.87 (rounded once)', () => {
    const r = scoreResult(dual(), res({}, { 服务对象: { 满意: 1, 基本满意: 1, 不满意: 1 }, 党委政府: { 满意: 3 } }));
    // 160 / 3 = 53.333… × 0.56 = 29.8666… → 29.87; 100 × 0.24 = 24; 20
    expect(r.parts[0]!.children.map((c) => c.contribution)).toEqual([2987, 2400]);
    expect(r.total).toBe(2987 + 2400 + 2000);
  });

  it('takes 0–100 inputs and award or deduct sections as parts, and meets a threshold exactly', () => {
    const cl: ChecklistData = {
      id: 'w', title: '综合', mode: 'weighted',
      ratings: [{ label: '优秀', min: 90 }, { label: '良好', min: 80 }, { label: '一般' }],
      parts: [
        { name: '测评', weight: 50, input: 'score' },
        { name: '现场', weight: 30, section: '现场' },
        { name: '纪律', weight: 20, section: '纪律' },
      ],
      sections: [
        { title: '现场', items: [{ no: 1, text: '环境', points: 6 }, { no: 2, text: '标识', points: 4 }] },
        { title: '纪律', items: [{ no: 3, text: '迟到', per_occurrence: -5 }] },
      ],
    };
    // 测评 90 × 50 % = 45; 现场 9/10 = 90 × 30 % = 27; 纪律 100 − 10 = 90 × 20 % = 18 → 90
    const exact = scoreResult(cl, { ...res({ 1: 5, 2: 4, 3: 2 }, { 测评: 90 }) });
    expect(exact.parts.map((p) => p.contribution)).toEqual([4500, 2700, 1800]);
    expect([exact.total, exact.rating]).toEqual([9000, '优秀']);
    const miss = scoreResult(cl, { ...res({ 1: 5, 2: 4, 3: 2 }, { 测评: 89.98 }) }); // 44.99 → 89.99
    expect([miss.total, miss.rating]).toEqual([8999, '良好']);
    expect(toJson(miss)).toMatchObject({ total: 89.99, max: 100, rating: '良好', mode: 'weighted' });
  });

  it('a veto with effect last gives no rating and ranks after all; the JSON carries every part', () => {
    const r = scoreResult(dual(), res({ 3: { veto: true } }, { 服务对象: { 满意: 1 }, 党委政府: { 满意: 1 } }));
    expect([r.total, r.vetoed, r.rating, r.vetoEffect]).toEqual([10000, true, null, 'last']);
    const j = toJson(r) as { parts: { name: string; depth: number; share: number; contribution: number }[] };
    expect(j.parts.map((p) => [p.name, p.depth, p.share, p.contribution])).toEqual([
      ['问卷调查', 0, 80, 80], ['服务对象', 1, 56, 56], ['党委政府', 1, 24, 24], ['日常考核', 0, 20, 20],
    ]);
  });
});

describe('the township 双评 sample', () => {
  it('scores the hand-computed totals through normkit score --json, with the parts', async () => {
    const want = { 'dual-minzheng': [92.42, 74.42, 18], 'dual-guotu': [77.81, 63.81, 14], 'dual-nongye': [94.99, 74.99, 20] };
    for (const [name, [total, survey, daily]] of Object.entries(want)) {
      const r = await cli('score', path.join(SAMPLE, `results/2024-${name}.yaml`), '--json');
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out) as { total: number; parts: { name: string; contribution: number }[] };
      expect(j.total).toBe(total);
      expect(j.parts.filter((p) => p.name === '问卷调查' || p.name === '日常考核').map((p) => p.contribution)).toEqual([survey, daily]);
    }
  });

  it('prints how each part was formed in the text summary', async () => {
    const r = await cli('score', path.join(SAMPLE, 'results/2024-dual-guotu.yaml'));
    expect(r.out).toContain('服务对象评议：（130×100 + 50×60 + 20×0）÷ 200 = 80，× 56% = 44.8');
    expect(r.out).toContain('日常考核：20 − 6 个百分点 = 14');
    expect(r.out).toContain('免扣 1 次（自查自纠，主动退还并挽回损失）');
    expect(r.out).toContain('等次：不设等次（按总分排名）');
  });
});

async function diagnose(checklist: string, result?: string) {
  const t = await tempDir();
  await writeFile(path.join(t.dir, 'project.yaml'), 'organization: 测试镇人民政府\ncode_prefix: Q/CS\ndepartments:\n  - id: zhx\n    name: 综合办\n');
  await mkdir(path.join(t.dir, 'checklists'));
  await mkdir(path.join(t.dir, 'results'));
  await writeFile(path.join(t.dir, 'checklists/w.yaml'), checklist);
  if (result) await writeFile(path.join(t.dir, 'results/r.yaml'), result);
  const loaded = await loadProject(t.dir);
  checkProject(loaded);
  await t.cleanup();
  return loaded.diagnostics.list.filter((d) => d.severity === 'error').map((d) => ({ file: path.basename(d.file), line: d.line, column: d.column, rule: d.rule, message: d.message }));
}

const W = `id: w
title: 双评
mode: weighted
parts:
  - name: 问卷调查
    weight: 80
    parts:
      - name: 服务对象
        weight: 70
        ballots:
          - { label: 满意, value: 100 }
          - { label: 不满意, value: 0 }
      - name: 党委政府
        weight: 30
        input: score
  - name: 日常考核
    weight: 20
    section: 日常考核
    percentage_points: true
sections:
  - title: 日常考核
    items:
      - no: 1
        text: 承诺不践诺
        per_occurrence: -2
`;
const R = (parts: string) => `checklist: w\nsubject: 某站所\nassessed: 2024-12-20\nparts:\n${parts}`;

describe('rules for weighted schemes', () => {
  it('the valid scheme and result have no errors', async () => {
    expect(await diagnose(W, R('  服务对象: { 满意: 10, 不满意: 1 }\n  党委政府: 90\n'))).toEqual([]);
  });

  it('weights-not-100 at the parts key, naming the weights', async () => {
    const d = await diagnose(W.replace('        weight: 30\n', '        weight: 25\n'));
    expect(d).toEqual([expect.objectContaining({ line: 7, column: 5, rule: 'weights-not-100' })]);
    expect(d[0]!.message).toContain('合计 95%');
  });

  it('unknown-section, section-without-part, part-source', async () => {
    const d = await diagnose(W.replace('    section: 日常考核\n', '    section: 日常检查\n').replace('        input: score\n', '        input: score\n        section: 日常考核\n'));
    expect(d.map((x) => [x.rule, x.line]).sort()).toEqual([['part-source', 13], ['unknown-section', 19]]);
    const e = await diagnose(W.replace('    section: 日常考核\n    percentage_points: true\n', '    input: score\n'));
    expect(e.map((x) => x.rule)).toEqual(['section-without-part']);
  });

  it('missing-score, unknown-ballot-grade, invalid-ballots, unknown-part in a result; a score over 100 fails the schema', async () => {
    const d = await diagnose(W, R('  服务对象: { 满意: 10, 很满意: 1 }\n  党委政府: { 满意: 1 }\n  日常: 3\n'));
    expect(d.map((x) => [x.rule, x.line, x.column])).toEqual([['unknown-ballot-grade', 5, 19], ['invalid-score', 6, 9], ['unknown-part', 7, 3]]);
    expect((await diagnose(W, R('  服务对象: { 满意: 10 }\n  党委政府: 120\n'))).map((x) => [x.rule, x.line])).toEqual([['invalid-value', 6]]);
    const m = await diagnose(W, R('  服务对象: { 满意: 10 }\n'));
    expect(m).toEqual([expect.objectContaining({ rule: 'missing-score', line: 4 })]);
    expect(m[0]!.message).toContain('党委政府');
  });
});
