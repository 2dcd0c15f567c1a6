/**
 * A project's own templates and fonts, broken in the ways people break them: each gives a clear
 * one-line diagnostic naming the file (and line), exit 1, and the previous output stays as it was.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { checkGlyphs } from '../src/check/glyphs.js';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import { resolveProject } from '../src/model/project.js';
import { loadFontBook, missingGlyphs } from '../src/typography/fonts.js';
import { REPO, cli, listFiles, snapshot, tempCopy, tempDir } from './helpers.js';

const require = createRequire(import.meta.url);
const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const STD = 'catalog/provision/2001-2024-first-inquiry.md';
const ITEM = 'items/food-license.yaml';
const STACK = /\n\s+at .+[:(]\d+:\d+|node:internal/;
/** A Latin-only TrueType font that ships with pdfjs-dist (a devDependency). */
const LATIN_TTF = require.resolve('pdfjs-dist/standard_fonts/LiberationSans-Regular.ttf');



/** The error lines of the CLI's text report (`file:line:col  error  message  rule`). */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /\s error\s/.test(l)).map((l) => l.trim());
}

describe('broken customisations', () => {
  let proj: { dir: string; cleanup: () => Promise<void> };
  let out: { dir: string; cleanup: () => Promise<void> };
  let outDir: string;
  let before: Record<string, string>;
  let projectYaml: string;

  beforeAll(async () => {
    proj = await tempCopy(MINIMAL);
    out = await tempDir();
    outDir = path.join(out.dir, 'out');
    const first = await cli('build', proj.dir, '--out', outDir, '--format', 'html', '--only', 'catalog,standards');
    expect(first.code, first.err).toBe(0);
    before = await snapshot(outDir);
    projectYaml = await readFile(path.join(proj.dir, 'project.yaml'), 'utf8');
  });
  afterAll(async () => {
    await proj?.cleanup();
    await out?.cleanup();
  });

  /** Runs `build` with one change in place, then undoes it; returns the CLI result. */
  async function buildWith(change: () => Promise<void>, undo: () => Promise<void>): Promise<{ code: number; out: string; err: string }> {
    await change();
    try {
      return await cli('build', proj.dir, '--out', outDir, '--format', 'html', '--only', 'catalog,standards');
    } finally {
      await undo();
    }
  }

  const withTemplate = (name: string, text: string): Promise<{ code: number; out: string; err: string }> => buildWith(
    async () => {
      await mkdir(path.join(proj.dir, 'templates', path.dirname(name)), { recursive: true });
      await writeFile(path.join(proj.dir, 'templates', name), text);
    },
    () => rm(path.join(proj.dir, 'templates'), { recursive: true, force: true }),
  );

  const withFonts = (fonts: string, files: Record<string, string | Buffer> = {}): Promise<{ code: number; out: string; err: string }> => buildWith(
    async () => {
      for (const [rel, data] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(proj.dir, rel)), { recursive: true });
        await writeFile(path.join(proj.dir, rel), data);
      }
      await writeFile(path.join(proj.dir, 'project.yaml'), `${projectYaml.trimEnd()}\nfonts:\n${fonts}\n`);
    },
    async () => { await writeFile(path.join(proj.dir, 'project.yaml'), projectYaml); },
  );

  async function expectUntouched(): Promise<void> {
    expect(await snapshot(outDir)).toEqual(before);
  }

  it('a template with a syntax error: exit 1, templates/standard.hbs and its line', async () => {
    const bundled = await readFile(path.join(REPO, 'templates/standard.hbs'), 'utf8');
    const lines = bundled.split('\n');
    lines.splice(6, 0, '<p>{{title}</p>'); // line 7: an unclosed mustache
    const r = await withTemplate('standard.hbs', lines.join('\n'));
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(STACK);
    const errs = errorLines(r.err);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^templates\/standard\.hbs:7:1\s+error\s+.*template-syntax$/);
    await expectUntouched();
  });

  it('a block closed by the wrong name: the line of the block it does not close', async () => {
    const bundled = await readFile(path.join(REPO, 'templates/standard.hbs'), 'utf8');
    const lines = bundled.split('\n');
    lines.splice(4, 0, '{{#if title}}<b>{{title}}</b>'); // line 5 opens an if…
    lines.splice(6, 0, '{{/each}}'); // …that line 7 closes as an each
    const r = await withTemplate('standard.hbs', lines.join('\n'));
    expect(r.code).toBe(1);
    const errs = errorLines(r.err);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^templates\/standard\.hbs:5:\d+\s+error\s+.*if doesn't match each.*template-syntax$/);
    await expectUntouched();
  });

  it('an unknown helper: exit 1, the template file and line, rule template-render', async () => {
    const bundled = await readFile(path.join(REPO, 'templates/standard.hbs'), 'utf8');
    const r = await withTemplate('standard.hbs', bundled.replace('<h1 class="cover-title">{{title}}</h1>', '<h1 class="cover-title">{{shout title}}</h1>'));
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(STACK);
    const errs = errorLines(r.err);
    expect(errs).toHaveLength(1);
    const line = bundled.split('\n').findIndex((l) => l.includes('cover-title')) + 1;
    expect(errs[0]).toMatch(new RegExp(`^templates/standard\\.hbs:${line}:\\d+\\s+error\\s+.*shout.*template-render$`));
    await expectUntouched();
  });

  it('an unknown partial in a project partial: the partial file and line', async () => {
    const r = await withTemplate('partials/nav.hbs', '<nav>\n{{> missing-partial}}\n</nav>\n');
    expect(r.code).toBe(1);
    const errs = errorLines(r.err);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^templates\/partials\/nav\.hbs:2:1\s+error\s+.*missing-partial.*template-render$/);
    await expectUntouched();
  });

  it('a template that fails while rendering: exit 1, the template named, rule template-render', async () => {
    const r = await withTemplate('catalog.hbs', '<main>\n{{#with}}x{{/with}}\n</main>\n');
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(STACK);
    const errs = errorLines(r.err);
    expect(errs.length).toBeGreaterThanOrEqual(1);
    for (const e of errs) expect(e).toMatch(/^templates\/catalog\.hbs.*error\s+.*template-render$/);
    await expectUntouched();
  });

  const fontCases: [string, string, Record<string, string | Buffer>, RegExp][] = [
    ['a missing file', '  body: fonts/missing.ttf', {}, /不存在或无法读取/],
    ['a text file renamed .ttf', '  body: fonts/fake.ttf', { 'fonts/fake.ttf': 'this is not a font\n' }, /不是可用的 TTF\/OTF/],
    ['a path escaping the project', '  body: ../x.ttf', {}, /项目文件夹之外/],
    ['an absolute path', `  title: ${LATIN_TTF}`, {}, /项目文件夹之外/],
    ['a folder', '  heading: fonts', { 'fonts/keep.txt': '' }, /不是文件/],
  ];
  for (const [label, setting, files, message] of fontCases) {
    it(`fonts: ${label} → one line, rule font-invalid, exit 1`, async () => {
      const r = await withFonts(setting, files);
      expect(r.code).toBe(1);
      expect(r.err).not.toMatch(STACK);
      const errs = errorLines(r.err);
      expect(errs, r.err).toHaveLength(1);
      expect(errs[0]).toMatch(/^project\.yaml:\d+:\d+\s+error\s+.*font-invalid$/);
      expect(errs[0]).toMatch(message);
      await expectUntouched();
    });
  }

  it('fonts: a font without Chinese glyphs (Liberation Sans) → font-invalid naming the missing character', async () => {
    const r = await withFonts('  body: fonts/LiberationSans-Regular.ttf', { 'fonts/LiberationSans-Regular.ttf': await readFile(LATIN_TTF) });
    expect(r.code).toBe(1);
    const errs = errorLines(r.err);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^project\.yaml:\d+:\d+\s+error\s+.*不含中文字形（缺少“中”）.*font-invalid$/);
    await expectUntouched();
  });

  it('validate reports the same font problem with its place', async () => {
    await writeFile(path.join(proj.dir, 'project.yaml'), `${projectYaml.trimEnd()}\nfonts:\n  body: ../x.ttf\n`);
    try {
      const v = await cli('validate', proj.dir, '--format', 'json');
      expect(v.code).toBe(1);
      const rows = (JSON.parse(v.out) as { file: string; line: number; column: number; rule: string }[]).filter((x) => x.rule === 'font-invalid');
      const line = `${projectYaml.trimEnd()}\nfonts:\n`.split('\n').length;
      expect(rows).toEqual([expect.objectContaining({ file: 'project.yaml', line, column: 9 })]);
    } finally {
      await writeFile(path.join(proj.dir, 'project.yaml'), projectYaml);
    }
  });

  it('a working project font (a copy of a bundled one) builds', async () => {
    const noto = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
    await mkdir(path.join(proj.dir, 'fonts'), { recursive: true });
    await copyFile(noto, path.join(proj.dir, 'fonts/body.ttf'));
    const r = await withFonts('  body: fonts/body.ttf');
    expect(r.code, r.err).toBe(0);
    // rebuild the baseline the other tests compare against
    const again = await cli('build', proj.dir, '--out', outDir, '--format', 'html', '--only', 'catalog,standards');
    expect(again.code).toBe(0);
    before = await snapshot(outDir);
  });
});

describe('missing-glyph: characters the body font cannot draw', () => {
  it('reports each character with its code point, per file, at its line', async () => {
    const book = loadFontBook();
    // Characters outside Noto Serif SC: an emoji, a CJK Extension B ideograph, and a Tibetan letter.
    const odd = ['😀', '𠀀', 'ཀ'];
    for (const ch of odd) expect(missingGlyphs(book.body.font, ch), ch).toEqual([ch]);
    expect(missingGlyphs(book.body.font, '首问负责服务规范（ABC，123）')).toEqual([]);

    const { dir, cleanup } = await tempCopy(MINIMAL);
    try {
      const std = await readFile(path.join(dir, STD), 'utf8');
      const stdLines = std.split('\n');
      const at = stdLines.findIndex((l) => l.startsWith('## ')) + 2;
      stdLines.splice(at, 0, '', '服务窗口应张贴“😀”笑脸标识，并写明𠀀字的读音。', '');
      await writeFile(path.join(dir, STD), stdLines.join('\n'));
      const item = await readFile(path.join(dir, ITEM), 'utf8');
      await writeFile(path.join(dir, ITEM), item.replace(/^name: (.*)$/m, 'name: $1ཀ'));

      const loaded = await loadProject(dir);
      const ctx = checkProject(loaded);
      expect(loaded.diagnostics.errorCount).toBe(0);
      const project = resolveProject(ctx, loaded.root);
      checkGlyphs(project, book, loaded.diagnostics);
      const found = loaded.diagnostics.list.filter((d) => d.rule === 'missing-glyph');
      expect(found.map((d) => [d.file, d.severity, d.line])).toEqual([
        [STD, 'warning', at + 2],
        [STD, 'warning', at + 2],
        [ITEM, 'warning', item.split('\n').findIndex((l) => l.startsWith('name:')) + 1],
      ]);
      expect(found[0]!.message).toContain('“😀”（U+1F600）');
      expect(found[1]!.message).toContain('“𠀀”（U+20000）');
      expect(found[2]!.message).toContain('“ཀ”（U+0F40）');
      expect(found[0]!.column).toBe(stdLines[at + 1]!.indexOf('😀') + 1);
    } finally {
      await cleanup();
    }
  });

  it('a clean project has no missing-glyph warnings', async () => {
    const loaded = await loadProject(MINIMAL);
    const project = resolveProject(checkProject(loaded), loaded.root);
    checkGlyphs(project, loadFontBook(), loaded.diagnostics);
    expect(loaded.diagnostics.list.filter((d) => d.rule === 'missing-glyph')).toEqual([]);
  });

  it('a build still succeeds with such characters and reports them (warnings do not fail it)', async () => {
    const { dir, cleanup } = await tempCopy(MINIMAL);
    const out = await tempDir();
    try {
      const std = await readFile(path.join(dir, STD), 'utf8');
      await writeFile(path.join(dir, STD), std.replace(/\n## (.*)\n/, '\n## $1\n\n窗口应张贴😀标识。\n'));
      const r = await build({ projectDir: dir, outDir: out.dir, formats: ['html', 'pdf'], only: ['standards'] });
      expect(r.ok).toBe(true);
      const glyphs = r.diagnostics.list.filter((d) => d.rule === 'missing-glyph');
      expect(glyphs.map((d) => [d.file, d.severity])).toEqual([[STD, 'warning']]);
      expect(glyphs[0]!.message).toContain('U+1F600');

      // a rebuild remembers the sources the font could draw, not the one it could not: that is still reported
      const again = await build({ projectDir: dir, outDir: out.dir, formats: ['html', 'pdf'], only: ['standards'] });
      expect(again.diagnostics.list.filter((d) => d.rule === 'missing-glyph').map((d) => [d.file, d.line, d.column]))
        .toEqual(glyphs.map((d) => [d.file, d.line, d.column]));
      // an item whose department's window (project.yaml) gains such a character is checked again
      const projectYaml = await readFile(path.join(dir, 'project.yaml'), 'utf8');
      await writeFile(path.join(dir, 'project.yaml'), projectYaml.replace(/^( +window: )(.+)$/m, '$1$2ཀ'));
      const third = await build({ projectDir: dir, outDir: out.dir, formats: ['html', 'pdf'], only: ['standards'] });
      expect(third.diagnostics.list.filter((d) => d.rule === 'missing-glyph' && d.file.startsWith('items/')).length).toBeGreaterThan(0);
    } finally {
      await cleanup();
      await out.cleanup();
    }
  });
});
