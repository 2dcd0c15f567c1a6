import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { Diagnostics } from '../src/diagnostics.js';
import { resultFromWorkbook } from '../src/import/result-workbook.js';
import { loadProject } from '../src/load/project-loader.js';
import { readWorkbook } from '../src/load/sheet-source.js';
import type { ChecklistData, ChecklistItemData, ResultData, ScoreEntry, WeightedPartData } from '../src/model/data.js';
import { resolveProject, type Project } from '../src/model/project.js';
import { checklistWorkbook, type WorkbookLayout } from '../src/render/xlsx/checklist-workbook.js';
import { scoreResult } from '../src/scoring/score.js';
import { checklistView } from '../src/views/checklist-view.js';
import { cli, SAMPLE, tempDir } from './helpers.js';

const SOFFICE = '/usr/bin/soffice';
const NO_OFFICE = !existsSync(SOFFICE) && !process.env.CI;

let project: Project;
let dir: string;
let cleanup: () => Promise<void>;
const books = new Map<string, { bytes: Buffer; layout: WorkbookLayout }>();

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const loaded = await loadProject(SAMPLE);
  project = resolveProject(checkProject(loaded), loaded.root);
  for (const id of ['five-star-center', 'five-star-window', 'township-staff-appraisal', 'township-dual-appraisal']) {
    const cl = project.checklists.find((c) => c.id === id)!;
    books.set(id, await checklistWorkbook(checklistView(project, cl), cl));
  }
});
afterAll(() => cleanup());

type Filling = { entries: Map<number, { input: string | number; level?: string }>; components: Map<string, number>; ballots: Map<string, Map<string, number>>; result: ResultData };

/** The leaves of weighted parts that take input: ballots and 0–100 scores. */
function inputParts(parts: WeightedPartData[] = []): WeightedPartData[] {
  return parts.flatMap((p) => (p.parts?.length ? inputParts(p.parts) : p.ballots?.length || p.input === 'score' ? [p] : []));
}

/** A random but valid filling of a checklist, as cell inputs and as the result YAML would say it. */
function filling(cl: ChecklistData): fc.Arbitrary<Filling> {
  const items = cl.sections.flatMap((s) => s.items);
  const award = cl.mode === 'award';
  const itemArb = (it: ChecklistItemData): fc.Arbitrary<[{ input: string | number; level?: string } | undefined, ScoreEntry | undefined]> => {
    const veto = it.veto ? [fc.constant([{ input: '否决' }, { veto: true }] as [{ input: string }, ScoreEntry])] : [];
    if (award) {
      if (it.levels?.length) return fc.oneof(...veto, fc.constantFrom(...it.levels).map((l) => [{ input: l.label }, { level: l.label }] as [{ input: string }, ScoreEntry]));
      if (it.deduct_per_finding !== undefined) return fc.oneof(...veto, fc.integer({ min: 0, max: 5 }).map((n) => [{ input: n }, { findings: n }] as [{ input: number }, ScoreEntry]));
      return fc.oneof(...veto, fc.integer({ min: 0, max: Math.round((it.points ?? 0) * 2) }).map((h) => [{ input: h / 2 }, h / 2] as [{ input: number }, ScoreEntry]));
    }
    if (it.levels?.length) {
      return fc.oneof(...veto, fc.tuple(fc.constantFrom(...it.levels), fc.integer({ min: 0, max: 3 }))
        .map(([l, n]) => (n === 0 ? [undefined, undefined] : [{ input: n, level: l.label }, { level: l.label, count: n }]) as [{ input: number; level: string } | undefined, ScoreEntry | undefined]));
    }
    return fc.oneof(...veto, fc.integer({ min: 0, max: 3 }).map((n) => (n === 0 ? [undefined, undefined] : [{ input: n }, n]) as [{ input: number } | undefined, ScoreEntry | undefined]));
  };
  const comps = award ? (cl.components ?? []) : [];
  const leaves = inputParts(cl.parts);
  const ballotArb = (p: WeightedPartData): fc.Arbitrary<Map<string, number>> =>
    fc.tuple(...p.ballots!.map(() => fc.integer({ min: 0, max: 300 }))).filter((ns) => ns.some((n) => n > 0)).map((ns) => new Map(p.ballots!.map((b, i) => [b.label, ns[i]!] as const)));
  return fc.tuple(fc.tuple(...items.map(itemArb)), fc.tuple(...comps.map((c) => fc.integer({ min: 0, max: c.points * 10 }).map((t) => t / 10))), fc.tuple(...leaves.map(ballotArb))).map(([its, cs, bs]) => {
    const entries = new Map<number, { input: string | number; level?: string }>();
    const scores: Record<string, ScoreEntry> = {};
    its.forEach(([cell, entry], i) => {
      if (cell) entries.set(items[i]!.no, cell);
      if (entry !== undefined) scores[items[i]!.no] = entry;
    });
    const components = new Map(comps.map((c, i) => [c.name, cs[i]!] as const));
    const ballots = new Map(leaves.map((p, i) => [p.name, bs[i]!] as const));
    const result: ResultData = {
      checklist: cl.id, subject: '云岭市测试区政务服务中心', assessed: '2024-12-05', assessors: ['周文涛', '杨丽华'], scores,
      ...(comps.length ? { components: Object.fromEntries(components) } : {}),
      ...(leaves.length ? { parts: Object.fromEntries([...ballots].map(([k, m]) => [k, Object.fromEntries(m)])) } : {}),
    };
    return { entries, components, ballots, result };
  });
}

/** Fills a copy of the exported workbook the way an assessor would, through exceljs. */
async function fill(bytes: Buffer, layout: WorkbookLayout, f: Filling, finding?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(layout.sheet)!;
  ws.getCell(layout.subject).value = f.result.subject;
  ws.getCell(layout.assessed).value = new Date(`${f.result.assessed}T00:00:00Z`);
  ws.getCell(layout.assessors).value = f.result.assessors!.join('、');
  for (const [no, cell] of f.entries) {
    const at = layout.items.get(no)!;
    ws.getCell(at.input).value = cell.input;
    if (cell.level !== undefined) ws.getCell(at.level!).value = cell.level;
  }
  for (const [name, v] of f.components) ws.getCell(layout.components.get(name)!).value = v;
  for (const [name, byLabel] of f.ballots) for (const [label, n] of byLabel) if (n > 0) ws.getCell(layout.ballots.get(name)!.get(label)!).value = n;
  if (finding) ws.getCell([...layout.items.values()][0]!.finding).value = finding;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readBack(file: string, cl: ChecklistData): Promise<ResultData | undefined> {
  const diags = new Diagnostics();
  const wb = await readWorkbook(file, path.basename(file), diags);
  const r = wb && resultFromWorkbook(wb, cl, diags);
  expect(diags.list).toEqual([]);
  return r?.result;
}

describe('checklists as fillable workbooks (issue 18)', () => {
  it('protects the sheet and unlocks only the inputs, with validation and live formulas', async () => {
    const { bytes, layout } = books.get('five-star-center')!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('考评表')!;
    expect(ws.getCell('A1').value).toBe('眉山市创建“五星级”政务服务中心考评标准');
    const three = layout.items.get(3)!;
    expect(ws.getCell(three.input).protection?.locked).toBe(false);
    expect(ws.getCell(three.input).dataValidation).toMatchObject({ type: 'list', formulae: ['"一级达标,二级达标,三级达标"'] });
    expect(ws.getCell(three.score).protection?.locked).not.toBe(false);
    expect((ws.getCell(three.score).value as { formula: string }).formula).toContain('"二级达标",3');
    const one = layout.items.get(1)!;
    expect(ws.getCell(one.input).dataValidation).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, 1] });
    expect((ws.getCell(layout.total).value as { formula: string }).formula).toMatch(/^ROUND\(/);
    expect((ws.getCell(layout.rating).value as { formula: string }).formula).toContain('"五星级"');
    // the sheet is protected, and 类别 is one merged cell per section
    expect((ws as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
    expect(ws.getCell(one.input.replace(/[A-Z]+/, 'A')).isMerged).toBe(true);
    expect(ws.pageSetup.printTitlesRow).toBe('5:5');
    expect(wb.getWorksheet('normkit')!.state).toBe('veryHidden');
  });

  it('a filled workbook scores exactly as the same scores in YAML (random fillings)', async () => {
    for (const id of ['five-star-center', 'township-staff-appraisal', 'township-dual-appraisal']) {
      const cl = project.checklists.find((c) => c.id === id)!;
      const { bytes, layout } = books.get(id)!;
      await fc.assert(fc.asyncProperty(filling(cl), async (f) => {
        const file = path.join(dir, `${id}-prop.xlsx`);
        await writeFile(file, await fill(bytes, layout, f));
        const back = await readBack(file, cl);
        const a = scoreResult(cl, back!), b = scoreResult(cl, f.result);
        expect([a.total, a.rating, a.vetoes, a.sections.map((s) => s.score)]).toEqual([b.total, b.rating, b.vetoes, b.sections.map((s) => s.score)]);
      }), { numRuns: 20, seed: 18 });
    }
  });

  it('normkit score and import result read a filled workbook; a blank score is reported at its cell', async () => {
    const cl = project.checklists.find((c) => c.id === 'five-star-center')!;
    const { bytes, layout } = books.get('five-star-center')!;
    const f = fc.sample(filling(cl), { numRuns: 1, seed: 7 })[0]!;
    const file = path.join(dir, 'filled.xlsx');
    await writeFile(file, await fill(bytes, layout, f, '窗口台面有杂物两处'));
    const scored = await cli('score', file, '--json', '--project', SAMPLE);
    expect(scored.err).toBe('');
    expect(scored.code).toBe(0);
    expect(JSON.parse(scored.out).total).toBe(scoreResult(cl, f.result).total / 100);

    const out = path.join(dir, 'result.yaml');
    const imported = await cli('import', 'result', file, '--project', SAMPLE, '--out', out);
    expect(imported.code).toBe(0);
    const yaml = await readFile(out, 'utf8');
    expect(yaml).toContain('subject: 云岭市测试区政务服务中心');
    expect(yaml).toContain('# 考评发现：窗口台面有杂物两处');
    expect(yaml).toMatch(/^  3: \{ level: /m);
    const again = await cli('score', out, '--json', '--project', SAMPLE);
    expect(JSON.parse(again.out).total).toBe(JSON.parse(scored.out).total);

    const partial = { ...f, entries: new Map([...f.entries].filter(([no]) => no !== 17)) };
    await writeFile(file, await fill(bytes, layout, partial));
    const blank = await cli('score', file, '--project', SAMPLE);
    expect(blank.code).toBe(1);
    expect(blank.err).toContain(`filled.xlsx:考评表!${layout.items.get(17)!.input}`);
    expect(blank.err).toContain('第 17 项未评分');
    expect(blank.err).toContain('result-missing-value');

    // rows moved in a copy: the 序号 no longer matches, so nothing is misread
    const moved = new ExcelJS.Workbook();
    await moved.xlsx.load((await fill(bytes, layout, f)) as unknown as ArrayBuffer);
    const ws = moved.getWorksheet('考评表')!;
    ws.getCell(layout.items.get(2)!.input.replace(/[A-Z]+/, 'B')).value = 99;
    await moved.xlsx.writeFile(file);
    const m = await cli('score', file, '--project', SAMPLE);
    expect(m.code).toBe(1);
    expect(m.err).toContain('第 2 项不在它导出时的行上');
  });

  it('checklist export writes every checklist of the sample, the weighted one too', async () => {
    const out = path.join(dir, 'export');
    const r = await cli('checklist', 'export', '--project', SAMPLE, '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).toContain('已写出 4 份可填写的考评表工作簿');
    expect(existsSync(path.join(out, 'township-dual-appraisal.xlsx'))).toBe(true);
    expect((await cli('checklist', 'export', '--project', SAMPLE, '--out', out)).code).toBe(2);
  });

  describe.skipIf(NO_OFFICE)('LibreOffice (skipped only outside CI when /usr/bin/soffice is missing)', () => {
    it('opens every workbook headless, recalculates the formulas to normkit score’s totals, and converts to PDF', { timeout: 180_000 }, async () => {
      const inDir = path.join(dir, 'lo-in'), outDir = path.join(dir, 'lo-out');
      await mkdir(inDir, { recursive: true });
      const expected = new Map<string, { total: number; rating: string | null; layout: WorkbookLayout; cl: ChecklistData }>();
      for (const [id, { bytes, layout }] of books) {
        const cl = project.checklists.find((c) => c.id === id)!;
        const f = fc.sample(filling(cl), { numRuns: 1, seed: id.length })[0]!;
        await writeFile(path.join(inDir, `${id}.xlsx`), await fill(bytes, layout, f));
        const scored = JSON.parse((await cli('score', path.join(inDir, `${id}.xlsx`), '--json', '--project', SAMPLE)).out);
        expected.set(id, { total: scored.total, rating: scored.rating, layout, cl });
      }
      const files = [...books.keys()].map((id) => path.join(inDir, `${id}.xlsx`));
      const profile = `file://${path.join(dir, 'lo-profile')}`;
      execFileSync(SOFFICE, ['--headless', `-env:UserInstallation=${profile}`, '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', outDir, ...files], { stdio: 'pipe', timeout: 150_000 });
      execFileSync(SOFFICE, ['--headless', `-env:UserInstallation=${profile}`, '--convert-to', 'pdf', '--outdir', outDir, files[0]!], { stdio: 'pipe', timeout: 150_000 });
      for (const [id, e] of expected) {
        // the cached results LibreOffice computed and saved
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(path.join(outDir, `${id}.xlsx`));
        const ws = wb.getWorksheet('考评表')!;
        const total = ws.getCell(e.layout.total).value as { result?: number };
        expect(typeof total.result, `${id}: LibreOffice computed no total`).toBe('number');
        expect(Math.round(total.result! * 100) / 100, id).toBe(e.total);
        const rating = (ws.getCell(e.layout.rating).value as { result?: string }).result;
        expect(rating, id).toBe(e.rating ?? rating);
        if (e.rating === null) expect(rating).toMatch(e.cl.ratings?.length ? /一票否决|未达到/ : /^(不设等次|一票否决（列为最差）)$/);
        // and the copy LibreOffice saved still reads back to the same score
        const back = await readBack(path.join(outDir, `${id}.xlsx`), e.cl);
        expect(scoreResult(e.cl, back!).total / 100, id).toBe(e.total);
      }
      const pdf = execFileSync('pdftotext', ['-layout', path.join(outDir, 'five-star-center.pdf'), '-']).toString();
      expect(pdf).toContain('政务服务中心考评标准');
      expect(pdf).toContain('考评意见');
    });
  });
});

describe('build --format xlsx', () => {
  it('writes every checklist of the sample as the same fillable workbook `checklist export` writes, and lists it in the manifest', async () => {
    const out = path.join(dir, 'build-xlsx');
    const r = await cli('build', SAMPLE, '--out', out, '--format', 'xlsx', '--only', 'checklists');
    expect(r.code, r.err).toBe(0);
    const manifest = await readFile(path.join(out, 'normkit-build.json'), 'utf8');
    for (const cl of project.checklists) {
      const file = `xlsx/checklists/${cl.slug}.xlsx`;
      expect(manifest).toContain(`"${file}"`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await readFile(path.join(out, file)));
      const sheet = wb.worksheets.find((s) => s.state === 'visible')!;
      const cells: string[] = [];
      sheet.eachRow((row) => row.eachCell((c) => { if (typeof c.value === 'string') cells.push(c.value); }));
      expect(cells.join('\n')).toContain(cl.title);
      expect(sheet.sheetProtection).toBeTruthy();
    }
    // nothing else: the other formats are not built
    await expect(readFile(path.join(out, `pdf/checklists/${project.checklists[0]!.slug}.pdf`))).rejects.toThrow();
  });
});
