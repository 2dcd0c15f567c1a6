import { describe, expect, it } from 'vitest';
import { parseMarkdownTree } from '../src/load/markdown-source.js';
import { buildClauses, type Block, type ClauseBlock } from '../src/model/clauses.js';
import { classifyProvision } from '../src/model/provisions.js';

function clauses(blocks: Block[]): ClauseBlock[] {
  return blocks.flatMap((b) => (b.kind === 'clause' ? [b, ...clauses(b.children)] : []));
}

describe('clause numbering (GB/T 1.1)', () => {
  const md = [
    '## 范围', '', '本文件规定了……', '',
    '## 规范性引用文件', '',
    '## 术语和定义', '', '### 首问责任人', '', '定义。', '', '### 承办人', '', '定义。', '',
    '## 要求', '', '### 一般要求', '', '#### 接待', '', '##### 礼仪', '', '###### 用语', '', '####### 太深', '', '正文。', '',
    '#### 答复', '', '### 特殊要求', '', '表：窗口设置', '', '| a | b |', '|---|---|', '| 1 | 2 |', '', '注：这是注。', '',
    '- 甲', '- 乙', '', '1. 一', '2. 二',
  ].join('\n');
  const blocks = buildClauses(parseMarkdownTree(md));
  const all = clauses(blocks);

  it('numbers chapters and nested clauses to five levels', () => {
    expect(all.map((c) => `${c.number} ${c.title}`)).toEqual([
      '1 范围', '2 规范性引用文件', '3 术语和定义', '3.1 首问责任人', '3.2 承办人', '4 要求', '4.1 一般要求',
      '4.1.1 接待', '4.1.1.1 礼仪', '4.1.1.1.1 用语', '4.1.2 答复', '4.2 特殊要求',
    ]);
    expect(all.find((c) => c.number === '2')!.special).toBe('references');
  });

  it('numbers tables with captions and recognises notes and lists', () => {
    const special = all.find((c) => c.number === '4.2')!;
    const kinds = special.children.map((b) => b.kind);
    expect(kinds).toEqual(['table', 'note', 'list', 'list']);
    const table = special.children[0] as Extract<Block, { kind: 'table' }>;
    expect(table.number).toBe(1);
    expect(table.caption).toBe('窗口设置');
    const note = special.children[1] as Extract<Block, { kind: 'note' }>;
    expect(note.label).toBe('注：');
  });

  it('inserts 规范性引用文件 after 范围 when the author left it out', () => {
    const b = buildClauses(parseMarkdownTree('## 范围\n\n规定。\n\n## 要求\n\n应当如此。\n'));
    expect(clauses(b).map((c) => `${c.number} ${c.title}`)).toEqual(['1 范围', '2 规范性引用文件', '3 要求']);
  });
});

describe('provision recognition', () => {
  it.each([
    ['窗口工作人员应佩戴工作证。', 'requirement'],
    ['窗口工作人员不应擅离岗位。', 'requirement'],
    ['宜设置母婴室。', 'recommendation'],
    ['可提供预约服务。', 'permission'],
    ['办理时不必提交复印件。', 'permission'],
    ['应急预案每年演练一次。', undefined],
    ['发生突发事件时启动应急预案。', undefined],
    ['取得许可证后方能营业。', undefined],
    ['相关事宜另行通知。', undefined],
    ['这可能导致延误。', undefined],
  ])('%s → %s', (text, kind) => {
    expect(classifyProvision(text)).toBe(kind);
  });
});
