/** Headings with a typed number (“1 范围”, “2.”, “第一章”) and term entries kept out of 目次. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO, tempCopy } from './helpers.js';
import { loadProject } from '../src/load/project-loader.js';
import { checkProject } from '../src/check/check-project.js';
import { resolveProject } from '../src/model/project.js';
import { blockText, type ClauseBlock } from '../src/model/clauses.js';
import { REFERENCES_SENTENCE, standardView } from '../src/views/standard-view.js';

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const STD = 'catalog/provision/2001-2024-first-inquiry.md';

const NUMBERED = (t: string): string => t
  .replace('## 范围', '## 1 范围')
  .replace('## 要求', '## 2. 规范性引用文件\n\n## 第三章 术语和定义\n\n### 首问责任人\n\n最先受理服务对象咨询或办事的工作人员。\n\n## 4　要求');

async function withEdited<T>(edit: (t: string) => string, run: (dir: string) => Promise<T>): Promise<T> {
  const { dir, cleanup } = await tempCopy(MINIMAL);
  try {
    const file = path.join(dir, STD);
    await writeFile(file, edit(await readFile(file, 'utf8')));
    return await run(dir);
  } finally {
    await cleanup();
  }
}

describe('numbered headings', () => {
  it('warns on each typed number, at the heading text', async () => {
    const rows = await withEdited(NUMBERED, async (dir) => {
      const r = await cli('validate', dir, '--format', 'json');
      expect(r.code).toBe(0);
      return (JSON.parse(r.out) as { rule: string; line: number; column: number; message: string }[]).filter((d) => d.rule === 'numbered-heading');
    });
    expect(rows.map((r) => r.message.match(/编号“(.+?)”/)![1])).toEqual(['1', '2.', '第三章', '4']);
    expect(rows[0]).toMatchObject({ column: 4 });
  });

  it('drops the typed number, keeps the fixed elements and leaves term entries out of 目次', async () => {
    const view = await withEdited(NUMBERED, async (dir) => {
      const loaded = await loadProject(dir);
      const project = resolveProject(checkProject(loaded), loaded.root);
      return standardView(project, project.standards[0]!);
    });
    const chapters = view.clauses.filter((b): b is ClauseBlock => b.kind === 'clause');
    expect(chapters.map((c) => `${c.number} ${c.title}`)).toEqual(['1 范围', '2 规范性引用文件', '3 术语和定义', '4 要求']);
    expect(chapters[1]!.special).toBe('references');
    expect(blockText(chapters[1]!)).toContain(REFERENCES_SENTENCE);
    expect(blockText(chapters[1]!)).toContain('GB/T 32169.3—2015　政务服务中心运行规范');
    expect(view.toc.map((t) => t.number)).toEqual(['1', '2', '3', '4']);
  });

  it('leaves a title that only starts with digits alone', async () => {
    const view = await withEdited((t) => t.replace('## 要求', '## 12345热线'), async (dir) => {
      const loaded = await loadProject(dir);
      const project = resolveProject(checkProject(loaded), loaded.root);
      return standardView(project, project.standards[0]!);
    });
    expect(view.clauses.some((b) => b.kind === 'clause' && b.title === '12345热线')).toBe(true);
  });
});
