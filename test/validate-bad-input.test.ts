/**
 * Bad input never crashes or hangs: each case gives a diagnostic with the file and a place,
 * in bounded time, exit 1, and no stack trace. Big and hostile files are generated here, not committed.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempCopy } from './helpers.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const STD = 'catalog/provision/2001-2024-first-inquiry.md';
const ITEM = 'items/food-license.yaml';

interface Row {
  file: string; line: number | null; column: number | null; endLine: number | null; endColumn: number | null;
  severity: 'error' | 'warning'; rule: string; message: string;
}

const STACK = /\n\s+at .+[:(]\d+:\d+|\bat (async )?\w+ \(|node:internal/;

/** Writes `files` over a copy of the minimal project and validates it with --format json. */
async function validateWith(files: Record<string, string | Uint8Array>, extra: string[] = []): Promise<{ code: number; rows: Row[]; out: string; err: string; ms: number }> {
  const { dir, cleanup } = await tempCopy(MINIMAL);
  try {
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), content);
    }
    // CPU time of this process (validate runs in it), not wall time: a loaded machine stretches only the latter
    const cpu0 = process.cpuUsage();
    const r = await cli('validate', dir, '--format', 'json', ...extra);
    const used = process.cpuUsage(cpu0);
    const ms = (used.user + used.system) / 1000;
    expect(r.err, 'no stack trace').not.toMatch(STACK);
    expect(r.out).not.toMatch(STACK);
    let rows: Row[] = [];
    expect(() => { rows = JSON.parse(r.out) as Row[]; }, `stdout is JSON: ${r.out.slice(0, 500)} ${r.err}`).not.toThrow();
    return { code: r.code, rows, out: r.out, err: r.err, ms };
  } finally {
    await cleanup();
  }
}

const minimal = (rel: string): Promise<string> => readFile(path.join(MINIMAL, rel), 'utf8');
const errors = (rows: Row[]): Row[] => rows.filter((r) => r.severity === 'error');
const show = (rows: Row[]): string => JSON.stringify(errors(rows), null, 2);

/**
 * Exactly one error in `want.file`, with this rule and place. Unless `cascade` allows it, no other file
 * has errors either (a standard that cannot be read leaves the checklist citing it with `unknown-standard`).
 */
function expectOnlyError(rows: Row[], want: { rule: string; file: string; line: number; column: number }, cascade: string[] = []): Row {
  const others = errors(rows).filter((r) => r.file !== want.file && !cascade.includes(r.rule));
  expect(others, show(rows)).toEqual([]);
  const errs = errors(rows).filter((r) => r.file === want.file);
  expect(errs, show(rows)).toHaveLength(1);
  expect(errs[0]).toMatchObject(want);
  return errs[0]!;
}

describe('broken YAML', () => {
  it('yaml-syntax: a line without its colon, at that line', async () => {
    const text = (await minimal(ITEM)).replace('result: 食品经营许可证', 'result 食品经营许可证');
    const { code, rows } = await validateWith({ [ITEM]: text });
    expect(code).toBe(1);
    expect(errors(rows).every((r) => r.rule === 'yaml-syntax' && r.file === ITEM), show(rows)).toBe(true);
    expect(errors(rows)[0]).toMatchObject({ line: 21, column: 1 });
  });

  it('yaml-syntax: a duplicate key, at its later occurrence', async () => {
    const text = (await minimal(ITEM)).replace('type: 行政许可\n', 'type: 行政许可\nname: 另一个名称\n');
    const { code, rows } = await validateWith({ [ITEM]: text });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'yaml-syntax', file: ITEM, line: 24, column: 1 });
  });

  it('yaml-syntax: tabs for indentation, at the tabbed line', async () => {
    const text = (await minimal(ITEM)).replace('  promised_days: 5', '\tpromised_days: 5');
    const { code, rows } = await validateWith({ [ITEM]: text });
    expect(code).toBe(1);
    const d = expectOnlyError(rows, { rule: 'yaml-syntax', file: ITEM, line: 18, column: 1 });
    expect(d.message).toMatch(/Tab/);
  });

  it('yaml-syntax in front matter: the line counts the opening ---', async () => {
    const text = (await minimal(STD)).replace('status: current', 'status current');
    const { code, rows } = await validateWith({ [STD]: text });
    expect(code).toBe(1);
    expect(errors(rows)[0], show(rows)).toMatchObject({ rule: 'yaml-syntax', file: STD, line: 6, column: 1 });
  });

  it('front-matter-unterminated: at line 1', async () => {
    const text = (await minimal(STD)).replace('---\n\n## 范围', '\n## 范围');
    const { code, rows } = await validateWith({ [STD]: text });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'front-matter-unterminated', file: STD, line: 1, column: 1 }, ['unknown-standard']);
  });

  it('a standard without front matter: at line 1', async () => {
    const { code, rows } = await validateWith({ [STD]: '## 范围\n\n本文件规定了要求。\n' });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'front-matter-missing', file: STD, line: 1, column: 1 }, ['unknown-standard']);
  });

  it('a YAML file holding only comments: at line 1, not a crash', async () => {
    const { code, rows } = await validateWith({ [ITEM]: '# 待填写\n# 事项编码：\n' });
    expect(code).toBe(1);
    expect(errors(rows)[0], show(rows)).toMatchObject({ file: ITEM, line: 1, column: 1 });
  });

  it('a YAML file whose top level is a list: at line 1', async () => {
    const { code, rows } = await validateWith({ [ITEM]: '- code: "1"\n- name: 某事项\n' });
    expect(code).toBe(1);
    expect(errors(rows)[0], show(rows)).toMatchObject({ file: ITEM, line: 1, column: 1 });
  });
});

describe('encodings', () => {
  it('file-encoding: a GBK file, at line 1, suggesting conversion from GBK', async () => {
    // “食品经营许可（新办）” etc. in GBK; the first invalid UTF-8 byte is on line 2.
    const gbk = Buffer.concat([
      Buffer.from('code: "530100-XK-0001"\nname: '),
      Buffer.from([0xca, 0xb3, 0xc6, 0xb7, 0xbe, 0xad, 0xd3, 0xaa, 0xd0, 0xed, 0xbf, 0xc9]), // 食品经营许可
      Buffer.from('\n'),
    ]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const { code, rows } = await validateWith({ [ITEM]: gbk });
    expect(code).toBe(1);
    const d = expectOnlyError(rows, { rule: 'file-encoding', file: ITEM, line: 1, column: 1 });
    expect(d.message).toMatch(/GBK/);
    expect(d.message).toMatch(/UTF-8/);
  });

  it('file-encoding: a GBK standard', async () => {
    const gbk = Buffer.concat([
      Buffer.from('---\ncode: Q/CSZW 2001—2024\n'),
      // title: 首问负责服务规范, in GBK
      Buffer.from([0x74, 0x69, 0x74, 0x6c, 0x65, 0x3a, 0x20, 0xca, 0xd7, 0xce, 0xca, 0xb8, 0xba, 0xd4, 0xf0, 0xb7, 0xfe, 0xce, 0xf1, 0xb9, 0xe6, 0xb7, 0xb6]),
      Buffer.from('\n---\n'),
    ]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const { code, rows } = await validateWith({ [STD]: gbk });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'file-encoding', file: STD, line: 1, column: 1 }, ['unknown-standard']);
  });

  it('file-encoding: UTF-16', async () => {
    const text = await minimal(ITEM);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const { code, rows } = await validateWith({ [ITEM]: utf16 });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'file-encoding', file: ITEM, line: 1, column: 1 });
  });

  it('file-encoding: NUL bytes (a binary file)', async () => {
    const { code, rows } = await validateWith({ [ITEM]: Buffer.from([0x63, 0x3a, 0x00, 0x01, 0x0a]) });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'file-encoding', file: ITEM, line: 1, column: 1 });
  });

  it('a UTF-8 BOM is accepted, and positions are not shifted by it', async () => {
    const bom = '\uFEFF';
    const clean = await validateWith({ [ITEM]: bom + (await minimal(ITEM)), [STD]: bom + (await minimal(STD)) });
    expect(errors(clean.rows), show(clean.rows)).toEqual([]);
    expect(clean.code).toBe(0);

    const bad = (await minimal(ITEM)).replace('department: scjg', 'department: nope');
    const { code, rows } = await validateWith({ [ITEM]: bom + bad });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'unknown-department', file: ITEM, line: 22, column: 13 });

    const badStd = (await minimal(STD)).replace('effective: 2024-04-01', 'effective: 2024-02-01');
    const r2 = await validateWith({ [STD]: bom + badStd });
    expectOnlyError(r2.rows, { rule: 'effective-before-issued', file: STD, line: 8, column: 12 });
  });

  it('CRLF line endings are accepted and positions stay right', async () => {
    const bad = (await minimal(ITEM)).replace('department: scjg', 'department: nope').replace(/\n/g, '\r\n');
    const { code, rows } = await validateWith({ [ITEM]: bad });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'unknown-department', file: ITEM, line: 22, column: 13 });
    const std = (await minimal(STD)).replace(/\n/g, '\r\n');
    const r2 = await validateWith({ [STD]: std });
    expect(errors(r2.rows), show(r2.rows)).toEqual([]);
  });
});

describe('empty and oversized files', () => {
  it('file-empty: a zero-byte file, at line 1', async () => {
    const { code, rows } = await validateWith({ [ITEM]: '' });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'file-empty', file: ITEM, line: 1, column: 1 });
  });

  it('file-empty: whitespace only', async () => {
    const { code, rows } = await validateWith({ 'checklists/blank.yaml': ' \n\n  \n' });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'file-empty', file: 'checklists/blank.yaml', line: 1, column: 1 });
  });

  it('file-empty: an empty project.yaml', async () => {
    const { code, rows } = await validateWith({ 'project.yaml': '' });
    expect(code).toBe(1);
    expect(errors(rows).find((r) => r.file === 'project.yaml'), show(rows)).toMatchObject({ rule: 'file-empty', line: 1, column: 1 });
  });

  it('file-too-large: a 50 MB file is refused quickly, at line 1', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'note: 数据\n');
    const { code, rows, ms } = await validateWith({ 'items/dump.yaml': big });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'file-too-large', file: 'items/dump.yaml', line: 1, column: 1 });
    expect(ms, "ms of CPU").toBeLessThan(5_000);
  });
});

describe('hostile YAML', () => {
  it('alias-limit: a “billion laughs” alias bomb, at line 1, in bounded time', async () => {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) {
      lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
    }
    const { code, rows, ms } = await validateWith({ 'items/bomb.yaml': lines.join('\n') + '\n' });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'alias-limit', file: 'items/bomb.yaml', line: 1, column: 1 });
    expect(ms, "ms of CPU").toBeLessThan(5_000);
  });

  it('alias-limit: an alias bomb in front matter', async () => {
    const lines = ['---', 'a0: &a0 [x,x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i <= 8; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
    lines.push('---', '', '正文');
    const { code, rows, ms } = await validateWith({ 'catalog/bomb.md': lines.join('\n') + '\n' });
    expect(code).toBe(1);
    expect(errors(rows).find((r) => r.file === 'catalog/bomb.md'), show(rows)).toMatchObject({ rule: 'alias-limit', line: 1, column: 1 });
    expect(ms, "ms of CPU").toBeLessThan(5_000);
  });

  it('a few ordinary anchors and aliases are fine', async () => {
    const text = (await minimal(ITEM)).replace('basis:\n  - ', 'basis:\n  - &law ').replace('conditions:\n  - 申请人已取得营业执照等合法主体资格', 'conditions:\n  - *law');
    const { code, rows } = await validateWith({ [ITEM]: text });
    expect(errors(rows), show(rows)).toEqual([]);
    expect(code).toBe(0);
  });

  it('deeply nested flow collections do not overflow the stack', async () => {
    const { code, rows, ms } = await validateWith({ 'items/deep.yaml': `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` });
    expect(code).toBe(1);
    expect(errors(rows)[0], show(rows)).toMatchObject({ rule: 'yaml-syntax', file: 'items/deep.yaml', line: 1 });
    expect(ms, "ms of CPU").toBeLessThan(10_000);
  });

  it('reserved-key: __proto__, at the key, without polluting Object.prototype', async () => {
    const text = (await minimal(ITEM)).replace('fee:\n', '__proto__:\n  polluted: yes\nfee:\n');
    const { code, rows } = await validateWith({ [ITEM]: text });
    expect(code).toBe(1);
    const d = expectOnlyError(rows, { rule: 'reserved-key', file: ITEM, line: 19, column: 1 });
    expect(d.message).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reserved-key: constructor, nested, at the key', async () => {
    const text = (await minimal(ITEM)).replace('  legal_days: 10\n', '  legal_days: 10\n  constructor: 1\n');
    const { code, rows } = await validateWith({ [ITEM]: text });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'reserved-key', file: ITEM, line: 18, column: 3 });
  });

  it('reserved-key: __proto__ in front matter', async () => {
    const text = (await minimal(STD)).replace('status: current\n', 'status: current\n__proto__: x\n');
    const { code, rows } = await validateWith({ [STD]: text });
    expect(code).toBe(1);
    expectOnlyError(rows, { rule: 'reserved-key', file: STD, line: 7, column: 1 }, ['unknown-standard']);
  });
});

describe('many problems at once', () => {
  it('every broken file is reported, the rest still checked; text output has no stack', async () => {
    const { dir, cleanup } = await tempCopy(MINIMAL);
    try {
      await writeFile(path.join(dir, 'items/a-empty.yaml'), '');
      await writeFile(path.join(dir, 'items/b-tab.yaml'), 'code: x\n\tname: y\n');
      await writeFile(path.join(dir, 'items/c-gbk.yaml'), Buffer.from([0x23, 0x20, 0xd6, 0xd0, 0xce, 0xc4, 0x0a])); // # 中文 in GBK
      await writeFile(path.join(dir, 'catalog/d-open.md'), '---\ncode: Q/CSZW 9—2024\n');
      const item = await readFile(path.join(dir, ITEM), 'utf8');
      await writeFile(path.join(dir, ITEM), item.replace('promised_days: 5', 'promised_days: 30'));
      const r = await cli('validate', dir);
      expect(r.code).toBe(1);
      expect(r.err).not.toMatch(STACK);
      for (const [file, rule] of [
        ['items/a-empty.yaml', 'file-empty'], ['items/b-tab.yaml', 'yaml-syntax'], ['items/c-gbk.yaml', 'file-encoding'],
        ['catalog/d-open.md', 'front-matter-unterminated'], [ITEM, 'promised-exceeds-legal'],
      ] as const) {
        expect(r.out).toMatch(new RegExp(`^  ${file.replace(/[.]/g, '\\.')}:\\d+:\\d+  error .*  ${rule}$`, 'm'));
      }
    } finally {
      await cleanup();
    }
  });

  it('a missing project.yaml is reported, exit 1', async () => {
    const { dir, cleanup } = await tempCopy(MINIMAL);
    try {
      await rm(path.join(dir, 'project.yaml'));
      const r = await cli('validate', dir, '--format', 'json');
      expect(r.code).toBe(1);
      const rows = JSON.parse(r.out) as Row[];
      expect(errors(rows).filter((d) => d.file === 'project.yaml'), JSON.stringify(rows)).toMatchObject([{ rule: 'project-missing', line: 1, column: 1 }]);
    } finally {
      await cleanup();
    }
  });
});
