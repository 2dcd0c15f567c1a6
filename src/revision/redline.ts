import { diffChars } from 'diff';
import type { ClauseChange } from './align.js';
import { changeItems, changesParagraph } from './foreword.js';
import type { OutlineClause } from './outline.js';

export type RunOp = 'same' | 'ins' | 'del';
export interface Run { text: string; op: RunOp }

/** One clause of the redline: both numberings, what happened to it, and its text marked by characters. */
export interface RedlineRow {
  oldNumber: string;
  newNumber: string;
  kind: ClauseChange['kind'];
  /** 增加 / 删除 / 技术性更改 / 编辑性更改 / 移动 / 重新编号 / 拆分 / 合并 / 未变 */
  label: string;
  technical: boolean;
  title: Run[];
  /** One list of runs per paragraph. */
  body: Run[][];
  level: number;
}

export interface RedlineView {
  title: string;
  oldCode: string;
  newCode: string;
  rows: RedlineRow[];
  foreword?: { lead: string; items: string[] };
  counts: { technical: number; editorial: number; structural: number };
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

const LABELS: Record<ClauseChange['kind'], string> = {
  added: '增加', deleted: '删除', changed: '更改', moved: '移动', renumbered: '重新编号', split: '拆分', merged: '合并', unchanged: '未变',
};

const text = (cs: OutlineClause[]) => cs.map((c) => c.sentences.map((s) => s.text).join('\n')).join('\n');

/**
 * Insertions and deletions by character runs (Chinese has no spaces to split words at), over the
 * new edition's order with both numberings.
 */
export function redlineView(changes: ClauseChange[], old: { code: string; title: string }, neu: { code: string; title: string }, date: string): RedlineView {
  const rows = changes.map((c): RedlineRow => {
    const titleRuns = runs(c.old.map((o) => o.title).join('、'), c.new.map((n) => n.title).join('、'));
    const bodyRuns = runs(text(c.old), text(c.new));
    const label = c.kind === 'changed' ? (c.technical ? '技术性更改' : '编辑性更改') : (c.technical && (c.kind === 'split' || c.kind === 'merged') ? `${LABELS[c.kind]}（有技术性更改）` : LABELS[c.kind]);
    return {
      oldNumber: c.old.map((o) => o.number).join('、'),
      newNumber: c.new.map((n) => n.number).join('、'),
      kind: c.kind, label, technical: c.technical,
      title: titleRuns, body: splitParagraphs(bodyRuns),
      level: (c.new[0] ?? c.old[0])!.level,
    };
  });
  const items = changeItems(changes, old.code);
  const technical = changes.filter((c) => c.technical && !c.within).length;
  const editorial = changes.filter((c) => !c.technical && c.kind === 'changed').length;
  const structural = changes.filter((c) => !c.technical && c.kind !== 'changed' && c.kind !== 'unchanged').length;
  const title = `${neu.code}与${old.code}对照`;
  return {
    title, oldCode: old.code, newCode: neu.code, rows, foreword: changesParagraph(old.code, items),
    counts: { technical, editorial, structural },
    meta: { title, author: 'normkit', subject: `${neu.title}：修订对照`, keywords: `${neu.code},${old.code}`, date },
  };
}

function runs(a: string, b: string): Run[] {
  if (a === b) return a ? [{ text: a, op: 'same' }] : [];
  return diffChars(a, b).map((p) => ({ text: p.value, op: p.added ? 'ins' : p.removed ? 'del' : 'same' }));
}

/** Runs cut at line breaks into paragraphs (a run may span two). */
function splitParagraphs(all: Run[]): Run[][] {
  const out: Run[][] = [[]];
  for (const r of all) {
    r.text.split('\n').forEach((piece, i) => {
      if (i > 0) out.push([]);
      if (piece) out[out.length - 1]!.push({ text: piece, op: r.op });
    });
  }
  return out.filter((p) => p.length);
}
