/** GB/T 1.1 附录 C verb forms: substitutes for 应/不应, and requirements inside 注 and 示例. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempCopy } from './helpers.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const STD = 'catalog/provision/2001-2024-first-inquiry.md';
interface Row { rule: string; line: number; column: number; message: string }

async function warnings(body: string): Promise<Row[]> {
  const { dir, cleanup } = await tempCopy(MINIMAL);
  try {
    const file = path.join(dir, STD);
    await writeFile(file, (await readFile(file, 'utf8')).replace('首问责任人应热情接待服务对象，认真回答询问。', body));
    const r = await cli('validate', dir, '--format', 'json');
    expect(r.code).toBe(0);
    return (JSON.parse(r.out) as Row[]).filter((d) => d.rule === 'verb-form' || d.rule === 'provision-in-note');
  } finally {
    await cleanup();
  }
}

describe('verb forms (GB/T 1.1 附录 C)', () => {
  it.each([
    ['严禁', '不应'], ['须', '应'], ['务必', '应'], ['不准', '不应'], ['要', '应'], ['禁止', '不应'], ['不可', '不应'], ['必须', '应'], ['不得', '不应'],
  ])('“%s” is reported with “%s” as the correct form, at the word', async (word, use) => {
    const rows = await warnings(`窗口人员${word}推诿服务对象。`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rule: 'verb-form', column: 5 });
    expect(rows[0]!.message).toContain(`改为“${use}”`);
  });

  it('leaves common words alone: 要求, 主要, 需要, 必要, 无须, 不准许, 禁止行为, a quoted “禁止”', async () => {
    expect(await warnings('窗口人员应按要求做好主要工作，需要时提供必要帮助，无须重复提交。不准许偏差。条款中不使用“禁止”。')).toEqual([]);
  });

  it('leaves a quoted name alone (the “禁止吸烟” sign, a column called “应到未到”), and still flags the text around it', async () => {
    expect(await warnings('大厅应按GB 2894—2008设置“禁止吸烟”等安全标志。\n\n注：表中“应到未到”一栏记录缺勤人数。')).toEqual([]);
    const rows = await warnings('大厅设置“禁止吸烟”标志，严禁吸烟。');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rule: 'verb-form', column: 14 });
  });

  it('flags a requirement inside 注 and 示例', async () => {
    const rows = await warnings('首问责任人应热情接待服务对象。\n\n注：窗口人员应主动问候。\n\n示例：受理人不应推诿。');
    expect(rows.map((r) => r.rule)).toEqual(['provision-in-note', 'provision-in-note']);
    expect(rows[0]!.column).toBe(7);
  });

  it('does not flag 应 in the text of a note that only explains', async () => {
    expect(await warnings('首问责任人应热情接待服务对象。\n\n注：首问责任人通常是最先接待的窗口人员。')).toEqual([]);
  });
});
