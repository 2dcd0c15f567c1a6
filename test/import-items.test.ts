import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkProject } from '../src/check/check-project.js';
import { KEY_ORDER } from '../src/format/key-order.js';
import { formatYaml } from '../src/format/yaml-format.js';
import { splitBasis, splitList } from '../src/import/cells.js';
import { loadProject } from '../src/load/project-loader.js';
import { resolveProject } from '../src/model/project.js';
import { guideView } from '../src/views/guide-view.js';
import { cli, listFiles, REPO, SAMPLE, tempDir } from './helpers.js';
import { DEPARTMENTS, platformCsv, platformExport } from './platform-export.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

/** A project with one known department (样例县交通运输局 → jtys) and no items. */
async function emptyProject(name: string): Promise<string> {
  const p = path.join(dir, name);
  await mkdir(p, { recursive: true });
  await cp(path.join(REPO, 'test/fixtures/items/gbt39046/project.yaml'), path.join(p, 'project.yaml'));
  return p;
}

async function itemFiles(p: string): Promise<Map<string, string>> {
  const files = (await listFiles(path.join(p, 'items'))).sort();
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(p, 'items', f), 'utf8')] as const)));
}

async function itemByName(p: string, name: string): Promise<Record<string, unknown>> {
  for (const text of (await itemFiles(p)).values()) {
    const d = parse(text) as Record<string, unknown>;
    if (d.name === name) return d;
  }
  throw new Error(`no item ${name}`);
}

describe('cell lists', () => {
  it('splits numbered lists of every style and keeps sub-numbering inside an entry', () => {
    expect(splitList('1.有车辆：（1）技术合格；（2）尺寸合规；\n2.有驾驶员\n3.有制度。')).toEqual(['有车辆：（1）技术合格；（2）尺寸合规', '有驾驶员', '有制度。']);
    expect(splitList('（1）甲；（2）乙；（3）丙。')).toEqual(['甲', '乙', '丙。']);
    expect(splitList('①甲；②乙')).toEqual(['甲', '乙']);
    expect(splitList('１．甲\n２．乙')).toEqual(['甲', '乙']);
    expect(splitList('不超过1.5米的设施')).toEqual(['不超过1.5米的设施']);
    expect(splitBasis('《甲法》第一条　……（一）……；（二）……\n《乙条例》第二条　……')).toEqual(['《甲法》第一条　……（一）……；（二）……', '《乙条例》第二条　……']);
  });
});

describe('normkit import items (issue 18)', () => {
  it('imports a messy platform export: values land in the right fields, broken rows are reported by cell', async () => {
    const p = await emptyProject('messy');
    const { bytes, rows, brokenRows } = await platformExport({ items: 24, broken: true });
    const file = path.join(dir, 'export.xlsx');
    await writeFile(file, bytes);
    const r = await cli('import', 'items', file, '--into', p);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`新建 ${rows.length} 项，更新 0 项，未变 0 项，拒绝 5 项`);
    const at = (rule: string, cell: string): void => {
      const line = r.err.split('\n').find((l) => l.includes(`export.xlsx:${cell}`) && l.includes(rule));
      expect(line, `${rule} at ${cell}\n${r.err}`).toBeDefined();
    };
    at('import-bad-code', `事项目录!E${brokenRows.get('type')}`);
    at('import-bad-number', `事项目录!J${brokenRows.get('legal')}`);
    at('import-missing-value', `事项目录!B${brokenRows.get('name')}`);
    at('import-bad-flag', `事项目录!S${brokenRows.get('fee')}`);
    at('import-duplicate-item', `事项目录!D${brokenRows.get('duplicate')}`);
    at('import-orphan-material', `申请材料!A${brokenRows.get('orphan')}`);
    // the columns nobody maps: kept in platform (items sheet) or reported (materials sheet), never silently dropped
    at('import-unknown-column', '事项目录!AL2');
    at('import-unknown-column', '事项目录!AM2');
    at('import-unknown-column', '申请材料!I1');
    at('import-ignored-column', '事项目录!A2');
    expect(r.err).toContain('已新建部门 dept-2');
    expect(r.err).toMatch(/请填“是”或“否”/);

    const road = await itemByName(p, '道路货物运输经营许可');
    expect(road).toMatchObject({
      code: rows[0]!.implementation, implementation_code: rows[0]!.implementation, base_code: '000116015001', type: '行政许可', level: '县级',
      department: 'jtys', implementer: { name: '样例县交通运输局', credit_code: '11513400MB0000000X' },
      time_limit: { legal_days: 20, promised_days: 10, unit: '自然日', legal_note: '依法需要听证、检验、检测、鉴定和专家评审的，所需时间不计算在内' },
      fee: { charged: false }, service_objects: ['企业法人', '自然人'], channels: ['窗口办理', '电脑端网上办理'],
      phone: '0834-6000100', supervision_phone: '0834-12345', online: { handled: true, appointment: true, payment: false, delivery: true },
      co_departments: ['样例县公安局'], cross_region: '全市', visits: 0, platform: { 权力来源: '法定本级行使', 内部备注: '2024年清理保留' },
    });
    const basis = road.basis as string[];
    expect(basis).toHaveLength(3);
    expect(basis[0]).toMatch(/^《中华人民共和国道路运输条例》第二十一条　申请从事货运经营的.*（三）有健全的安全生产管理制度。$/);
    expect(basis[2]).toMatch(/^《道路货物运输及站场管理规定》（交通运输部令2023年第12号）第十二条/);
    expect(road.conditions as string[]).toHaveLength(3);
    expect((road.conditions as string[])[0]).toContain('（2）车辆外廓尺寸');
    expect((road.process as { step: string }[]).map((s) => s.step)).toEqual(['申请', '受理', '审查', '决定', '送达']);
    const mats = road.materials as Record<string, unknown>[];
    expect(mats).toHaveLength(15);
    expect(mats[3]).toEqual({ name: '机动车驾驶证', originals: 1, photocopies: 2, source: '公安机关交通管理部门', filling_guide: '驾驶证须在有效期内' });
    expect(mats[2]).toMatchObject({ required: false, note: '委托他人办理时提供' });
    expect(road.faq).toEqual([
      { q: '个体工商户可以申请吗？', a: '可以，个体工商户与企业适用同样的条件。' },
      { q: '车辆是挂靠的可以吗？', a: '不可以，申请人应当拥有车辆的所有权或合法的使用权。' },
    ]);
    // in-cell materials, a type given by code only, and the merged 实施机构 cell reaching every row of its group
    const food = await itemByName(p, '食品经营许可（新办）');
    expect(food.materials).toEqual([{ name: '营业执照', photocopies: 1 }, { name: '食品经营许可申请书', originals: 1 }, { name: '法定代表人身份证明', originals: 1, photocopies: 1 }]);
    expect(food.time_limit).toEqual({ legal_days: 10, promised_days: 5, promised_note: '自受理之日起计算' });
    expect((await itemByName(p, '医疗机构执业登记（诊所除外）')).type).toBe('行政确认');
    const dept2 = rows.filter((x) => x.department === DEPARTMENTS[1]);
    for (const x of dept2) expect((await itemByName(p, x.name)).department).toBe('dept-2');
    expect(parse(await readFile(path.join(p, 'project.yaml'), 'utf8')).departments.map((d: { id: string }) => d.id)).toEqual(['jtys', 'dept-2', 'dept-3', 'dept-4']);

    // the imported project validates, and its guide shows what came from the sheet
    const loaded = await loadProject(p);
    const ctx = checkProject(loaded);
    expect(loaded.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    const model = resolveProject(ctx, loaded.root);
    const g = guideView(model, model.items.find((i) => i.name === '道路货物运输经营许可')!);
    const matRows = g.sections.find((s) => s.kind === 'materials');
    expect(matRows && 'rows' in matRows ? matRows.rows!.length : 0).toBe(15);
    const built = await cli('build', p, '--format', 'html', '--only', 'guides', '--quiet');
    expect(built.code).toBe(0);
    const html = await readFile(path.join(p, 'out/html/guides', `${rows[0]!.implementation}.html`), 'utf8');
    expect(html).toContain('卫星定位装置安装证明');
    expect(html).toContain('交通运输部令2023年第12号');
  });

  it('several hundred items in two sheets import into a project that validates; the broken rows are the refused ones', async () => {
    const p = await emptyProject('county');
    const { bytes, rows } = await platformExport({ items: 320, broken: true });
    const file = path.join(dir, 'county.xlsx');
    await writeFile(file, bytes);
    const r = await cli('import', 'items', file, '--into', p);
    expect(r.out).toContain(`新建 ${rows.length} 项，更新 0 项，未变 0 项，拒绝 5 项`);
    expect(r.err.match(/  error  /g)).toHaveLength(6);
    const v = await cli('validate', p);
    expect(v.code).toBe(0);
    expect((await itemFiles(p)).size).toBe(rows.length);
  });

  it('re-import changes nothing, keeps hand edits and comments, and updates only what the sheet changed', async () => {
    const p = await emptyProject('again');
    const { bytes } = await platformExport({ items: 8 });
    const file = path.join(dir, 'again.xlsx');
    await writeFile(file, bytes);
    expect((await cli('import', 'items', file, '--into', p)).code).toBe(0);
    const before = await itemFiles(p);
    const second = await cli('import', 'items', file, '--into', p);
    expect(second.out).toContain('新建 0 项，更新 0 项，未变 8 项，拒绝 0 项');
    expect(await itemFiles(p)).toEqual(before);

    const [rel, text] = [...before].find(([, t]) => t.includes('name: 道路货物运输经营许可\n'))!;
    const edited = `# 窗口复核：2025-06-03 王某\n${text.replace('result: 道路运输经营许可证', 'result: 道路运输经营许可证 # 证照目录名称\ncommitment: 材料齐全的当场受理，10个自然日内办结。')}poster:\n  basis: [《中华人民共和国道路运输条例》第二十四条]\n`;
    await writeFile(path.join(p, 'items', rel), edited);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    wb.getWorksheet('事项目录')!.getCell('M3').value = 8; // 承诺时限 of the first item
    await wb.xlsx.writeFile(file);
    const third = await cli('import', 'items', file, '--into', p);
    expect(third.out).toContain('新建 0 项，更新 1 项，未变 7 项');
    const after = await readFile(path.join(p, 'items', rel), 'utf8');
    // only the changed cell's line differs from the hand-edited file (in fmt's key order)
    expect(after).toBe(formatYaml(edited.replace('promised_days: 10', 'promised_days: 8'), KEY_ORDER.item));
    expect(after).toContain('# 窗口复核：2025-06-03 王某\n');
    expect(after).toContain('result: 道路运输经营许可证 # 证照目录名称\n');
  });

  it('export → import is a no-op on the sample project, and into an empty project gives the same items', async () => {
    const p = path.join(dir, 'sample');
    await cp(SAMPLE, p, { recursive: true });
    const file = path.join(dir, 'sample-export.xlsx');
    expect((await cli('export', 'items', '--xlsx', '--project', p, '--out', file)).code).toBe(0);
    const before = await itemFiles(p);
    const r = await cli('import', 'items', file, '--into', p);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`新建 0 项，更新 0 项，未变 ${before.size} 项，拒绝 0 项`);
    expect(await itemFiles(p)).toEqual(before);

    const q = path.join(dir, 'sample-empty');
    await cp(SAMPLE, q, { recursive: true, filter: (src) => !src.includes(`${path.sep}items`) });
    expect((await cli('import', 'items', file, '--into', q)).code).toBe(0);
    // the sheet has no column for a step's days, and cannot tell copies: 1 or required: true from their absence
    const sheetless = (d: Record<string, unknown>): Record<string, unknown> => ({
      ...d,
      process: (d.process as Record<string, unknown>[]).map(({ days: _, ...s }) => s),
      materials: (d.materials as Record<string, unknown>[]).map((m) => Object.fromEntries(Object.entries(m).filter(([k, v]) => !(k === 'copies' && v === 1) && !(k === 'required' && v === true)))),
    });
    const want = [...before.values()].map((t) => sheetless(parse(t))).sort((a, b) => (a.code < b.code ? -1 : 1));
    const got = [...(await itemFiles(q)).values()].map((t) => sheetless(parse(t))).sort((a, b) => (a.code < b.code ? -1 : 1));
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(isDeepStrictEqual(got[i], want[i]), `${want[i].code}\n${JSON.stringify(got[i])}\n${JSON.stringify(want[i])}`).toBe(true);
  });

  it('reads the same rows from CSV (GB18030), prints the detected map, and takes a map for other headers', async () => {
    const { bytes, rows } = await platformExport({ items: 8 });
    const csv = await platformCsv(bytes);
    const file = path.join(dir, 'export.csv');
    await writeFile(file, gb18030(csv));
    const p = await emptyProject('csv');
    const r = await cli('import', 'items', file, '--into', p);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`新建 ${rows.length} 项`);
    expect(await itemByName(p, '道路货物运输经营许可')).toMatchObject({ time_limit: { legal_days: 20 }, department: 'jtys', base_code: '000116015001' });
    expect(((await itemByName(p, '道路货物运输经营许可')).materials as unknown[])[3]).toEqual({ name: '机动车驾驶证', originals: 1, photocopies: 2 });

    const printed = await cli('import', 'items', file, '--print-map');
    expect(printed.code).toBe(0);
    const map = parse(printed.out);
    expect(map.columns).toMatchObject({ 实施机构: 'implementer', 法定时限: 'legal_days', '*设定依据': 'basis', 审批结果名称: 'result', 权力来源: 'platform', 序号: 'ignore' });

    map.columns['内部备注'] = 'ignore';
    map.columns['权力来源'] = 'commitment';
    const mapFile = path.join(dir, 'map.yaml');
    await writeFile(mapFile, JSON.stringify(map));
    const p2 = await emptyProject('mapped');
    const m = await cli('import', 'items', file, '--into', p2, '--map', mapFile);
    expect(m.code).toBe(0);
    expect(m.err).not.toContain('内部备注');
    const road = await itemByName(p2, '道路货物运输经营许可');
    expect(road.commitment).toBe('法定本级行使');
    expect(road.platform).toBeUndefined();

    await writeFile(mapFile, 'columns:\n  事项名称: nmae\n');
    const bad = await cli('import', 'items', file, '--into', p2, '--map', mapFile);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('字段“nmae”不存在');
  });

  it.skipIf(!existsSync('/usr/bin/soffice') && !process.env.CI)('LibreOffice opens the items export, and the copy it saves imports as a no-op (skipped outside CI only without soffice)', { timeout: 180_000 }, async () => {
    const p = path.join(dir, 'sample-lo');
    await cp(SAMPLE, p, { recursive: true });
    const file = path.join(dir, 'lo-items', 'items.xlsx');
    await mkdir(path.dirname(file), { recursive: true });
    expect((await cli('export', 'items', '--xlsx', '--project', p, '--out', file)).code).toBe(0);
    const outDir = path.join(dir, 'lo-items-out');
    const profile = `file://${path.join(dir, 'lo-profile-items')}`;
    execFileSync('/usr/bin/soffice', ['--headless', `-env:UserInstallation=${profile}`, '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', outDir, file], { stdio: 'pipe', timeout: 150_000 });
    execFileSync('/usr/bin/soffice', ['--headless', `-env:UserInstallation=${profile}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', outDir, file], { stdio: 'pipe', timeout: 150_000 });
    const csv = await readFile(path.join(outDir, 'items.csv'), 'utf8');
    expect(csv.split('\n')[0]).toContain('事项编码,事项名称,基本编码,实施编码,事项类型,设定依据');
    expect(csv).toContain('530100-GF-0001');
    const before = await itemFiles(p);
    const r = await cli('import', 'items', path.join(outDir, 'items.xlsx'), '--into', p);
    expect(r.err).toBe('');
    expect(r.out).toContain(`未变 ${before.size} 项`);
    expect(await itemFiles(p)).toEqual(before);
  });

  it('a file that is no spreadsheet or has no item sheet is an input problem, not a crash', async () => {
    const p = await emptyProject('bad');
    const junk = path.join(dir, 'junk.xlsx');
    await writeFile(junk, 'not a zip');
    const a = await cli('import', 'items', junk, '--into', p);
    expect(a.code).toBe(1);
    expect(a.err).toContain('sheet-unreadable');
    const csv = path.join(dir, 'other.csv');
    await writeFile(csv, '姓名,电话\n张三,123\n');
    const b = await cli('import', 'items', csv, '--into', p);
    expect(b.code).toBe(1);
    expect(b.err).toContain('import-no-items-sheet');
    expect(await readdir(p)).toEqual(['project.yaml']);
  });
});

/** GB18030 bytes of a text, as older Excel saves CSV on a Chinese Windows (Node decodes GB18030 but has no encoder). */
function gb18030(text: string): Uint8Array {
  const dec = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (!table.has(ch)) table.set(ch, [a, b]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) out.push(code);
    else if (table.has(ch)) out.push(...table.get(ch)!);
    else throw new Error(`no GB18030 two-byte code for ${ch}`);
  }
  return new Uint8Array(out);
}
