import type { Checklist, Project, Result } from '../model/project.js';
import { formatCents, type Cents } from '../scoring/decimal.js';
import { scoreResult, type ItemScore, type ScoreReport } from '../scoring/score.js';
import { comparePeriods, periodOf, type Period } from '../scoring/period.js';
import { ratingRegister, STATUS_TEXT } from '../scoring/register.js';
import { flattenParts, type PartScore } from '../scoring/weighted.js';
import {
  cellsFor, deductValue, fmt, itemDetails, ratingRanges, ratingsLine, signed, SIGNATURES, spanGroups, VETO_LEGEND, VETO_MARK, vetoEffectText,
  type Blank, type ColumnKey, type PartsTable, PART_COLUMNS, tableMode, type FormColumn, type FormRow, type FormTable,
} from './checklist-view.js';

/**
 * Score reports, rankings and the checklist index. All arithmetic comes from src/scoring/score.ts;
 * this module only arranges its results (in cents) for the two renderers.
 */

export interface ChartBar {
  label: string;
  /** Right edge of the label (labels are right-aligned against the plot). */
  labelX: number;
  /** Top and height of the bar; the row's centre line is y + h / 2. */
  y: number;
  h: number;
  /** The score: from x over w (a negative score in deduct mode lies left of the zero line). */
  x: number;
  w: number;
  color: string;
  /** Full marks behind the bar (award mode). */
  track?: { x: number; w: number };
  value: string;
  valueX: number;
  /** Text baseline of the label and value (SVG). */
  baseline: number;
}

/** One chart geometry in points; the PDF renderer scales it, the HTML renderer writes it as SVG. */
export interface BarChart {
  width: number;
  height: number;
  fontSize: number;
  bars: ChartBar[];
  /** The zero line. */
  axis: { x: number; y1: number; y2: number };
  ticks: { x: number; label: string }[];
  /** Where tick labels sit (their top). */
  tickY: number;
  /** Tick label baseline (SVG). */
  tickBaseline: number;
  legend: { x: number; y: number; color: string; label: string; outline?: boolean; textX: number; baseline: number }[];
  /** Accessible summary. */
  caption: string;
}

export interface ReportView {
  slug: string;
  checklistSlug: string;
  checklistTitle: string;
  /** The checklist's title; `subtitle` says what the page is (考评结果). */
  title: string;
  subtitle: string;
  /** The item table's style (see tableMode). */
  mode: 'award' | 'deduct';
  weighted: boolean;
  /** weighted: each part, its weight, its inputs and what it gives; `formulas` say how. */
  parts?: PartsTable;
  formulas: string[];
  /** Under the total in the summary box: the appeal (复核) and the sanctions reached. */
  summaryLines: string[];
  /** What the failed veto items led to, after “未通过，一票否决，”. */
  vetoConsequence: string;
  subject: string;
  assessed: string;
  assessedText: string;
  /** 考评期: 2024年第三季度 (the year of assessed when the result names none). */
  periodLabel: string;
  assessors: string;
  /** 总分 as shown: 92.7. */
  total: string;
  /** award: 100; deduct: undefined. */
  max?: string;
  base?: string;
  rating: string | null;
  vetoed: boolean;
  vetoItems: { no: number; text: string }[];
  /** The line under the total: 四星级 / 一票否决（第40项未通过） / 未达到评定等次. */
  verdict: string;
  verdictClass: 'rated' | 'vetoed' | 'unrated';
  ratings: { label: string; range: string }[];
  ratingsText: string;
  signatures: Blank[];
  sections: { title: string; score: string; max?: string }[];
  table: FormTable;
  chart: BarChart;
  remarks?: string;
  hasSelf: boolean;
  /** Lines under the table: ★ legend, ratings, remarks. */
  notes: string[];
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

/** The parts of a weighted result: weight, share, what was entered, the part's score and its points. */
function reportPartsTable(report: ScoreReport): PartsTable {
  const rows: PartsTable['rows'] = flattenParts(report.parts).map(({ part: p, depth }) => ({
    depth, kind: 'part' as const,
    cells: [p.name, `${formatCents(p.weight)}%`, `${formatCents(p.share)}%`, partInputs(p, report),
      p.score === null ? (p.percentagePoints ? '—' : '') : formatCents(p.score), formatCents(p.contribution), formatCents(p.max)],
  }));
  rows.push({ depth: 0, kind: 'total', cells: ['合计', '100%', '100%', '', '', formatCents(report.total), '100'] });
  return { columns: REPORT_PART_COLUMNS, rows };
}

const REPORT_PART_COLUMNS = [...PART_COLUMNS.slice(0, 3), '输入', '本部分得分', '计入总分', '满分'];

function partInputs(p: PartScore, report: ScoreReport): string {
  if (p.kind === 'ballots') return `${p.ballots.map((b) => `${b.label}${b.count}票`).join('、')}，共${p.ballots.reduce((s, b) => s + b.count, 0)}票`;
  if (p.kind === 'score') return '填报得分';
  if (p.kind === 'parts') return '下级部分之和';
  const hits = report.items.filter((i) => i.section === p.section && ((i.count ?? 0) > 0 || i.vetoFailed));
  const exempt = hits.reduce((s, i) => s + i.exempt, 0);
  if (!hits.length) return p.percentagePoints ? '无扣分' : `${p.section}`;
  return `${p.percentagePoints ? '扣' : ''}${formatCents(Math.abs(p.sectionScore ?? 0))}${p.percentagePoints ? '个百分点' : '分'}（第${hits.map((i) => i.no).join('、')}项${exempt ? `，免扣${exempt}次` : ''}）`;
}

/** 违诺：共2次（第1项），给予通报批评。 (第一次批评；第二次通报批评；3次及以上调离) */
export function escalationLine(e: ScoreReport['escalations'][number]): string {
  const table = e.steps.map((st, i) => `${st.count}次${i === e.steps.length - 1 ? '及以上' : ''}${st.sanction}`).join('；');
  return `${e.name}：共${e.count}次（第${e.items.join('、')}项），${e.sanction ? `应给予${e.sanction}` : '未达到处理标准'}（${table}）。`;
}

/** 复核 as printed: when, why, the decision, the revised and the original score. */
export function appealLine(a: NonNullable<ScoreReport['appeal']>): string {
  const revised = a.revised === null ? '维持原得分' : `复核后得分${formatCents(a.revised)}分`;
  return `复核：${dateText(a.date)}提出，理由：${a.reason}；复核决定：${a.decision}；${revised}（原得分${formatCents(a.originalTotal)}分${a.originalRating ? `，原评定结果${a.originalRating}` : ''}）。`;
}

/** 2024-12-05 → 2024年12月5日. */
export function dateText(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function awardScoreText(s: ItemScore | undefined, value: Cents | null): string {
  if (!s || value === null) return '';
  if (s.vetoFailed) return `${formatCents(value)}（未通过）`;
  if (s.level) return `${formatCents(value)}（${s.level}）`;
  if (s.findings !== null) return `${formatCents(value)}（发现${s.findings}处）`;
  return formatCents(value);
}

export function verdictOf(r: ScoreReport): { verdict: string; cls: ReportView['verdictClass'] } {
  const which = `第${r.vetoes.join('、')}项未通过`;
  if (r.vetoed && r.vetoEffect === 'lowest' && r.rating) return { verdict: `${r.rating}（一票否决，${which}）`, cls: 'vetoed' };
  if (r.vetoed && r.vetoEffect === 'last') return { verdict: `一票否决，列为最差（${which}）`, cls: 'vetoed' };
  if (r.vetoed) return { verdict: `一票否决（${which}）`, cls: 'vetoed' };
  if (r.rating) return { verdict: r.rating, cls: 'rated' };
  if (!r.rated) return { verdict: '不设等次', cls: 'rated' };
  return { verdict: '未达到评定等次', cls: 'unrated' };
}

/** One result as a filled form, a summary and a chart. */
export function reportView(project: Project, result: Result): ReportView {
  const cl = result.checklistRef;
  const report = scoreResult(cl, result);
  const hasSelf = result.self_scores !== undefined;
  const self = hasSelf ? scoreResult(cl, result, 'self_scores') : undefined;
  const award = tableMode(cl) === 'award';
  const weighted = cl.mode === 'weighted';
  const { verdict, cls } = verdictOf(report);
  // the computed total, before a revision on appeal
  const computed = report.appeal?.originalTotal ?? report.total;
  const columns: FormColumn[] = award
    ? [{ key: 'points', header: '分值' }, ...(hasSelf ? [{ key: 'self' as const, header: '自评分' }] : []), { key: 'score', header: '得分' }, { key: 'note', header: '备注' }]
    : [
      { key: 'perOccurrence', header: '每次扣（加）分' },
      ...(hasSelf ? [{ key: 'selfDelta' as const, header: '自评扣（加）分' }] : []),
      { key: 'count', header: '发生次数' },
      { key: 'delta', header: '扣（加）分' },
      { key: 'note', header: '备注' },
    ];
  const row = (r: Omit<FormRow, 'values' | 'details' | 'veto' | 'no' | 'text'> & Partial<FormRow>, given: Partial<Record<ColumnKey, string>>): FormRow =>
    ({ no: '', text: '', details: [], veto: false, ...r, values: cellsFor(columns, given) });
  const opt = (c: Cents | null | undefined): string => (c === null || c === undefined ? '' : formatCents(c));

  const rows: FormRow[] = [];
  const byNo = new Map(report.items.map((s) => [s.no, s]));
  const selfByNo = new Map((self?.items ?? []).map((s) => [s.no, s]));
  cl.sections.forEach((sec, si) => {
    for (const it of sec.items) {
      const s = byNo.get(it.no)!;
      const ss = selfByNo.get(it.no);
      const fromEvidence = result.evidence?.find((e) => e.no === it.no);
      const evidenceNote = fromEvidence ? `按证据：${fromEvidence.figure}，${fromEvidence.how}` : undefined;
      if (award) {
        rows.push(row({
          kind: 'item', group: sec.title, no: String(it.no), text: it.text, details: itemDetails(it), veto: it.veto === true, id: `item-${it.no}`,
          flag: s.vetoFailed ? 'failed' : s.score !== null && s.max !== null && s.score < s.max ? 'short' : undefined,
        }, { points: opt(s.max), self: awardScoreText(ss, ss?.score ?? null), score: awardScoreText(s, s.score), note: [it.note, evidenceNote].filter(Boolean).join(' ') || undefined }));
      } else {
        const count = s.count ?? 0;
        const selfCount = ss?.count ?? 0;
        const countText = s.vetoFailed ? '未通过' : count === 0 ? '' : `${count}${s.level ? `（${s.level}）` : ''}${s.exempt ? `，免扣${s.exempt}` : ''}`;
        const note = [it.note, s.exempt ? `免扣理由：${s.exemptReason ?? ''}` : undefined, evidenceNote].filter(Boolean).join(' ');
        rows.push(row({ kind: 'item', group: sec.title, no: String(it.no), text: it.text, details: itemDetails(it), veto: it.veto === true, id: `item-${it.no}`,
          flag: s.vetoFailed ? 'failed' : count > 0 ? 'hit' : undefined }, {
          perOccurrence: s.level ? signed(s.perOccurrence ?? 0) : deductValue(it),
          selfDelta: ss && selfCount > 0 ? `${signed(ss.score ?? 0)}（${selfCount}次）` : '',
          count: countText,
          delta: count > 0 ? signed(s.score ?? 0) : '',
          note: note || undefined,
        }));
      }
    }
    const sec2 = report.sections[si]!;
    // a self subtotal only when the whole section was self-assessed (a partial sum would mislead)
    const selfDone = !!self && sec.items.every((it) => selfByNo.get(it.no)?.score != null);
    const selfSec = selfDone ? self!.sections[si] : undefined;
    rows.push(row({ kind: 'subtotal', group: sec.title, text: '小计' }, award
      ? { points: opt(sec2.max), self: opt(selfSec?.score), score: opt(sec2.score) }
      : { delta: signed(sec2.score ?? 0), selfDelta: selfSec?.score ? signed(selfSec.score) : '' }));
  });
  if (weighted) {
    // the parts table carries the total; the item table only records the findings
  } else if (award) {
    if (report.components.length) {
      const selfItemsDone = !!self && self.items.every((i) => i.score !== null);
      rows.push(row({ kind: 'items-total', label: '考评项目合计' }, { points: opt(report.items.reduce((s, i) => s + (i.max ?? 0), 0)), self: selfItemsDone ? formatCents(self!.itemsTotal) : '', score: formatCents(report.itemsTotal) }));
      report.components.forEach((c, i) => {
        const sc = self?.components[i];
        rows.push(row({ kind: 'component', label: c.name, flag: c.score !== null && c.score < c.max ? 'short' : undefined }, { points: formatCents(c.max), self: opt(sc?.score), score: opt(c.score) }));
      });
    }
    rows.push(row({ kind: 'total', label: '合计', flag: report.vetoed ? 'failed' : undefined }, { points: opt(report.max), self: self?.complete ? formatCents(self.total) : '', score: formatCents(report.total), note: verdict }));
  } else {
    rows.push(row({ kind: 'base', label: '基础分' }, { delta: opt(report.base) }));
    const clamped = report.rawTotal !== computed
      ? `（合计${formatCents(report.rawTotal)}分，按${computed === report.floor ? '最低分' : '最高分'}${formatCents(computed)}分计）` : '';
    rows.push(row({ kind: 'total', label: '考评得分（基础分＋加分－扣分）', flag: report.vetoed ? 'failed' : undefined }, { delta: formatCents(report.total), selfDelta: self ? formatCents(self.total) : '', note: `${verdict}${clamped}` }));
  }

  const items = new Map(cl.sections.flatMap((s) => s.items).map((i) => [i.no, i]));
  return {
    slug: result.slug,
    checklistSlug: cl.slug,
    checklistTitle: cl.title,
    title: cl.title,
    subtitle: '考评结果',
    mode: award ? 'award' : 'deduct',
    weighted,
    parts: weighted ? reportPartsTable(report) : undefined,
    formulas: flattenParts(report.parts).map(({ part }) => part.formula),
    vetoConsequence: vetoEffectText(report.vetoEffect).replace('未达到要求的', ''),
    summaryLines: [...(result.revoked ? [`评定等次已于${dateText(result.revoked.date)}撤销：${result.revoked.reason}。`] : []), ...(report.appeal ? [appealLine(report.appeal)] : []), ...report.escalations.filter((e) => e.sanction).map(escalationLine)],
    subject: result.subject,
    assessed: result.assessed,
    assessedText: dateText(result.assessed),
    periodLabel: periodOf(result).label,
    assessors: (result.assessors ?? []).join('、'),
    total: formatCents(report.total),
    max: award || weighted ? opt(report.max) : undefined,
    base: award || weighted ? undefined : opt(report.base),
    rating: report.rating,
    vetoed: report.vetoed,
    vetoItems: report.vetoes.map((no) => ({ no, text: items.get(no)?.text ?? '' })),
    verdict,
    verdictClass: cls,
    ratings: ratingRanges(cl.ratings ?? []),
    ratingsText: ratingsLine(ratingRanges(cl.ratings ?? [])),
    signatures: SIGNATURES,
    sections: report.sections.map((s) => ({ title: s.title, score: award ? opt(s.score) : signed(s.score ?? 0), max: s.max === null ? undefined : formatCents(s.max) })),
    table: { columns, rows: spanGroups(rows) },
    chart: sectionChart(report),
    remarks: result.remarks,
    hasSelf,
    notes: [
      ...(result.remarks ? [`考评意见：${result.remarks}`] : []),
      ...(cl.sections.some((s) => s.items.some((i) => i.veto)) ? [`${VETO_LEGEND}：标${VETO_MARK}的项目为一票否决项，${vetoEffectText(report.vetoEffect).replace('未达到要求的', '未通过的')}。`] : []),
      ...(report.rawTotal !== computed ? [`加减分合计${formatCents(report.rawTotal)}分，${computed === report.floor ? '低于最低分' : '高于最高分'}，按${formatCents(computed)}分计。`] : []),
      ...report.escalations.filter((e) => !e.sanction).map(escalationLine),
      ...(self && !self.complete ? ['自评分栏只列被考评单位自评的项目；自评不全的类别不计自评小计。'] : []),
      ratingsLine(ratingRanges(cl.ratings ?? [])),
    ].filter(Boolean),
    meta: { title: `${result.subject} ${cl.title}考评结果`, author: project.organization, subject: '考评结果', keywords: `考评结果,${cl.id}`, date: project.date },
  };
}

const CHART = { width: 760, fontSize: 10.5, barH: 14, rowH: 26, top: 26, valueW: 76, accent: '#1f4e8c', failed: '#b3261e', bonus: '#2e7d32', track: '#e4e9f0' };

/** A tick step giving at most about five ticks: 1, 2, 5, 10, 20, 25, 50 … */
function tickStep(range: Cents): Cents {
  for (const m of [1, 10, 100, 1000]) for (const s of [100, 200, 250, 500]) if (range / (s * m) <= 5) return s * m;
  return 100000;
}

/**
 * Section scores as horizontal bars: award bars over a track of full marks, deduct bars left (扣分)
 * or right (加分) of the zero line. Geometry only; both renderers draw exactly this.
 */
export function sectionChart(report: ScoreReport): BarChart {
  const award = report.checklist.mode === 'award';
  const f = CHART.fontSize;
  const labelW = Math.max(4, ...report.sections.map((s) => [...s.title].length)) * f + 8;
  const x0 = labelW + 10;
  const plotW = CHART.width - x0 - CHART.valueW;
  const scores = report.sections.map((s) => s.score ?? 0);
  const vetoSections = new Set(report.items.filter((i) => i.vetoFailed).map((i) => i.section));
  const lo = award ? 0 : Math.min(0, ...scores);
  const hi = award ? Math.max(1, ...report.sections.map((s) => s.max ?? 0)) : Math.max(0, ...scores);
  const span = hi - lo || 100;
  const scale = plotW / span;
  const zeroX = x0 + (0 - lo) * scale;
  const bars: ChartBar[] = report.sections.map((s, i) => {
    const v = s.score ?? 0;
    const y = CHART.top + i * CHART.rowH + (CHART.rowH - CHART.barH) / 2;
    const x = v >= 0 ? zeroX : zeroX + v * scale;
    const w = Math.abs(v) * scale;
    const color = award ? (vetoSections.has(s.title) ? CHART.failed : CHART.accent) : v < 0 ? CHART.failed : CHART.bonus;
    const trackW = award && s.max !== null ? s.max * scale : undefined;
    const value = award ? `${formatCents(v)} / ${formatCents(s.max ?? 0)}` : signed(v);
    const valueX = (trackW !== undefined ? zeroX + trackW : Math.max(zeroX, x + w)) + 6;
    return { label: s.title, labelX: labelW, y, h: CHART.barH, x, w, color, track: trackW !== undefined ? { x: zeroX, w: trackW } : undefined, value, valueX, baseline: y + CHART.barH / 2 + f * 0.36 };
  });
  const bottom = CHART.top + report.sections.length * CHART.rowH;
  const step = tickStep(span);
  const ticks: BarChart['ticks'] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push({ x: zeroX + t * scale, label: formatCents(t) });
  const key = (x: number, color: string, label: string, outline?: boolean): BarChart['legend'][number] =>
    ({ x, y: 4, color, label, outline, textX: x + 14, baseline: 9 + f * 0.36 });
  const legend: BarChart['legend'] = award
    ? [key(x0, CHART.accent, '得分'), key(x0 + 60, CHART.track, '分值（满分）', true)]
    : [key(x0, CHART.failed, '扣分'), key(x0 + 60, CHART.bonus, '加分')];
  if (award && vetoSections.size) legend.push(key(x0 + 170, CHART.failed, '含未通过的一票否决项'));
  return {
    width: CHART.width,
    height: bottom + 22,
    fontSize: f,
    bars,
    axis: { x: zeroX, y1: CHART.top - 4, y2: bottom + 2 },
    ticks,
    tickY: bottom + 6,
    tickBaseline: bottom + 6 + f,
    legend,
    caption: report.sections.map((s, i) => `${s.title} ${bars[i]!.value}`).join('；'),
  };
}

export interface RankingRow {
  rank: number;
  subject: string;
  assessed: string;
  assessors: string;
  total: string;
  verdict: string;
  verdictClass: ReportView['verdictClass'];
  vetoed: boolean;
  reportSlug: string;
  /** 考评期 key and label (2024Q3, 2024年第三季度). */
  period: string;
  periodLabel: string;
}

/** One period's ranking: ranks restart in every period. */
export interface RankingPeriod {
  key: string;
  label: string;
  rows: RankingRow[];
  tally: { label: string; count: number }[];
}

export interface RankingView {
  slug: string;
  /** The checklist's title; `subtitle` says what the page is (考评结果汇总). */
  title: string;
  subtitle: string;
  checklistTitle: string;
  mode: 'award' | 'deduct';
  max?: string;
  /** Every period's rows, newest period first. */
  rows: RankingRow[];
  /** The rankings, one per period, newest first. */
  periods: RankingPeriod[];
  /** valid_years: 评定登记表, each subject's current rating as of the project date. */
  register?: { asOf: string; validYears: number; rows: { subject: string; rating: string; assessed: string; validUntil: string; status: string; revoked: boolean; note: string }[] };
  ratings: { label: string; range: string }[];
  ratingsText: string;
  notes: string[];
  signatures: Blank[];
  /** Counts per verdict, e.g. 四星级 1 个、一票否决 1 个. */
  tally: { label: string; count: number }[];
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

const RANK_VETO_NOTE = {
  void: '一票否决的对象排在所有未被否决的对象之后，列出总分但不予评定等次。',
  lowest: '一票否决的对象排在所有未被否决的对象之后，直接评为最低等次。',
  last: '一票否决的对象直接列为最差，排在所有对象之后。',
} as const;

export function resultsOf(project: Project, cl: Checklist): Result[] {
  return project.results.filter((r) => r.checklistRef === cl);
}

/** Ranking tiers: not vetoed, vetoed (void or lowest), vetoed with effect last (列为最差). */
function tier(s: ScoreReport): number {
  return !s.vetoed ? 0 : s.vetoEffect === 'last' ? 2 : 1;
}

/**
 * Ranks the subjects of each period by total (ties share a rank: 1, 1, 3); a failed veto ranks
 * after every other subject (effect last: after the other vetoed ones too). `only` keeps one period.
 */
export function rankingView(project: Project, cl: Checklist, only?: string): RankingView {
  const byPeriod = new Map<string, { period: Period; scored: { r: Result; s: ScoreReport }[] }>();
  for (const r of resultsOf(project, cl)) {
    const period = periodOf(r);
    if (only !== undefined && period.key !== only) continue;
    const group = byPeriod.get(period.key) ?? { period, scored: [] };
    group.scored.push({ r, s: scoreResult(cl, r) });
    byPeriod.set(period.key, group);
  }
  const order = [...(cl.ratings ?? []).map((r) => r.label), '未达到评定等次', '不设等次', '一票否决'];
  const periods: RankingPeriod[] = [...byPeriod.values()].sort((a, b) => comparePeriods(a.period, b.period)).map(({ period, scored }) => {
    scored.sort((a, b) => tier(a.s) - tier(b.s) || b.s.total - a.s.total || (a.r.subject < b.r.subject ? -1 : a.r.subject > b.r.subject ? 1 : 0));
    const rows: RankingRow[] = [];
    scored.forEach(({ r, s }, i) => {
      const prev = scored[i - 1];
      const rank = prev && prev.s.total === s.total && tier(prev.s) === tier(s) ? rows[i - 1]!.rank : i + 1;
      const v = verdictOf(s);
      rows.push({ rank, subject: r.subject, assessed: r.assessed, assessors: (r.assessors ?? []).join('、'), total: formatCents(s.total), verdict: v.verdict, verdictClass: v.cls, vetoed: s.vetoed, reportSlug: r.slug, period: period.key, periodLabel: period.label });
    });
    const tally = new Map<string, number>();
    for (const { s } of scored) {
      const key = s.vetoed ? '一票否决' : s.rating ?? (s.rated ? '未达到评定等次' : '不设等次');
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    return { key: period.key, label: period.label, rows, tally: order.filter((k) => tally.has(k)).map((label) => ({ label, count: tally.get(label)! })) };
  });
  const rows = periods.flatMap((p) => p.rows);
  const tally = order.map((label) => ({ label, count: periods.reduce((n, p) => n + (p.tally.find((t) => t.label === label)?.count ?? 0), 0) })).filter((t) => t.count > 0);
  const maxOf = cl.mode !== 'deduct' && rows.length ? scoreResult(cl, resultsOf(project, cl).find((r) => r.slug === rows[0]!.reportSlug)!).max : null;
  return {
    slug: `${cl.slug}-ranking`,
    title: cl.title,
    subtitle: '考评结果汇总',
    checklistTitle: cl.title,
    mode: tableMode(cl),
    max: maxOf !== null ? formatCents(maxOf) : undefined,
    rows,
    periods,
    register: cl.valid_years === undefined ? undefined : {
      asOf: project.date,
      validYears: cl.valid_years,
      rows: ratingRegister(cl, resultsOf(project, cl).map((r) => ({ data: r, ref: r.slug })), project.date).map((e) => ({
        subject: e.subject, rating: e.rating, assessed: e.assessed, validUntil: e.validUntil, status: STATUS_TEXT[e.status],
        revoked: e.status === 'revoked', note: e.revoked ? `${dateText(e.revoked.date)}撤销：${e.revoked.reason}` : '',
      })),
    },
    ratings: ratingRanges(cl.ratings ?? []),
    ratingsText: ratingsLine(ratingRanges(cl.ratings ?? [])),
    notes: [`名次按总分从高到低排列（一票否决的对象除外），总分相同的名次并列${periods.length > 1 ? '；各考评期分别排名' : ''}。`, ...(cl.sections.some((s) => s.items.some((i) => i.veto)) ? [RANK_VETO_NOTE[cl.veto_effect ?? 'void']] : [])],
    signatures: [{ label: '汇总人', width: 10 }, { label: '审核人', width: 10 }, { label: '日期', width: 9, date: true }],
    tally,
    meta: { title: `${cl.title}考评结果汇总`, author: project.organization, subject: '考评结果汇总', keywords: `考评结果,排名,${cl.id}`, date: project.date },
  };
}

export interface ChecklistIndexView {
  title: string;
  checklists: {
    slug: string;
    title: string;
    modeName: string;
    itemCount: number;
    scale: string;
    hasRanking: boolean;
    reports: { slug: string; subject: string; assessed: string; total: string; verdict: string; verdictClass: string }[];
  }[];
}

/** html/checklists/index.html: every checklist with its form, ranking and reports. */
export function checklistIndexView(project: Project): ChecklistIndexView {
  return {
    title: `${project.organization}考评表`,
    checklists: project.checklists.map((cl) => {
      const ranking = resultsOf(project, cl).length ? rankingView(project, cl) : undefined;
      return {
        slug: cl.slug,
        title: cl.title,
        modeName: cl.mode === 'weighted' ? '加权计分' : cl.mode === 'award' ? '逐项评分' : '扣分考核',
        itemCount: cl.sections.reduce((n, s) => n + s.items.length, 0),
        scale: cl.mode === 'weighted' ? '百分制' : cl.mode === 'award' ? `满分${fmt(cl.total ?? 0)}分` : `基础分${fmt(cl.base ?? 0)}分`,
        hasRanking: !!ranking,
        reports: (ranking?.rows ?? []).map((r) => ({ slug: r.reportSlug, subject: r.subject, assessed: r.assessed, total: r.total, verdict: r.verdict, verdictClass: r.verdictClass })),
      };
    }),
  };
}
