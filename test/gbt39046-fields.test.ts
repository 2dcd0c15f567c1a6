import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import { resolveProject } from '../src/model/project.js';
import { guideView } from '../src/views/guide-view.js';
import { REPO } from './helpers.js';

const DIR = path.join(REPO, 'test/fixtures/items/gbt39046');

describe('GB/T 39046 item fields (issue 18)', () => {
  it('validate accepts them and the guide shows them', async () => {
    const loaded = await loadProject(DIR);
    const checked = checkProject(loaded);
    expect(loaded.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    const project = resolveProject(checked, loaded.root);
    const g = guideView(project, project.items[0]!);
    const facts = Object.fromEntries(g.facts.map((f) => [f.label, f.value]));
    expect(facts['基本编码']).toBe('000116015000');
    expect(facts['实施编码']).toBe('11513400MB0000000X4000116015000');
    expect(facts['实施主体']).toBe('样例县交通运输局（统一社会信用代码：11513400MB0000000X）');
    expect(facts['共同实施部门']).toBe('样例县公安局');
    expect(facts['通办范围']).toBe('全市');
    const pairs = g.sections.flatMap((s) => ('pairs' in s && s.pairs ? s.pairs : []));
    const byLabel = Object.fromEntries(pairs.map((p) => [p.label, p.value]));
    expect(byLabel['承诺办结时限']).toBe('10个自然日');
    expect(byLabel['法定办结时限']).toBe('20个自然日');
    expect(byLabel['网上服务']).toBe('支持网上办理、预约办理、物流快递；不支持网上支付');
    expect(byLabel['投诉电话'] ?? Object.values(byLabel)).toContain('0834-6000000');
    const time = g.sections.find((s) => s.zh === '办理时限')!;
    expect(time.note).toContain('法定办结时限：依法需要现场核查的，核查时间不计算在内。');
    expect(time.note).not.toContain('工作日');
    const mats = g.sections.find((s) => s.kind === 'materials')!;
    expect('rows' in mats && mats.rows!.map((r) => [r.copies, r.form, r.note])).toEqual([['1', '原件1份', '填报须知：须由法定代表人签字并加盖公章'], ['3', '原件1份，复印件2份', '']]);
    expect(mats.kind === 'materials' && mats.hasNotes).toBe(true);
  });

  it('rejects a malformed credit code and an unknown time unit', async () => {
    const loaded = await loadProject(DIR);
    const item = loaded.items[0]!;
    (item.data as { implementer: { credit_code: string } }).implementer.credit_code = '123';
    (item.data as { time_limit: { unit: string } }).time_limit.unit = '周';
    checkProject(loaded);
    const rules = loaded.diagnostics.list.filter((d) => d.severity === 'error').map((d) => `${d.rule}@${d.line}`);
    expect(rules).toEqual(['invalid-value@24', 'invalid-format@37']);
    expect(loaded.diagnostics.list.find((d) => d.rule === 'invalid-format')?.message).toContain('例如 11511400MB1234567X。请改正');
  });

  it('says the unit when the promised limit exceeds the legal one', async () => {
    const loaded = await loadProject(DIR);
    (loaded.items[0]!.data as { time_limit: { promised_days: number } }).time_limit.promised_days = 30;
    checkProject(loaded);
    const d = loaded.diagnostics.list.find((x) => x.rule === 'promised-exceeds-legal');
    expect(d?.message).toContain('承诺时限 30 个自然日长于法定时限 20 个自然日');
    expect(d?.line).toBeGreaterThan(0);
  });
});
