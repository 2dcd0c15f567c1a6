import type { ClauseChange } from './align.js';
import type { OutlineClause } from './outline.js';

/** 第5章 for a chapter, 5.3 for a clause: how GB/T 1.1 cites in 前言. */
const ref = (c: OutlineClause) => (c.level === 1 ? `第${c.number}章` : c.number);
const refs = (cs: OutlineClause[]) => cs.map(ref).join('、');
const named = (c: OutlineClause, inTerms: boolean) => (inTerms ? `术语“${c.title}”` : `“${c.title}”`);

/** “2019年版” from a standard number's year. */
export function editionName(oldCode: string): string {
  const year = /[—-](\d{4})$/.exec(oldCode)?.[1];
  return year ? `${year}年版` : '原版';
}

/** The technical changes of a revision as 前言 items (without the leading ——). */
export function changeItems(changes: ClauseChange[], oldCode: string): string[] {
  const ed = editionName(oldCode);
  const isTerm = (c: OutlineClause, all: ClauseChange[]) => c.level === 2 && all.some((x) => [...x.old, ...x.new].some((y) => y.number === c.parent && y.special === 'terms'));
  return changes.filter((c) => c.technical && !c.within).map((c) => {
    switch (c.kind) {
      case 'added': { const n = c.new[0]!; return `增加了${named(n, isTerm(n, changes))}${isTerm(n, changes) ? '' : '的规定'}（见${ref(n)}）`; }
      case 'deleted': { const o = c.old[0]!; return `删除了${named(o, isTerm(o, changes))}${isTerm(o, changes) ? '' : '的规定'}（${ed}的${ref(o)}）`; }
      case 'split': return `更改了“${c.old[0]!.title}”的规定，分为${c.new.map((n) => `“${n.title}”`).join('和')}（见${refs(c.new)}，${ed}的${ref(c.old[0]!)}）`;
      case 'merged': return `将${c.old.map((o) => `“${o.title}”`).join('和')}合并为“${c.new[0]!.title}”，并更改了其规定（见${ref(c.new[0]!)}，${ed}的${refs(c.old)}）`;
      default: { const n = c.new[0]!, o = c.old[0]!; return `更改了${named(n, isTerm(n, changes))}${isTerm(n, changes) ? '的定义' : '的规定'}（见${ref(n)}，${ed}的${ref(o)}）`; }
    }
  });
}

/** The 前言 paragraph of GB/T 1.1 (2020) 8.2, or undefined when nothing technical changed. */
export function changesParagraph(oldCode: string, items: string[]): { lead: string; items: string[] } | undefined {
  if (!items.length) return undefined;
  return {
    lead: `与${oldCode}相比，除结构调整和编辑性改动外，主要技术变化如下：`,
    items: items.map((t, i) => `——${t}${i === items.length - 1 ? '。' : '；'}`),
  };
}
