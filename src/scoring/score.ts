import type { ChecklistData, ChecklistItemData, DeductEntry, ResultData, ScoreEntry, VetoEffect } from '../model/data.js';
import { cents, fromCents, type Cents } from './decimal.js';
import { flattenParts, scoreParts, WeightedInputError, type PartScore, type SectionSums } from './weighted.js';

/**
 * Scoring of one assessment result against its checklist (see the "Assessment result" section of
 * the authoring contract). Pure: no I/O, all arithmetic in integer hundredths (Cents) so that
 * 0.1 + 0.2 is exactly 0.3 and a threshold met exactly counts.
 *
 * The inputs are expected to have passed the result rules (src/check/rules/results.ts). Entries
 * those rules reject (an unknown level, findings without deduct_per_finding, a veto on a normal
 * item, a missing score without `default: full`) throw a ScoreInputError instead of being guessed.
 */

export type ScoreField = 'scores' | 'self_scores';

export class ScoreInputError extends Error {}

export interface ItemScore {
  no: number;
  text: string;
  /** Title of the section the item belongs to. */
  section: string;
  /** award: the item's points; deduct: null (a deduction item has no full marks). */
  max: Cents | null;
  /**
   * award: points earned; deduct: per_occurrence × count (negative = deduction, positive = bonus).
   * null only when scoring `self_scores` and the item was not self-assessed.
   */
  score: Cents | null;
  /** The matching self score (same rules, always from `self_scores`); null when not self-assessed. */
  selfScore: Cents | null;
  /** Label of the level when the entry was `{ level }`. */
  level: string | null;
  /** Number of findings when the entry was `{ findings }`. */
  findings: number | null;
  /** The item is a veto item (一票否决项). */
  veto: boolean;
  /** The entry was `{ veto: true }`: the veto item failed. */
  vetoFailed: boolean;
  /** The item had no entry and earned full marks through `default: full`. */
  defaulted: boolean;
  /** deduct: points per occurrence; award: null. */
  perOccurrence: Cents | null;
  /** deduct: occurrences (0 when not listed); award: null. */
  count: number | null;
  /** deduct: occurrences exempted (不予扣分), and why; 0 / null when none. */
  exempt: number;
  exemptReason: string | null;
}

export interface SectionScore {
  title: string;
  /** award: Σ item scores; deduct: Σ per_occurrence × count. null when no item of it was (self-)assessed. */
  score: Cents | null;
  /** award: Σ item points; deduct: null. */
  max: Cents | null;
}

export interface ComponentScore {
  name: string;
  score: Cents | null;
  max: Cents;
  defaulted: boolean;
}

export interface ScoreReport {
  checklist: { id: string; title: string; mode: 'award' | 'deduct' | 'weighted' };
  subject: string;
  assessed: string;
  assessors: string[];
  /** Which map of the result was scored. */
  field: ScoreField;
  /** deduct: the base score; award: null. */
  base: Cents | null;
  items: ItemScore[];
  sections: SectionScore[];
  components: ComponentScore[];
  /** award: Σ item scores; deduct: Σ per_occurrence × count (the change from base). */
  itemsTotal: Cents;
  /** award: Σ items + Σ components; deduct: base + Σ per_occurrence × count, kept within floor and cap. */
  total: Cents;
  /** deduct: base + Σ before floor and cap (equal to total unless one applied); award: total. */
  rawTotal: Cents;
  /** deduct: the scheme's floor and cap; null when it has none. */
  floor: Cents | null;
  cap: Cents | null;
  /** weighted: the parts of the total, nested, with how each figure was formed; otherwise empty. */
  parts: PartScore[];
  /** Each escalation table: occurrences counted and the sanction they reach (null below the first step). */
  escalations: { name: string; items: number[]; count: number; sanction: string | null; steps: { count: number; sanction: string }[] }[];
  /** 复核: the appeal, and the total before it (`total` and `rating` follow the revised score). */
  appeal: { date: string; reason: string; decision: string; revised: Cents | null; originalTotal: Cents; originalRating: string | null } | null;
  /** What a failed veto does here (the checklist's veto_effect, default void). */
  vetoEffect: VetoEffect;
  /** award: the scheme's total; deduct: null. */
  max: Cents | null;
  /**
   * Label of the first rating whose min ≤ total (a last rating without min takes every other total);
   * null when none is met, the scoring is incomplete, or a veto failed with effect void or last
   * (with effect lowest: the last rating's label).
   */
  rating: string | null;
  vetoed: boolean;
  /** The scheme has ratings (a 双评 ranks by total only). */
  rated: boolean;
  /** Numbers of the veto items that failed, in checklist order. */
  vetoes: number[];
  /** Every item and component has a score (always true for `scores`; self-assessments may be partial). */
  complete: boolean;
}

interface Award {
  score: Cents | null;
  level: string | null;
  findings: number | null;
  vetoFailed: boolean;
  defaulted: boolean;
}

/** One award item's entry → its score. `entry` undefined = no entry in the map. */
function awardItem(item: ChecklistItemData, entry: ScoreEntry | undefined, field: ScoreField, result: ResultData): Award {
  const points = cents(item.points ?? 0);
  const none = { level: null, findings: null, vetoFailed: false, defaulted: false };
  if (entry === undefined) {
    if (field === 'self_scores') return { ...none, score: null };
    if (result.default === 'full') return { ...none, score: points, defaulted: true };
    throw new ScoreInputError(`缺少条目 ${item.no} 的得分（结果中没有 default: full）。`);
  }
  if (typeof entry === 'number') return { ...none, score: cents(entry) };
  if ('level' in entry) {
    const level = item.levels?.find((l) => l.label === entry.level);
    if (!level) throw new ScoreInputError(`条目 ${item.no} 没有等级“${entry.level}”。`);
    return { ...none, score: cents(level.points), level: level.label };
  }
  if ('findings' in entry) {
    if (item.deduct_per_finding === undefined) throw new ScoreInputError(`条目 ${item.no} 没有设定 deduct_per_finding，不能按发现处数计分。`);
    const score = Math.max(0, points - entry.findings * cents(item.deduct_per_finding));
    return { ...none, score, findings: entry.findings };
  }
  if ('veto' in entry) {
    if (!item.veto) throw new ScoreInputError(`条目 ${item.no} 不是一票否决项。`);
    return { ...none, score: 0, vetoFailed: true };
  }
  throw new ScoreInputError(`条目 ${item.no} 的得分写法无法识别。`);
}

interface Deduct { per: Cents; count: number; exempt: number; reason: string | null; level: string | null; vetoFailed: boolean }

/** One deduct item's entry → occurrences (of one severity level), the exempt ones, or a failed veto. */
function deductItem(item: ChecklistItemData, entry: ScoreEntry | undefined): Deduct {
  const none: Deduct = { per: cents(item.per_occurrence ?? 0), count: 0, exempt: 0, reason: null, level: null, vetoFailed: false };
  if (entry === undefined) return none;
  if (typeof entry === 'number') {
    if (!Number.isInteger(entry) || entry < 0) throw new ScoreInputError(`扣分制条目 ${item.no} 应填写发生次数（非负整数）。`);
    if (item.levels?.length) throw new ScoreInputError(`扣分制条目 ${item.no} 分情节轻重，请写 { level: 情节, count: 次数 }。`);
    return { ...none, count: entry };
  }
  if ('veto' in entry) {
    if (!item.veto) throw new ScoreInputError(`条目 ${item.no} 不是一票否决项。`);
    return { ...none, vetoFailed: true };
  }
  if ('findings' in entry) throw new ScoreInputError(`扣分制条目 ${item.no} 应填写发生次数，不能写 findings。`);
  const e = entry as DeductEntry;
  const count = e.count ?? 1;
  const exempt = e.exempt ?? 0;
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(exempt) || exempt < 0 || exempt > count) {
    throw new ScoreInputError(`扣分制条目 ${item.no} 的次数应为非负整数，免扣次数不超过发生次数。`);
  }
  let per = none.per;
  if (item.levels?.length) {
    const level = item.levels.find((l) => l.label === e.level);
    if (!level) throw new ScoreInputError(`条目 ${item.no} 没有情节“${e.level ?? ''}”。`);
    per = cents(level.points);
  } else if (e.level !== undefined) throw new ScoreInputError(`条目 ${item.no} 没有定义情节档次（levels）。`);
  return { per, count, exempt, reason: e.reason ?? null, level: e.level ?? null, vetoFailed: false };
}

/** The rating a total earns: the first whose min is met; a last rating without min takes the rest. */
export function ratingFor(ratings: ChecklistData['ratings'], total: Cents): string | null {
  return (ratings ?? []).find((r) => r.min === undefined || cents(r.min) <= total)?.label ?? null;
}

function sumOrNull(values: (Cents | null)[]): Cents | null {
  const known = values.filter((v): v is Cents => v !== null);
  return known.length === 0 ? null : known.reduce((s, v) => s + v, 0);
}

/** Scores `result[field]` against `checklist`, exactly as the authoring contract says. */
export function scoreResult(checklist: ChecklistData, result: ResultData, field: ScoreField = 'scores'): ScoreReport {
  const map = result[field] ?? {};
  const selfMap = result.self_scores;
  const award = checklist.mode === 'award';
  const weighted = checklist.mode === 'weighted';
  const items: ItemScore[] = [];
  const sections: SectionScore[] = [];
  const vetoes: number[] = [];

  for (const section of checklist.sections) {
    const rows: ItemScore[] = [];
    for (const item of section.items) {
      const entry = map[String(item.no)];
      const selfEntry = selfMap?.[String(item.no)];
      let row: ItemScore;
      // weighted: an item with points is scored as in award mode, any other as in deduct mode
      if (award || (weighted && item.points !== undefined)) {
        const a = awardItem(item, entry, field, result);
        const self = selfMap ? awardItem(item, selfEntry, 'self_scores', result).score : null;
        row = {
          no: item.no, text: item.text, section: section.title,
          max: cents(item.points ?? 0), score: a.score, selfScore: self,
          level: a.level, findings: a.findings, veto: item.veto === true, vetoFailed: a.vetoFailed, defaulted: a.defaulted,
          perOccurrence: null, count: null, exempt: 0, exemptReason: null,
        };
        if (a.vetoFailed) vetoes.push(item.no);
      } else {
        const d = deductItem(item, entry);
        const sd = selfMap ? deductItem(item, selfEntry) : null;
        row = {
          no: item.no, text: item.text, section: section.title,
          max: null, score: d.per * (d.count - d.exempt), selfScore: sd ? sd.per * (sd.count - sd.exempt) : null,
          level: d.level, findings: null, veto: item.veto === true, vetoFailed: d.vetoFailed, defaulted: false,
          perOccurrence: d.per, count: d.count, exempt: d.exempt, exemptReason: d.reason,
        };
        if (d.vetoFailed) vetoes.push(item.no);
      }
      rows.push(row);
    }
    items.push(...rows);
    sections.push({
      title: section.title,
      score: sumOrNull(rows.map((r) => r.score)) ?? (rows.length === 0 ? 0 : null),
      max: rows.some((r) => r.max !== null) ? rows.reduce((s, r) => s + (r.max ?? 0), 0) : null,
    });
  }

  const components: ComponentScore[] = [];
  if (award) {
    for (const c of checklist.components ?? []) {
      const given = result.components?.[c.name];
      const max = cents(c.points);
      if (given !== undefined) components.push({ name: c.name, score: cents(given), max, defaulted: false });
      else if (result.default === 'full') components.push({ name: c.name, score: max, max, defaulted: true });
      else if (field === 'self_scores') components.push({ name: c.name, score: null, max, defaulted: false });
      else throw new ScoreInputError(`缺少组成部分“${c.name}”的得分（结果中没有 default: full）。`);
    }
  }

  const itemsTotal = items.reduce((s, r) => s + (r.score ?? 0), 0);
  const componentsTotal = components.reduce((s, c) => s + (c.score ?? 0), 0);
  let parts: PartScore[] = [];
  if (weighted) {
    const sums = new Map<string, SectionSums>(sections.map((sec) => [sec.title, { score: sec.score ?? 0, max: sec.max ?? 0, award: sec.max !== null }]));
    try {
      parts = scoreParts(checklist, result, sums);
    } catch (e) {
      if (e instanceof WeightedInputError) throw new ScoreInputError(e.message);
      throw e;
    }
  }
  const deduct = checklist.mode === 'deduct';
  const base = deduct ? cents(checklist.base ?? 0) : null;
  const floor = !deduct || checklist.floor === undefined ? null : cents(checklist.floor);
  const cap = !deduct || checklist.cap === undefined ? null : cents(checklist.cap);
  const rawTotal = award ? itemsTotal + componentsTotal : weighted ? parts.reduce((s, p) => s + p.contribution, 0) : base! + itemsTotal;
  const computedTotal = Math.min(cap ?? Infinity, Math.max(floor ?? -Infinity, rawTotal));
  const max = weighted ? 10000 : award
    ? checklist.total !== undefined
      ? cents(checklist.total)
      : items.reduce((s, r) => s + (r.max ?? 0), 0) + components.reduce((s, c) => s + c.max, 0)
    : null;
  const complete = items.every((r) => r.score !== null) && components.every((c) => c.score !== null);
  const vetoed = vetoes.length > 0;
  const vetoEffect = checklist.veto_effect ?? 'void';
  const ratings = checklist.ratings ?? [];
  const rateOf = (t: Cents): string | null => !complete ? null
    : vetoed ? (vetoEffect === 'lowest' ? ratings[ratings.length - 1]?.label ?? null : null)
    : ratingFor(ratings, t);
  const computedRating = rateOf(computedTotal);
  const a = field === 'scores' ? result.appeal : undefined;
  const revised = a?.revised_score === undefined ? null : cents(a.revised_score);
  const total = revised ?? computedTotal;
  const rating = revised === null ? computedRating : rateOf(revised);
  const appeal = a ? { date: a.date, reason: a.reason, decision: a.decision, revised, originalTotal: computedTotal, originalRating: computedRating } : null;
  const counts = new Map(items.map((i) => [i.no, (i.count ?? 0) - i.exempt]));
  const escalations = (checklist.escalation ?? []).map((e) => {
    const count = e.items.reduce((n, no) => n + (counts.get(no) ?? 0), 0);
    const steps = [...e.steps].sort((x, y) => x.count - y.count);
    return { name: e.name, items: e.items, count, sanction: [...steps].reverse().find((st) => st.count <= count)?.sanction ?? null, steps };
  });

  return {
    checklist: { id: checklist.id, title: checklist.title, mode: checklist.mode },
    subject: result.subject,
    assessed: result.assessed,
    assessors: result.assessors ?? [],
    field,
    base,
    items,
    sections,
    components,
    itemsTotal,
    total,
    rawTotal,
    floor,
    cap,
    parts,
    escalations,
    appeal,
    vetoEffect,
    max,
    rating,
    vetoed,
    rated: ratings.length > 0,
    vetoes,
    complete,
  };
}

const num = (c: Cents | null): number | null => (c === null ? null : fromCents(c));

/**
 * The `normkit score --json` object. The keys the contract names (checklist, subject, total, max,
 * rating, vetoed, vetoes, sections[title, score, max]) come first; the rest are extras.
 * Numbers are plain numbers computed from cents (92.7, not "92.70").
 */
export function toJson(report: ScoreReport): Record<string, unknown> {
  const award = report.checklist.mode === 'award';
  return {
    checklist: report.checklist.id,
    subject: report.subject,
    total: fromCents(report.total),
    max: num(report.max),
    rating: report.rating,
    vetoed: report.vetoed,
    vetoes: [...report.vetoes],
    sections: report.sections.map((s) => ({ title: s.title, score: num(s.score), max: num(s.max) })),
    checklist_title: report.checklist.title,
    mode: report.checklist.mode,
    assessed: report.assessed,
    assessors: [...report.assessors],
    veto_effect: report.vetoEffect,
    ...(report.appeal ? { appeal: { date: report.appeal.date, reason: report.appeal.reason, decision: report.appeal.decision, revised_score: num(report.appeal.revised), original_total: fromCents(report.appeal.originalTotal), original_rating: report.appeal.originalRating } } : {}),
    ...(report.escalations.length ? { escalations: report.escalations.map((e) => ({ name: e.name, items: [...e.items], count: e.count, sanction: e.sanction })) } : {}),
    ...(report.checklist.mode === 'deduct' ? { base: num(report.base), raw_total: fromCents(report.rawTotal), floor: num(report.floor), cap: num(report.cap) } : {}),
    ...(report.checklist.mode === 'weighted' ? { parts: flattenParts(report.parts).map(({ part: p, depth }) => ({
      name: p.name, depth, kind: p.kind, weight: fromCents(p.weight), share: fromCents(p.share),
      score: num(p.score), contribution: fromCents(p.contribution), max: fromCents(p.max),
      ...(p.kind === 'ballots' ? { ballots: p.ballots.map((b) => ({ label: b.label, value: fromCents(b.value), count: b.count })) } : {}),
      ...(p.kind === 'section' ? { section: p.section, section_score: num(p.sectionScore), section_max: num(p.sectionMax), percentage_points: p.percentagePoints } : {}),
      formula: p.formula,
    })) } : {}),
    items_total: fromCents(report.itemsTotal),
    components: report.components.map((c) => ({ name: c.name, score: num(c.score), max: fromCents(c.max), defaulted: c.defaulted })),
    items: report.items.map((r) => ({
      no: r.no,
      section: r.section,
      text: r.text,
      score: num(r.score),
      max: num(r.max),
      self_score: num(r.selfScore),
      ...(r.max !== null
        ? { level: r.level, findings: r.findings, veto: r.veto, veto_failed: r.vetoFailed, defaulted: r.defaulted }
        : { per_occurrence: num(r.perOccurrence), count: r.count, level: r.level, exempt: r.exempt, exempt_reason: r.exemptReason, veto: r.veto, veto_failed: r.vetoFailed }),
    })),
  };
}
