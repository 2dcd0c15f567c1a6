/**
 * Hostile identifiers never become unsafe file names: whatever an item code, standard number,
 * department or checklist id or title holds, each output file gets a safe, stable, unique name
 * inside the output folder, collisions are resolved deterministically and reported
 * (`file-name-collision`), and every relative link of the generated HTML still resolves.
 * Values the schemas refuse (department ids, standard numbers) give a clean diagnostic instead.
 */
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/pipeline/build.js';
import { checkProject } from '../src/check/check-project.js';
import { Diagnostics } from '../src/diagnostics.js';
import { loadProject } from '../src/load/project-loader.js';
import { resolveProject, type Project } from '../src/model/project.js';
import { MAX_SLUG_BYTES, slugify, uniqueSlugs } from '../src/model/slug.js';
import { cli, REPO, tempCopy, tempDir } from './helpers.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** What a file name must be on Linux, macOS and Windows alike. */
function expectSafeName(name: string, label = name): void {
  const where = `${label} → ${JSON.stringify(name)}`;
  expect(name.length, where).toBeGreaterThan(0);
  expect(name.isWellFormed(), `${where}: lone surrogate`).toBe(true);
  expect(name, where).not.toMatch(/[\\/:*?"<>|#%\u0000-\u001f\u007f]/);
  expect(name, `${where}: control or format character`).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
  expect(name, `${where}: white space`).not.toMatch(/\s/);
  expect(name, `${where}: leading dot or dash`).not.toMatch(/^[.-]/);
  expect(name, `${where}: trailing dot, dash or space`).not.toMatch(/[-. ]$/);
  expect(name, `${where}: '..'`).not.toContain('..');
  expect(RESERVED.test(name.split('.')[0]!), `${where}: Windows device name`).toBe(false);
  expect(Buffer.byteLength(name), `${where}: too long`).toBeLessThanOrEqual(MAX_SLUG_BYTES);
  expect(name, `${where}: not NFKC`).toBe(name.normalize('NFKC'));
}

describe('slugify', () => {
  const cases: [string, string][] = [
    ['Q/YLZW 2001—2024', 'Q-YLZW-2001-2024'],
    ['../../etc/passwd', 'etc-passwd'],
    ['..\\..\\Windows\\System32', 'Windows-System32'],
    ['a/b\\c', 'a-b-c'],
    ['XK\u00000001', 'XK0001'],
    ['XK\u0007\u001b[31m0001', 'XK-31m0001'],
    ['CON', '_CON'],
    ['con', '_con'],
    ['NUL', '_NUL'],
    ['COM1', '_COM1'],
    ['LPT9', '_LPT9'],
    ['aux.txt', '_aux.txt'],
    ['COM¹', '_COM1'],
    ['CON. . .', '_CON'],
    ['name. . ', 'name'],
    ['trailing...', 'trailing'],
    ['...', 'untitled'],
    ['', 'untitled'],
    ['\u0000\u0001', 'untitled'],
    ['////', 'untitled'],
    ['Ｑ／ＹＬＺＷ　２００１—２０２４', 'Q-YLZW-2001-2024'],
    ['ＣＯＮ', '_CON'],
    ['．．／ｘ', 'x'],
    ['abc\u202Efdp.exe', 'abcfdp.exe'],
    ['a\u200Bb\u200Dc\uFEFF', 'abc'],
    ['\ud800abc\udfff', 'abc'],
    ['食品经营许可（新办）', '食品经营许可(新办)'],
    ['办件 😀 🇨🇳', '办件-😀-🇨🇳'],
    ['a?b#c%d&e', 'a-b-c-d-e'],
  ];
  for (const [raw, want] of cases) {
    it(`${JSON.stringify(raw)} → ${want}`, () => {
      const got = slugify(raw);
      expect(got).toBe(want);
      expectSafeName(got, JSON.stringify(raw));
    });
  }

  it('keeps a 300-character title short, in characters and in UTF-8 bytes', () => {
    for (const unit of ['标', 'a', '😀', '👨‍👩‍👧', 'Ａ', 'ā']) {
      const got = slugify(unit.repeat(300));
      expectSafeName(got, `300 × ${unit}`);
      expect([...got].length).toBeLessThanOrEqual(80);
    }
  });

  it('is safe, stable and idempotent for any string', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.string({ unit: fc.constantFrom('.', ' ', '/', '\\', '\u0000', '\u202e', '\ud800', 'CON', 'nul', 'com1', '—', '－', '．', '😀', '中', 'a', 'Ａ', '\t', ':'), maxLength: 60 }),
    );
    fc.assert(fc.property(anyText, (raw) => {
      const s = slugify(raw);
      expectSafeName(s, JSON.stringify(raw));
      expect(slugify(raw)).toBe(s);
      expect(slugify(s)).toBe(s);
    }), { numRuns: 2000 });
  });
});

describe('uniqueSlugs', () => {
  it('numbers collisions in order, ignoring case, and warns at the given place', () => {
    const diags = new Diagnostics();
    const slugs = uniqueSlugs(['XK-0001', 'XK/0001', 'xk 0001', 'XK-0001-2', 'XK-0001'], diags,
      ['items/a.yaml', 'items/b.yaml', 'items/c.yaml', 'items/d.yaml', 'items/e.yaml'],
      [{ line: 1, column: 7 }, { line: 2, column: 7 }, undefined, { line: 4, column: 7 }, { line: 5, column: 7 }]);
    expect(slugs).toEqual(['XK-0001', 'XK-0001-2', 'xk-0001-3', 'XK-0001-2-2', 'XK-0001-4']);
    expect(diags.list.map((d) => [d.file, d.line, d.rule, d.severity])).toEqual([
      ['items/b.yaml', 2, 'file-name-collision', 'warning'],
      ['items/c.yaml', 1, 'file-name-collision', 'warning'],
      ['items/d.yaml', 4, 'file-name-collision', 'warning'],
      ['items/e.yaml', 5, 'file-name-collision', 'warning'],
    ]);
    expect(diags.list[0]!.message).toContain('XK-0001-2');
  });

  it('gives the same names for the same list (stable across runs)', () => {
    const ids = ['CON', 'con', 'Con.', 'a/b', 'a\\b', 'a b', '😀', '😀'];
    expect(uniqueSlugs(ids)).toEqual(uniqueSlugs([...ids]));
  });

  it('never gives two names that a case-insensitive file system would merge', () => {
    const ids = fc.array(fc.oneof(fc.constantFrom('a', 'A', 'a-2', 'A-2', 'CON', 'con', '../a', 'a.', 'Ａ', '', '\u0000'), fc.string({ maxLength: 6 })), { maxLength: 30 });
    fc.assert(fc.property(ids, (list) => {
      const diags = new Diagnostics();
      const slugs = uniqueSlugs(list, diags, list.map(() => 'x.yaml'));
      expect(new Set(slugs.map((s) => s.toLowerCase())).size).toBe(slugs.length);
      for (const s of slugs) expectSafeName(s);
      const renamed = slugs.filter((s, i) => s !== slugify(list[i]!)).length;
      expect(diags.list.filter((d) => d.rule === 'file-name-collision')).toHaveLength(renamed);
      for (const d of diags.list) expect(d.line).toBeGreaterThanOrEqual(1);
    }), { numRuns: 500 });
  });
});

// ---------------------------------------------------------------------------------------------

const LONG_TITLE = '关于' + '政务服务中心窗口首问负责一次告知限时办结'.repeat(15);

/** A 300-character title and the kinds of text that break naive file naming. */
const HOSTILE_ITEM_CODES = [
  '../../etc/passwd',
  'a/b/c',
  'a\\\\b',
  // (codes with control characters, "XK\0NUL" or "XK\a\e[31m", are refused as invalid-character
  // since issue 15: test/nothing-escapes.test.ts)
  'XK\u200bZW-0002',
  'CON',
  'nul',
  'COM1',
  'trailing. . ',
  LONG_TITLE,
  '😀'.repeat(120),
  'ＸＫ／０００３',
  'XK-0004',
  'XK/0004',
  'xk-0004',
  '\\u202Eexe.pdf',
];

function itemYaml(code: string, name: string): string {
  return `code: "${code}"
name: "${name}"
basis: ["《中华人民共和国行政许可法》"]
conditions: ["申请人具备条件"]
process:
  - step: 受理
materials:
  - name: 申请书
time_limit: { legal_days: 20, promised_days: 5 }
fee: { charged: false }
result: 许可证
department: con
type: 行政许可
`;
}

function standardMd(code: string, title: string): string {
  return `---
code: "${code}"
title: "${title}"
category: quality
system: provision
status: current
issued: 2024-03-01
effective: 2024-04-01
---

## 范围

本文件规定了服务要求。

## 要求

窗口应按 Q/HN 2001—2024 执行。
`;
}

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

/** Every file under `dir`, relative, with forward slashes. */
async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** Relative hrefs and srcs of a page (absolute URLs, fragments and mail/tel links left out). */
function relativeLinks(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\s(?:href|src)\s*=\s*"([^"]*)"/g)) {
    const raw = m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('#') || raw.startsWith('//')) continue;
    out.push(raw);
  }
  return out;
}

/**
 * Kinds still placeholders in this tree produce no pages, yet the site navigation links to them:
 * such links are tolerated only while the kind produced nothing (the lead knows; see the report).
 */
function notYetBuilt(target: string, result: BuildResult): boolean {
  if (target === 'html/departments.html') return !result.stats.posters && !result.stats.guides;
  if (target.startsWith('html/checklists/')) return !result.stats.checklists;
  return false;
}

describe('a project full of hostile names', () => {
  let proj: { dir: string; cleanup: () => Promise<void> };
  let out: { dir: string; cleanup: () => Promise<void> };
  let result: BuildResult;
  let project: Project;
  let files: string[];

  beforeAll(async () => {
    proj = await tempCopy(MINIMAL);
    out = await tempDir();
    await rm(path.join(proj.dir, 'items'), { recursive: true });
    await rm(path.join(proj.dir, 'results'), { recursive: true });
    await rm(path.join(proj.dir, 'checklists'), { recursive: true });
    await rm(path.join(proj.dir, 'catalog'), { recursive: true });
    const tree: Record<string, string> = {
      'project.yaml': `organization: "云岭市政务服务中心😀"
code_prefix: Q/HN
date: 2025-01-15
departments:
  - { id: con, name: "${LONG_TITLE}" }
  - { id: nul, name: "空设备\\u202E部门" }
  - { id: com1, name: "ＣＯＭ１全角部门" }
`,
      'catalog/a.md': standardMd('Q/HN 2001—2024', LONG_TITLE),
      'catalog/b.md': standardMd('Q/HN 2002—2024', '😀🇨🇳 标准 ../../etc/passwd \\\\ CON . '),
      'catalog/c.md': standardMd('Q/HN 2003—2024', 'ＦＵＬＬ　ＷＩＤＴＨ　标准／名称'),
      'checklists/upper.yaml': 'id: CON\ntitle: 考评一\nmode: deduct\nbase: 100\nsections:\n  - title: 纪律\n    items:\n      - { no: 1, text: 迟到, per_occurrence: -1 }\n',
      'checklists/lower.yaml': 'id: con\ntitle: 考评二\nmode: deduct\nbase: 100\nsections:\n  - title: 纪律\n    items:\n      - { no: 1, text: 迟到, per_occurrence: -1 }\n',
    };
    HOSTILE_ITEM_CODES.forEach((code, i) => { tree[`items/i${String(i).padStart(2, '0')}.yaml`] = itemYaml(code, `事项${i}`); });
    await writeTree(proj.dir, tree);

    const loaded = await loadProject(proj.dir);
    const ctx = checkProject(loaded);
    expect(loaded.diagnostics.list.filter((d) => d.severity === 'error'), JSON.stringify(loaded.diagnostics.list, null, 1)).toEqual([]);
    project = resolveProject(ctx, loaded.root);

    result = await build({ projectDir: proj.dir, outDir: out.dir });
    expect(result.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    files = await walk(out.dir);
  });
  afterAll(async () => {
    await proj?.cleanup();
    await out?.cleanup();
  });

  it('gives every item, department, checklist and standard a safe, unique name', () => {
    const groups = { items: project.items, departments: project.departments, checklists: project.checklists, standards: project.standards, results: project.results };
    for (const [kind, list] of Object.entries(groups)) {
      const slugs = list.map((x) => x.slug);
      for (const s of slugs) expectSafeName(s, kind);
      expect(new Set(slugs.map((s) => s.toLowerCase())).size, kind).toBe(slugs.length);
    }
    expect(project.departments.map((d) => d.slug)).toEqual(['_con', '_nul', '_com1']);
    // checklists/lower.yaml (con) is read before checklists/upper.yaml (CON): file order decides, every time.
    expect(project.checklists.map((c) => [c.file, c.slug])).toEqual([['checklists/lower.yaml', '_con'], ['checklists/upper.yaml', '_CON-2']]);
  });

  it('reports each collision as a warning with file, line and rule file-name-collision', () => {
    const collisions = result.diagnostics.list.filter((d) => d.rule === 'file-name-collision');
    // XK-0004 / XK/0004 / xk-0004 (one name kept, two renamed), and CON / con among the checklists.
    expect(collisions.length).toBe(3);
    for (const d of collisions) {
      expect(d.severity).toBe('warning');
      expect(d.file).toMatch(/^(items|checklists)\//);
      expect(d.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('is stable: the same input gives the same names and the same files', async () => {
    const again = resolveProject(checkProject(await loadProject(proj.dir)), proj.dir);
    expect(again.items.map((i) => i.slug)).toEqual(project.items.map((i) => i.slug));
    expect(again.checklists.map((i) => i.slug)).toEqual(project.checklists.map((i) => i.slug));
    const out2 = await tempDir();
    try {
      const r2 = await build({ projectDir: proj.dir, outDir: out2.dir, formats: ['html'] });
      expect(r2.ok).toBe(true);
      expect((await walk(out2.dir)).filter((f) => f.startsWith('html/'))).toEqual(files.filter((f) => f.startsWith('html/')));
    } finally {
      await out2.cleanup();
    }
  });

  it('writes only inside the output folder, with safe names', async () => {
    for (const rel of files) {
      expect(rel.startsWith('../') || path.isAbsolute(rel), rel).toBe(false);
      // .parts is normkit's own folder of laid-out pages; the names inside come from the project
      for (const part of rel.replace(/^\.parts\//, '').split('/')) expectSafeName(part.replace(/\.(html|pdf|json|css|ttf|nkp)$/, ''), rel);
      expect((await lstat(path.join(out.dir, rel))).isFile(), rel).toBe(true);
    }
    const lower = files.map((f) => f.toLowerCase());
    expect(new Set(lower).size).toBe(files.length);
    expect(files).toEqual(expect.arrayContaining(project.standards.flatMap((s) => [`html/standards/${s.slug}.html`, `pdf/standards/${s.slug}.pdf`])));
    // each item's own pages carry its slug, once those kinds are built
    if (result.stats.guides) expect(files).toEqual(expect.arrayContaining(project.items.map((i) => `html/guides/${i.slug}.html`)));
    if (result.stats.posters) expect(files).toEqual(expect.arrayContaining(project.items.map((i) => `html/posters/${i.slug}.html`)));
  });

  it('every relative link of every page points to an existing file', async () => {
    const existing = new Set(files);
    const tolerated = new Set<string>();
    let checked = 0;
    for (const rel of files.filter((f) => f.endsWith('.html'))) {
      const html = await readFile(path.join(out.dir, rel), 'utf8');
      for (const href of relativeLinks(html)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), decodeURIComponent(href.replace(/[?#].*$/, ''))));
        checked++;
        if (existing.has(target)) continue;
        if (notYetBuilt(target, result)) { tolerated.add(target); continue; }
        expect.fail(`${rel}: link ${href} → ${target} does not exist`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    if (tolerated.size) console.warn(`links into kinds not built yet (tolerated until they are): ${[...tolerated].join(', ')}`);
  });

  it('links a standard cited in another standard to the cited file', async () => {
    const a = project.standards.find((s) => s.code === 'Q/HN 2001—2024')!;
    const html = await readFile(path.join(out.dir, `html/standards/${a.slug}.html`), 'utf8');
    expect(html).toContain(LONG_TITLE);
    expect(files).toContain(`html/standards/${a.slug}.html`);
  });
});

describe('identifiers the schemas refuse give a clean diagnostic', () => {
  it('department ids with path characters and malformed standard numbers: exit 1, file and line for each', async () => {
    const { dir, cleanup } = await tempCopy(MINIMAL);
    try {
      const projectYaml = await readFile(path.join(dir, 'project.yaml'), 'utf8');
      await writeFile(path.join(dir, 'project.yaml'), projectYaml.replace(/departments:\n/, 'departments:\n  - { id: "../x", name: 甲 }\n  - { id: "A B", name: 乙 }\n  - { id: "a\\u0000b", name: 丙 }\n  - { id: "CON", name: 丁 }\n'));
      await writeTree(dir, {
        'catalog/evil1.md': standardMd('../../Q 1—2024', '甲'),
        'catalog/evil2.md': standardMd('Q/HN 1/../..—2024', '乙'),
        'catalog/evil3.md': standardMd('Ｑ／ＨＮ ２００１—２０２４', '丙'),
        'catalog/evil4.md': standardMd('CON', '丁'),
      });
      const r = await cli('validate', dir, '--format', 'json');
      expect(r.code).toBe(1);
      expect(r.err).toBe('');
      const rows = JSON.parse(r.out) as { file: string; line: number | null; rule: string; severity: string }[];
      const errs = rows.filter((x) => x.severity === 'error');
      for (const e of errs) expect(e.line, JSON.stringify(e)).toBeGreaterThanOrEqual(1);
      expect(errs.filter((e) => e.file === 'project.yaml' && e.rule === 'invalid-format')).toHaveLength(4);
      for (const f of ['evil1', 'evil2', 'evil3', 'evil4']) {
        expect(errs.some((e) => e.file === `catalog/${f}.md` && e.rule === 'malformed-standard-number'), f).toBe(true);
      }
      const out = await tempDir();
      try {
        const b = await cli('build', dir, '--out', path.join(out.dir, 'out'), '--format', 'html');
        expect(b.code).toBe(1);
        expect(await readdir(out.dir)).toEqual([]);
      } finally {
        await out.cleanup();
      }
    } finally {
      await cleanup();
    }
  });
});
