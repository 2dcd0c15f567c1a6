import type { ChecklistData, ChecklistItemData, ScoreEntry } from '../model/data.js';
import type { EvidenceScoreData, EvidenceTotals, TargetsData } from '../model/evidence.js';
import { cents, fromCents } from '../scoring/decimal.js';
import type { GroupFigures } from './figures.js';
import { meets, percent, percentText, type Rate } from './rates.js';

/**
 * Named measures of the evidence: what a checklist item (`evidence: { metric }`) and the project's
 * `targets:` refer to. A rate is a Rate; a count is a number of records.
 */

export interface Metric {
  label: string;
  kind: 'rate' | 'count';
  of: (g: GroupFigures) => Rate | number;
}

export const METRICS: Record<string, Metric> = {
  satisfaction_rate: { label: '满意率', kind: 'rate', of: (g) => g.satisfactionRate },
  good_rate: { label: '好评率', kind: 'rate', of: (g) => g.goodRate },
  bad_rate: { label: '差评率', kind: 'rate', of: (g) => g.badRate },
  evaluation_rate: { label: '评价率', kind: 'rate', of: (g) => g.evaluationRate },
  on_time_rate: { label: '按时办结率', kind: 'rate', of: (g) => g.onTimeRate },
  on_site_rate: { label: '现场办结率', kind: 'rate', of: (g) => g.onSiteRate },
  revisit_rate: { label: '差评回访率', kind: 'rate', of: (g) => g.revisitRate },
  complaint_reply_rate: { label: '投诉按时答复率', kind: 'rate', of: (g) => ({ num: g.complaints - g.overdueComplaints, den: g.complaints }) },
  overdue_cases: { label: '超期办件', kind: 'count', of: (g) => g.overdueCases },
  overdue_bad_reviews: { label: '差评整改超期', kind: 'count', of: (g) => g.overdueBadReviews },
  overdue_complaints: { label: '投诉答复超期', kind: 'count', of: (g) => g.overdueComplaints },
  valid_complaints: { label: '有效投诉', kind: 'count', of: (g) => g.validComplaints },
  bad_reviews: { label: '差评', kind: 'count', of: (g) => g.badReviews },
};

export function metricText(name: string, g: GroupFigures): string {
  const m = METRICS[name]!;
  const v = m.of(g);
  return typeof v === 'number' ? `${m.label} ${v} 件` : `${m.label} ${percentText(v)}（${v.num}/${v.den}）`;
}

/** What an evidence-scored item was given, and from which figure. */
export interface EvidenceScore {
  no: number;
  metric: string;
  label: string;
  /** The figure as printed: 97.35%（1,234/1,268）, or 3 件. */
  figure: string;
  value: number | null;
  entry?: ScoreEntry;
  /** How the points follow from the figure. */
  how: string;
  /** Why no score could be computed (no evidence in the period). */
  problem?: string;
}

const fmtPts = (c: number): string => fromCents(c).toString();

export function scoreFromEvidence(item: ChecklistItemData, spec: EvidenceScoreData, g: GroupFigures): EvidenceScore {
  const m = METRICS[spec.metric]!;
  const v = m.of(g);
  const base = { no: item.no, metric: spec.metric, label: m.label, figure: metricText(spec.metric, g) };
  const points = cents(item.points ?? 0);
  if (typeof v === 'number') {
    if (spec.veto_above !== undefined) {
      const failed = v > spec.veto_above;
      if (item.veto) return { ...base, value: v, entry: failed ? { veto: true } : fromCents(points), how: failed ? `${v} > ${spec.veto_above}，一票否决` : `${v} ≤ ${spec.veto_above}，通过` };
      return { ...base, value: v, entry: failed ? 0 : fromCents(points), how: failed ? `${v} > ${spec.veto_above}，不得分` : `${v} ≤ ${spec.veto_above}，得满分` };
    }
    if (item.per_occurrence !== undefined || item.points === undefined) return { ...base, value: v, entry: v, how: `按 ${v} 次计` };
    const per = cents(spec.deduct_per ?? item.deduct_per_finding ?? 0);
    const s = Math.max(0, points - v * per);
    return { ...base, value: v, entry: fromCents(s), how: `${fmtPts(points)} − ${v} × ${fmtPts(per)} = ${fmtPts(s)}` };
  }
  const p = percent(v);
  if (p === null) return { ...base, value: null, how: '', problem: `考评期内没有可计算${m.label}的证据（分母为 0）` };
  if (spec.pass_at !== undefined) {
    const ok = meets(v, spec.pass_at);
    return { ...base, value: p, entry: ok ? fromCents(points) : 0, how: ok ? `≥ ${spec.pass_at}%，得满分` : `< ${spec.pass_at}%，不得分` };
  }
  if (spec.full_at !== undefined && meets(v, spec.full_at)) return { ...base, value: p, entry: fromCents(points), how: `≥ ${spec.full_at}%，得满分` };
  // points × rate, rounded half up to hundredths on the counts
  const s = Math.round((points * v.num) / v.den);
  return { ...base, value: p, entry: fromCents(s), how: `${spec.full_at !== undefined ? `< ${spec.full_at}%，` : ''}${fmtPts(points)} × ${p.toFixed(2)}% = ${fmtPts(s)}` };
}

/** Every evidence item of a checklist with the scope its spec names. */
export function evidenceItems(cl: ChecklistData): { item: ChecklistItemData; spec: EvidenceScoreData }[] {
  return cl.sections.flatMap((s) => s.items).filter((i) => i.evidence).map((item) => ({ item, spec: item.evidence! }));
}

export interface TargetRow { key: keyof TargetsData; label: string; target: number; figure: string; met: boolean | null }

const TARGET_METRIC: Partial<Record<keyof TargetsData, string>> = {
  satisfaction_rate: 'satisfaction_rate', good_rate: 'good_rate', evaluation_rate: 'evaluation_rate', on_time_rate: 'on_time_rate',
  on_site_rate: 'on_site_rate', revisit_rate: 'revisit_rate', complaint_reply_rate: 'complaint_reply_rate',
};
const TARGET_LABEL: Record<keyof TargetsData, string> = {
  satisfaction_rate: '满意率', good_rate: '好评率', evaluation_rate: '评价率', on_time_rate: '按时办结率', on_site_rate: '现场办结率',
  revisit_rate: '差评回访率', complaint_reply_rate: '投诉按时答复率', standard_coverage: '标准覆盖率', implementation_rate: '标准实施率',
};

/** Targets against the figures; null `met` where the evidence cannot say (standard coverage, no data). */
export function targetRows(targets: TargetsData | undefined, g: GroupFigures, extra: Partial<Record<keyof TargetsData, Rate>> = {}): TargetRow[] {
  return targetRowsFrom(targets, { ...targetRates(g), ...extra });
}

/** The evidence rates that targets name, of one group of figures. */
export function targetRates(g: GroupFigures): Partial<Record<keyof TargetsData, Rate>> {
  const out: Partial<Record<keyof TargetsData, Rate>> = {};
  for (const [key, metric] of Object.entries(TARGET_METRIC) as [keyof TargetsData, string][]) out[key] = METRICS[metric]!.of(g) as Rate;
  return out;
}

export function targetRowsFrom(targets: TargetsData | undefined, rates: Partial<Record<keyof TargetsData, Rate>>): TargetRow[] {
  return (Object.entries(targets ?? {}) as [keyof TargetsData, number][]).map(([key, target]) => {
    const r = rates[key];
    if (!r || r.den === 0) return { key, label: TARGET_LABEL[key], target, figure: '—', met: null };
    return { key, label: TARGET_LABEL[key], target, figure: `${percentText(r)}（${r.num}/${r.den}）`, met: meets(r, target) };
  });
}

/** Targets of the catalog: standard coverage from the catalog itself, implementation from the assessments, the rest from the build's evidence totals. */
export function catalogTargetRows(targets: TargetsData | undefined, totals: EvidenceTotals | undefined, coverage: Rate, implementation?: Rate): TargetRow[] {
  return targetRowsFrom(targets, { ...(totals?.rates ?? {}), standard_coverage: coverage, ...(implementation ? { implementation_rate: implementation } : {}) });
}
