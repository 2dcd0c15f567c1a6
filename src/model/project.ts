import type { CheckedSources } from './checked.js';
import type { EvidenceTotals, TargetsData } from './evidence.js';
import { CATEGORY_ORDER, DEFAULT_SYSTEMS } from './domain.js';
import type { AdoptedData, Category, ChecklistData, DepartmentData, ItemData, PlannedData, ProjectData, ResultData, StandardStatus, SystemData } from './data.js';
import { buildClauses, type Block } from './clauses.js';
import { normalizeStandardNumber, referenceCode } from './standard-number.js';
import { uniqueSlugs } from './slug.js';

export const CATEGORY_NAMES: Record<Category, string> = Object.fromEntries(CATEGORY_ORDER) as Record<Category, string>;
export const CATEGORIES = CATEGORY_ORDER.map(([k]) => k as Category);
export const STATUS_NAMES: Record<StandardStatus, string> = { draft: '草案', current: '现行', superseded: '被代替', withdrawn: '废止' };

export interface Standard {
  file: string;
  slug: string;
  code: string;
  title: string;
  category: Category;
  system: string;
  status: StandardStatus;
  draftStage?: '征求意见稿' | '送审稿' | '报批稿';
  issued?: string;
  effective?: string;
  replaces?: string;
  /** 主要技术变化 as the author wrote them (undefined: drafted from the editions). */
  changes?: string[];
  /** Set when a newer standard in the project replaces this one. */
  replacedBy?: string;
  references: string[];
  /** The same references with the titles the author gave (in order). */
  referenceList: { code: string; title?: string }[];
  owner?: string;
  englishTitle?: string;
  ics?: string;
  ccs?: string;
  filingNo?: string;
  proposer: string;
  drafters: { units: string[]; people: string[] };
  /** 体系表编号: system code + sequence, e.g. 201. */
  tableNo: string;
  body: Block[];
}

export interface Department extends DepartmentData {
  slug: string;
  items: Item[];
}

export interface Item extends Omit<ItemData, 'department'> {
  file: string;
  slug: string;
  department: Department;
}

export interface Checklist extends ChecklistData { file: string; slug: string }
export interface Result extends ResultData {
  file: string;
  slug: string;
  checklistRef: Checklist;
  /** Items scored from evidence: the figure each was given (set when the build computed them). */
  evidence?: { no: number; figure: string; how: string }[];
}

export interface Project {
  root: string;
  organization: string;
  codePrefix: string;
  layer: string;
  locale: 'zh-CN' | 'zh-CN+en';
  /** Version date: the creation date written into every PDF, so rebuilds are byte-identical. */
  date: string;
  hotlines: { service?: string; complaint?: string };
  evaluationUrl?: string;
  /** Where out/html is published (ends with /), for QR codes that lead to an item's page. */
  siteUrl?: string;
  /** When posters and guides carry a QR code to the item's page on the site (site_url): see docs/format.md. */
  siteQr: 'digest' | 'always' | 'never';
  /** Body type of posters, A3 points: floor and ceiling. */
  posterPt: { min: number; max: number };
  posterSize: 'A2' | 'A3' | 'A4';
  /** A larger sheet for the posters that do not fit `posterSize` even digested (only when larger). */
  posterMaxSize?: 'A2' | 'A3' | 'A4';
  systems: SystemData[];
  notes: string[];
  /** 有标采标, with normalized numbers, in system order. */
  adopted: (Required<Pick<AdoptedData, 'adoption' | 'status'>> & AdoptedData)[];
  planned: (PlannedData & { level: NonNullable<PlannedData['level']> })[];
  /** 目标值 of project.yaml (per cent). */
  targets?: TargetsData;
  /** Set by the build when the project has targets and evidence: the figures to compare. */
  evidenceTotals?: EvidenceTotals;
  fonts: ProjectData['fonts'];
  departments: Department[];
  standards: Standard[];
  items: Item[];
  checklists: Checklist[];
  results: Result[];
  standardByCode: Map<string, Standard>;
}

/** Builds the one typed, resolved project from checked sources (call only when there are no errors). */
export function resolveProject(ctx: CheckedSources, root: string): Project {
  const p = ctx.project!.data;
  const systems = p.systems ?? DEFAULT_SYSTEMS;
  const sysOrder = new Map(systems.map((s, i) => [s.key, i]));
  const catOrder = new Map(CATEGORIES.map((c, i) => [c, i]));

  const raw = [...ctx.standards].sort((a, b) =>
    (sysOrder.get(a.data.system)! - sysOrder.get(b.data.system)!) ||
    (catOrder.get(a.data.category)! - catOrder.get(b.data.category)!) ||
    cmp(normalizeStandardNumber(a.data.code), normalizeStandardNumber(b.data.code)));
  const slugs = uniqueSlugs(raw.map((s) => normalizeStandardNumber(s.data.code)), ctx.diags, raw.map((s) => s.src.file), (i) => raw[i]!.src.valueAt(['code']));
  const seq = new Map<string, number>();
  const standards: Standard[] = raw.map((s, i) => {
    const d = s.data;
    const sys = systems.find((x) => x.key === d.system)!;
    const n = (seq.get(sys.key) ?? 0) + 1;
    seq.set(sys.key, n);
    return {
      file: s.src.file,
      slug: slugs[i]!,
      code: normalizeStandardNumber(d.code),
      title: d.title,
      category: d.category,
      system: d.system,
      status: d.status,
      issued: d.issued,
      effective: d.effective,
      replaces: d.replaces && normalizeStandardNumber(d.replaces),
      changes: d.changes,
      references: (d.references ?? []).map((r) => normalizeStandardNumber(referenceCode(r))),
      referenceList: (d.references ?? []).map((r) => ({ code: normalizeStandardNumber(referenceCode(r)), title: typeof r === 'string' ? undefined : r.title?.trim() || undefined })),
      owner: d.owner,
      englishTitle: d.english_title,
      draftStage: d.draft_stage,
      ics: d.ics,
      ccs: d.ccs,
      filingNo: d.filing_no,
      proposer: d.proposer ?? p.organization,
      drafters: { units: d.drafters?.units ?? [], people: d.drafters?.people ?? [] },
      tableNo: `${sys.code}${String(n).padStart(2, '0')}`,
      body: buildClauses(s.md.body),
    };
  });
  const standardByCode = new Map(standards.map((s) => [s.code, s]));
  for (const s of standards) if (s.replaces) {
    const old = standardByCode.get(s.replaces);
    if (old) old.replacedBy = s.code;
  }

  const depSlugs = uniqueSlugs(p.departments.map((d) => d.id), ctx.diags, p.departments.map(() => ctx.project!.src.file),
    (i) => ctx.project!.src.valueAt(['departments', i, 'id']));
  const departments: Department[] = p.departments.map((d, i) => ({ ...d, slug: depSlugs[i]!, items: [] }));
  const depById = new Map(departments.map((d) => [d.id, d]));
  const rawItems = [...ctx.items].sort((a, b) => cmp(a.data.code, b.data.code));
  const itemSlugs = uniqueSlugs(rawItems.map((i) => i.data.code), ctx.diags, rawItems.map((i) => i.src.file), (i) => rawItems[i]!.src.valueAt(['code']));
  const items: Item[] = rawItems.map((it, i) => {
    const dep = depById.get(it.data.department)!;
    const item: Item = { ...it.data, file: it.src.file, slug: itemSlugs[i]!, department: dep, window: it.data.window ?? dep.window, phone: it.data.phone ?? dep.phone };
    dep.items.push(item);
    return item;
  });

  const clSlugs = uniqueSlugs(ctx.checklists.map((c) => c.data.id), ctx.diags, ctx.checklists.map((c) => c.src.file), (i) => ctx.checklists[i]!.src.valueAt(['id']));
  const checklists: Checklist[] = ctx.checklists.map((c, i) => ({ ...c.data, file: c.src.file, slug: clSlugs[i]! }));
  const clById = new Map(checklists.map((c) => [c.id, c]));
  const resSlugs = uniqueSlugs(ctx.results.map((r) => r.src.file.replace(/^results\//, '').replace(/\.ya?ml$/i, '')), ctx.diags, ctx.results.map((r) => r.src.file));
  const results: Result[] = ctx.results.map((r, i) => ({ ...r.data, file: r.src.file, slug: resSlugs[i]!, checklistRef: clById.get(r.data.checklist)! }));

  const latestIssued = standards.map((s) => s.issued ?? '').sort().pop();
  return {
    root,
    organization: p.organization,
    codePrefix: p.code_prefix,
    layer: p.layer ?? `${p.organization}企业标准`,
    locale: p.locale ?? 'zh-CN',
    date: p.date ?? (latestIssued || '2000-01-01'),
    hotlines: p.hotlines ?? {},
    evaluationUrl: p.evaluation_url,
    siteUrl: p.site_url && (p.site_url.endsWith('/') ? p.site_url : `${p.site_url}/`),
    siteQr: p.site_qr ?? 'digest',
    posterPt: { min: p.poster?.min_pt ?? 12, max: Math.max(p.poster?.max_pt ?? 18, p.poster?.min_pt ?? 12) },
    posterSize: p.poster?.size ?? 'A3',
    posterMaxSize: largerPaper(p.poster?.size ?? 'A3', p.poster?.max_size),
    systems,
    notes: p.notes ?? [],
    adopted: (p.adopted ?? []).map((a) => ({ ...a, code: normalizeStandardNumber(a.code), adoption: a.adoption ?? '直接采用', status: a.status ?? 'current' })),
    planned: (p.planned ?? []).map((x) => ({ ...x, level: x.level ?? '企业' })),
    ...(p.targets ? { targets: p.targets } : {}),
    fonts: p.fonts,
    departments,
    standards,
    items,
    checklists,
    results,
    standardByCode,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PAPER_ORDER = ['A4', 'A3', 'A2'] as const;

/** `max` when it is a larger sheet than `size`, else nothing (a "larger" sheet that is not is ignored). */
function largerPaper(size: 'A2' | 'A3' | 'A4', max: 'A2' | 'A3' | 'A4' | undefined): 'A2' | 'A3' | 'A4' | undefined {
  return max && PAPER_ORDER.indexOf(max) > PAPER_ORDER.indexOf(size) ? max : undefined;
}

/** The categories with a current standard, the office's own or one it adopts (有标采标): what 标准覆盖率 counts. */
export function coveredCategories(project: Pick<Project, 'standards' | 'adopted'>): Category[] {
  return CATEGORIES.filter((c) => project.standards.some((s) => s.category === c && s.status === 'current')
    || project.adopted.some((a) => a.category === c && a.status === 'current'));
}
