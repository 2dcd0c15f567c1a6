/** Shapes of the authored files once they pass their schemas (see schemas/*.schema.json). */

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
  poster?: { size?: 'A2' | 'A3' | 'A4' };
  systems?: SystemData[];
  notes?: string[];
  departments: DepartmentData[];
  fonts?: { title?: string; heading?: string; body?: string };
}

export type Category = 'quality' | 'openness' | 'efficiency' | 'mode' | 'management' | 'image' | 'supervision' | 'evaluation' | 'creation' | 'basics';
export type StandardStatus = 'draft' | 'current' | 'superseded' | 'withdrawn';

export interface StandardFront {
  code: string;
  title: string;
  category: Category;
  system: string;
  status: StandardStatus;
  issued?: string;
  effective?: string;
  replaces?: string;
  references?: string[];
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
}

export interface ChecklistData {
  id: string;
  title: string;
  mode: 'award' | 'deduct';
  description?: string;
  total?: number;
  base?: number;
  components?: { name: string; points: number }[];
  ratings?: { label: string; min: number }[];
  sections: { title: string; items: ChecklistItemData[] }[];
}

export type ScoreEntry = number | { level: string } | { veto: true } | { findings: number };

export interface ResultData {
  checklist: string;
  subject: string;
  assessed: string;
  assessors?: string[];
  default?: 'full';
  scores?: Record<string, ScoreEntry>;
  self_scores?: Record<string, ScoreEntry>;
  components?: Record<string, number>;
  remarks?: string;
}
