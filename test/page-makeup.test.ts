/**
 * Page make-up of every standard a standardization office files (GB/T 1.1), read back from the PDFs
 * of the sample and of the long fixture project: no heading at a page foot, no one-character line,
 * no standard number broken at its em dash or after its prefix; term entries, covers by status,
 * 终结线 and the catalog's GB/T 13017 statistics.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { loadProject } from '../src/load/project-loader.js';
import { checkProject } from '../src/check/check-project.js';
import { resolveProject, type Project } from '../src/model/project.js';
import { catalogView, estimateWidth, DIAGRAM_TEXT } from '../src/views/catalog-view.js';
import { loadFontBook } from '../src/typography/fonts.js';
import { textWidth } from '../src/typography/measure.js';
import { NO_LINE_END, NO_LINE_START } from '../src/typography/linebreak.js';
import { REPO, SAMPLE, tempDir } from './helpers.js';
import { pdfHorizontalRules, pdfLines, pdfOutline, squash } from './pdf-text.js';

const LONG = path.join(REPO, 'test/fixtures/long-project');

interface Built { out: { dir: string; cleanup: () => Promise<void> }; project: Project; pdfs: Map<string, { lines: string[][]; outline: string[] }> }

async function buildProject(dir: string): Promise<Built> {
  const out = await tempDir();
  const loaded = await loadProject(dir);
  const project = resolveProject(checkProject(loaded), loaded.root);
  const r = await build({ projectDir: dir, outDir: out.dir, only: ['catalog', 'standards'] });
  expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
  const pdfs = new Map<string, { lines: string[][]; outline: string[] }>();
  for (const f of await readdir(path.join(out.dir, 'pdf/standards'))) {
    const buf = await readFile(path.join(out.dir, 'pdf/standards', f));
    pdfs.set(f.replace(/\.pdf$/, ''), { lines: await pdfLines(buf), outline: await pdfOutline(buf) });
  }
  return { out, project, pdfs };
}

/** Body lines of a page: without the running header (first line) and the page number (last line). */
function bodyLines(page: string[]): string[] {
  const lines = [...page];
  if (lines.length && /^\s*([0-9]+|[IVX]+)\s*$/.test(lines[lines.length - 1]!)) lines.pop();
  if (lines.length && /^(Q|GB|DB)/.test(lines[0]!.trim())) lines.shift();
  return lines;
}

/** Characters of a line that are text, not punctuation or spaces. */
const textChars = (line: string): string[] => [...line].filter((c) => !/\s/.test(c) && !NO_LINE_START.has(c) && !NO_LINE_END.has(c));

const PREFIX_AT_END = /(?:^|[^A-Za-z])(?:GB(?:\/T)?|Q\/[A-Z]+|DB\d*(?:\/T)?|T\/[A-Z]+)\s*$/;

function defects(built: Built): string[] {
  const found: string[] = [];
  for (const [slug, { lines, outline }] of built.pdfs) {
    const headings = new Set(outline.map(squash));
    lines.forEach((page, p) => {
      if (p === 0) return; // cover
      const body = bodyLines(page);
      body.forEach((line, i) => {
        const chars = textChars(line);
        if (chars.length === 1 && !/^[0-9IVX]$/.test(chars[0]!)) found.push(`${slug} p${p + 1}: one-character line “${line.trim()}”`);
        const next = body[i + 1];
        if (next !== undefined && /—\s*$/.test(line) && /^\s*\d{4}/.test(next)) found.push(`${slug} p${p + 1}: number broken at the em dash “${line.trim()}” / “${next.trim()}”`);
        if (next !== undefined && PREFIX_AT_END.test(line) && /^\s*\d/.test(next)) found.push(`${slug} p${p + 1}: number broken after its prefix “${line.trim()}” / “${next.trim()}”`);
      });
      const last = body[body.length - 1];
      if (p < lines.length - 1 && last !== undefined) {
        const s = squash(last);
        if (headings.has(s) || /^\d+(\.\d+)+$/.test(s)) found.push(`${slug} p${p + 1}: heading “${last.trim()}” is the last line of the page`);
      }
    });
  }
  return found;
}

describe('page make-up of the filed standards', () => {
  let sample: Built;
  let long: Built;
  beforeAll(async () => {
    sample = await buildProject(SAMPLE);
    long = await buildProject(LONG);
  }, 240_000);
  afterAll(async () => {
    await sample?.out.cleanup();
    await long?.out.cleanup();
  });

  it('no one-character line, no heading at a page foot, no standard number broken — sample', () => {
    expect(sample.pdfs.size).toBe(sample.project.standards.length);
    expect(defects(sample)).toEqual([]);
  });

  it('no one-character line, no heading at a page foot, no standard number broken — long fixture', () => {
    // the long standard really crosses pages and carries its 20 terms and the 40-row table
    const main = long.pdfs.get('Q-QCSP-2001-2025')!;
    expect(main.lines.length).toBeGreaterThan(12);
    expect(defects(long)).toEqual([]);
  });

  it('the defect scanner finds each defect it looks for', () => {
    const fake: Built = {
      ...sample,
      pdfs: new Map([['X', {
        outline: ['9 结果运用'],
        lines: [['cover'], ['Q/X 1—2024', '依据GB/T 39046—', '2020执行。', '按GB/T', '1.1—2020起草。', '所。', '9　结果运用', '1'], ['Q/X 1—2024', 'end', '2']],
      }]]),
    };
    const found = defects(fake).join('\n');
    expect(found).toContain('em dash');
    expect(found).toContain('after its prefix');
    expect(found).toContain('one-character line “所。”');
    expect(found).toContain('heading “9　结果运用”');
  });

  it('term entries in the GB/T 1.1 form: number alone, then term and English, the source bracketed', async () => {
    const lines = sample.pdfs.get('Q-YLZW-1002-2024')!.lines.flat().map((l) => l.trim());
    const at = lines.indexOf('3.1');
    expect(at).toBeGreaterThan(0);
    expect(squash(lines[at + 1]!)).toBe(squash('政务服务 government service'));
    expect(lines.some((l) => squash(l) === squash('[来源：GB/T 32169.1—2015，3.1，有修改]'))).toBe(true);
    // a source written as the definition's last line (no blank line before it) is still the source
    const longLines = long.pdfs.get('Q-QCSP-2001-2025')!.lines.flat().map((l) => squash(l));
    expect(longLines).toContain(squash('[来源：GB/T 32169.3—2015，3.5]'));
    expect(longLines.filter((l) => /^3\.\d+$/.test(l))).toHaveLength(20);
    // term entries are not in 目次 (the outline still has them)
    const toc = long.pdfs.get('Q-QCSP-2001-2025')!.lines[1]!.map(squash).join('');
    expect(toc).not.toContain('3.1综合受理');
    const html = await readFile(path.join(sample.out.dir, 'html/standards/Q-YLZW-1002-2024.html'), 'utf8');
    expect(html).toContain('<p class="term-number">3.1</p>');
    expect(html).toContain('<dfn>政务服务</dfn>　<span class="term-en" lang="en">government service</span>');
    expect(html).toMatch(/<p class="term-source">\[来源：<span class="nowrap">GB\/T 32169\.1—2015<\/span>，3\.1，有修改\]\s*<\/p>/);
  });

  it('a superseded edition says 已被…代替 on its cover and in every running header', async () => {
    const pages = sample.pdfs.get('Q-YLZW-2001-2019')!.lines;
    expect(squash(pages[0]!.join(''))).toContain('已被Q/YLZW2001—2024代替');
    for (const page of pages.slice(1)) expect(squash(page[0]!)).toBe(squash('Q/YLZW 2001—2019（已被Q/YLZW 2001—2024代替）'));
    const current = sample.pdfs.get('Q-YLZW-2001-2024')!.lines;
    expect(squash(current.flat().join(''))).not.toContain('已被');
    const html = await readFile(path.join(sample.out.dir, 'html/standards/Q-YLZW-2001-2019.html'), 'utf8');
    expect(html).toContain('<p class="cover-replaced">已被<span class="nowrap">Q/YLZW 2001—2024</span>代替</p>');
  });

  it('a draft cover carries the placeholder dates and the patent notice', async () => {
    const cover = squash(sample.pdfs.get('Q-YLZW-2009-2025')!.lines[0]!.join(''));
    expect(cover).toContain('XXXX-XX-XX发布');
    expect(cover).toContain('XXXX-XX-XX实施');
    expect(cover).toContain('（征求意见稿）');
    expect(cover).toContain('在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。');
    const current = squash(sample.pdfs.get('Q-YLZW-2001-2024')!.lines[0]!.join(''));
    expect(current).not.toContain('XXXX');
    expect(current).not.toContain('专利');
  });

  it('every standard ends with the 终结线 (HTML) and table headers keep their words whole (PDF)', async () => {
    for (const s of sample.project.standards) {
      const html = await readFile(path.join(sample.out.dir, `html/standards/${s.slug}.html`), 'utf8');
      expect(html).toMatch(/<hr class="end-line"[^>]*>\s*<\/article>/);
    }
    const lines = long.pdfs.get('Q-QCSP-2001-2025')!.lines.flat();
    // the header of 表2 has five words that must not break
    for (const word of ['可共享获取的材料', '审批部门', '核验要点', '事项名称']) expect(lines.some((l) => l.includes(word)), word).toBe(true);
  });

  it('every standard PDF ends with the 终结线: a centred rule a quarter of the type area wide, on the last page only', async () => {
    for (const built of [sample, long]) {
      for (const [slug, { lines }] of built.pdfs) {
        const buf = await readFile(path.join(built.out.dir, 'pdf/standards', `${slug}.pdf`));
        // A4, margins 25 mm left and 20 mm right: type area 467.7 pt from x = 70.9
        const left = 25 * 72 / 25.4;
        const width = 595.28 - left - 20 * 72 / 25.4;
        const isEndLine = ([x1, x2]: [number, number, number]): boolean => Math.abs(x2 - x1 - width / 4) < 0.5 && Math.abs((x1 + x2) / 2 - (left + width / 2)) < 0.5;
        expect((await pdfHorizontalRules(buf, lines.length - 1)).filter(isEndLine), slug).toHaveLength(1);
        expect((await pdfHorizontalRules(buf, lines.length - 2)).filter(isEndLine), slug).toHaveLength(0);
      }
    }
  });

  it('standard numbers are nowrap spans in HTML, and never inside the SVG diagram', async () => {
    const html = await readFile(path.join(sample.out.dir, 'html/standards/Q-YLZW-1002-2024.html'), 'utf8');
    expect(html).toContain('<span class="nowrap">GB/T 39046—2020</span>');
    // outside the nowrap spans (and the head), no standard number is left in the text
    const rest = html.replace(/<head>[\s\S]*?<\/head>/, '').replace(/<span class="nowrap">[^<]*<\/span>/g, '').replace(/<[^>]*>/g, '');
    expect(rest).not.toMatch(/[A-Z]+(?:\/[A-Z]+)? \d+(?:\.\d+)*—\d{4}/);
    const index = await readFile(path.join(sample.out.dir, 'html/index.html'), 'utf8');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(index)![0];
    expect(svg).not.toContain('nowrap');
    expect(index).toContain('<span class="nowrap">GB/T 32169.2—2015</span>');
  });
});

describe('catalog for filing (GB/T 13017)', () => {
  let sample: Built;
  beforeAll(async () => {
    sample = await buildProject(SAMPLE);
  }, 120_000);
  afterAll(() => sample?.out.cleanup());

  it('lists the adopted standards and counts 应有数 / 现有数 / 比例', async () => {
    const view = catalogView(sample.project);
    const e = view.stats.expected;
    // own current standards + adopted ones are 现有; drafts and planned add to 应有
    const own = sample.project.standards;
    const existing = own.filter((s) => s.status === 'current').length + sample.project.adopted.length;
    const expected = existing + own.filter((s) => s.status === 'draft').length + sample.project.planned.length;
    expect(e.total).toMatchObject({ existing, expected, ratio: `${((existing / expected) * 100).toFixed(1)}%` });
    expect(e.byLevel.find((r) => r.label === '国家标准')).toMatchObject({ existing: 4, expected: 4 });
    expect(e.byLevel.find((r) => r.label === '地方标准')).toMatchObject({ existing: 1, expected: 1 });
    const html = await readFile(path.join(sample.out.dir, 'html/index.html'), 'utf8');
    const row = /<tr class="total-expected">.*?<\/tr>/s.exec(html)![0];
    expect(row).toContain(`<td>${expected}</td><td>${existing}</td><td>${e.total.ratio}</td>`);
    // an adopted standard is listed (no link: it has no rendered page), a planned one as 待制定
    expect(html).toMatch(/<td><span class="nowrap">GB\/T 32169\.2—2015<\/span><\/td><td>政务服务中心运行规范　第2部分：进驻要求<\/td><td>国家标准<\/td>/);
    expect(html).toContain('政务服务数据安全管理规范');
    expect(html).toContain('badge-planned');
    const pdf = squash((await pdfLines(await readFile(path.join(sample.out.dir, 'pdf/catalog.pdf')))).flat().join(''));
    expect(pdf).toContain(squash('应有数（个）'));
    expect(pdf).toContain(squash(`共计${expected}${existing}${e.total.ratio}`));
    expect(pdf).toContain(squash('GB/T 36112—2018 现行（参照采用）'));
  });

  it('prints no YAML field name in the filed catalog', async () => {
    const html = await readFile(path.join(sample.out.dir, 'html/index.html'), 'utf8');
    const pdf = (await pdfLines(await readFile(path.join(sample.out.dir, 'pdf/catalog.pdf')))).flat().join('\n');
    for (const text of [html.replace(/<[^>]+>/g, ''), pdf]) {
      expect(text).not.toMatch(/字段|\b(standard|adopted|planned|system|category|status)\b/);
    }
  });

  it('structure-diagram labels fit their boxes in the real font, at many sub-systems and long names', async () => {
    const book = loadFontBook(sample.project.fonts ?? {}, sample.project.root);
    for (const project of [sample.project, resolveProject(checkProject(await loadProject(LONG)), LONG)]) {
      const d = catalogView(project).diagram;
      for (const b of d.boxes) {
        const { size } = DIAGRAM_TEXT[b.kind];
        const font = (b.kind === 'category' ? book.sans : book.heading).font;
        for (const line of b.lines) {
          expect(estimateWidth(line, size), line).toBeLessThanOrEqual(b.w);
          expect(textWidth(font, line, size), line).toBeLessThanOrEqual(b.w - 4);
        }
        expect(b.lines.length * DIAGRAM_TEXT[b.kind].line).toBeLessThanOrEqual(b.h);
      }
    }
  });
});
