/** 规范性引用文件: titles, cited-but-unlisted and listed-but-uncited documents (GB/T 1.1, 8.5). */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempCopy } from './helpers.js';
import { loadProject } from '../src/load/project-loader.js';
import { checkProject } from '../src/check/check-project.js';
import { resolveProject } from '../src/model/project.js';
import { blockText } from '../src/model/clauses.js';
import { standardView } from '../src/views/standard-view.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const STD = 'catalog/provision/2001-2024-first-inquiry.md';

interface Row { file: string; line: number; column: number; severity: string; rule: string; message: string }

async function validate(edit: (text: string) => string): Promise<{ code: number; rows: Row[] }> {
  const { dir, cleanup } = await tempCopy(MINIMAL);
  try {
    const file = path.join(dir, STD);
    await writeFile(file, edit(await readFile(file, 'utf8')));
    const r = await cli('validate', dir, '--format', 'json');
    return { code: r.code, rows: JSON.parse(r.out) as Row[] };
  } finally {
    await cleanup();
  }
}

const rule = (rows: Row[], id: string): Row[] => rows.filter((r) => r.rule === id);

describe('references', () => {
  it('the minimal project, with a titled and cited reference, has no reference warnings', async () => {
    const { code, rows } = await validate((t) => t);
    expect(code).toBe(0);
    expect(rows.filter((r) => r.rule.startsWith('reference-'))).toEqual([]);
  });

  it('warns on a reference written as a bare number, at its line', async () => {
    const { code, rows } = await validate((t) => t.replace(/  - code: (GB\/T 32169\.3—2015)\n    title: .*\n/, '  - $1\n'));
    expect(code).toBe(0);
    const [w] = rule(rows, 'reference-untitled');
    expect(w).toMatchObject({ file: STD, line: 10, column: 5, severity: 'warning' });
    expect(w!.message).toContain('title');
  });

  it('warns on a standard cited in the text but not listed, at the citation', async () => {
    const { rows } = await validate((t) => t.replace('认真回答询问。', '认真回答询问，并按GB/T 36112—2018做好现场管理。'));
    const w = rule(rows, 'reference-not-listed');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toContain('GB/T 36112—2018');
    expect(w[0]!.column).toBeGreaterThan(1);
  });

  it('does not count a citation inside 注 as normative', async () => {
    const { rows } = await validate((t) => `${t}\n注：现场管理可参考GB/T 36112—2018。\n`);
    expect(rule(rows, 'reference-not-listed')).toEqual([]);
  });

  it('accepts an undated citation of a dated reference', async () => {
    const { rows } = await validate((t) => t.replace('符合GB/T 32169.3—2015的规定', '符合GB/T 32169.3的规定'));
    expect(rule(rows, 'reference-not-cited')).toEqual([]);
  });

  it('warns on a listed reference the text never cites', async () => {
    const { rows } = await validate((t) => t.replace('\n窗口服务应符合GB/T 32169.3—2015的规定。\n', ''));
    const [w] = rule(rows, 'reference-not-cited');
    expect(w).toMatchObject({ file: STD, line: 10, column: 5 });
  });

  it('rejects a reference object without a code', async () => {
    const { code } = await validate((t) => t.replace('  - code: GB/T 32169.3—2015\n', '  - \n'));
    expect(code).toBe(1);
  });

  it('lists each reference as 编号　名称 in chapter 2', async () => {
    const loaded = await loadProject(MINIMAL);
    const project = resolveProject(checkProject(loaded), loaded.root);
    const view = standardView(project, project.standards[0]!);
    const ch2 = view.clauses.find((b) => b.kind === 'clause' && b.special === 'references')!;
    expect(blockText(ch2)).toContain('GB/T 32169.3—2015　政务服务中心运行规范　第3部分：窗口服务提供要求');
  });
});
