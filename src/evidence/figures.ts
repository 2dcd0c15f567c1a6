import type { Case, Complaint, Evaluation, EvidenceRecords, EvidenceRulesData } from '../model/evidence.js';
import { parsePeriod, type Period } from '../scoring/period.js';
import type { WorkCalendar } from './calendar.js';
import { dayNumber, isoOf } from './dates.js';
import { badReviewDeadlines, caseDue, complaintDue, daysOver, type BadDeadlines, type CaseDue } from './deadlines.js';
import { rate, type Rate } from './rates.js';

/**
 * The figures of one period: rates per window, item, department and month, the 差评 ledger, the
 * overdue cases and complaints. Pure: records and calendar in, numbers out. “Now” is `asOf`
 * (default the period's last day), so a report never changes with the clock.
 */

export interface PeriodRange { period: Period; from: number; to: number }

export function periodRange(key: string): PeriodRange | undefined {
  const p = parsePeriod(key);
  if (!p) return undefined;
  const months = p.kind === 'year' ? 12 : p.kind === 'quarter' ? 3 : 1;
  const from = dayNumber(`${p.year}-${String(p.month).padStart(2, '0')}-01`)!;
  const endMonth = p.month + months; // first month after
  const to = dayNumber(endMonth > 12 ? `${p.year + 1}-01-01` : `${p.year}-${String(endMonth).padStart(2, '0')}-01`)! - 1;
  return { period: p, from, to };
}

export const monthOf = (day: number): string => isoOf(day).slice(0, 7);

export type StepState = 'ok' | 'late' | 'open' | 'overdue' | 'n/a';

/** One step of a deadline: done in time, done late, not yet due, or past due and not done. */
export function stepState(due: number | undefined, done: number | undefined, asOf: number): StepState {
  if (due === undefined) return done === undefined ? 'n/a' : 'ok';
  if (done !== undefined) return done <= due ? 'ok' : 'late';
  return asOf > due ? 'overdue' : 'open';
}

export interface LedgerRow {
  ev: Evaluation;
  due: BadDeadlines;
  file: StepState;
  contact: StepState;
  rectify: StepState;
  revisit: StepState;
  /** Any step late or past due. */
  overdue: boolean;
}

export type CaseStatus = 'on_time' | 'late' | 'open' | 'open_overdue' | 'waiting' | 'refused';

/** The four 超时 conditions of the township 限时办结 rules (第十四条), plus plain lateness. */
export const CONDITIONS = {
  refused: '无正当理由对办事人的申请不予受理',
  no_reply: '不按规定给申请人答复',
  late_extension: '超过承诺办结时限才提出延期申请',
  late_delivery: '在承诺时限内未将办理结果交付办事人',
  late: '超过承诺时限办结',
} as const;
export type Condition = keyof typeof CONDITIONS;

export interface CaseOutcome {
  c: Case;
  due: CaseDue;
  status: CaseStatus;
  conditions: Condition[];
  overdue: boolean;
  /** How many (working) days past due at decision, or at asOf when still open. */
  daysOver: number;
}

export function caseOutcome(c: Case, cal: WorkCalendar, asOf: number): CaseOutcome {
  const due = caseDue(c, cal);
  const conditions: Condition[] = [];
  if (c.refused) {
    if (!c.refused.reason) conditions.push('refused');
    return { c, due, status: 'refused', conditions, overdue: conditions.length > 0, daysOver: 0 };
  }
  if (due.lateExtension) conditions.push('late_extension');
  let status: CaseStatus;
  let over = 0;
  if (due.due === undefined) status = 'waiting';
  else if (c.decided !== undefined) {
    status = c.decided <= due.due ? 'on_time' : 'late';
    if (status === 'late') { conditions.push('late'); over = daysOver(c, cal, due.due, c.decided); }
    if (status === 'on_time' && c.delivered !== undefined && c.delivered > due.due) { conditions.push('late_delivery'); over = daysOver(c, cal, due.due, c.delivered); }
  } else if (asOf > due.due) {
    status = 'open_overdue';
    conditions.push('no_reply');
    over = daysOver(c, cal, due.due, asOf);
  } else status = 'open';
  if (status === 'on_time' && conditions.length) status = 'late';
  return { c, due, status, conditions, overdue: conditions.length > 0, daysOver: over };
}

export interface ComplaintOutcome {
  c: Complaint;
  due: number;
  reply: StepState;
  valid: boolean;
  daysOver: number;
}

export function complaintOutcome(c: Complaint, cal: WorkCalendar, asOf: number): ComplaintOutcome {
  const due = complaintDue(c, cal);
  const reply = stepState(due, c.replied, asOf);
  const end = c.replied ?? asOf;
  return { c, due, reply, valid: c.finding === '属实' || c.finding === '部分属实', daysOver: reply === 'late' || reply === 'overdue' ? cal.workdaysBetween(due, end) : 0 };
}

export interface GroupFigures {
  key: string;
  label: string;
  /** Evaluations counted (not excluded), excluded after review, and by kind. */
  evaluations: number;
  excluded: number;
  good: number;
  basic: number;
  bad: number;
  goodRate: Rate;
  badRate: Rate;
  satisfactionRate: Rate;
  /** Cases decided in the period and how many of them were rated (valid rating). */
  cases: number;
  ratedCases: number;
  evaluationRate: Rate;
  onTime: number;
  onTimeRate: Rate;
  onSite: number;
  onSiteRate: Rate;
  overdueCases: number;
  complaints: number;
  validComplaints: number;
  overdueComplaints: number;
  badReviews: number;
  revisited: number;
  revisitRate: Rate;
  overdueBadReviews: number;
}

export interface EvidenceFigures {
  range: PeriodRange;
  asOf: number;
  total: GroupFigures;
  byWindow: GroupFigures[];
  byItem: GroupFigures[];
  byDepartment: GroupFigures[];
  byMonth: GroupFigures[];
  /** Department × month, for the monthly summary per department. */
  byDepartmentMonth: Map<string, GroupFigures[]>;
  ledger: LedgerRow[];
  overdueCases: CaseOutcome[];
  overdueComplaints: ComplaintOutcome[];
  excluded: Evaluation[];
  /** Cases still waiting for 补正 at asOf, with no clock running. */
  waiting: number;
}

export interface Scope { window?: string; department?: string; item?: string }

interface Facts {
  evals: Evaluation[];
  cases: CaseOutcome[];
  complaints: ComplaintOutcome[];
  ledger: LedgerRow[];
  /** Case numbers that carry a valid rating (rated at any time). */
  ratedNos: Set<string>;
}

function figuresOf(key: string, label: string, f: Facts): GroupFigures {
  const valid = f.evals.filter((e) => !e.excluded);
  const good = valid.filter((e) => e.level <= 2).length;
  const basic = valid.filter((e) => e.level === 3).length;
  const bad = valid.filter((e) => e.level >= 4).length;
  const decided = f.cases.filter((o) => o.c.decided !== undefined && o.status !== 'refused');
  const onTime = decided.filter((o) => o.status === 'on_time').length;
  const onSite = decided.filter((o) => o.c.onSite).length;
  const ratedCases = decided.filter((o) => f.ratedNos.has(o.c.caseNo)).length;
  const ledger = f.ledger;
  // 回访率 over the bad reviews that are done (已办结的差评): rectified, or explained
  const closed = ledger.filter((l) => (l.ev.bad!.class === '解释说明' ? l.ev.bad!.contacted : l.ev.bad!.rectified) !== undefined);
  const revisited = closed.filter((l) => l.ev.bad!.revisited !== undefined).length;
  return {
    key, label,
    evaluations: valid.length, excluded: f.evals.length - valid.length, good, basic, bad,
    goodRate: rate(good, valid.length), badRate: rate(bad, valid.length), satisfactionRate: rate(good + basic, valid.length),
    cases: decided.length, ratedCases, evaluationRate: rate(ratedCases, decided.length),
    onTime, onTimeRate: rate(onTime, decided.length), onSite, onSiteRate: rate(onSite, decided.length),
    overdueCases: f.cases.filter((o) => o.overdue).length,
    complaints: f.complaints.length, validComplaints: f.complaints.filter((c) => c.valid).length,
    overdueComplaints: f.complaints.filter((c) => c.reply === 'late' || c.reply === 'overdue').length,
    badReviews: ledger.length, revisited, revisitRate: rate(revisited, closed.length),
    overdueBadReviews: ledger.filter((l) => l.overdue).length,
  };
}

function groupBy(f: Facts, keyOf: { ev: (e: Evaluation) => string; c: (c: Case) => string; cp: (c: Complaint) => string }, labelOf: (k: string) => string, always: string[] = []): GroupFigures[] {
  const keys = new Set<string>();
  const part = new Map<string, Facts>();
  const get = (k: string): Facts => {
    let x = part.get(k);
    if (!x) { keys.add(k); part.set(k, (x = { evals: [], cases: [], complaints: [], ledger: [], ratedNos: f.ratedNos })); }
    return x;
  };
  for (const k of always) get(k);
  for (const e of f.evals) get(keyOf.ev(e)).evals.push(e);
  for (const l of f.ledger) get(keyOf.ev(l.ev)).ledger.push(l);
  for (const o of f.cases) get(keyOf.c(o.c)).cases.push(o);
  for (const o of f.complaints) get(keyOf.cp(o.c)).complaints.push(o);
  return [...keys].filter((k) => k !== '').sort().map((k) => figuresOf(k, labelOf(k), part.get(k)!));
}

const inScope = (s: Scope | undefined, x: { window: string; department: string; item?: string }): boolean =>
  !s || ((s.window === undefined || x.window === s.window) && (s.department === undefined || x.department === s.department) && (s.item === undefined || x.item === s.item));

export function computeFigures(
  records: EvidenceRecords, cal: WorkCalendar, rules: EvidenceRulesData | undefined, periodKey: string,
  opts: { asOf?: number; scope?: Scope; departmentName?: (id: string) => string; itemName?: (code: string) => string } = {},
): EvidenceFigures {
  const range = periodRange(periodKey);
  if (!range) throw new RangeError(`period ${periodKey}`);
  const { from, to } = range;
  const asOf = opts.asOf ?? to;
  const inP = (d: number | undefined): boolean => d !== undefined && d >= from && d <= to;
  const scope = opts.scope;
  const allEvals = records.evaluations.filter((e) => inScope(scope, e));
  const ratedNos = new Set(allEvals.filter((e) => !e.excluded).map((e) => e.caseNo));
  const evals = allEvals.filter((e) => inP(e.day));
  const ledger: LedgerRow[] = evals.filter((e) => e.bad && !e.excluded).map((ev) => {
    const due = badReviewDeadlines(ev, cal, rules);
    const b = ev.bad!;
    const row = {
      ev, due,
      file: stepState(due.file, b.filed, asOf),
      contact: stepState(due.contact, b.contacted, asOf),
      rectify: stepState(due.rectify, b.rectified, asOf),
      revisit: due.revisit === undefined ? ((b.class === '解释说明' ? b.contacted : b.rectified) === undefined ? 'open' as StepState : 'n/a' as StepState) : stepState(due.revisit, b.revisited, asOf),
    };
    return { ...row, overdue: [row.file, row.contact, row.rectify, row.revisit].some((s) => s === 'late' || s === 'overdue') };
  });
  // A case belongs to the period it was decided in; an open one to every period up to asOf after its acceptance.
  const cases = records.cases.filter((c) => inScope(scope, c)).map((c) => caseOutcome(c, cal, asOf))
    .filter((o) => (o.c.decided !== undefined ? inP(o.c.decided) : o.c.refused ? inP(o.c.accepted) : o.c.accepted <= to));
  const complaints = records.complaints.filter((c) => inScope(scope, { ...c, item: undefined })).filter((c) => inP(c.received)).map((c) => complaintOutcome(c, cal, asOf));
  const facts: Facts = { evals, cases, complaints, ledger, ratedNos };
  const dName = opts.departmentName ?? ((k: string) => k);
  const iName = opts.itemName ?? ((k: string) => k);
  const byDepartment = groupBy(facts, { ev: (e) => e.department, c: (c) => c.department, cp: (c) => c.department }, dName);
  const monthKeys = { ev: (e: Evaluation) => monthOf(e.day), c: (c: Case) => monthOf(c.decided ?? c.accepted), cp: (c: Complaint) => monthOf(c.received) };
  const monthLabel = (k: string): string => `${Number(k.slice(0, 4))}年${Number(k.slice(5))}月`;
  // every month of the period has a row, so a trend shows the months without records too
  const months: string[] = [];
  for (let d = from; d <= to; d += 28) if (!months.includes(monthOf(d))) months.push(monthOf(d));
  if (!months.includes(monthOf(to))) months.push(monthOf(to));
  const byDepartmentMonth = new Map<string, GroupFigures[]>();
  for (const d of byDepartment) {
    const sub: Facts = {
      evals: evals.filter((e) => e.department === d.key), cases: cases.filter((o) => o.c.department === d.key),
      complaints: complaints.filter((o) => o.c.department === d.key), ledger: ledger.filter((l) => l.ev.department === d.key), ratedNos,
    };
    byDepartmentMonth.set(d.key, groupBy(sub, monthKeys, monthLabel, months));
  }
  return {
    range, asOf,
    total: figuresOf('', range.period.label, facts),
    byWindow: groupBy(facts, { ev: (e) => e.window, c: (c) => c.window, cp: (c) => c.window || c.target }, (k) => k),
    byItem: groupBy(facts, { ev: (e) => e.item ?? '', c: (c) => c.item, cp: () => '' }, iName),
    byDepartment,
    byMonth: groupBy(facts, monthKeys, monthLabel, months),
    byDepartmentMonth,
    ledger: ledger.sort((a, b) => a.ev.day - b.ev.day || a.ev.caseNo.localeCompare(b.ev.caseNo)),
    overdueCases: cases.filter((o) => o.overdue).sort((a, b) => b.daysOver - a.daysOver || a.c.caseNo.localeCompare(b.c.caseNo)),
    overdueComplaints: complaints.filter((o) => o.reply === 'late' || o.reply === 'overdue').sort((a, b) => a.c.received - b.c.received),
    excluded: evals.filter((e) => e.excluded),
    waiting: cases.filter((o) => o.status === 'waiting').length,
  };
}
