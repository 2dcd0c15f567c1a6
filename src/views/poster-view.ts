import QRCode from 'qrcode';
import type { Item, Project } from '../model/project.js';

/**
 * Views of a service item (政务服务事项) for the wall poster (上墙公示); the office guide builds on
 * the same parts (see guide-view.ts). Renderer-neutral: the PDF and HTML renderers only draw.
 */

export interface Label { zh: string; en?: string }

/** The nine disclosures (九公开), in their fixed order. */
export const NINE: { key: NineKey; zh: string; en: string }[] = [
  { key: 'name', zh: '项目名称', en: 'Service Item' },
  { key: 'basis', zh: '设立依据', en: 'Legal Basis' },
  { key: 'conditions', zh: '受理条件', en: 'Eligibility' },
  { key: 'process', zh: '办理流程', en: 'Procedure' },
  { key: 'materials', zh: '所需材料', en: 'Required Documents' },
  { key: 'time', zh: '承诺时限', en: 'Time Limit' },
  { key: 'feeStandard', zh: '收费标准', en: 'Fees' },
  { key: 'feeBasis', zh: '收费依据', en: 'Basis for Fees' },
  { key: 'result', zh: '办理结果', en: 'Outcome' },
];
export type NineKey = 'name' | 'basis' | 'conditions' | 'process' | 'materials' | 'time' | 'feeStandard' | 'feeBasis' | 'result';

/** Labels used around the nine disclosures, with their English for bilingual (zh-CN+en) projects. */
export const LABELS = {
  department: { zh: '实施主体', en: 'Department' },
  window: { zh: '办理窗口', en: 'Window' },
  location: { zh: '办理地点', en: 'Location' },
  hours: { zh: '办理时间', en: 'Office Hours' },
  phone: { zh: '咨询电话', en: 'Enquiries' },
  complaint: { zh: '投诉电话', en: 'Complaints' },
  service: { zh: '服务热线', en: 'Service Hotline' },
  commitment: { zh: '服务承诺', en: 'Our Commitment' },
  online: { zh: '网上办理', en: 'Apply Online' },
  evaluation: { zh: '评价', en: 'Rate Our Service' },
  guide: { zh: '看办事指南', en: 'Full Guide' },
  code: { zh: '事项编码', en: 'Item Code' },
  type: { zh: '事项类型', en: 'Item Type' },
} satisfies Record<string, Label>;

/** 工作日 rule told with every time limit (domain: the day of acceptance does not count). */
export const WORKING_DAY_RULE = '时限均为工作日，受理当日不计算在内';
export const NOT_CHARGED = '不收费';

export interface QrView {
  url: string;
  label: string;
  labelEn?: string;
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Dark modules, row by row ('1' dark, '0' light): one matrix for both renderers. */
  rows: string[];
  /** The dark modules as one SVG path in module units (for `viewBox="-4 -4 size+8 size+8"`). */
  path: string;
  /** SVG viewBox with a four-module quiet zone. */
  viewBox: string;
}

export interface StepView { no: number; step: string; detail?: string; days?: string }

export interface MaterialView {
  no: number;
  name: string;
  copies: string;
  form: string;
  required: string;
  note: string;
  source: string;
}

export interface Pair { label: string; en?: string; value: string }

/** What a section holds; `kind` says how to draw it. */
export type SectionBody =
  | { kind: 'text'; text: string; note?: string }
  | { kind: 'list'; items: string[]; /** Number of the first item, on a continuation sheet. */ first?: number }
  | { kind: 'pairs'; pairs: Pair[]; note?: string }
  | { kind: 'process'; steps: StepView[] }
  | { kind: 'materials'; rows: MaterialView[]; note?: string; detailed: boolean; hasNotes: boolean; hasSources: boolean }
  | { kind: 'faq'; faq: { q: string; a: string }[] };

/** One numbered section: its number as shown (1 or 一、), its label and the body. */
export type SectionView = { no: string; zh: string; en?: string; /** Set when the wall digest shortened it: where the rest is (详见办事指南). */ more?: string } & SectionBody;

export type PaperSize = 'A2' | 'A3' | 'A4';

export interface PosterView {
  slug: string;
  file: string;
  code: string;
  name: string;
  type: string;
  organization: string;
  department: string;
  window?: string;
  bilingual: boolean;
  /** 上墙公示 heading above the title (and its English when bilingual). */
  kicker: Label;
  paper: PaperSize;
  /** A larger sheet the project allows when even the digest does not fit `paper` (type keeps `scale`). */
  larger?: PaperSize;
  /** Type scale relative to A3 (A2 ×1.41, A4 ×0.71). */
  scale: number;
  /** Info under the title: department, window, code, type. */
  info: Pair[];
  sections: SectionView[];
  contacts: Pair[];
  commitment?: { label: string; en?: string; text: string };
  qr: QrView[];
  /** The item's guide page (site_url) or online URL: a QR for it is added when the digest cuts text. */
  guideQr?: QrView;
  /** Fields the author shortened in the item's `poster:` block (the digest leaves them alone). */
  authored: { basis: boolean };
  /** Body type floor and ceiling for this project, A3 points. */
  pt: { min: number; max: number };
  /** On a poster of several sheets, which one this is. */
  sheet?: { no: number; of: number };
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

export const PAPER_SCALE: Record<PaperSize, number> = { A2: Math.SQRT2, A3: 1, A4: Math.SQRT1_2 };

/** A QR code for an http(s) URL (nothing for anything else); error correction M. */
export function qrFor(url: string | undefined, label: Label, bilingual: boolean): QrView | undefined {
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return undefined;
  return { url, label: label.zh, labelEn: bilingual ? label.en : undefined, ...qrMatrix(url) };
}

/**
 * Encoding a QR code costs milliseconds; the evaluation URL is on every item's poster and guide.
 * The most recently used are kept (a hit counts as a use, so a shared URL stays): a county's items
 * each have their own online-service URL, and keeping every one would grow memory with the project.
 */
const matrices = new Map<string, Pick<QrView, 'size' | 'rows' | 'path' | 'viewBox'>>();
const MATRICES_KEPT = 256;

function qrMatrix(url: string): Pick<QrView, 'size' | 'rows' | 'path' | 'viewBox'> {
  const hit = matrices.get(url);
  if (hit) {
    matrices.delete(url);
    matrices.set(url, hit); // now the most recent
    return hit;
  }
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const rows: string[] = [];
  let path = '';
  for (let r = 0; r < n; r++) {
    let row = '';
    for (let c = 0; c < n; c++) row += modules.get(r, c) ? '1' : '0';
    rows.push(row);
    for (const m of row.matchAll(/1+/g)) path += `M${m.index} ${r}h${m[0].length}v1h-${m[0].length}z`;
  }
  const m = { size: n, rows, path, viewBox: `-4 -4 ${n + 8} ${n + 8}` };
  if (matrices.size >= MATRICES_KEPT) matrices.delete(matrices.keys().next().value!);
  matrices.set(url, m);
  return m;
}

/** Runs of dark modules per row as [row, column, length]: the PDF draws each run as one rectangle. */
export function qrRuns(qr: QrView): [number, number, number][] {
  const runs: [number, number, number][] = [];
  qr.rows.forEach((row, r) => { for (const m of row.matchAll(/1+/g)) runs.push([r, m.index, m[0].length]); });
  return runs;
}

export function stepsOf(item: Item): StepView[] {
  return item.process.map((p, i) => ({
    no: i + 1,
    step: p.step,
    detail: p.detail,
    days: p.days === undefined ? undefined : p.days === 0 ? '当场办理' : `${p.days}个工作日`,
  }));
}

export function materialsOf(item: Item): MaterialView[] {
  return item.materials.map((m, i) => ({
    no: i + 1,
    name: m.name,
    copies: String(m.originals === undefined && m.photocopies === undefined ? (m.copies ?? 1) : (m.originals ?? 0) + (m.photocopies ?? 0)),
    form: countsOf(m) ?? m.form ?? '原件',
    required: m.required === false ? '否' : '是',
    note: [m.note, m.filling_guide && `填报须知：${m.filling_guide}`].filter(Boolean).join('；'),
    source: m.source ?? '',
  }));
}

/** GB/T 39046 counts 原件 and 复印件 apart: the 形式 column (wider than 份数) spells them out. */
function countsOf(m: Item['materials'][number]): string | undefined {
  if (m.originals === undefined && m.photocopies === undefined) return undefined;
  return [m.originals ? `原件${m.originals}份` : '', m.photocopies ? `复印件${m.photocopies}份` : ''].filter(Boolean).join('，') || undefined;
}

const UNIT_TEXT = { 工作日: '个工作日', 自然日: '个自然日', 小时: '小时' } as const;

/** 法定 / 承诺 limits; a legal limit of 0 makes the item 即办件. */
export function timePairs(item: Item, bilingual: boolean): Pair[] {
  const { legal_days: legal, promised_days: promised } = item.time_limit;
  const unit = UNIT_TEXT[item.time_limit.unit ?? '工作日'];
  const en = (s: string): string | undefined => (bilingual ? s : undefined);
  if (legal === 0) return [{ label: '办件类型', en: en('Type'), value: '即办件（当场办结）' }];
  return [
    { label: '承诺办结时限', en: en('Promised'), value: promised === 0 ? '即办件（当场办结）' : `${promised}${unit}` },
    { label: '法定办结时限', en: en('Statutory'), value: `${legal}${unit}` },
  ];
}

export function timeNote(item: Item): string {
  const t = item.time_limit;
  // The working-day rule says how 工作日 are counted; it would mislead under 自然日 or 小时.
  const rule = t.legal_days === 0 || (t.unit ?? '工作日') !== '工作日' ? undefined : `${WORKING_DAY_RULE}。`;
  const legal = t.legal_note && `法定办结时限：${ensureStop(t.legal_note)}`;
  const promised = t.promised_note && `承诺办结时限：${ensureStop(t.promised_note)}`;
  return [rule, t.note && ensureStop(t.note), legal, promised].filter(Boolean).join('');
}

export function feeStandard(item: Item): string {
  return item.fee.charged ? (item.fee.standard ?? '—') : NOT_CHARGED;
}

export function feeBasis(item: Item): string {
  return item.fee.charged ? (item.fee.basis ?? '—') : NOT_CHARGED;
}

/** Location, hours and the consultation and complaint lines (project hotlines). */
export function contactsOf(project: Project, item: Item, bilingual: boolean): Pair[] {
  const pairs: Pair[] = [];
  const add = (l: Label, value: string | undefined): void => { if (value) pairs.push({ label: l.zh, en: bilingual ? l.en : undefined, value }); };
  add(LABELS.location, item.location);
  add(LABELS.hours, item.hours);
  add(LABELS.phone, item.phone);
  add(LABELS.complaint, item.supervision_phone ?? project.hotlines.complaint);
  add(LABELS.service, project.hotlines.service);
  return pairs;
}

/** The item's page on the published site (its guide), when project.yaml gives site_url. */
export function sitePage(project: Project, item: Item): string | undefined {
  return project.siteUrl && `${project.siteUrl}guides/${encodeURIComponent(item.slug)}.html`;
}

/** With `site_qr: always`, a QR code to the item's page on the site, first on every poster and guide. */
export function siteQr(project: Project, item: Item, label: Label, bilingual: boolean): QrView[] {
  const q = project.siteQr === 'always' ? qrFor(sitePage(project, item), label, bilingual) : undefined;
  return q ? [q] : [];
}

export function qrsOf(project: Project, item: Item, bilingual: boolean): QrView[] {
  return [qrFor(item.online_url, LABELS.online, bilingual), qrFor(project.evaluationUrl, LABELS.evaluation, bilingual)]
    .filter((q): q is QrView => q !== undefined);
}

function ensureStop(s: string): string {
  return /[。！？.!?]$/.test(s) ? s : `${s}。`;
}

export function posterView(project: Project, item: Item): PosterView {
  const bilingual = project.locale === 'zh-CN+en';
  const paper = project.posterSize;
  const head = (i: number): { no: string; zh: string; en?: string } => ({ no: String(i + 1), zh: NINE[i]!.zh, en: bilingual ? NINE[i]!.en : undefined });
  const materialsNote = item.poster?.materials_note ?? item.materials_note;
  const sections: SectionView[] = [
    { ...head(0), kind: 'text', text: item.name },
    { ...head(1), kind: 'list', items: item.poster?.basis ?? item.basis },
    { ...head(2), kind: 'list', items: item.conditions },
    { ...head(3), kind: 'process', steps: stepsOf(item) },
    { ...head(4), kind: 'materials', rows: materialsOf(item), note: materialsNote, detailed: false, hasNotes: item.materials.some((m) => m.note), hasSources: false },
    { ...head(5), kind: 'pairs', pairs: timePairs(item, bilingual), note: timeNote(item) || undefined },
    { ...head(6), kind: 'text', text: feeStandard(item) },
    { ...head(7), kind: 'text', text: feeBasis(item) },
    { ...head(8), kind: 'text', text: item.result },
  ];
  const en = (l: Label): string | undefined => (bilingual ? l.en : undefined);
  const info: Pair[] = [{ label: LABELS.department.zh, en: en(LABELS.department), value: item.department.name }];
  if (item.window) info.push({ label: LABELS.window.zh, en: en(LABELS.window), value: item.window });
  info.push({ label: LABELS.code.zh, en: en(LABELS.code), value: item.code });
  info.push({ label: LABELS.type.zh, en: en(LABELS.type), value: item.type });
  return {
    slug: item.slug,
    file: item.file,
    code: item.code,
    name: item.name,
    type: item.type,
    organization: project.organization,
    department: item.department.name,
    window: item.window,
    bilingual,
    kicker: { zh: '办事公示', en: bilingual ? 'Service Disclosure' : undefined },
    paper,
    larger: project.posterMaxSize,
    scale: PAPER_SCALE[paper],
    info,
    sections,
    contacts: contactsOf(project, item, bilingual),
    commitment: item.commitment ? { label: LABELS.commitment.zh, en: en(LABELS.commitment), text: item.poster?.commitment ?? item.commitment } : undefined,
    qr: [...siteQr(project, item, LABELS.guide, bilingual), ...qrsOf(project, item, bilingual)],
    // the digest's 详见办事指南 leads to the item's page (never: to the online service, as without site_url)
    guideQr: qrFor((project.siteQr !== 'never' && sitePage(project, item)) || item.online_url, LABELS.guide, bilingual),
    authored: { basis: !!item.poster?.basis },
    pt: project.posterPt,
    meta: { title: `${item.name}（上墙公示）`, author: project.organization, subject: `${item.department.name} ${item.type}事项公示`, keywords: item.code, date: project.date },
  };
}
