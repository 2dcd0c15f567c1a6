import type { Case, Complaint, Evaluation, EvidenceRulesData } from '../model/evidence.js';
import type { WorkCalendar } from './calendar.js';

/**
 * Deadlines in working days. The start day never counts (限时办结：开始之日不计算在办理时限内):
 * the n-th working day after it is the last day allowed.
 */

export const DEFAULT_RULES = {
  bad_review: { file_days: 0, contact_days: 2, simple_days: 5, complex_days: 15, revisit_days: 5 },
  complaint_reply_days: 5,
} as const;

export interface CaseDue {
  /** The day the clock starts after (acceptance, or the last 补正 completed). */
  start: number;
  /** Due without extension; undefined while a 补正 is pending (the clock is not running). */
  originalDue?: number;
  /** Last day allowed, extension included when it was asked for in time and approved. */
  due?: number;
  /** Working days the clock stood still (hearings, inspections, expert review …) before `due`. */
  stoppedDays: number;
  extensionDays: number;
  /** 超过承诺时限才提出延期申请 (超时 condition 三). */
  lateExtension: boolean;
  waiting: boolean;
}

/** Does this day count toward a case's limit? Working days, or every day for 自然日 items. */
function counts(c: Pick<Case, 'unit'>, cal: WorkCalendar, day: number): boolean {
  return c.unit === '工作日' ? cal.isWorkday(day) : true;
}

function limitDays(c: Pick<Case, 'unit' | 'promisedDays'>): number {
  // 小时: a 24-hour promise ends the next day; more hours, more whole days
  return c.unit === '小时' ? Math.ceil(c.promisedDays / 24) : c.promisedDays;
}

function countForward(c: Case, cal: WorkCalendar, start: number, n: number): { day: number; stopped: number } {
  let d = start;
  let stopped = 0;
  for (let left = n; left > 0;) {
    d++;
    if (!counts(c, cal, d)) continue;
    if (c.stops.some((s) => s.from <= d && d <= s.to)) { stopped++; continue; }
    left--;
  }
  return { day: d, stopped };
}

export function caseDue(c: Case, cal: WorkCalendar): CaseDue {
  const last = c.supplements[c.supplements.length - 1];
  // 补正 restarts the clock: 从补全材料的次日起计算
  const start = last ? last.completed ?? last.requested : c.accepted;
  if (last && last.completed === undefined) return { start, stoppedDays: 0, extensionDays: 0, lateExtension: false, waiting: true };
  const n = limitDays(c);
  const original = countForward(c, cal, start, n);
  const ext = c.extension;
  const lateExtension = ext !== undefined && ext.requested > original.day;
  if (ext && ext.approved !== undefined && !lateExtension && ext.days > 0) {
    const extended = countForward(c, cal, start, n + ext.days);
    return { start, originalDue: original.day, due: extended.day, stoppedDays: extended.stopped, extensionDays: ext.days, lateExtension, waiting: false };
  }
  return { start, originalDue: original.day, due: original.day, stoppedDays: original.stopped, extensionDays: 0, lateExtension, waiting: false };
}

/** Working (or, for 自然日 items, calendar) days from `due` to `day`: how late. */
export function daysOver(c: Pick<Case, 'unit'>, cal: WorkCalendar, due: number, day: number): number {
  return c.unit === '工作日' ? cal.workdaysBetween(due, day) : Math.max(0, day - due);
}

export type BadRules = Required<NonNullable<EvidenceRulesData['bad_review']>>;

export function badRules(rules: EvidenceRulesData | undefined): BadRules {
  return { ...DEFAULT_RULES.bad_review, ...(rules?.bad_review ?? {}) };
}

export interface BadDeadlines {
  file: number;
  contact: number;
  /** undefined for 解释说明 (nothing to rectify, only to explain). */
  rectify?: number;
  /** From rectification (or, for 解释说明, the contact); undefined until that happened. */
  revisit?: number;
}

/** “2、5、15”: contact within 2 working days, rectify simple cases within 5, complex ones within 15, return visit within 5 after. */
export function badReviewDeadlines(ev: Evaluation, cal: WorkCalendar, rules?: EvidenceRulesData): BadDeadlines {
  const r = badRules(rules);
  const bad = ev.bad!;
  const rectify = bad.class === '解释说明' ? undefined
    : cal.addWorkdays(ev.day, bad.class === '立行立改' ? 0 : bad.class === '复杂' ? r.complex_days : r.simple_days);
  const from = bad.class === '解释说明' ? bad.contacted : bad.rectified;
  return {
    file: cal.addWorkdays(ev.day, r.file_days),
    contact: cal.addWorkdays(ev.day, r.contact_days),
    rectify,
    revisit: from === undefined ? undefined : cal.addWorkdays(from, r.revisit_days),
  };
}

export function complaintDue(c: Complaint, cal: WorkCalendar): number {
  return cal.addWorkdays(c.received, c.replyDays);
}
