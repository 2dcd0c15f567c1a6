/** `normkit validate [dir] [--format text|json] [--strict]`: output formats, exit codes, usage errors, the sample. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, SAMPLE, tempCopy, tempDir } from './helpers.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const ITEM = 'items/food-license.yaml';
const STD = 'catalog/provision/2001-2024-first-inquiry.md';

interface Row {
  file: string; line: number | null; column: number | null; endLine: number | null; endColumn: number | null;
  severity: 'error' | 'warning'; rule: string; message: string;
}

const STACK = /\n\s+at .+[:(]\d+:\d+|node:internal/;

/** A copy of the minimal project, changed by `mutate`, passed to `body`, then removed. */
async function withProject<T>(mutate: (dir: string) => Promise<void>, body: (dir: string) => Promise<T>): Promise<T> {
  const { dir, cleanup } = await tempCopy(MINIMAL);
  try {
    await mutate(dir);
    return await body(dir);
  } finally {
    await cleanup();
  }
}

const edit = async (dir: string, rel: string, from: string, to: string): Promise<void> => {
  const text = await readFile(path.join(dir, rel), 'utf8');
  if (!text.includes(from)) throw new Error(`${rel} has no “${from}”`);
  await writeFile(path.join(dir, rel), text.replace(from, to));
};

/** One error (unknown department in the item) and the fixture's nine category-uncovered warnings. */
const withError = (dir: string): Promise<void> => edit(dir, ITEM, 'department: scjg', 'department: nope');

/** Adds a current standard for each of the other nine categories, so the project has no warnings at all. */
async function coverAllCategories(dir: string): Promise<void> {
  const base = await readFile(path.join(dir, STD), 'utf8');
  const cats = ['openness', 'efficiency', 'mode', 'management', 'image', 'supervision', 'evaluation', 'creation', 'basics'];
  for (const [i, cat] of cats.entries()) {
    const n = 2002 + i;
    const text = base.replace('Q/CSZW 2001—2024', `Q/CSZW ${n}—2024`).replace('category: quality', `category: ${cat}`);
    await writeFile(path.join(dir, `catalog/provision/${n}-2024-${cat}.md`), text);
  }
}

describe('the bundled sample', () => {
  it('standards/ validates with no errors', async () => {
    const r = await cli('validate', SAMPLE, '--format', 'json');
    expect(r.err).toBe('');
    const rows = JSON.parse(r.out) as Row[];
    const errors = rows.filter((d) => d.severity === 'error');
    expect(errors, `the sample has errors:\n${errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule} ${d.message}`).join('\n')}`).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('with no folder argument, validate checks ./standards', async () => {
    const cwd = process.cwd();
    process.chdir(REPO);
    try {
      const implicit = await cli('validate', '--format', 'json');
      const explicit = await cli('validate', 'standards', '--format', 'json');
      expect(implicit.code).toBe(explicit.code);
      expect(implicit.out).toBe(explicit.out);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('--format text', () => {
  it('prints compiler-style lines grouped by file, and a summary line', async () => {
    const r = await withProject(withError, (dir) => cli('validate', dir));
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    // path:line:col  error  message  rule-id
    expect(r.out).toMatch(/^ *items\/food-license\.yaml:22:13 +error +实施主体“nope”.* {2}unknown-department$/m);
    expect(r.out).toMatch(/^ *project\.yaml:1:1 +warning +.* {2}category-uncovered$/m);
    // Grouped: each file heads its block once, and every diagnostic line sits under its own file's heading.
    const headings = lines.filter((l) => /^\S/.test(l) && !/^[✓✖]/.test(l));
    expect(headings).toEqual(['items/food-license.yaml', 'project.yaml']);
    let current = '';
    for (const l of lines) {
      if (headings.includes(l)) current = l;
      const m = /^\s+(\S+?):\d+:\d+\s/.exec(l);
      if (m) expect(m[1], l).toBe(current);
    }
    // The summary is the last line and counts 1 error, 9 warnings.
    const summary = lines.at(-1)!;
    expect(summary).toMatch(/(^|\D)1 ?个错误/);
    expect(summary).toMatch(/(^|\D)9 ?个警告/);
  });

  it('says so when there is nothing to report, exit 0', async () => {
    const r = await withProject(coverAllCategories, (dir) => cli('validate', dir));
    expect(r.out.trim().split('\n'), r.out).toHaveLength(1);
    expect(r.out).toMatch(/没有发现问题|0 个错误/);
    expect(r.code).toBe(0);
  });
});

describe('--format json', () => {
  it('prints an array of {file, line, column, endLine, endColumn, severity, rule, message}, files relative to the project', async () => {
    const r = await withProject(withError, (dir) => cli('validate', dir, '--format', 'json'));
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.out) as Row[];
    expect(Array.isArray(rows)).toBe(true);
    expect(rows).toHaveLength(10);
    for (const d of rows) {
      expect(Object.keys(d).sort()).toEqual(['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
      expect(d.file).not.toMatch(/^\/|\\|normkit-test-/);
      expect(['error', 'warning']).toContain(d.severity);
      expect(typeof d.message).toBe('string');
    }
    expect(rows[0]).toMatchObject({ file: ITEM, line: 22, column: 13, endLine: 22, endColumn: 17, severity: 'error', rule: 'unknown-department' });
    // Sorted by file.
    const files = rows.map((d) => d.file);
    expect(files).toEqual([...files].sort());
  });

  it('files in subfolders use forward slashes', async () => {
    const r = await withProject((dir) => edit(dir, STD, 'effective: 2024-04-01', 'effective: 2024-01-01'), (dir) => cli('validate', dir, '--format', 'json'));
    const rows = JSON.parse(r.out) as Row[];
    expect(rows.find((d) => d.rule === 'effective-before-issued')).toMatchObject({ file: STD, line: 8, column: 12 });
  });

  it('an empty array for a clean project', async () => {
    const r = await withProject(coverAllCategories, (dir) => cli('validate', dir, '--format', 'json'));
    expect(JSON.parse(r.out)).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('exit codes', () => {
  it('0 with warnings only; --strict turns warnings into exit 1', async () => {
    await withProject(async () => {}, async (dir) => {
      const plain = await cli('validate', dir, '--format', 'json');
      const rows = JSON.parse(plain.out) as Row[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((d) => d.severity === 'warning')).toBe(true);
      expect(plain.code).toBe(0);
      expect((await cli('validate', dir, '--strict')).code).toBe(1);
      expect((await cli('validate', '--strict', dir, '--format', 'json')).code).toBe(1);
    });
  });

  it('--strict on a project with no warnings is still 0', async () => {
    const r = await withProject(coverAllCategories, (dir) => cli('validate', dir, '--strict'));
    expect(r.code).toBe(0);
  });

  it('1 for input problems, with or without --strict', async () => {
    await withProject(withError, async (dir) => {
      expect((await cli('validate', dir)).code).toBe(1);
      expect((await cli('validate', dir, '--strict')).code).toBe(1);
    });
  });

  it('2 for an unknown option, with a message and no stack trace', async () => {
    const r = await cli('validate', MINIMAL, '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/frobnicate/);
    expect(r.err).not.toMatch(STACK);
    expect(r.out).toBe('');
  });

  it('2 for a bad --format value', async () => {
    const r = await cli('validate', MINIMAL, '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/xml/);
    expect(r.err).not.toMatch(STACK);
  });

  it('2 for --format without a value', async () => {
    const r = await cli('validate', MINIMAL, '--format');
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(STACK);
  });

  it('2 for a folder that does not exist', async () => {
    const missing = path.join(REPO, 'test/fixtures/validate/no-such-project');
    const r = await cli('validate', missing);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no-such-project/);
    expect(r.err).not.toMatch(STACK);
    expect(r.out).toBe('');
  });

  it('2 for a file instead of a folder', async () => {
    const r = await cli('validate', path.join(MINIMAL, 'project.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(STACK);
  });

  it('2 for two folders', async () => {
    const r = await cli('validate', MINIMAL, SAMPLE);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(STACK);
  });

  it('an empty folder is an input problem (no project.yaml), not a crash', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const r = await cli('validate', dir, '--format', 'json');
      expect(r.code).toBe(1);
      const rows = JSON.parse(r.out) as Row[];
      expect(rows.filter((d) => d.severity === 'error')).toMatchObject([{ file: 'project.yaml', rule: 'project-missing', line: 1, column: 1 }]);
    } finally {
      await cleanup();
    }
  });

  it('--help prints usage, exit 0', async () => {
    const r = await cli('validate', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--format/);
    expect(r.out).toMatch(/--strict/);
  });
});
