/**
 * One test per rule id of `normkit validate`: copy the minimal valid project, change one thing,
 * and check the exit code, the rule, the file and the exact line and column (via --format json).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempCopy } from './helpers.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const STD = 'catalog/provision/2001-2024-first-inquiry.md';
const ITEM = 'items/food-license.yaml';
const CHECKLIST = 'checklists/window.yaml';
const RESULT = 'results/2024-window.yaml';

interface Row {
  file: string; line: number | null; column: number | null; endLine: number | null; endColumn: number | null;
  severity: 'error' | 'warning'; rule: string; message: string;
}

class Project {
  constructor(readonly dir: string) {}
  read(rel: string): Promise<string> { return readFile(path.join(this.dir, rel), 'utf8'); }
  async write(rel: string, text: string): Promise<void> {
    await mkdir(path.dirname(path.join(this.dir, rel)), { recursive: true });
    await writeFile(path.join(this.dir, rel), text);
  }
  remove(rel: string): Promise<void> { return rm(path.join(this.dir, rel)); }
  /** Replaces the one occurrence of `from` (fails if it is missing or ambiguous); returns the new text. */
  async edit(rel: string, from: string, to: string): Promise<string> {
    const text = await this.read(rel);
    const n = text.split(from).length - 1;
    if (n !== 1) throw new Error(`${rel}: expected exactly one “${from}”, found ${n}`);
    const out = text.replace(from, to);
    await this.write(rel, out);
    return out;
  }
}

/** Validates a mutated copy of the minimal project; returns exit code and parsed JSON diagnostics. */
async function validate(mutate: (p: Project) => Promise<unknown>): Promise<{ code: number; rows: Row[]; err: string }> {
  const { dir, cleanup } = await tempCopy(MINIMAL);
  try {
    await mutate(new Project(dir));
    const r = await cli('validate', dir, '--format', 'json');
    expect(r.err, 'validate wrote to stderr').toBe('');
    const rows = JSON.parse(r.out) as Row[];
    for (const d of rows) {
      // Every diagnostic has a place in its file.
      expect(d.line, `no line: ${JSON.stringify(d)}`).toBeGreaterThanOrEqual(1);
      expect(d.column, `no column: ${JSON.stringify(d)}`).toBeGreaterThanOrEqual(1);
      expect(d.file).not.toMatch(/^\/|\\/);
    }
    return { code: r.code, rows, err: r.err };
  } finally {
    await cleanup();
  }
}

/** 1-based line and column of `token` on the nth line of `text` that contains `lineHas`. */
function at(text: string, lineHas: string, token: string = lineHas, nth = 0): { line: number; column: number } {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.includes(lineHas)) continue;
    if (seen++ < nth) continue;
    const col = lines[i]!.indexOf(token, lines[i]!.indexOf(lineHas));
    if (col < 0) throw new Error(`token “${token}” not on line ${i + 1}`);
    return { line: i + 1, column: col + 1 };
  }
  throw new Error(`no line #${nth} containing “${lineHas}”`);
}

const show = (rows: Row[]): string => JSON.stringify(rows.filter((r) => r.rule !== 'category-uncovered'), null, 2);
const errorRules = (rows: Row[]): string[] => [...new Set(rows.filter((r) => r.severity === 'error').map((r) => r.rule))].sort();

/** The single diagnostic with `rule`, checked for file, place and severity. */
function expectOne(rows: Row[], rule: string, where: { file: string; line: number; column: number }, severity: Row['severity'] = 'error'): Row {
  const hits = rows.filter((r) => r.rule === rule);
  expect(hits, `one ${rule} expected in:\n${show(rows)}`).toHaveLength(1);
  expect(hits[0], show(rows)).toMatchObject({ ...where, severity });
  expect(hits[0]!.endLine ?? hits[0]!.line!).toBeGreaterThanOrEqual(hits[0]!.line!);
  return hits[0]!;
}

describe('the minimal fixture', () => {
  it('is valid: no errors, exit 0 (only category-uncovered warnings)', async () => {
    const { code, rows } = await validate(async () => {});
    expect(rows.filter((r) => r.severity === 'error'), show(rows)).toEqual([]);
    expect(rows.filter((r) => r.rule !== 'category-uncovered'), show(rows)).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('schema rules', () => {
  it('required-key: a missing nested key is reported at the start of the mapping that lacks it', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(ITEM, '  legal_days: 10\n', ''); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['required-key']);
    const d = expectOne(rows, 'required-key', { file: ITEM, ...at(text, 'promised_days: 5') });
    expect(d).toMatchObject({ line: 17, column: 3 });
    expect(d.message).toContain('legal_days');
  });

  it('required-key: a missing top-level key is reported at the start of the file’s mapping', async () => {
    const { code, rows } = await validate((p) => p.edit(CHECKLIST, 'title: 窗口考评标准\n', ''));
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['required-key']);
    expect(expectOne(rows, 'required-key', { file: CHECKLIST, line: 1, column: 1 }).message).toContain('title');
  });

  it('required-key: in front matter the mapping starts on line 2, after ---', async () => {
    const { code, rows } = await validate((p) => p.edit(STD, 'title: 首问负责服务规范\n', ''));
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['required-key']);
    expect(expectOne(rows, 'required-key', { file: STD, line: 2, column: 1 }).message).toContain('title');
  });

  it('unknown-key: at the key, with “did you mean” for a near miss (promise_days → promised_days)', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(ITEM, 'promised_days: 5', 'promise_days: 5'); });
    expect(code).toBe(1);
    const d = expectOne(rows, 'unknown-key', { file: ITEM, ...at(text, 'promise_days') });
    expect(d).toMatchObject({ line: 18, column: 3 });
    expect(d.message).toContain('promise_days');
    expect(d.message).toContain('promised_days');
    // one mistake, one diagnostic: the now-missing promised_days is what the suggestion names (issue 15)
    expect(errorRules(rows)).toEqual(['unknown-key']);
  });

  it('unknown-key: in front matter, positions count the --- line', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(STD, 'status: current\n', 'status: current\nstatuss: draft\n'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['unknown-key']);
    expectOne(rows, 'unknown-key', { file: STD, ...at(text, 'statuss') });
    expect(at(text, 'statuss')).toEqual({ line: 7, column: 1 });
  });
});

describe('uniqueness rules: reported at the later occurrence, naming the first', () => {
  it('duplicate-standard-code', async () => {
    let copy = '';
    const { code, rows } = await validate(async (p) => {
      copy = (await p.read(STD)).replace('title: 首问负责服务规范', 'title: 另一个规范');
      await p.write('catalog/provision/2009-2024-copy.md', copy);
    });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['duplicate-standard-code']);
    const d = expectOne(rows, 'duplicate-standard-code', { file: 'catalog/provision/2009-2024-copy.md', ...at(copy, 'code: Q/CSZW', 'Q/CSZW') });
    expect(d).toMatchObject({ line: 2, column: 7 });
    expect(d.message).toContain(`${STD}:2`);
  });

  it('duplicate-item-code', async () => {
    let copy = '';
    const { code, rows } = await validate(async (p) => {
      copy = (await p.read(ITEM)).replace('name: 食品经营许可（新办）', 'name: 食品经营许可（变更）');
      await p.write('items/z-copy.yaml', copy);
    });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['duplicate-item-code']);
    const d = expectOne(rows, 'duplicate-item-code', { file: 'items/z-copy.yaml', ...at(copy, 'code:', '"530100') });
    expect(d).toMatchObject({ line: 1, column: 7 });
    expect(d.message).toContain(`${ITEM}:1`);
  });

  it('duplicate-checklist-id', async () => {
    let copy = '';
    const { code, rows } = await validate(async (p) => {
      copy = (await p.read(CHECKLIST)).replace('title: 窗口考评标准', 'title: 另一个考评标准');
      await p.write('checklists/z-copy.yaml', copy);
    });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['duplicate-checklist-id']);
    const d = expectOne(rows, 'duplicate-checklist-id', { file: 'checklists/z-copy.yaml', ...at(copy, 'id: window', 'window') });
    expect(d).toMatchObject({ line: 1, column: 5 });
    expect(d.message).toContain(`${CHECKLIST}:1`);
  });

  it('duplicate-checklist-item-no', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => {
      text = await p.edit(CHECKLIST, '      - no: 2\n', '      - no: 1\n');
      await p.remove(RESULT); // the result would now point at a missing item 2
    });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['duplicate-checklist-item-no']);
    const first = at(text, '- no: 1', '1', 0);
    const d = expectOne(rows, 'duplicate-checklist-item-no', { file: CHECKLIST, ...at(text, '- no: 1', '1', 1) });
    expect(d.line).toBeGreaterThan(first.line);
    expect(d.message).toContain(String(first.line));
  });
});

describe('cross-file reference rules', () => {
  it('unknown-department', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(ITEM, 'department: scjg', 'department: nope'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['unknown-department']);
    const d = expectOne(rows, 'unknown-department', { file: ITEM, ...at(text, 'department:', 'nope') });
    expect(d).toMatchObject({ line: 22, column: 13 });
  });

  it('unknown-checklist', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(RESULT, 'checklist: window', 'checklist: nope'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['unknown-checklist']);
    expectOne(rows, 'unknown-checklist', { file: RESULT, ...at(text, 'checklist:', 'nope') });
  });

  it('unknown-checklist-item: at the score’s key', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(RESULT, '  2: { findings: 1 }\n', '  2: { findings: 1 }\n  9: 1\n'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['unknown-checklist-item']);
    const d = expectOne(rows, 'unknown-checklist-item', { file: RESULT, ...at(text, '  9: 1', '9') });
    expect(d.column).toBe(3);
  });

  it('unknown-standard: a checklist item naming no standard in the project', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(CHECKLIST, 'standard: Q/CSZW 2001—2024', 'standard: Q/CSZW 2099—2024'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['unknown-standard']);
    expectOne(rows, 'unknown-standard', { file: CHECKLIST, ...at(text, 'standard:', 'Q/CSZW') });
  });

  it('no cascade: a result naming a checklist that failed its schema is not also unknown-checklist', async () => {
    const { code, rows } = await validate((p) => p.edit(CHECKLIST, 'title: 窗口考评标准\n', ''));
    expect(code).toBe(1);
    expect(rows.filter((r) => r.severity === 'error').map((r) => `${r.file} ${r.rule}`), show(rows)).toEqual([`${CHECKLIST} required-key`]);
  });

  it('unknown-standard is not raised for the hyphen spelling of a known number', async () => {
    const { rows } = await validate((p) => p.edit(CHECKLIST, 'standard: Q/CSZW 2001—2024', 'standard: Q/CSZW 2001-2024'));
    expect(errorRules(rows), show(rows)).toEqual([]);
  });
});

describe('item rules', () => {
  it('promised-exceeds-legal: at promised_days', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(ITEM, 'promised_days: 5', 'promised_days: 30'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['promised-exceeds-legal']);
    const d = expectOne(rows, 'promised-exceeds-legal', { file: ITEM, ...at(text, 'promised_days', '30') });
    expect(d).toMatchObject({ line: 18, column: 18 });
  });

  it('fee-missing-basis: charged with no basis key, at the start of the fee mapping', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(ITEM, '  charged: false\n', '  charged: true\n  standard: 每件10元\n'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['fee-missing-basis']);
    expectOne(rows, 'fee-missing-basis', { file: ITEM, ...at(text, 'charged: true', 'charged') });
  });

  it('fee-missing-basis: charged with basis: ~ (null), at the value', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(ITEM, '  charged: false\n', '  charged: true\n  standard: 每件10元\n  basis: ~\n'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['fee-missing-basis']);
    expectOne(rows, 'fee-missing-basis', { file: ITEM, ...at(text, 'basis: ~', '~') });
  });

  it('fee-missing-basis: charged with neither standard nor basis', async () => {
    const { code, rows } = await validate((p) => p.edit(ITEM, '  charged: false\n', '  charged: true\n'));
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['fee-missing-basis']);
    expect(rows.filter((r) => r.rule === 'fee-missing-basis').length).toBeGreaterThanOrEqual(1);
  });

  it('a free item may omit standard and basis', async () => {
    const { code, rows } = await validate((p) => p.edit(ITEM, '  charged: false\n', '  charged: false\n  basis: ~\n'));
    expect(errorRules(rows), show(rows)).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('standard rules', () => {
  it('effective-before-issued: at effective', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(STD, 'effective: 2024-04-01', 'effective: 2024-02-01'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['effective-before-issued']);
    const d = expectOne(rows, 'effective-before-issued', { file: STD, ...at(text, 'effective:', '2024-02-01') });
    expect(d).toMatchObject({ line: 8, column: 12 });
  });

  it('malformed-standard-number: at the code', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => {
      text = await p.edit(STD, 'code: Q/CSZW 2001—2024', 'code: Q/CSZW2001—2024');
      await p.edit(CHECKLIST, '        standard: Q/CSZW 2001—2024\n', '');
    });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['malformed-standard-number']);
    expectOne(rows, 'malformed-standard-number', { file: STD, line: 2, column: 7 });
    expect(at(text, 'code:', 'Q/CSZW')).toEqual({ line: 2, column: 7 });
  });

  it('malformed-standard-number: in references, at the entry', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(STD, '  - code: GB/T 32169.3—2015', '  - code: GB-T 32169'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['malformed-standard-number']);
    expectOne(rows, 'malformed-standard-number', { file: STD, ...at(text, '- code: GB-T', 'GB-T') });
  });
});

describe('checklist rules', () => {
  it('total-mismatch: at total', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(CHECKLIST, 'total: 10', 'total: 12'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['total-mismatch']);
    const d = expectOne(rows, 'total-mismatch', { file: CHECKLIST, ...at(text, 'total:', '12') });
    expect(d).toMatchObject({ line: 4, column: 8 });
  });

  it('total-mismatch counts components (items 8 + components 2 = 10)', async () => {
    const { rows } = await validate((p) => p.edit(CHECKLIST, '    points: 2\nratings', '    points: 3\nratings'));
    const d = rows.find((r) => r.rule === 'total-mismatch');
    expect(d, show(rows)).toBeDefined();
    expect(d!.file).toBe(CHECKLIST);
    expect(d!.line).toBe(4);
  });

  it('ratings-not-descending: at the offending min', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(CHECKLIST, '{ label: 良好, min: 8 }', '{ label: 良好, min: 9.5 }'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['ratings-not-descending']);
    expectOne(rows, 'ratings-not-descending', { file: CHECKLIST, ...at(text, '良好', '9.5') });
  });
});

describe('result rules', () => {
  it('score-exceeds-points: at the score', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(RESULT, '  2: { findings: 1 }', '  2: 5'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['score-exceeds-points']);
    expectOne(rows, 'score-exceeds-points', { file: RESULT, ...at(text, '  2: 5', '5') });
  });

  it('unknown-level: at the level', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(RESULT, '{ level: 一级达标 }', '{ level: 特级达标 }'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['unknown-level']);
    const d = expectOne(rows, 'unknown-level', { file: RESULT, ...at(text, 'level:', '特级达标') });
    expect(d.message).toContain('一级达标');
  });

  it('findings-without-deduction: at the findings count', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(RESULT, '  1: { level: 一级达标 }', '  1: { findings: 2 }'); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['findings-without-deduction']);
    expectOne(rows, 'findings-without-deduction', { file: RESULT, ...at(text, '1: { findings', '2') });
  });

  it('missing-score: an unscored award item without default: full, at scores', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(RESULT, '  2: { findings: 1 }\n', ''); });
    expect(code).toBe(1);
    expect(errorRules(rows)).toEqual(['missing-score']);
    const d = expectOne(rows, 'missing-score', { file: RESULT, ...at(text, 'scores:') });
    expect(d.message).toContain('2');
  });

  it('missing-score is not raised with default: full', async () => {
    const { code, rows } = await validate((p) => p.edit(RESULT, '  2: { findings: 1 }\n', '').then(() => p.edit(RESULT, 'scores:\n', 'default: full\nscores:\n')));
    expect(errorRules(rows), show(rows)).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('warnings (exit 0)', () => {
  it('halfwidth-punctuation in a YAML value: at the value', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(CHECKLIST, 'text: 首问责任人热情接待服务对象', 'text: 首问责任人热情接待,服务对象'); });
    expect(code).toBe(0);
    expect(errorRules(rows)).toEqual([]);
    expectOne(rows, 'halfwidth-punctuation', { file: CHECKLIST, ...at(text, 'text: 首问', '首问') }, 'warning');
  });

  it('halfwidth-punctuation in a standard’s body: at the mark', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(STD, '服务对象，认真', '服务对象,认真'); });
    expect(code).toBe(0);
    const d = expectOne(rows, 'halfwidth-punctuation', { file: STD, ...at(text, '服务对象,认真', ',') }, 'warning');
    expect(d.message).toContain('，');
  });

  it('verb-form: 必须 in a standard’s body, at the word', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => { text = await p.edit(STD, '首问责任人应热情', '首问责任人必须热情'); });
    expect(code).toBe(0);
    expect(errorRules(rows)).toEqual([]);
    const d = expectOne(rows, 'verb-form', { file: STD, ...at(text, '首问责任人必须', '必须') }, 'warning');
    expect(d).toMatchObject({ line: 20, column: 6 });
  });

  it('verb-form: 不得', async () => {
    let text = '';
    const { rows } = await validate(async (p) => { text = await p.edit(STD, '本文件规定了首问负责服务的基本要求。', '首问责任人不得推诿。'); });
    expectOne(rows, 'verb-form', { file: STD, ...at(text, '不得推诿', '不得') }, 'warning');
  });

  it('cites-superseded: in references and in the body', async () => {
    let text = '';
    const { code, rows } = await validate(async (p) => {
      const old = (await p.read(STD))
        .replace('code: Q/CSZW 2001—2024', 'code: Q/CSZW 2001—2019')
        .replace('status: current', 'status: superseded')
        .replace('issued: 2024-03-01', 'issued: 2019-03-01')
        .replace('effective: 2024-04-01', 'effective: 2019-04-01');
      await p.write('catalog/provision/2001-2019-first-inquiry.md', old);
      await p.edit(STD, 'references:\n', 'replaces: Q/CSZW 2001—2019\nreferences:\n');
      await p.edit(STD, '窗口服务提供要求\n', '窗口服务提供要求\n  - Q/CSZW 2001—2019\n');
      text = await p.edit(STD, '本文件规定了首问负责服务的基本要求。', '本文件与Q/CSZW 2001—2019相比有较大变化。');
    });
    expect(code).toBe(0);
    expect(errorRules(rows)).toEqual([]);
    const hits = rows.filter((r) => r.rule === 'cites-superseded' && r.file === STD);
    expect(hits, show(rows)).toHaveLength(2);
    expect(hits.every((h) => h.severity === 'warning')).toBe(true);
    expect(hits[0]).toMatchObject(at(text, '  - Q/CSZW 2001—2019', 'Q/CSZW'));
    expect(hits[1]).toMatchObject(at(text, '本文件与Q/CSZW', 'Q/CSZW'));
    expect(hits[0]!.message).toContain('Q/CSZW 2001—2024');
  });

  it('category-uncovered: one per category with no current standard, at project.yaml:1:1', async () => {
    const { code, rows } = await validate(async () => {});
    expect(code).toBe(0);
    const hits = rows.filter((r) => r.rule === 'category-uncovered');
    expect(hits).toHaveLength(9);
    for (const h of hits) expect(h).toMatchObject({ file: 'project.yaml', line: 1, column: 1, severity: 'warning' });
    expect(hits.some((h) => h.message.includes('openness'))).toBe(true);
    expect(hits.some((h) => h.message.includes('quality'))).toBe(false);
  });
});
