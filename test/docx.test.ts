import { XMLParser } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClauseBlock } from '../src/model/clauses.js';
import type { Project } from '../src/model/project.js';
import { prepare } from '../src/pipeline/prepare.js';
import { Diagnostics } from '../src/diagnostics.js';
import { guidesKind, MAX_DOCX_BOOKLET_ITEMS } from '../src/kinds/guides.js';
import type { RenderContext } from '../src/pipeline/kind.js';
import { renderChecklistDocx, renderReportDocx } from '../src/render/docx/checklist-docx.js';
import { docxFonts } from '../src/render/docx/fonts.js';
import { renderBookletDocx, renderGuideDocx } from '../src/render/docx/guide-docx.js';
import { NUMBER_SPACE, plainText, WORD_JOINER } from '../src/render/docx/nobreak.js';
import { renderStandardDocx } from '../src/render/docx/standard-docx.js';
import { standardPageLabels } from '../src/render/pdf/standard-pdf.js';
import { loadFontBook, type FontBook } from '../src/typography/fonts.js';
import { checklistView } from '../src/views/checklist-view.js';
import { departmentBookletView, guideView } from '../src/views/guide-view.js';
import { reportView } from '../src/views/report-view.js';
import { standardView, type StandardView } from '../src/views/standard-view.js';
import { SAMPLE } from './helpers.js';

/** An element of the document XML in document order: name, attributes, children. */
interface El { name: string; attrs: Record<string, string>; children: El[]; text: string }

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false });

function tree(xml: string): El[] {
  const conv = (nodes: Record<string, unknown>[]): El[] => nodes.flatMap((n) => {
    const name = Object.keys(n).find((k) => k !== ':@');
    if (!name || name === '?xml') return [];
    if (name === '#text') return [{ name, attrs: {}, children: [], text: String(n[name]) }];
    const children = conv(n[name] as Record<string, unknown>[]);
    return [{ name, attrs: (n[':@'] ?? {}) as Record<string, string>, children, text: children.map((c) => c.text).join('') }];
  });
  return conv(parser.parse(xml) as Record<string, unknown>[]);
}

/** Every element named `name` under `els`, in document order. */
function all(els: El[], name: string): El[] {
  const out: El[] = [];
  const walk = (list: El[]): void => {
    for (const e of list) {
      if (e.name === name) out.push(e);
      walk(e.children);
    }
  };
  walk(els);
  return out;
}

const first = (els: El[], name: string): El | undefined => all(els, name)[0];

class Docx {
  readonly files: Record<string, Uint8Array>;
  constructor(readonly bytes: Uint8Array) {
    this.files = unzipSync(bytes);
  }
  xml(name: string): El[] {
    const f = this.files[name];
    if (!f) throw new Error(`${name} is not in the package (${Object.keys(this.files).join(', ')})`);
    return tree(strFromU8(f));
  }
  /** Paragraphs of the body with their style and text (as read: word joiners dropped, no-break spaces as spaces; `raw` as written). */
  paragraphs(part = 'word/document.xml'): { style?: string; text: string; raw: string; el: El }[] {
    return all(this.xml(part), 'w:p').map((p) => {
      const raw = all(p.children, 'w:t').map((t) => t.text).join('');
      return { style: first(p.children, 'w:pStyle')?.attrs['w:val'], text: plainText(raw), raw, el: p };
    });
  }
}

/** Clause blocks of a view, depth first. */
function clauses(view: StandardView): ClauseBlock[] {
  const out: ClauseBlock[] = [];
  const walk = (blocks: StandardView['clauses']): void => {
    for (const b of blocks) {
      if (b.kind === 'clause') {
        out.push(b);
        walk(b.children);
      } else if (b.kind === 'list') b.items.forEach(walk);
    }
  };
  walk(view.clauses);
  return out;
}

describe('Word output (document XML)', () => {
  let project: Project;
  let book: FontBook;
  let view: StandardView;
  let pages: Map<string, string>;
  let std: Docx;

  beforeAll(async () => {
    const prep = await prepare(SAMPLE, ['docx'], ['standards']);
    project = prep.project!;
    book = prep.rctx!.book;
    // the terms standard has term entries, tables and notes
    const s = project.standards.find((x) => x.code === 'Q/YLZW 1001—2024')!;
    view = standardView(project, s);
    pages = standardPageLabels(view, book);
    std = new Docx(await renderStandardDocx(view, docxFonts(book), pages));
  });

  it('declares the configured fonts for East Asian and Latin text on every text run', () => {
    const names = new Set(Object.values(docxFonts(book)).map((f) => f.name));
    expect(names).toEqual(new Set(['Noto Serif SC', 'Noto Sans SC']));
    for (const part of ['word/document.xml', 'word/header1.xml', 'word/footer1.xml']) {
      const runs = all(std.xml(part), 'w:r').filter((r) => first(r.children, 'w:t'));
      expect(runs.length).toBeGreaterThan(0);
      for (const r of runs) {
        const fonts = first(r.children, 'w:rFonts');
        expect(fonts, `run “${r.text}” in ${part} has no rFonts`).toBeDefined();
        expect(names.has(fonts!.attrs['w:eastAsia']!)).toBe(true);
        expect(fonts!.attrs['w:ascii']).toBe(fonts!.attrs['w:eastAsia']);
        expect(fonts!.attrs['w:hAnsi']).toBe(fonts!.attrs['w:eastAsia']);
      }
    }
    // no theme fonts for WPS or LibreOffice to replace
    expect(strFromU8(std.files['word/styles.xml']!)).not.toMatch(/Theme=/);
  });

  it('has a TOC field filled in with the page numbers of the PDF', () => {
    const doc = std.xml('word/document.xml');
    const instr = all(doc, 'w:instrText').map((i) => i.text).join('');
    expect(instr).toMatch(/TOC\b.*\\o "1-2"/);
    const entries = std.paragraphs().filter((p) => p.style === 'TOC1' || p.style === 'TOC2').map((p) => p.text);
    expect(entries[0]).toBe(`前言\t${pages.get('前言')}`);
    expect(entries.slice(1)).toEqual(view.toc.map((t) => `${t.number}　${t.title}\t${pages.get(t.number)}`));
    // a later clause is past page 1 in the PDF: the numbers are really the PDF's, not a default
    expect(new Set(entries.map((e) => e.split('\t')[1])).size).toBeGreaterThan(2);
    // the field spans the entries themselves (no empty paragraphs) and is not dirty: Word opens it without asking to update
    const tocParas = std.paragraphs().filter((p) => p.style === 'TOC1' || p.style === 'TOC2');
    expect(all(tocParas[0]!.el.children, 'w:fldChar').map((f) => f.attrs['w:fldCharType'])).toEqual(['begin', 'separate']);
    expect(all(tocParas.at(-1)!.el.children, 'w:fldChar').map((f) => f.attrs['w:fldCharType'])).toEqual(['end']);
    expect(all(doc, 'w:fldChar').filter((f) => f.attrs['w:dirty'] === 'true')).toEqual([]);
    // each entry links to its clause's bookmark
    const anchors = all(doc, 'w:hyperlink').map((h) => h.attrs['w:anchor']);
    expect(anchors).toEqual(['foreword', ...view.toc.map((t) => `c${t.number.replace(/\./g, '_')}`)]);
  });

  it('bookmarks every clause by its number and numbers clauses with one multilevel list', () => {
    const doc = std.xml('word/document.xml');
    const marks = all(doc, 'w:bookmarkStart').map((b) => b.attrs['w:name']);
    expect(marks).toEqual(['foreword', ...clauses(view).map((c) => `c${c.number.replace(/\./g, '_')}`)]);
    // bookmark ids in order of appearance (not a process-wide counter)
    expect(all(doc, 'w:bookmarkStart').map((b) => b.attrs['w:id'])).toEqual(marks.map((_, i) => String(i + 1)));
    const numbering = std.xml('word/numbering.xml');
    const abstract = all(numbering, 'w:abstractNum').map((a) => all(a.children, 'w:lvl').map((l) => ({
      fmt: first(l.children, 'w:numFmt')?.attrs['w:val'],
      text: first(l.children, 'w:lvlText')?.attrs['w:val'],
    })));
    expect(abstract).toContainEqual(expect.arrayContaining([{ fmt: 'decimal', text: '%1　' }, { fmt: 'decimal', text: '%1.%2　' }, { fmt: 'decimal', text: '%1.%2.%3　' }]));
    expect(abstract).toContainEqual([{ fmt: 'lowerLetter', text: '%1)' }, { fmt: 'decimal', text: '%2)' }]);
    expect(abstract).toContainEqual([{ fmt: 'none', text: '——' }, { fmt: 'none', text: '·' }]);
    // chapters and clauses carry the heading styles, with their list level
    const heads = std.paragraphs().filter((p) => /^NkChapter|^NkClause/.test(p.style ?? ''));
    const levels = heads.map((p) => `${p.style}:${first(p.el.children, 'w:ilvl')?.attrs['w:val']}:${p.text}`);
    const expected = clauses(view).filter((c) => !c.entry);
    expect(levels).toEqual(expected.map((c) => `${['NkChapter', 'NkClause1', 'NkClause2', 'NkClause3', 'NkClause4'][c.level - 1]}:${c.level - 1}:${c.title}`));
  });

  it('writes term entries, tables with repeated header rows, notes and the 终结线', () => {
    const paras = std.paragraphs();
    const terms = view.clauses.find((b): b is ClauseBlock => b.kind === 'clause' && b.special === 'terms')!;
    const entries = terms.children.filter((c): c is ClauseBlock => c.kind === 'clause');
    expect(entries.length).toBeGreaterThan(0);
    expect(paras.filter((p) => p.style === 'NkTermNo')).toHaveLength(entries.length);
    expect(entries.every((e) => e.entry)).toBe(true);
    expect(paras.filter((p) => p.style === 'NkTerm').map((p) => p.text)).toEqual(entries.map((e) => e.entry!.term));
    const doc = std.xml('word/document.xml');
    const tables = all(doc, 'w:tbl');
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) expect(first(all(t.children, 'w:tr')[0]!.children, 'w:tblHeader')).toBeDefined();
    expect(paras.filter((p) => p.style === 'NkTableTitle').map((p) => p.text)[0]).toMatch(/^表1　/);
    expect(paras.filter((p) => p.style === 'NkNote').every((p) => /^注\d*：/.test(p.text))).toBe(true);
    expect(paras.at(-1)!.style).toBe('NkEndLine');
    // styles are named for what they are
    const names = all(std.xml('word/styles.xml'), 'w:name').map((n) => n.attrs['w:val']);
    expect(names).toEqual(expect.arrayContaining(['标准文件_段', '标准文件_章标题', '标准文件_一级条标题', '标准文件_注', '标准文件_表标题', '标准文件_终结线', '标准文件_术语', 'toc 1']));
  });

  it('sets A4 with the PDF margins, no number on the cover, Roman front matter and an Arabic body with the running header', () => {
    const doc = std.xml('word/document.xml');
    const sects = all(doc, 'w:sectPr');
    expect(sects).toHaveLength(3);
    const mm = (v: string | undefined): number => Math.round((Number(v) / 1440) * 25.4);
    for (const s of sects) {
      const size = first(s.children, 'w:pgSz')!.attrs;
      expect([mm(size['w:w']), mm(size['w:h'])]).toEqual([210, 297]);
    }
    const margins = first(sects[2]!.children, 'w:pgMar')!.attrs;
    expect([margins['w:top'], margins['w:bottom'], margins['w:left'], margins['w:right']].map(mm)).toEqual([30, 25, 25, 20]);
    expect(first(sects[0]!.children, 'w:pgNumType')?.attrs ?? {}).toEqual({});
    expect(first(sects[1]!.children, 'w:pgNumType')!.attrs).toMatchObject({ 'w:start': '1', 'w:fmt': 'upperRoman' });
    expect(first(sects[2]!.children, 'w:pgNumType')!.attrs).toMatchObject({ 'w:start': '1', 'w:fmt': 'decimal' });
    const headers = Object.keys(std.files).filter((f) => /^word\/header\d+\.xml$/.test(f)).map((f) => std.xml(f));
    expect(headers.map((h) => plainText(all(h, 'w:t').map((t) => t.text).join('')))).toContain(view.code);
    // the cover: issuer and dates in its own footer, the title in a frame
    const cover = std.paragraphs().filter((p) => p.style === 'NkCover').map((p) => p.text);
    expect(cover).toEqual(expect.arrayContaining([view.layer, view.code, view.title]));
  });

  it('fixes the core properties dates and gives the same bytes for the same view', async () => {
    const core = strFromU8(std.files['docProps/core.xml']!);
    expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${project.date}T00:00:00Z</dcterms:created>`);
    expect(core).toContain(`<dcterms:modified xsi:type="dcterms:W3CDTF">${project.date}T00:00:00Z</dcterms:modified>`);
    const again = await renderStandardDocx(view, docxFonts(book), pages);
    expect(Buffer.from(again).equals(Buffer.from(std.bytes))).toBe(true);
    // no random relationship ids left
    for (const [name, data] of Object.entries(std.files)) if (/\.(xml|rels)$/.test(name)) expect(strFromU8(data)).not.toMatch(/rId[0-9a-z_-]{21}\b/);
  });

  it('writes a guide with its materials as an editable table and the QR codes as pictures', async () => {
    const item = project.items.find((i) => i.materials.length >= 3)!;
    const v = guideView(project, item);
    const g = new Docx(await renderGuideDocx(v, book));
    const tables = all(g.xml('word/document.xml'), 'w:tbl');
    const materials = tables.find((t) => all(t.children, 'w:t').some((x) => x.text === '材料名称'))!;
    expect(materials).toBeDefined();
    const rows = all(materials.children, 'w:tr');
    expect(first(rows[0]!.children, 'w:tblHeader')).toBeDefined();
    expect(rows.slice(1).map((r) => all(all(r.children, 'w:tc')[1]!.children, 'w:t').map((t) => t.text).join(''))).toEqual(item.materials.map((m) => m.name));
    expect(g.paragraphs().find((p) => p.style === 'GuideTitle')!.text).toBe(item.name);
    const media = Object.keys(g.files).filter((f) => f.startsWith('word/media/'));
    expect(media.length).toBe(v.qr.length);
    for (const m of media) expect(Buffer.from(g.files[m]!.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    expect(all(g.xml('word/document.xml'), 'w:bookmarkStart').map((b) => b.attrs['w:name'])).toEqual([`item_${item.slug.replace(/[^A-Za-z0-9_]/g, '_')}`]);
  });

  it('writes a department booklet with a 目录 of its items and every guide from a new page', async () => {
    const dep = project.departments.find((d) => d.items.length >= 2)!;
    const guides = new Map(dep.items.map((i) => [i.slug, guideView(project, i)]));
    const labels = new Map(dep.items.map((i, k) => [i.slug, String(k * 3 + 1)]));
    const b = new Docx(await renderBookletDocx(departmentBookletView(project, dep), guides, labels, book));
    const toc = b.paragraphs().filter((p) => p.style === 'TOC1').map((p) => p.text);
    expect(toc).toEqual(dep.items.map((i, k) => `${i.name}\t${k * 3 + 1}`));
    const titles = b.paragraphs().filter((p) => p.style === 'GuideTitle').map((p) => p.text);
    expect(titles).toEqual(dep.items.map((i) => i.name));
    const kickers = b.paragraphs().filter((p) => p.style === 'GuideKicker');
    expect(kickers.map((k) => !!first(k.el.children, 'w:pageBreakBefore'))).toEqual(dep.items.map((_, k) => k > 0));
  });

  it('writes a checklist form: landscape, 类别 merged per section, totals across three columns, signature lines', async () => {
    const cl = project.checklists.find((c) => c.id === 'five-star-center') ?? project.checklists[0]!;
    const v = checklistView(project, cl);
    const f = new Docx(await renderChecklistDocx(v, book));
    const doc = f.xml('word/document.xml');
    const pg = first(doc, 'w:pgSz')!.attrs;
    expect(pg['w:orient']).toBe('landscape');
    expect(Number(pg['w:w'])).toBeGreaterThan(Number(pg['w:h']));
    const table = all(doc, 'w:tbl').find((t) => all(t.children, 'w:t').some((x) => x.text === '考评内容'))!;
    const rows = all(table.children, 'w:tr');
    expect(first(rows[0]!.children, 'w:tblHeader')).toBeDefined();
    const body = rows.slice(1);
    expect(body).toHaveLength(v.table.rows.length);
    const restarts = body.map((r) => all(r.children, 'w:tc')[0]!).filter((c) => first(c.children, 'w:vMerge')?.attrs['w:val'] === 'restart');
    const groups = [...new Set(v.table.rows.map((r) => r.group).filter(Boolean))];
    expect(restarts.map((c) => c.text)).toEqual(groups);
    const labelled = v.table.rows.map((r, i) => [r, body[i]!] as const).filter(([r]) => r.label !== undefined);
    expect(labelled.length).toBeGreaterThan(0);
    for (const [r, tr] of labelled) {
      const tc = all(tr.children, 'w:tc')[0]!;
      expect(first(tc.children, 'w:gridSpan')?.attrs['w:val']).toBe('3');
      expect(tc.text).toBe(r.label);
    }
    const last = f.paragraphs().filter((p) => p.style === 'FormBlanks').at(-1)!;
    for (const s of v.signatures) expect(last.text).toContain(`${s.label}：`);
    // the blanks are underlined space to write on
    expect(all(last.el.children, 'w:u').length).toBeGreaterThanOrEqual(v.signatures.length);
  });

  it('writes a score report with the bar chart as a picture described by its caption', async () => {
    const r = project.results.find((x) => x.checklistRef.mode !== 'weighted')!;
    const v = reportView(project, r);
    const d = new Docx(await renderReportDocx(v, book));
    const media = Object.keys(d.files).filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    const png = d.files[media[0]!]!;
    expect(Buffer.from(png.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    // 200 dpi across the page: wide enough to print sharp
    expect(Buffer.from(png.subarray(16, 20)).readUInt32BE(0)).toBeGreaterThan(1500);
    const pr = first(d.xml('word/document.xml'), 'wp:docPr')!;
    expect(pr.attrs.descr).toBe(v.chart.caption);
    expect(pr.attrs.id).toBe('1');
    const text = d.paragraphs().map((p) => p.text).join('\n');
    expect(text).toContain(`总分：${v.total} 分`);
    expect(text).toContain(v.verdict);
  });

  it('leaves a Word booklet past its size to the PDF, with a warning', async () => {
    const prep = await prepare(SAMPLE, ['docx'], ['guides']);
    const ctx = prep.rctx!;
    const copies = Math.ceil((MAX_DOCX_BOOKLET_ITEMS + 1) / project.items.length);
    const many = Array.from({ length: copies }, (_, k) => project.items.map((i) => ({ ...i, slug: `${i.slug}-${k}` }))).flat();
    const diags = new Diagnostics();
    const big: RenderContext = { ...ctx, project: { ...ctx.project, items: many } as Project, diags };
    const paths = guidesKind.jobs(big).map((j) => j.path);
    expect(paths).not.toContain('docx/guides/all.docx');
    expect(paths.filter((p) => p.startsWith('docx/guides/departments/')).length).toBeGreaterThan(0);
    expect(diags.list.map((d) => [d.severity, d.rule])).toEqual([['warning', 'docx-booklet-too-large']]);
    expect(diags.list[0]!.message).toContain('docx/guides/all.docx');
    // the sample itself is well within it
    expect(guidesKind.jobs(ctx).map((j) => j.path)).toContain('docx/guides/all.docx');
  });

  it("names the project's own font choices (fonts: in project.yaml), bold where the face is bold", async () => {
    const own = loadFontBook({ body: 'noto-sans-sc', title: 'noto-sans-sc-bold', heading: 'noto-serif-sc-bold' }, SAMPLE);
    const fonts = docxFonts(own);
    expect(fonts.body).toEqual({ name: 'Noto Sans SC', bold: false });
    expect(fonts.heading).toEqual({ name: 'Noto Serif SC', bold: true });
    const f = new Docx(await renderChecklistDocx(checklistView(project, project.checklists[0]!), own));
    const doc = f.xml('word/document.xml');
    const runs = all(doc, 'w:r').filter((r) => first(r.children, 'w:t'));
    const byName = new Map<string, number>();
    for (const r of runs) {
      const name = first(r.children, 'w:rFonts')!.attrs['w:eastAsia']!;
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    // body text in the sans face now, headings (类别, 小计) in the bold serif
    expect([...byName.keys()].sort()).toEqual(['Noto Sans SC', 'Noto Serif SC']);
    const head = runs.find((r) => r.text === '类别')!;
    expect(first(head.children, 'w:rFonts')!.attrs['w:eastAsia']).toBe('Noto Serif SC');
    expect(first(head.children, 'w:b')?.attrs['w:val']).not.toBe('false');
  });
});

describe('Word output of GB/T 1.1 decisions (long fixture: term entries, a draft, a superseded edition)', () => {
  const LONG = new URL('./fixtures/long-project/', import.meta.url).pathname;
  let project: Project;
  let book: FontBook;
  const build = async (status: string, code?: string): Promise<{ view: StandardView; doc: Docx }> => {
    const s = project.standards.find((x) => x.status === status && (!code || x.code === code))!;
    expect(s, `no ${status} standard in the fixture`).toBeDefined();
    const view = standardView(project, s);
    return { view, doc: new Docx(await renderStandardDocx(view, docxFonts(book), standardPageLabels(view, book))) };
  };
  /** Paragraphs of every header (or footer) part. */
  const parts = (doc: Docx, kind: 'header' | 'footer') => Object.keys(doc.files).filter((f) => new RegExp(`^word/${kind}\\d+\\.xml$`).test(f)).flatMap((f) => doc.paragraphs(f));

  beforeAll(async () => {
    const prep = await prepare(LONG, ['docx'], ['standards']);
    project = prep.project!;
    book = prep.rctx!.book;
  });

  it('sets every term entry in GB/T 1.1 form: number alone, term in bold with its English, definition, 注, then [来源：…]', async () => {
    const { view, doc } = await build('current', 'Q/QCSP 2001—2025');
    const terms = view.clauses.find((b): b is ClauseBlock => b.kind === 'clause' && b.special === 'terms')!;
    const entries = terms.children.filter((c): c is ClauseBlock => c.kind === 'clause');
    expect(entries).toHaveLength(20);
    const paras = doc.paragraphs();
    const heads = paras.filter((p) => p.style === 'NkTerm');
    // the English equivalent is in the Word text, after a full-width space, for every entry
    expect(heads.map((p) => p.text)).toEqual(entries.map((e) => `${e.entry!.term}　${e.entry!.english}`));
    expect(heads.find((p) => p.text.startsWith('综合受理　'))!.text).toBe('综合受理　comprehensive acceptance');
    // the term in the heading face, the English in the body face
    const fonts = docxFonts(book);
    const runs = all(heads[0]!.el.children, 'w:r');
    expect(first(runs[0]!.children, 'w:rFonts')!.attrs['w:eastAsia']).toBe(fonts.heading.name);
    expect(first(runs[1]!.children, 'w:rFonts')!.attrs['w:eastAsia']).toBe(fonts.body.name);
    // number alone on its line, at the entry level of the clause list, bookmarked by its number
    const at = (text: string): number => paras.findIndex((p) => p.style === 'NkTerm' && p.text.startsWith(text));
    const i = at('综合受理　');
    const no = paras[i - 1]!;
    expect(no.style).toBe('NkTermNo');
    expect(no.text).toBe('');
    expect(first(no.el.children, 'w:ilvl')!.attrs['w:val']).toBe('1');
    expect(first(no.el.children, 'w:bookmarkStart')!.attrs['w:name']).toBe(`c${entries[0]!.number.replace(/\./g, '_')}`);
    // definition, its 注, then the source (moved out of the children by the view) last
    expect(paras.slice(i + 1, i + 4).map((p) => [p.style, p.text.slice(0, 6)])).toEqual([
      ['NkBody', '将分散在各部'], ['NkNote', '注：一般称为'], ['NkTermSource', '[来源：GB'],
    ]);
    const sources = paras.filter((p) => p.style === 'NkTermSource').map((p) => p.text);
    expect(sources).toEqual(['[来源：GB/T 32169.3—2015，3.2，有修改]', '[来源：GB/T 32169.3—2015，3.5]', '[来源：GB/T 39046—2020，3.1]']);
    // a source that was the last line of the definition is not left in it
    expect(paras.filter((p) => p.style !== 'NkTermSource' && /来源：/.test(p.text))).toEqual([]);
    // 好差评: its 注 right under the definition (no blank line) stays in that paragraph, on a line of its own; then the bracketed source
    const j = at('好差评　');
    expect(paras.slice(j + 1, j + 3).map((p) => p.style)).toEqual(['NkBody', 'NkTermSource']);
    expect(paras[j + 1]!.text).toMatch(/五个等级。注：不满意/);
    expect(all(paras[j + 1]!.el.children, 'w:br')).toHaveLength(1);
    // entries are left out of the chapter and clause headings (and so out of 更新目录's outline)
    const start = paras.findIndex((p) => p.style === 'NkChapter' && p.text === terms.title);
    const end = paras.findIndex((p, k) => k > start && p.style === 'NkChapter');
    expect(paras.slice(start + 1, end).filter((p) => /^NkClause/.test(p.style ?? ''))).toEqual([]);
    expect(paras.slice(start + 1, end).filter((p) => p.style === 'NkTermNo')).toHaveLength(20);
    expect(paras.at(-1)!.style).toBe('NkEndLine');
  });

  it('keeps standard numbers and dates whole: narrow no-break space and word joiners, the text read unchanged', async () => {
    const { view, doc } = await build('current', 'Q/QCSP 2001—2025');
    const source = doc.paragraphs().find((p) => p.style === 'NkTermSource')!;
    expect(source.raw).toContain(`GB${WORD_JOINER}/${WORD_JOINER}T${NUMBER_SPACE}32169${WORD_JOINER}.${WORD_JOINER}3${WORD_JOINER}—${WORD_JOINER}2015`);
    const code = doc.paragraphs().find((p) => p.style === 'NkCover' && p.text === view.code)!;
    // lines that never wrap (the cover's number, the running header) keep the plain space
    expect(code.raw).toBe(view.code);
    expect(parts(doc, 'header').filter((p) => p.text).map((h) => h.raw)).toContain(view.code);
    // wrapping text: a reference in the body is whole, its space a narrow no-break one
    expect(doc.paragraphs().filter((p) => p.style === 'NkBody').some((p) => p.raw.includes(`DB${WORD_JOINER}5`) || p.raw.includes(`T${NUMBER_SPACE}2886`))).toBe(true);
    expect(doc.paragraphs().filter((p) => p.style === 'NkBody').every((p) => !/[A-Z] \d/.test(p.raw))).toBe(true);
    // the rule under the number hugs it (a frame that grows to its text), the 代替 line in a frame of its own under it
    const frameOf = (p: { el: El }) => first(p.el.children, 'w:framePr')!.attrs;
    expect(frameOf(code)['w:h'] ?? '0').toBe('0');
    expect(first(code.el.children, 'w:pBdr')!.children.map((c) => c.name)).toEqual(['w:bottom']);
    const replaces = doc.paragraphs().find((p) => p.style === 'NkCover' && p.text === `代替 ${view.replaces}`)!;
    expect(Number(frameOf(replaces)['w:y'])).toBeGreaterThan(Number(frameOf(code)['w:y']));
  });

  it('gives a draft the XXXX-XX-XX placeholders, its stage and the boxed patent notice on the cover', async () => {
    const { view, doc } = await build('draft');
    expect(view.patentNotice).toBeDefined();
    const foot = parts(doc, 'footer').map((p) => p.text);
    expect(foot).toContain('XXXX-XX-XX发布\tXXXX-XX-XX实施');
    const cover = doc.paragraphs().filter((p) => p.style === 'NkCover');
    expect(cover.map((p) => p.text)).toContain(`（${view.draftStage}）`);
    const notice = cover.find((p) => p.text === view.patentNotice)!;
    expect(notice, 'no patent notice on the cover').toBeDefined();
    // in a frame on the cover, boxed on all four sides
    expect(first(notice.el.children, 'w:framePr')).toBeDefined();
    const box = first(notice.el.children, 'w:pBdr')!;
    expect(box.children.map((c) => [c.name, c.attrs['w:val']])).toEqual([['w:top', 'single'], ['w:left', 'single'], ['w:bottom', 'single'], ['w:right', 'single']]);
    // above the dates: the frame's top is on the cover's lower half, its foot clear of the footer
    const y = Number(first(notice.el.children, 'w:framePr')!.attrs['w:y']) / 1440 * 25.4;
    expect(y).toBeGreaterThan(180);
    expect(y).toBeLessThan(222);
    expect(doc.paragraphs().at(-1)!.style).toBe('NkEndLine');
  });

  it('stamps a superseded edition “已被… 代替” on the cover and carries it in the running header', async () => {
    const { view, doc } = await build('superseded');
    expect(view.replacedMark).toBe(`已被${view.replacedBy}代替`);
    const stamp = doc.paragraphs().find((p) => p.style === 'NkCover' && p.text.trim() === view.replacedMark)!;
    expect(stamp, 'no replaced stamp on the cover').toBeDefined();
    const run = all(stamp.el.children, 'w:r')[0]!;
    expect(first(run.children, 'w:bdr')!.attrs).toMatchObject({ 'w:val': 'single', 'w:color': 'CC0000' });
    expect(first(run.children, 'w:color')!.attrs['w:val']).toBe('CC0000');
    expect(first(stamp.el.children, 'w:framePr')).toBeDefined();
    const headers = parts(doc, 'header').map((p) => p.text).filter(Boolean);
    expect(headers.length).toBeGreaterThan(0);
    for (const h of headers) expect(h).toBe(`${view.code}（${view.replacedMark}）`);
    // a current edition has neither
    const current = await build('current', view.replacedBy);
    expect(current.doc.paragraphs().some((p) => /已被/.test(p.text))).toBe(false);
    expect(parts(current.doc, 'header').map((p) => p.text).filter(Boolean)).toEqual(expect.arrayContaining([current.view.code]));
    expect(doc.paragraphs().at(-1)!.style).toBe('NkEndLine');
  });
});
