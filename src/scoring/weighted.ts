import type { ChecklistData, ResultData, WeightedPartData } from '../model/data.js';
import { cents, type Cents } from './decimal.js';

/**
 * `mode: weighted`: the total is the sum of weighted parts (问卷调查 80 % = 服务对象 70 % + 党委政府
 * 30 %, 日常考核 20 %). Each leaf's contribution is computed from exact integers (BigInt) and rounded
 * to hundredths once; a parent's contribution is the sum of its children's, so every figure on the
 * report adds up to the total without drift.
 */

export class WeightedInputError extends Error {}

export interface BallotTally { label: string; value: Cents; count: number }

export interface PartScore {
  name: string;
  /** Per cent of the parent, in hundredths (80 % → 8000). */
  weight: Cents;
  /** Per cent of the total, in hundredths (80 % × 70 % → 5600). */
  share: Cents;
  kind: 'parts' | 'ballots' | 'score' | 'section';
  /** The part's own score on its 0–100 scale (rounded to hundredths); percentage points: null. */
  score: Cents | null;
  /** Points of the total this part contributes (rounded to hundredths once, at the leaves). */
  contribution: Cents;
  /** Full points of the total: share of 100. */
  max: Cents;
  ballots: BallotTally[];
  /** section parts: the section's title, its item sum and, for award items, its points. */
  section: string | null;
  sectionScore: Cents | null;
  sectionMax: Cents | null;
  percentagePoints: boolean;
  children: PartScore[];
  /** How the figure was formed, in words: 服务对象评议：87.14 × 56% = 48.8. */
  formula: string;
}

const HUNDRED = 10000n; // 100 % (or 100 points) in hundredths

/** n / d rounded half away from zero. */
function divRound(n: bigint, d: bigint): bigint {
  const neg = (n < 0n) !== (d < 0n);
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const q = (2n * a + b) / (2n * b);
  return neg ? -q : q;
}

const pct = (c: Cents): string => `${formatPlain(c)}%`;
function formatPlain(c: Cents): string {
  const s = (Math.abs(c) / 100).toFixed(2).replace(/\.?0+$/, '');
  return c < 0 ? `-${s}` : s;
}

/** Section sums by title, as score.ts computed them (award: earned and points; deduct: Σ per × count). */
export interface SectionSums { score: Cents; max: Cents; award: boolean }

export function scoreParts(checklist: ChecklistData, result: ResultData, sections: Map<string, SectionSums>): PartScore[] {
  const walk = (parts: WeightedPartData[], parentShare: bigint, depth: number): PartScore[] =>
    parts.map((p) => {
      const weight = cents(p.weight);
      // share in hundredths of a per cent, exact: parentShare × weight / 100 %
      const shareExact = (parentShare * BigInt(weight)); // scaled by HUNDRED^(depth+1)
      const scale = HUNDRED ** BigInt(depth + 1);
      const share = Number(divRound(shareExact * HUNDRED, scale));
      const max = share; // a part at full marks gives share % of 100 points
      const base = { name: p.name, weight, share, max, ballots: [] as BallotTally[], section: null, sectionScore: null, sectionMax: null, percentagePoints: false, children: [] as PartScore[] };
      // contribution of a leaf with score num/den (0–100 scale, hundredths): num/den × share
      const leaf = (num: bigint, den: bigint): Cents => Number(divRound(num * shareExact * HUNDRED, den * scale * HUNDRED));
      if (p.parts?.length) {
        const children = walk(p.parts, shareExact, depth + 1);
        const contribution = children.reduce((s, c) => s + c.contribution, 0);
        return { ...base, kind: 'parts', score: null, contribution, children,
          formula: `${p.name}：${children.map((c) => formatPlain(c.contribution)).join(' + ')} = ${formatPlain(contribution)}` };
      }
      if (p.ballots?.length) {
        const cast = result.parts?.[p.name];
        if (cast === undefined || typeof cast === 'number') throw new WeightedInputError(`缺少“${p.name}”的各档票数。`);
        const ballots = p.ballots.map((b) => ({ label: b.label, value: cents(b.value), count: cast[b.label] ?? 0 }));
        const votes = ballots.reduce((s, b) => s + b.count, 0);
        if (votes === 0) throw new WeightedInputError(`“${p.name}”一张票也没有。`);
        const num = ballots.reduce((s, b) => s + BigInt(b.count) * BigInt(b.value), 0n);
        const score = Number(divRound(num, BigInt(votes)));
        const contribution = leaf(num, BigInt(votes));
        return { ...base, kind: 'ballots', ballots, score, contribution,
          formula: `${p.name}：（${ballots.map((b) => `${b.count}×${formatPlain(b.value)}`).join(' + ')}）÷ ${votes} = ${formatPlain(score)}，× ${pct(share)} = ${formatPlain(contribution)}` };
      }
      if (p.input === 'score') {
        const given = result.parts?.[p.name];
        if (typeof given !== 'number') throw new WeightedInputError(`缺少“${p.name}”的得分（0—100）。`);
        const score = cents(given);
        const contribution = leaf(BigInt(score), 1n);
        return { ...base, kind: 'score', score, contribution, formula: `${p.name}：${formatPlain(score)} × ${pct(share)} = ${formatPlain(contribution)}` };
      }
      const sec = p.section === undefined ? undefined : sections.get(p.section);
      if (!sec) throw new WeightedInputError(`“${p.name}”没有 parts、ballots、input 或可用的 section。`);
      const common = { ...base, kind: 'section' as const, section: p.section!, sectionScore: sec.score, sectionMax: sec.award ? sec.max : null };
      if (sec.award) {
        if (sec.max === 0) throw new WeightedInputError(`“${p.name}”对应的类别满分为 0。`);
        const num = BigInt(sec.score) * HUNDRED;
        const score = Number(divRound(num, BigInt(sec.max)));
        const contribution = leaf(num, BigInt(sec.max));
        return { ...common, score, contribution, formula: `${p.name}：${formatPlain(sec.score)} ÷ ${formatPlain(sec.max)} × 100 = ${formatPlain(score)}，× ${pct(share)} = ${formatPlain(contribution)}` };
      }
      if (p.percentage_points) {
        // 扣除2个百分点: the items are points of the total, taken from this part's share, down to 0
        const contribution = Math.max(0, Math.min(max, max + sec.score));
        return { ...common, score: null, contribution, percentagePoints: true,
          formula: `${p.name}：${formatPlain(max)} ${sec.score < 0 ? '−' : '+'} ${formatPlain(Math.abs(sec.score))} 个百分点 = ${formatPlain(contribution)}` };
      }
      const score = Math.max(0, Math.min(10000, 10000 + sec.score));
      const contribution = leaf(BigInt(score), 1n);
      return { ...common, score, contribution, formula: `${p.name}：100 ${sec.score < 0 ? '−' : '+'} ${formatPlain(Math.abs(sec.score))} = ${formatPlain(score)}，× ${pct(share)} = ${formatPlain(contribution)}` };
    });
  return walk(checklist.parts ?? [], 1n, 0);
}

/** Every part, depth first, with its depth (for tables and JSON). */
export function flattenParts(parts: PartScore[], depth = 0): { part: PartScore; depth: number }[] {
  return parts.flatMap((p) => [{ part: p, depth }, ...flattenParts(p.children, depth + 1)]);
}
