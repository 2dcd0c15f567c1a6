/** Shapes of the authored files once they pass their schemas (see schemas/*.schema.json). */

import type { EvidenceRulesData, EvidenceScoreData, TargetsData } from './evidence.js';

export interface DepartmentData { id: string; name: string; window?: string; phone?: string }
export interface SystemData { key: string; code: number; name: string }

export interface ProjectData {
  organization: string;
  code_prefix: string;
  layer?: string;
  locale?: 'zh-CN' | 'zh-CN+en';
  date?: string;
  hotlines?: { service?: string; complaint?: string };
  evaluation_url?: string;
  site_url?: string;
  site_qr?: 'digest' | 'always' | 'never';
  poster?: { size?: 'A2' | 'A3' | 'A4'; min_pt?: number; max_pt?: number; max_size?: 'A2' | 'A3' | 'A4' };
  systems?: SystemData[];
  notes?: string[];
  /** 有标采标: external standards the office adopts into its system. */
  adopted?: AdoptedData[];
  /** Standards the system should have but nobody has drafted yet (GB/T 13017 应有数). */
  planned?: PlannedData[];
  departments: DepartmentData[];
  fonts?: { title?: string; heading?: string; body?: string };
  /** 目标值 in per cent (满意率 98, 评价率 95 …), shown against the figures computed from evidence. */
  targets?: TargetsData;
  /** Deadlines of the evidence rules (差评 “2、5、15”, complaint replies). */
  evidence?: EvidenceRulesData;
}

export type AdoptedLevel = '国家' | '行业' | '地方' | '团体';
export interface AdoptedData { code: string; title: string; level: AdoptedLevel; adoption?: string; system: string; category: Category; status?: 'current' | 'superseded' | 'withdrawn' }
export interface PlannedData { title: string; level?: AdoptedLevel | '企业'; system: string; category: Category; owner?: string }

export type Category = 'quality' | 'openness' | 'efficiency' | 'mode' | 'management' | 'image' | 'supervision' | 'evaluation' | 'creation' | 'basics';
export type StandardStatus = 'draft' | 'current' | 'superseded' | 'withdrawn';

/** A 规范性引用文件 entry written out: its number and title (a bare string is the number only). */
export interface ReferenceData {
  code: string;
  title?: string;
}

export interface StandardFront {
  code: string;
  title: string;
  category: Category;
  system: string;
  status: StandardStatus;
  /** Stage of a draft, printed on its cover (default 征求意见稿). */
  draft_stage?: '征求意见稿' | '送审稿' | '报批稿';
  issued?: string;
  effective?: string;
  replaces?: string;
  /** 主要技术变化 written by the author; without it they are drafted from the two editions. */
  changes?: string[];
  references?: (string | ReferenceData)[];
  owner?: string;
  english_title?: string;
  ics?: string;
  ccs?: string;
  filing_no?: string;
  proposer?: string;
  drafters?: { units?: string[]; people?: string[] };
}

export type TimeUnit = '工作日' | '自然日' | '小时';

export type MaterialForm = '原件' | '复印件' | '电子件' | '原件及复印件';

export interface ItemData {
  code: string;
  name: string;
  basis: string[];
  conditions: string[];
  process: { step: string; detail?: string; days?: number }[];
  materials: { name: string; copies?: number; form?: MaterialForm; required?: boolean; note?: string; source?: string; originals?: number; photocopies?: number; filling_guide?: string }[];
  materials_note?: string;
  time_limit: { legal_days: number; promised_days: number; note?: string; unit?: TimeUnit; legal_note?: string; promised_note?: string };
  fee: { charged: boolean; standard?: string | null; basis?: string | null };
  result: string;
  department: string;
  type: string;
  window?: string;
  location?: string;
  hours?: string;
  phone?: string;
  online_url?: string;
  /** Short texts for the wall poster only; the guide keeps the full ones. */
  poster?: { basis?: string[]; materials_note?: string; commitment?: string };
  visits?: number;
  commitment?: string;
  service_objects?: string[];
  channels?: string[];
  faq?: { q: string; a: string }[];
  // GB/T 39046 fields a platform export carries (issue 18).
  base_code?: string;
  implementation_code?: string;
  level?: string;
  implementer?: { name: string; credit_code?: string };
  co_departments?: string[];
  intermediary_services?: string[];
  cross_region?: string;
  online?: { handled?: boolean; appointment?: boolean; payment?: boolean; delivery?: boolean };
  supervision_phone?: string;
  /** Export columns normkit has no field for, verbatim by column name. */
  platform?: Record<string, string>;
}

export interface LevelData { label: string; points: number }

export interface ChecklistItemData {
  no: number;
  text: string;
  points?: number;
  levels?: LevelData[];
  veto?: boolean;
  note?: string;
  standard?: string;
  method?: string;
  deduct_per_finding?: number;
  per_occurrence?: number;
  /** Scored from the evidence of the period (满意率, 超期办件 …) instead of a typed score. */
  evidence?: EvidenceScoreData;
}

/**
 * weighted: one part of the total. A part is nested `parts`, `ballots` (votes per grade × the
 * grade's value), `input: score` (a 0–100 figure from outside), or a `section` of items scored on
 * its own (award items: share of the section's points; deduct items: 100 plus the items, or with
 * `percentage_points` the items are points of the total taken from the part's weight).
 */
export interface WeightedPartData {
  name: string;
  /** Per cent of the parent (siblings sum to 100). */
  weight: number;
  parts?: WeightedPartData[];
  ballots?: { label: string; value: number }[];
  input?: 'score';
  section?: string;
  percentage_points?: boolean;
  note?: string;
}

/** A count → sanction table (违诺第一次批评，第二次通报批评，三次以上调离). */
export interface EscalationData {
  name: string;
  /** The items whose occurrences are counted. */
  items: number[];
  steps: { count: number; sanction: string }[];
}

/** 复核: the subject contested the result; the original score stays on the report. */
export interface AppealData {
  date: string;
  reason: string;
  decision: string;
  /** The total after review; absent when the decision kept the score. */
  revised_score?: number;
}

/** What a failed veto does: no rating, the lowest rating, or ranked after every other subject. */
export type VetoEffect = 'void' | 'lowest' | 'last';

export interface ChecklistData {
  id: string;
  title: string;
  mode: 'award' | 'deduct' | 'weighted';
  description?: string;
  /** weighted: the parts of the total, weights summing to 100 at each level. */
  parts?: WeightedPartData[];
  total?: number;
  base?: number;
  components?: { name: string; points: number }[];
  /** deduct: the lowest and highest total the scheme allows (the sum is clamped). */
  floor?: number;
  cap?: number;
  veto_effect?: VetoEffect;
  escalation?: EscalationData[];
  /** A rating stays valid this many years from the assessment (眉山：每2年评定一次). */
  valid_years?: number;
  /** The last rating may omit `min`: it is then the catch-all grade (低于70分的为不称职). */
  ratings?: { label: string; min?: number }[];
  sections: { title: string; items: ChecklistItemData[] }[];
}

/** deduct: occurrences of one row, optionally of one severity level, some of them exempt with a reason. */
export interface DeductEntry { count?: number; level?: string; exempt?: number; reason?: string }

export type ScoreEntry = number | { level: string; count?: number; exempt?: number; reason?: string } | { veto: true } | { findings: number } | DeductEntry;

export interface ResultData {
  checklist: string;
  subject: string;
  assessed: string;
  /** 考评期: 2024, 2024Q3 or 2024-07; default the year of `assessed`. */
  period?: string;
  assessors?: string[];
  default?: 'full';
  scores?: Record<string, ScoreEntry>;
  self_scores?: Record<string, ScoreEntry>;
  components?: Record<string, number>;
  /** weighted: by part name, a 0–100 score (`input: score`) or the ballots cast per grade. */
  parts?: Record<string, number | Record<string, number>>;
  remarks?: string;
  appeal?: AppealData;
  /** The rating was withdrawn (取消星级资格), e.g. after 违法违纪 during its validity. */
  revoked?: { date: string; reason: string };
}
