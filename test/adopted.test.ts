/** 有标采标 and planned standards in project.yaml: checked with their place, counted in the catalog (GB/T 13017). */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempCopy } from './helpers.js';
import { loadProject } from '../src/load/project-loader.js';
import { checkProject } from '../src/check/check-project.js';
import { resolveProject } from '../src/model/project.js';
import { catalogView, levelOfNumber } from '../src/views/catalog-view.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');

interface Row { file: string; line: number; column: number; severity: string; rule: string; message: string }

const ADOPTED = `
adopted:
  - code: GB/T 32169.3—2015
    title: 政务服务中心运行规范　第3部分：窗口服务提供要求
    level: 国家
    system: provision
    category: quality
  - code: DB51/T 2886-2022
    title: 乡镇（街道）便民服务中心建设与运行规范
    level: 地方
    adoption: 参照采用
    system: provision
    category: management
planned:
  - title: 政务服务数据安全管理规范
    system: support
    category: management
`;

async function withProject<T>(extra: string, run: (dir: string) => Promise<T>): Promise<T> {
  const { dir, cleanup } = await tempCopy(MINIMAL);
  try {
    const file = path.join(dir, 'project.yaml');
    await writeFile(file, (await readFile(file, 'utf8')) + extra);
    return await run(dir);
  } finally {
    await cleanup();
  }
}

async function validate(extra: string): Promise<{ code: number; rows: Row[] }> {
  return withProject(extra, async (dir) => {
    const r = await cli('validate', dir, '--format', 'json');
    return { code: r.code, rows: JSON.parse(r.out) as Row[] };
  });
}

describe('adopted and planned standards', () => {
  it('a well-formed list validates and is counted: 现有数, 应有数 and the ratio', async () => {
    const { code, rows } = await validate(ADOPTED);
    expect(rows.filter((r) => r.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
    await withProject(ADOPTED, async (dir) => {
      const loaded = await loadProject(dir);
      const project = resolveProject(checkProject(loaded), loaded.root);
      expect(project.adopted.map((a) => a.code)).toEqual(['GB/T 32169.3—2015', 'DB51/T 2886—2022']); // hyphen normalized
      expect(project.adopted[0]!.adoption).toBe('直接采用');
      const view = catalogView(project);
      // one own current standard + two adopted = 3 现有; + one planned = 4 应有
      expect(view.stats.expected.total).toEqual({ label: '共计', expected: 4, existing: 3, ratio: '75.0%' });
      expect(view.stats.expected.byLevel.map((r) => [r.label, r.expected, r.existing])).toEqual([
        ['国家标准', 1, 1], ['行业标准', 0, 0], ['地方标准', 1, 1], ['团体标准', 0, 0], ['企业标准', 2, 1],
      ]);
      const rows = view.groups.flatMap((g) => g.categories.flatMap((c) => c.rows));
      const adopted = rows.find((r) => r.code === 'DB51/T 2886—2022')!;
      expect(adopted).toMatchObject({ kind: 'adopted', level: '地方标准', adoption: '参照采用', slug: '' });
      // table numbers continue after the sub-system's own standards
      expect(rows.filter((r) => r.tableNo.startsWith('2')).map((r) => r.tableNo)).toEqual(['201', '202', '203']);
      expect(rows.find((r) => r.kind === 'planned')).toMatchObject({ title: '政务服务数据安全管理规范', statusName: '待制定', tableNo: '301' });
      expect(view.adoptedCount).toBe(2);
    });
  });

  it('reports an own standard, a repeated or malformed number and an unknown system, each at its line', async () => {
    const { code, rows } = await validate(`
adopted:
  - { code: Q/CSZW 2001—2024, title: 首问负责, level: 团体, system: provision, category: quality }
  - { code: GB/T 1, title: 无年份, level: 国家, system: provision, category: quality }
  - { code: GB/T 39046—2020, title: 好差评, level: 国家, system: nowhere, category: evaluation }
  - { code: GB/T 39046-2020, title: 好差评, level: 国家, system: provision, category: evaluation }
planned:
  - { title: 待定, system: elsewhere, category: quality }
`);
    expect(code).toBe(1);
    const by = (rule: string): Row[] => rows.filter((r) => r.rule === rule);
    expect(by('adopted-own')).toMatchObject([{ file: 'project.yaml', line: 12 }]);
    expect(by('adopted-number')).toMatchObject([{ line: 13 }]);
    expect(by('adopted-duplicate')).toMatchObject([{ line: 15 }]);
    expect(by('unknown-system').map((r) => r.line)).toEqual([14, 17]);
    for (const r of rows.filter((x) => x.severity === 'error')) expect(r.message).toMatch(/。$/);
  });

  it('rejects an unknown level through the schema', async () => {
    const { code, rows } = await validate(`
adopted:
  - { code: GB/T 39046—2020, title: 好差评, level: 省级, system: provision, category: evaluation }
`);
    expect(code).toBe(1);
    expect(rows.some((r) => r.severity === 'error' && r.line === 12 && r.message.includes('省级'))).toBe(true);
  });

  it('an adopted current standard covers its category (有标采标 is not 缺标)', async () => {
    const before = await validate('');
    const after = await validate(ADOPTED);
    const uncovered = (rows: Row[]): string[] => rows.filter((r) => r.rule === 'category-uncovered').map((r) => r.message);
    expect(uncovered(before.rows).some((m) => m.includes('management'))).toBe(true);
    expect(uncovered(after.rows).some((m) => m.includes('management'))).toBe(false);
  });

  it('the own standards’ level comes from the number’s prefix', () => {
    expect(['Q/YLZW 1001—2024', 'DB53/T 1—2020', 'T/CAS 1—2020', 'GB/T 1.1—2020', 'MZ/T 1—2020'].map(levelOfNumber))
      .toEqual(['企业', '地方', '团体', '国家', '行业']);
  });
});
