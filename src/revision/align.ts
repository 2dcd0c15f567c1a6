import { provisionWords } from '../model/provisions.js';
import { clauseText, containment, normalized, similarity, type OutlineClause, type Sentence } from './outline.js';

export type ChangeKind = 'added' | 'deleted' | 'changed' | 'moved' | 'renumbered' | 'split' | 'merged' | 'unchanged';

/** One clause of the old edition aligned with the new (either side empty for added or deleted). */
export interface ClauseChange {
  kind: ChangeKind;
  old: OutlineClause[];
  new: OutlineClause[];
  /** A technical change goes into 前言's 主要技术变化; renumbering, moves and rewording do not. */
  technical: boolean;
  /** What changed inside, for the terminal and the redline (“宜”改为“应”, 增加了一句…). */
  details: string[];
  /** Added or deleted together with the clause around it: the list names only the outer one. */
  within?: boolean;
}

const TITLE_THRESHOLD = 0.45;
const PART_THRESHOLD = 0.6;
const SENTENCE_THRESHOLD = 0.5;
/** A piece of a split or merge carries a sentence at least; a short line is in too many clauses by chance. */
const substantial = (c: OutlineClause) => normalized(clauseText(c)).length >= 12;

/** Aligns the clauses of two editions and classifies each difference (GB/T 1.1 前言 wording is in foreword.ts). */
export function alignEditions(oldClauses: OutlineClause[], newClauses: OutlineClause[]): ClauseChange[] {
  const O = oldClauses.filter((c) => c.special !== 'references');
  const N = newClauses.filter((c) => c.special !== 'references');
  const partner = new Map<OutlineClause, OutlineClause>(); // old → new
  const taken = new Set<OutlineClause>(); // new clauses matched
  const pair = (o: OutlineClause, n: OutlineClause): void => { partner.set(o, n); taken.add(n); };

  // 1. the same title, where it is unique on both sides (or unique under the same parent title)
  const byTitle = (list: OutlineClause[]) => {
    const m = new Map<string, OutlineClause[]>();
    for (const c of list) m.set(normalized(c.title), [...(m.get(normalized(c.title)) ?? []), c]);
    return m;
  };
  const oldTitles = byTitle(O), newTitles = byTitle(N);
  const titleOf = (list: OutlineClause[], num: string) => list.find((c) => c.number === num)?.title ?? '';
  for (const [t, os] of oldTitles) {
    const ns = newTitles.get(t);
    if (!ns) continue;
    if (os.length === 1 && ns.length === 1) pair(os[0]!, ns[0]!);
    else for (const o of os) {
      const n = ns.filter((x) => !taken.has(x) && normalized(titleOf(N, x.parent)) === normalized(titleOf(O, o.parent)));
      if (n.length === 1) pair(o, n[0]!);
    }
  }

  // 2. by content: the most similar pairs first
  const candidates: [number, OutlineClause, OutlineClause][] = [];
  for (const o of O) {
    if (partner.has(o) || !clauseText(o)) continue;
    for (const n of N) {
      if (taken.has(n) || !clauseText(n)) continue;
      const s = similarity(o.title + clauseText(o), n.title + clauseText(n));
      if (s >= TITLE_THRESHOLD) candidates.push([s, o, n]);
    }
  }
  candidates.sort((a, b) => b[0] - a[0]);
  for (const [, o, n] of candidates) if (!partner.has(o) && !taken.has(n)) pair(o, n);

  // 3. headings without text of their own: where most of their subclauses went, deepest first
  for (const o of [...O].sort((a, b) => b.level - a.level)) {
    if (partner.has(o) || clauseText(o)) continue;
    const votes = new Map<string, number>();
    const kids = O.filter((c) => c.parent === o.number);
    for (const k of kids) { const p = partner.get(k); if (p) votes.set(p.parent, (votes.get(p.parent) ?? 0) + 1); }
    const best = [...votes].sort((a, b) => b[1] - a[1])[0];
    const n = best && best[1] * 2 > kids.length ? N.find((c) => c.number === best[0] && !taken.has(c)) : undefined;
    if (n) pair(o, n);
  }

  const changes: ClauseChange[] = [];
  const grouped = new Set<OutlineClause>();

  // 4. splits (one old clause → several new) and merges (several old → one new)
  for (const o of O) {
    const own = partner.get(o);
    const pieces = N.filter((n) => !taken.has(n) && n.level === o.level && (!own || n.parent === own.parent) && substantial(n) && containment(clauseText(n), clauseText(o)) >= PART_THRESHOLD);
    const parts = (own ? [own, ...pieces] : pieces).sort((a, b) => N.indexOf(a) - N.indexOf(b));
    if (pieces.length && parts.length >= 2) {
      parts.forEach((n) => { taken.add(n); grouped.add(n); });
      grouped.add(o);
      changes.push(classify('split', [o], parts));
    }
  }
  for (const n of N) {
    if (grouped.has(n)) continue;
    const own = [...partner].find(([, x]) => x === n)?.[0];
    const pieces = O.filter((o) => !partner.has(o) && !grouped.has(o) && o.level === n.level && (!own || o.parent === own.parent) && substantial(o) && containment(clauseText(o), clauseText(n)) >= PART_THRESHOLD);
    const parts = (own ? [own, ...pieces] : pieces).sort((a, b) => O.indexOf(a) - O.indexOf(b));
    if (pieces.length && parts.length >= 2) {
      parts.forEach((o) => grouped.add(o));
      grouped.add(n);
      taken.add(n);
      changes.push(classify('merged', parts, [n]));
    }
  }

  const newPartnerOf = (oldNumber: string) => { const o = O.find((c) => c.number === oldNumber); return o ? partner.get(o)?.number : undefined; };
  for (const o of O) {
    if (grouped.has(o)) continue;
    const n = partner.get(o);
    if (!n) { changes.push({ kind: 'deleted', old: [o], new: [], technical: true, details: [] }); continue; }
    const moved = (newPartnerOf(o.parent) ?? '') !== n.parent;
    changes.push(classify(moved ? 'moved' : o.number !== n.number ? 'renumbered' : 'unchanged', [o], [n]));
  }
  for (const n of N) if (!taken.has(n)) changes.push({ kind: 'added', old: [], new: [n], technical: true, details: [] });

  markWithin(changes);
  return order(changes, N, O);
}

/** Classifies a group whose content may also have changed; `structural` is what it is when the text is the same. */
function classify(structural: ChangeKind, old: OutlineClause[], neu: OutlineClause[]): ClauseChange {
  const a = old.flatMap((c) => c.sentences), b = neu.flatMap((c) => c.sentences);
  const details = compareSentences(a, b, old.map(clauseText).join(''));
  if (details === undefined) {
    const retitled = old.length === 1 && neu.length === 1 && normalized(old[0]!.title) !== normalized(neu[0]!.title);
    return { kind: retitled && structural === 'unchanged' ? 'changed' : structural, old, new: neu, technical: false, details: retitled ? ['标题改写'] : [] };
  }
  const technical = details.some((d) => d.technical);
  const kind = structural === 'split' || structural === 'merged' ? structural : 'changed';
  return { kind, old, new: neu, technical, details: details.map((d) => d.text) };
}

const PROVISION_NAMES = { requirement: '要求（应）', recommendation: '推荐（宜）', permission: '允许（可）' } as const;
const provisionName = (s: Sentence) => (s.provision ? PROVISION_NAMES[s.provision] : '陈述');
/** Figures a requirement turns on: 3个工作日, 15分钟, 100%, 第十二条. */
const figures = (t: string) => (t.match(/[0-9０-９]+(?:[.．][0-9]+)?|[一二三四五六七八九十百千两]+(?=[个日天次名项年月周条款分小%％])/g) ?? []).join(',');

/**
 * What differs between two lists of sentences, or undefined when nothing but white space and
 * punctuation does. A sentence kept with the same verb form and figures is an editorial rewording.
 */
function compareSentences(a: Sentence[], b: Sentence[], oldText: string): { text: string; technical: boolean }[] | undefined {
  if (normalized(a.map((s) => s.text).join('')) === normalized(b.map((s) => s.text).join(''))) return undefined;
  const out: { text: string; technical: boolean }[] = [];
  const usedA = new Set<number>(), usedB = new Set<number>();
  const pairs: [number, number, number][] = [];
  a.forEach((x, i) => b.forEach((y, j) => { const s = similarity(x.text, y.text); if (s >= SENTENCE_THRESHOLD) pairs.push([s, i, j]); }));
  pairs.sort((p, q) => q[0] - p[0]);
  for (const [, i, j] of pairs) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i); usedB.add(j);
    const x = a[i]!, y = b[j]!;
    if (normalized(x.text) === normalized(y.text)) continue;
    const vx = provisionWords(x.text).join('、'), vy = provisionWords(y.text).join('、');
    if (x.provision !== y.provision) out.push({ text: `由${provisionName(x)}改为${provisionName(y)}：${y.text}`, technical: true });
    else if (vx !== vy) out.push({ text: `助动词由“${vx}”改为“${vy}”：${y.text}`, technical: true });
    else if (figures(x.text) !== figures(y.text)) out.push({ text: `数值改变：${x.text} → ${y.text}`, technical: true });
    else out.push({ text: `改写：${y.text}`, technical: false });
  }
  const newText = b.map((s) => s.text).join('');
  b.forEach((y, j) => {
    if (usedB.has(j)) return;
    out.push({ text: `增加：${y.text}`, technical: containment(y.text, oldText) < 0.8 });
  });
  a.forEach((x, i) => {
    if (usedA.has(i)) return;
    out.push({ text: `删除：${x.text}`, technical: containment(x.text, newText) < 0.8 });
  });
  return out;
}

/** A clause added inside an added clause (or deleted inside a deleted one) is named by its parent. */
function markWithin(changes: ClauseChange[]): void {
  const added = new Set(changes.filter((c) => c.kind === 'added').map((c) => c.new[0]!.number));
  const deleted = new Set(changes.filter((c) => c.kind === 'deleted').map((c) => c.old[0]!.number));
  for (const c of changes) {
    if (c.kind === 'added' && added.has(c.new[0]!.parent)) c.within = true;
    if (c.kind === 'deleted' && deleted.has(c.old[0]!.parent)) c.within = true;
  }
}

/** In the new edition's order; a deletion stands after the new place of the old clause before it. */
function order(changes: ClauseChange[], N: OutlineClause[], O: OutlineClause[]): ClauseChange[] {
  const newIndex = new Map(N.map((c, i) => [c, i]));
  const oldIndex = new Map(O.map((c, i) => [c, i]));
  const placeOfOld = new Map<OutlineClause, number>();
  for (const c of changes) for (const o of c.old) if (c.new.length) placeOfOld.set(o, newIndex.get(c.new[0]!)!);
  const key = (c: ClauseChange): number => {
    if (c.new.length) return newIndex.get(c.new[0]!)!;
    let i = oldIndex.get(c.old[0]!)!;
    while (--i >= 0) { const p = placeOfOld.get(O[i]!); if (p !== undefined) return p + 0.5; }
    return -0.5;
  };
  return changes.map((c) => [key(c), c] as const).sort((x, y) => x[0] - y[0]).map(([, c]) => c);
}
