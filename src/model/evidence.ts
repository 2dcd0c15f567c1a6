/**
 * Daily evidence once checked: each record knows the file and line it came from, dates are day
 * numbers (see src/evidence/dates.ts). The figures computed from them live in src/evidence.
 */

export interface Where { file: string; line: number; column: number }

/** 满意度 after GB/T 39735: 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意 (4 and 5 are 差评). */
export type Level = 1 | 2 | 3 | 4 | 5;

/** How a 差评 is handled (“2、5、15”): 立行立改, 简单 (5 working days), 复杂 (15), 解释说明 (no legal basis: explain only). */
export type BadClass = '立行立改' | '简单' | '复杂' | '解释说明';

export interface Evaluation {
  at: Where;
  caseNo: string;
  channel: string;
  rater: string;
  /** Day of the rating, and the time as written (HH:MM) when there was one. */
  day: number;
  time: string;
  level: Level;
  comment: string;
  item?: string;
  window: string;
  staff: string;
  department: string;
  bad?: { class: BadClass; filed?: number; contacted?: number; rectified?: number; revisited?: number; handler: string; measures: string };
  /** Left out of every rate after review (恶意、误操作), kept with why and who decided. */
  excluded?: { kind: string; reason: string; reviewer: string; reviewed?: number };
}

export interface ClockStop { from: number; to: number; reason: string }

export interface Case {
  at: Where;
  caseNo: string;
  item: string;
  itemName: string;
  window: string;
  staff: string;
  department: string;
  accepted: number;
  /** 承诺时限 and its unit, from the item (or the row's own column). */
  promisedDays: number;
  unit: '工作日' | '自然日' | '小时';
  supplements: { requested: number; completed?: number }[];
  stops: ClockStop[];
  extension?: { requested: number; approved?: number; days: number };
  decided?: number;
  delivered?: number;
  onSite: boolean;
  /** 不予受理, with the reason given (none: 超时 condition 一). */
  refused?: { reason: string };
}

export interface Complaint {
  at: Where;
  no: string;
  channel: string;
  received: number;
  target: string;
  window: string;
  department: string;
  category: string;
  /** Working days to reply (the row's own, else the project's rule). */
  replyDays: number;
  replied?: number;
  /** 属实 | 部分属实 | 不属实 | '' (not yet found). */
  finding: string;
  revisited?: number;
}

/** project.yaml `evidence:` — the deadlines the centre works to (defaults: “2、5、15” and 5 days to reply). */
export interface EvidenceRulesData {
  bad_review?: { file_days?: number; contact_days?: number; simple_days?: number; complex_days?: number; revisit_days?: number };
  complaint_reply_days?: number;
  complaint_reply_days_by_channel?: Record<string, number>;
}

/** project.yaml `targets:` in per cent. */
export interface TargetsData {
  satisfaction_rate?: number;
  good_rate?: number;
  evaluation_rate?: number;
  on_time_rate?: number;
  on_site_rate?: number;
  revisit_rate?: number;
  complaint_reply_rate?: number;
  standard_coverage?: number;
  implementation_rate?: number;
}

/** A checklist item scored from evidence rather than typed in. */
export interface EvidenceScoreData {
  metric: string;
  /** Rate ≥ full_at: full marks; below: points × rate ÷ 100. */
  full_at?: number;
  /** Rate ≥ pass_at: full marks; below: 0. */
  pass_at?: number;
  /** A count above this fails the (veto) item, e.g. 0 for “全年无超期办件”. */
  veto_above?: number;
  /** Per finding (count) deducted from the points, floored at 0. */
  deduct_per?: number;
  window?: string;
  department?: string;
}

export interface EvidenceRecords {
  evaluations: Evaluation[];
  cases: Case[];
  complaints: Complaint[];
}

/** The evidence figures the catalog shows against `targets:` (the latest year with evidence). */
export interface EvidenceTotals {
  periodLabel: string;
  rates: Partial<Record<keyof TargetsData, { num: number; den: number }>>;
}
