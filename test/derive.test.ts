import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { clauseRef, deriveChecklist, derivedId, requirements } from '../src/checklist/derive.js';
import type { ChecklistData } from '../src/model/data.js';
import { FIXTURE, model } from './fixtures/checklists/fixture.js';
import { cli, SAMPLE, tempCopy } from './helpers.js';

describe('checklist derive', () => {
  it('draws one item per requirement sentence (应/不应), with its clause number', async () => {
    const project = await model(FIXTURE);
    const std = project.standardByCode.get('Q/CSZW 2001—2024')!;
    expect(requirements(std)).toEqual([
      { clause: '4.1', text: '首问责任人应热情接待服务对象，认真回答询问。' },
      { clause: '4.2', text: '首问责任人答复应准确、完整。' },
      { clause: '4.2', text: '不清楚的事项应查询核实后答复。' },
      // a requirement that introduces a list carries the list
      { clause: '5', text: '首问责任人不应有下列行为：拒绝接待；推诿扯皮。' },
    ]);
    // recommendations (宜), permissions (可以), notes and the terms chapter are not requirements
    const texts = requirements(std).map((r) => r.text).join('');
    expect(texts).not.toContain('宜主动引导');
    expect(texts).not.toContain('电话答复');
    expect(texts).not.toContain('保护个人信息');
    expect(texts).not.toContain('第一位被询问');
    expect(clauseRef('4.2')).toBe('第4.2条');
    expect(clauseRef('5')).toBe('第5章');
  });

  it('builds a pass/fail award checklist: 1 point an item, total = items, one section per standard', async () => {
    const project = await model(FIXTURE);
    const stds = ['Q/CSZW 2001—2024', 'Q/CSZW 2002—2024'].map((c) => project.standardByCode.get(c)!);
    const cl = deriveChecklist(stds);
    expect(cl.mode).toBe('award');
    expect(cl.id).toBe(derivedId(['Q/CSZW 2001—2024', 'Q/CSZW 2002—2024']));
    expect(cl.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cl.sections.map((s) => s.title)).toEqual(['Q/CSZW 2001—2024 首问负责服务规范', 'Q/CSZW 2002—2024 一次性告知服务规范']);
    const items = cl.sections.flatMap((s) => s.items);
    expect(cl.total).toBe(items.length);
    expect(items.map((i) => i.no)).toEqual(items.map((_, i) => i + 1));
    expect(items.every((i) => i.points === 1)).toBe(true);
    // 1 范围, 2 规范性引用文件 (supplied by the numbering), 3 要求
    expect(items.at(-1)).toMatchObject({ text: '材料不齐全的，窗口应一次性告知需要补正的全部内容。', standard: 'Q/CSZW 2002—2024', note: '第3章' });
  });

  it('writes a schema-valid checklist that validate and build accept, tracing to the clauses', async () => {
    const t = await tempCopy(FIXTURE);
    try {
      const out = path.join(t.dir, 'checklists', 'derived.yaml');
      const r = await cli('checklist', 'derive', 'Q/CSZW 2001-2024', 'Q/CSZW 2002—2024', '--project', t.dir, '--out', out);
      expect(r.err).toContain('已从 2 项标准生成 5 个考评项目');
      expect(r.code).toBe(0);
      const data = parse(await readFile(out, 'utf8')) as ChecklistData;
      expect(data.sections[0]!.items.map((i) => [i.standard, i.note])).toEqual([
        ['Q/CSZW 2001—2024', '第4.1条'], ['Q/CSZW 2001—2024', '第4.2条'], ['Q/CSZW 2001—2024', '第4.2条'], ['Q/CSZW 2001—2024', '第5章'],
      ]);
      // the project's own validation: schemas and cross-file rules (points add up to total, known standards)
      const v = await cli('validate', t.dir, '--format', 'json');
      const errors = (JSON.parse(v.out) as { severity: string; file: string }[]).filter((d) => d.severity === 'error');
      expect(errors).toEqual([]);
      expect(v.code).toBe(0);

      // refuses to overwrite without --force
      const mine = path.join(t.dir, '..', 'mine.yaml');
      await writeFile(mine, '# mine\n');
      const again = await cli('checklist', 'derive', 'Q/CSZW 2001—2024', '--project', t.dir, '--out', mine);
      expect(again.code).toBe(1);
      expect(again.err).toContain('--force');
      expect(await readFile(mine, 'utf8')).toBe('# mine\n');
      const forced = await cli('checklist', 'derive', 'Q/CSZW 2001—2024', '--project', t.dir, '--out', mine, '--force');
      expect(forced.code).toBe(0);
      expect(await readFile(mine, 'utf8')).toContain('id: derived-q-cszw-2001-2024');
    } finally {
      await t.cleanup();
    }
  });

  it('prints to stdout without --out, and the traced items appear in the traceability data', async () => {
    const r = await cli('checklist', 'derive', 'Q/CSZW 2002—2024', '--project', FIXTURE);
    expect(r.code).toBe(0);
    const data = parse(r.out) as ChecklistData;
    expect(data.total).toBe(1);
    expect(data.sections[0]!.items[0]).toEqual({ no: 1, text: '材料不齐全的，窗口应一次性告知需要补正的全部内容。', points: 1, standard: 'Q/CSZW 2002—2024', note: '第3章' });
  });

  it('derives from every current sample standard and the sample stays valid', async () => {
    const t = await tempCopy(SAMPLE);
    try {
      const project = await model(t.dir);
      const codes = project.standards.filter((s) => s.status === 'current').map((s) => s.code);
      const out = path.join(t.dir, 'checklists', 'all.yaml');
      const r = await cli('checklist', 'derive', ...codes, '--project', t.dir, '--out', out);
      expect(r.code).toBe(0);
      const data = parse(await readFile(out, 'utf8')) as ChecklistData;
      for (const item of data.sections.flatMap((s) => s.items)) {
        expect(item.text).toMatch(/应/);
        expect(item.note).toMatch(/^第\d+(\.\d+)*[条章]$/);
        // the sentence really is in the cited standard's text
        const std = project.standardByCode.get(item.standard!)!;
        expect(requirements(std).some((q) => q.text === item.text && clauseRef(q.clause) === item.note)).toBe(true);
      }
      const v = await cli('validate', t.dir, '--format', 'json');
      expect((JSON.parse(v.out) as { severity: string }[]).filter((d) => d.severity === 'error')).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });

  it('rejects an unknown code with near matches, and bad usage', async () => {
    const r = await cli('checklist', 'derive', 'Q/CSZW 2010—2024', '--project', FIXTURE, '--out', '/tmp/normkit-never-written.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain('项目中没有标准“Q/CSZW 2010—2024”');
    expect(r.err).toContain('Q/CSZW 2001—2024');
    expect(existsSync('/tmp/normkit-never-written.yaml')).toBe(false);
    expect((await cli('checklist', 'derive', '--project', FIXTURE)).code).toBe(2);
    expect((await cli('checklist', 'make', 'x', '--project', FIXTURE)).code).toBe(2);
    expect((await cli('checklist', '--help')).out).toContain('checklist derive');
  });
});
