import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMarkdownTree } from '../src/load/markdown-source.js';
import { buildClauses } from '../src/model/clauses.js';
import { alignEditions, type ClauseChange } from '../src/revision/align.js';
import { changeItems, changesParagraph } from '../src/revision/foreword.js';
import { outline } from '../src/revision/outline.js';

const body = (md: string) => outline(buildClauses(parseMarkdownTree(md.replace(/^---\n[\s\S]*?\n---\n/, ''))));
const fixture = (name: string) => readFileSync(new URL(`./fixtures/revision/${name}`, import.meta.url), 'utf8');
const items = (a: string, b: string, code = 'Q/YLZW 9001—2019') => changeItems(alignEditions(body(a), body(b)), code);
const kinds = (cs: ClauseChange[]) => cs.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.old.map((o) => o.number).join('+')}>${c.new.map((n) => n.number).join('+')}`);

const BASE = `## 范围

本标准规定了窗口服务的要求。

## 要求

### 接待

窗口工作人员应主动问候服务对象，使用文明用语。

### 答复

对服务对象的询问宜当场答复，不能当场答复的应在2个工作日内答复。

## 考核

### 方法

考核每季度进行一次，由督查科组织。
`;

describe('revision: aligning two editions', () => {
  it('renumbering only gives no item', () => {
    const moved = BASE.replace('## 要求', '## 总则\n\n### 原则\n\n窗口服务坚持便民、高效、公开的原则。\n\n## 要求');
    const cs = alignEditions(body(BASE), body(moved));
    expect(kinds(cs)).toContain('renumbered 3>4');
    expect(kinds(cs)).toContain('renumbered 3.1>4.1');
    // the added chapter is the only technical change
    expect(changeItems(cs, 'Q/YLZW 9001—2019')).toEqual(['增加了“总则”的规定（见第3章）']);
    const renumberedOnly = BASE.replace('## 考核\n\n### 方法\n\n考核每季度进行一次，由督查科组织。\n', '').replace('## 要求', '## 考核\n\n### 方法\n\n考核每季度进行一次，由督查科组织。\n\n## 要求');
    expect(items(BASE, renumberedOnly)).toEqual([]);
  });

  it('a requirement strengthened from 宜 to 应 is a technical change', () => {
    const cs = alignEditions(body(BASE), body(BASE.replace('宜当场答复', '应当场答复')));
    const changed = cs.filter((c) => c.technical);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.details[0]).toMatch(/^助动词由“宜、应”改为“应/);
    expect(changeItems(cs, 'Q/YLZW 9001—2019')).toEqual(['更改了“答复”的规定（见3.2，2019年版的3.2）']);
  });

  it('a reworded sentence with the same verb form and figures is editorial', () => {
    const reworded = BASE.replace('窗口工作人员应主动问候服务对象，使用文明用语。', '窗口工作人员应主动问候服务对象，并使用文明用语。').replace('本标准', '本文件');
    const cs = alignEditions(body(BASE), body(reworded));
    expect(cs.filter((c) => c.kind === 'changed').length).toBe(2);
    expect(cs.some((c) => c.technical)).toBe(false);
  });

  it('a clause moved to another chapter and renumbered is recognised, and not listed', () => {
    const moved = BASE.replace('### 答复\n\n对服务对象的询问宜当场答复，不能当场答复的应在2个工作日内答复。\n\n', '') + '\n### 答复\n\n对服务对象的询问宜当场答复，不能当场答复的应在2个工作日内答复。\n';
    const cs = alignEditions(body(BASE), body(moved));
    expect(kinds(cs)).toContain('moved 3.2>4.2');
    expect(changeItems(cs, 'Q/YLZW 9001—2019')).toEqual([]);
  });

  it('a clause split in two is recognised', () => {
    const split = BASE.replace('### 答复\n\n对服务对象的询问宜当场答复，不能当场答复的应在2个工作日内答复。',
      '### 当场答复\n\n对服务对象的询问宜当场答复。\n\n### 限期答复\n\n不能当场答复的，应在2个工作日内答复。');
    const cs = alignEditions(body(BASE), body(split));
    expect(kinds(cs)).toContain('split 3.2>3.2+3.3');
    expect(cs.find((c) => c.kind === 'split')!.technical).toBe(false);
  });

  it('two clauses merged into one are recognised', () => {
    const merged = BASE.replace('### 接待\n\n窗口工作人员应主动问候服务对象，使用文明用语。\n\n### 答复\n\n对服务对象的询问宜当场答复，不能当场答复的应在2个工作日内答复。',
      '### 接待和答复\n\n窗口工作人员应主动问候服务对象，使用文明用语。对服务对象的询问宜当场答复，不能当场答复的应在2个工作日内答复。');
    const cs = alignEditions(body(BASE), body(merged));
    expect(kinds(cs)).toContain('merged 3.1+3.2>3.1');
    expect(changeItems(cs, 'Q/YLZW 9001—2019')).toEqual([]);
  });

  it('a table row added is a technical change of its clause', () => {
    const old = fixture('2003-2019.md');
    const neu = old.replace('| 提前办结率 | 不低于30% |', '| 提前办结率 | 不低于30% |\n| 超期办件数 | 0件 |');
    expect(items(old, neu)).toEqual(['更改了“考核”的规定（见7.1，2019年版的7.1）']);
  });

  it('a real revision: exactly its five technical changes, with both numberings', () => {
    const cs = alignEditions(body(fixture('2003-2019.md')), body(fixture('2003-2024.md')));
    const list = changeItems(cs, 'Q/YLZW 2003—2019');
    expect(list).toEqual([
      '更改了“档案”的规定（见4.3，2019年版的4.3）',
      '增加了“延期”的规定（见4.4）',
      '更改了“审查”的规定（见5.3，2019年版的5.3）',
      '更改了“考核”的规定（见6.1，2019年版的7.1）',
      '删除了“通报”的规定（2019年版的6.3）',
    ]);
    expect(kinds(cs)).toEqual(expect.arrayContaining(['renumbered 6>7', 'renumbered 6.1>7.1', 'renumbered 7>6', 'changed 1>1']));
    const para = changesParagraph('Q/YLZW 2003—2019', list)!;
    expect(para.lead).toBe('与Q/YLZW 2003—2019相比，除结构调整和编辑性改动外，主要技术变化如下：');
    expect(para.items.at(-1)).toBe('——删除了“通报”的规定（2019年版的6.3）。');
    expect(para.items[0]).toMatch(/；$/);
  });

  it('a term added is named as a term', () => {
    const old = fixture('2003-2019.md');
    const neu = old.replace('## 基本要求', '### 超期办件\n\n超过承诺时限仍未办结的事项。\n\n## 基本要求');
    expect(items(old, neu)).toEqual(['增加了术语“超期办件”（见3.3）']);
  });
});

describe('revision: the sample project', () => {
  it('the replacing standard drafts its 主要技术变化 in 前言; an author list wins', async () => {
    const { loadProject } = await import('../src/load/project-loader.js');
    const { checkProject } = await import('../src/check/check-project.js');
    const { resolveProject } = await import('../src/model/project.js');
    const { standardView } = await import('../src/views/standard-view.js');
    const loaded = await loadProject(new URL('../standards', import.meta.url).pathname);
    const project = resolveProject(checkProject(loaded), loaded.root);
    const s = project.standardByCode.get('Q/YLZW 2001—2024')!;
    const text = (v: ReturnType<typeof standardView>) => v.foreword.map((p) => p.flatMap((seg) => seg.inlines.map((i) => i.text)).join(''));
    const drafted = text(standardView(project, s));
    const lead = drafted.indexOf('与Q/YLZW 2001—2019相比，除结构调整和编辑性改动外，主要技术变化如下：');
    expect(lead).toBe(2);
    expect(drafted[lead + 1]).toMatch(/^——(增加|更改|删除)了.+（.+）；$/);
    expect(drafted.find((t) => t.startsWith('——') && t.endsWith('。'))).toBeDefined();
    expect(text(standardView(project, project.standardByCode.get('Q/YLZW 2001—2019')!)).some((t) => t.includes('主要技术变化'))).toBe(false);
    const own = text(standardView(project, { ...s, changes: ['增加了“首问登记”的规定（见3.3）'] }));
    expect(own.slice(lead, lead + 2)).toEqual(['与Q/YLZW 2001—2019相比，除结构调整和编辑性改动外，主要技术变化如下：', '——增加了“首问登记”的规定（见3.3）。']);
    expect(text(standardView(project, { ...s, changes: [] })).some((t) => t.includes('主要技术变化'))).toBe(false);

    const { catalogView } = await import('../src/views/catalog-view.js');
    const rows = catalogView(project).groups.flatMap((g) => g.categories.flatMap((c) => c.rows));
    const count = drafted.filter((t) => t.startsWith('——')).length;
    expect(count).toBeGreaterThan(0);
    expect(rows.find((r) => r.code === 'Q/YLZW 2001—2024')!.changes).toBe(`技术变化${count}项`);
    expect(rows.find((r) => r.code === 'Q/YLZW 2001—2019')!.changes).toBe('');
  });
});
