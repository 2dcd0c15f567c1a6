import { blockText, type Block, type ClauseBlock } from '../model/clauses.js';
import { classifyProvision, type Provision } from '../model/provisions.js';

/** One clause of an edition, with the text that is its own (not its subclauses'). */
export interface OutlineClause {
  number: string;
  title: string;
  level: number;
  /** Number of the enclosing clause, '' for a chapter. */
  parent: string;
  special?: ClauseBlock['special'];
  sentences: Sentence[];
}

export interface Sentence {
  text: string;
  provision?: Provision;
}

/** The clauses of a standard's body in document order, each with its own sentences. */
export function outline(body: Block[]): OutlineClause[] {
  const out: OutlineClause[] = [];
  const walk = (blocks: Block[], parent: string): void => {
    for (const b of blocks) {
      if (b.kind !== 'clause') continue;
      const own = b.children.filter((c) => c.kind !== 'clause');
      out.push({ number: b.number, title: b.title, level: b.level, parent, special: b.special, sentences: own.flatMap(sentencesOf) });
      walk(b.children, b.number);
    }
  };
  walk(body, '');
  return out;
}

/** Sentences end at 。；! ? or a line; a table row is one sentence, so an added row is an added sentence. */
function sentencesOf(b: Block): Sentence[] {
  const text = b.kind === 'table'
    ? [b.caption, b.header.map((c) => c.map((i) => i.text).join('')).join('｜'), ...b.rows.map((r) => r.map((c) => c.map((i) => i.text).join('')).join('｜'))].join('\n')
    : blockText(b);
  return text.split(/(?<=[。；！？!?])|\n/).map((s) => s.trim()).filter(Boolean).map((t) => ({ text: t, provision: classifyProvision(t) }));
}

/** Text compared for meaning: white space and punctuation do not count. */
export function normalized(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]/gu, '');
}

/** Character bigrams (Chinese has no spaces; bigrams are the usual unit of similarity). */
export function bigrams(text: string): Map<string, number> {
  const t = normalized(text);
  const m = new Map<string, number>();
  if (t.length === 1) m.set(t, 1);
  for (let i = 0; i + 1 < t.length; i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function overlap(a: Map<string, number>, b: Map<string, number>): number {
  let n = 0;
  for (const [g, c] of a) n += Math.min(c, b.get(g) ?? 0);
  return n;
}

function size(a: Map<string, number>): number {
  let n = 0;
  for (const c of a.values()) n += c;
  return n;
}

/** Dice coefficient of two texts' bigrams: 1 for the same text, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  const x = bigrams(a), y = bigrams(b);
  const total = size(x) + size(y);
  return total === 0 ? 1 : (2 * overlap(x, y)) / total;
}

/** Share of `part`'s bigrams found in `whole`: how much of a piece comes from a larger text. */
export function containment(part: string, whole: string): number {
  const x = bigrams(part);
  const n = size(x);
  return n === 0 ? 0 : overlap(x, bigrams(whole)) / n;
}

export const clauseText = (c: OutlineClause): string => c.sentences.map((s) => s.text).join('');
