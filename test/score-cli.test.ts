import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, SAMPLE, tempCopy, tempDir } from './helpers.js';

const FIX = path.join(REPO, 'test/fixtures/scoring/project');
const fx = (rel: string) => path.join(FIX, rel);

async function scoreJson(file: string, ...more: string[]): Promise<Record<string, unknown>> {
  const r = await cli('score', file, '--json', ...more);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Record<string, unknown>;
}

type Expected = Record<string, { total: number; max: number | null; rating: string | null; vetoed: boolean; vetoes: number[]; sections: unknown[] }>;
const expected = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/sample-expected-scores.json'), 'utf8')) as Expected;

describe('normkit score on the sample results', () => {
  it('has a hand-computed expectation for every sample result', () => {
    const files = readdirSync(path.join(SAMPLE, 'results')).filter((f) => f.endsWith('.yaml')).map((f) => `results/${f}`);
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [rel, want] of Object.entries(expected)) {
    it(`scores ${rel} as computed by hand`, async () => {
      const j = await scoreJson(path.join(SAMPLE, rel));
      expect(typeof j.checklist).toBe('string');
      expect(typeof j.subject).toBe('string');
      expect({ total: j.total, max: j.max, rating: j.rating, vetoed: j.vetoed, vetoes: j.vetoes, sections: j.sections }).toEqual(want);
    });
  }

  it('prints a readable Chinese summary', async () => {
    const r = await cli('score', path.join(SAMPLE, 'results/2024-dongcheng-center.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('眉山市创建“五星级”政务服务中心考评标准');
    expect(r.out).toContain('云岭市东城区政务服务中心');
    expect(r.out).toContain('2024-12-05');
    expect(r.out).toMatch(/办公场地标准化\s+16\.5 \/ 20/);
    expect(r.out).toMatch(/群众满意度测评\s+9\.2 \/ 10/);
    expect(r.out).toContain('92.7 / 100');
    expect(r.out).toContain('四星级');
    const v = await cli('score', path.join(SAMPLE, 'results/2024-xicheng-center.yaml'));
    expect(v.code).toBe(0);
    expect(v.out).toContain('一票否决（条目 40）');
    expect(v.out).toContain('等次：一票否决（条目 40）');
    expect(v.out).not.toContain('等次：五星级');
  });
});

describe('normkit score on the scoring fixtures', () => {
  it('prints exactly one JSON object with the contract keys', async () => {
    const r = await cli('score', fx('results/findings-some.yaml'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    for (const key of ['checklist', 'subject', 'total', 'max', 'rating', 'vetoed', 'vetoes', 'sections']) expect(j).toHaveProperty(key);
    expect(j).toMatchObject({ checklist: 'findings', subject: '一号窗口', assessed: '2024-12-01', max: 10, vetoes: [] });
    for (const s of j.sections as Record<string, unknown>[]) expect(Object.keys(s).sort()).toEqual(['max', 'score', 'title']);
    expect(Array.isArray(j.items)).toBe(true);
    expect(Array.isArray(j.components)).toBe(true);
  });

  it('scores levels and findings, flooring at 0', async () => {
    const j = await scoreJson(fx('results/findings-some.yaml'));
    expect(j).toMatchObject({ total: 6, rating: '合格', vetoed: false, sections: [{ title: '现场环境', score: 2.5, max: 6 }, { title: '服务规范', score: 3.5, max: 4 }] });
    const items = j.items as { no: number; score: number; findings: number | null; level: string | null }[];
    expect(items.map((i) => [i.no, i.score])).toEqual([[1, 2.5], [2, 0], [3, 1.5], [4, 2]]);
    expect(items[1]!.findings).toBe(10);
    expect(items[2]!.level).toBe('中');
  });

  it('gives full marks with default: full', async () => {
    expect(await scoreJson(fx('results/full-marks.yaml'))).toMatchObject({ total: 10, max: 10, rating: '优秀', vetoed: false });
  });

  it('voids the rating of a failed veto and scores the item 0', async () => {
    const j = await scoreJson(fx('results/vetoed.yaml'));
    expect(j).toMatchObject({ total: 8, rating: null, vetoed: true, vetoes: [4] });
    expect((j.items as { no: number; score: number; veto_failed: boolean }[]).find((i) => i.no === 4)).toMatchObject({ score: 0, veto_failed: true });
  });

  it('fills missing items with full marks under default: full', async () => {
    expect(await scoreJson(fx('results/missing-with-default.yaml'))).toMatchObject({ total: 7.5, rating: '合格' });
  });

  it('refuses missing items without default: full (exit 1, missing-score at the scores key)', async () => {
    const r = await cli('score', fx('results/missing-no-default.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('results/missing-no-default.yaml:4:1');
    expect(r.err).toContain('missing-score');
    expect(r.err).toContain('2、4');
    const j = await cli('score', fx('results/missing-no-default.yaml'), '--json');
    expect(j.code).toBe(1);
    expect(j.out).toBe('');
    expect(JSON.parse(j.err)).toEqual([expect.objectContaining({ file: 'results/missing-no-default.yaml', line: 4, column: 1, rule: 'missing-score', severity: 'error' })]);
  });

  it('refuses an invalid result with diagnostics naming file:line:col', async () => {
    const r = await cli('score', fx('results/exceeds.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('results/exceeds.yaml:6:6');
    expect(r.err).toContain('score-exceeds-points');
  });

  it('does not let errors elsewhere in the project block scoring', async () => {
    expect((await cli('validate', FIX)).code).toBe(1); // exceeds.yaml and missing-no-default.yaml
    expect((await cli('score', fx('results/tenths.yaml'))).code).toBe(0);
  });

  it('scores deductions and bonuses from the base', async () => {
    const j = await scoreJson(fx('results/appraisal.yaml'));
    expect(j).toMatchObject({
      checklist: 'appraisal', total: 95, max: null, rating: '优秀', vetoed: false, vetoes: [], base: 100,
      sections: [{ title: '纪律', score: -9.5, max: null }, { title: '加分', score: 4.5, max: null }],
    });
    const text = await cli('score', fx('results/appraisal.yaml'));
    expect(text.out).toContain('总分：95');
    expect(text.out).toMatch(/纪律\s+\u22129\.5/);
  });

  it('meets a threshold exactly at 95.00 and misses it at 94.99', async () => {
    expect(await scoreJson(fx('results/exact-95.yaml'))).toMatchObject({ total: 95, rating: '五星级' });
    expect(await scoreJson(fx('results/miss-by-cent.yaml'))).toMatchObject({ total: 94.99, rating: '四星级' });
  });

  it('adds ten items of 0.1 to exactly 1', async () => {
    expect(await scoreJson(fx('results/tenths.yaml'))).toMatchObject({ total: 1, max: 1, rating: '合格', sections: [{ title: '全部', score: 1, max: 1 }] });
  });
});

describe('finding the project', () => {
  it('walks up from the result file to the nearest project.yaml', async () => {
    const j = await scoreJson(fx('results/2024/q4/nested.yaml'));
    expect(j).toMatchObject({ checklist: 'tenths', total: 0.9, rating: null });
  });

  it('scores a result outside results/ by parsing it directly', async () => {
    expect(await scoreJson(fx('drafts/draft.yaml'))).toMatchObject({ subject: '草稿窗口', total: 9.5, rating: '优秀' });
    const bad = await cli('score', fx('drafts/bad-draft.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('drafts/bad-draft.yaml:6:15');
    expect(bad.err).toContain('unknown-level');
  });

  it('uses --project for a result outside any project', async () => {
    const t = await tempDir();
    try {
      const file = path.join(t.dir, 'outside.yaml');
      await copyFile(fx('results/findings-some.yaml'), file);
      const none = await cli('score', file);
      expect(none.code).toBe(2);
      expect(none.err).toContain('project.yaml');
      expect(await scoreJson(file, '--project', FIX)).toMatchObject({ total: 6, rating: '合格' });

      const bad = path.join(t.dir, 'bad.yaml');
      await writeFile(bad, 'checklist: findings\nsubject: 外部\nassessed: 2024-12-01\ndefault: full\nscores:\n  9: 1\n');
      const r = await cli('score', bad, '--project', FIX, '--json');
      expect(r.code).toBe(1);
      const diags = JSON.parse(r.err) as { file: string; line: number; column: number; rule: string }[];
      expect(diags).toHaveLength(1);
      expect(diags[0]).toMatchObject({ line: 6, column: 3, rule: 'unknown-checklist-item' });
      expect(diags[0]!.file.endsWith('/bad.yaml')).toBe(true);

      const notProject = await cli('score', file, '--project', t.dir);
      expect(notProject.code).toBe(2);
    } finally {
      await t.cleanup();
    }
  });

  it('treats a missing file, no file or a bad option as a usage error', async () => {
    expect((await cli('score', fx('results/no-such-file.yaml'))).code).toBe(2);
    expect((await cli('score')).code).toBe(2);
    expect((await cli('score', fx('results/tenths.yaml'), '--bogus')).code).toBe(2);
    expect((await cli('score', fx('results/tenths.yaml'), '--project', fx('no-such-folder'))).code).toBe(2);
    expect((await cli('score', '--help')).out).toContain('normkit score');
  });
});

describe('errors that block scoring', () => {
  it('blocks on errors in the result’s checklist, not in other checklists', async () => {
    const t = await tempCopy(FIX);
    try {
      const cl = path.join(t.dir, 'checklists/findings.yaml');
      await writeFile(cl, (await readFile(cl, 'utf8')).replace('total: 10', 'total: 11'));
      const r = await cli('score', path.join(t.dir, 'results/findings-some.yaml'));
      expect(r.code).toBe(1);
      expect(r.err).toContain('checklists/findings.yaml');
      expect(r.err).toContain('total-mismatch');
      expect((await cli('score', path.join(t.dir, 'results/tenths.yaml'))).code).toBe(0);
    } finally {
      await t.cleanup();
    }
  });

  it('reports a YAML syntax error in the result at its line', async () => {
    const t = await tempCopy(FIX);
    try {
      await mkdir(path.join(t.dir, 'results'), { recursive: true });
      const file = path.join(t.dir, 'results/broken.yaml');
      await writeFile(file, 'checklist: findings\nsubject: 坏\nassessed: 2024-12-01\nscores:\n  1: [3\n');
      const r = await cli('score', file);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/results\/broken\.yaml:\d+:\d+/);
      expect(r.err).toContain('yaml-syntax');
    } finally {
      await t.cleanup();
    }
  });
});
