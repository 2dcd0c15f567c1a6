import type { Department, Item, Project } from '../model/project.js';
import {
  contactsOf, feeBasis, feeStandard, LABELS, materialsOf, NINE, qrsOf, siteQr, stepsOf, timeNote, timePairs, WORKING_DAY_RULE,
  type Label, type Pair, type QrView, type SectionBody, type SectionView,
} from './poster-view.js';

/** 办事指南 of one item: every field, in numbered sections (一、二、…), A4. */
export interface GuideView {
  slug: string;
  code: string;
  name: string;
  organization: string;
  department: string;
  departmentSlug: string;
  bilingual: boolean;
  /** Basic facts shown as a table under the title. */
  facts: Pair[];
  sections: SectionView[];
  qr: QrView[];
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

export interface BookletView {
  title: string;
  organization: string;
  /** Shown on the cover under the title. */
  subtitle: string;
  date: string;
  /** Department groups; a department booklet has one group and no group bookmarks. Items are laid out from their parts. */
  groups: { name: string; guides: BookletEntry[] }[];
  grouped: boolean;
  meta: GuideView['meta'];
}

/** 一次性告知: promised on every guide (五制). */
export const ONE_TIME_NOTICE = '本事项实行一次性告知制：申请材料不齐全或者不符合法定形式的，窗口工作人员当场一次性书面告知需要补正的全部内容，不让申请人多跑路。';

/** The guide's own QR code to its page on the site (site_qr: always). */
const ON_PHONE: Label = { zh: '在手机上看本指南', en: 'Open on Your Phone' };

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];

export function guideView(project: Project, item: Item): GuideView {
  const bilingual = project.locale === 'zh-CN+en';
  const pair = (l: Label, value: string): Pair => ({ label: l.zh, en: bilingual ? l.en : undefined, value });
  const nine = (k: string): Label => NINE.find((n) => n.key === k)!;

  const facts: Pair[] = [
    pair(LABELS.code, item.code),
    pair(LABELS.type, item.type),
    // 实施主体 with its credit code when the platform gave them (one row, not two).
    pair(LABELS.department, item.implementer ? (item.implementer.credit_code ? `${item.implementer.name}（统一社会信用代码：${item.implementer.credit_code}）` : item.implementer.name) : item.department.name),
  ];
  facts.push(pair({ zh: '办件类型', en: 'Case Type' }, item.time_limit.legal_days === 0 ? '即办件' : '承诺件'));
  if (item.service_objects?.length) facts.push(pair({ zh: '服务对象', en: 'Applicants' }, item.service_objects.join('、')));
  if (item.base_code) facts.push(pair({ zh: '基本编码', en: 'Basic Code' }, item.base_code));
  if (item.implementation_code) facts.push(pair({ zh: '实施编码', en: 'Implementation Code' }, item.implementation_code));
  if (item.co_departments?.length) facts.push(pair({ zh: '共同实施部门', en: 'Co-implementing' }, item.co_departments.join('、')));
  if (item.level) facts.push(pair({ zh: '行使层级', en: 'Level' }, item.level));
  if (item.cross_region) facts.push(pair({ zh: '通办范围', en: 'Handled Across' }, item.cross_region));
  if (item.intermediary_services?.length) facts.push(pair({ zh: '中介服务', en: 'Intermediary Services' }, item.intermediary_services.join('、')));
  if (item.visits !== undefined) facts.push(pair({ zh: '到现场次数', en: 'Visits' }, item.visits === 0 ? '0次（可全程网上办理）' : `${item.visits}次`));

  const list: ({ zh: string; en?: string } & SectionBody)[] = [];
  const add = (s: { zh: string; en?: string } & SectionBody): void => { list.push(s); };
  const head = (l: Label): { zh: string; en?: string } => ({ zh: l.zh, en: bilingual ? l.en : undefined });

  add({ ...head(nine('basis')), kind: 'list', items: item.basis });
  add({ ...head(nine('conditions')), kind: 'list', items: item.conditions });
  add({ ...head({ zh: '申请材料', en: 'Required Documents' }), kind: 'materials', rows: materialsOf(item), note: item.materials_note, detailed: true, hasNotes: item.materials.some((m) => m.note || m.filling_guide), hasSources: item.materials.some((m) => m.source) });
  add({ ...head(nine('process')), kind: 'process', steps: stepsOf(item) });
  add({
    ...head({ zh: '办理时限', en: 'Time Limit' }), kind: 'pairs', pairs: timePairs(item, bilingual),
    note: timeNote(item) || `${WORKING_DAY_RULE}。`,
  });
  add({
    ...head({ zh: '收费标准及依据', en: 'Fees' }), kind: 'pairs',
    pairs: [pair(nine('feeStandard'), feeStandard(item)), pair(nine('feeBasis'), feeBasis(item))],
  });
  add({ ...head(nine('result')), kind: 'text', text: item.result });

  const where: Pair[] = [];
  if (item.channels?.length) where.push(pair({ zh: '办理形式', en: 'Channels' }, item.channels.join('、')));
  if (item.window) where.push(pair(LABELS.window, item.window));
  if (item.location) where.push(pair(LABELS.location, item.location));
  if (item.hours) where.push(pair(LABELS.hours, item.hours));
  if (item.online_url) where.push(pair({ zh: '网上办理地址', en: 'Online' }, item.online_url));
  const online = onlineFlags(item);
  if (online) where.push(pair({ zh: '网上服务', en: 'Online Services' }, online));
  if (where.length) add({ ...head({ zh: '办理渠道', en: 'Where and How' }), kind: 'pairs', pairs: where });

  if (item.faq?.length) add({ ...head({ zh: '常见问题', en: 'FAQ' }), kind: 'faq', faq: item.faq });

  const promises = [ONE_TIME_NOTICE];
  if (item.commitment) promises.push(item.commitment);
  add({ ...head({ zh: '一次性告知与服务承诺', en: 'Our Promise' }), kind: 'list', items: promises });

  const contacts = contactsOf(project, item, bilingual).filter((p) => p.label !== LABELS.location.zh && p.label !== LABELS.hours.zh);
  if (project.evaluationUrl) contacts.push(pair({ zh: '评价地址', en: 'Rate Our Service' }, project.evaluationUrl));
  if (contacts.length) add({ ...head({ zh: '咨询与投诉', en: 'Enquiries and Complaints' }), kind: 'pairs', pairs: contacts });

  const sections: SectionView[] = list.map((s, i) => ({ ...s, no: `${CN_NUM[i] ?? String(i + 1)}、` }));
  return {
    slug: item.slug,
    code: item.code,
    organization: project.organization,
    departmentSlug: item.department.slug,
    bilingual,
    facts,
    sections,
    qr: [...siteQr(project, item, ON_PHONE, bilingual), ...qrsOf(project, item, bilingual)],
    ...guideHead(project, item),
  };
}

const ONLINE_FLAGS = [['handled', '网上办理'], ['appointment', '预约办理'], ['payment', '网上支付'], ['delivery', '物流快递']] as const;

/** 支持：网上办理、预约办理；不支持：物流快递 — only the flags the item states. */
function onlineFlags(item: Item): string | undefined {
  const o = item.online;
  if (!o) return undefined;
  const yes = ONLINE_FLAGS.filter(([k]) => o[k] === true).map(([, l]) => l);
  const no = ONLINE_FLAGS.filter(([k]) => o[k] === false).map(([, l]) => l);
  return [yes.length ? `支持${yes.join('、')}` : '', no.length ? `不支持${no.join('、')}` : ''].filter(Boolean).join('；') || undefined;
}

/** What a guide's running header and document properties need, without laying out the guide. */
export function guideHead(project: Project, item: Item): Pick<GuideView, 'name' | 'department' | 'meta'> {
  return {
    name: item.name,
    department: item.department.name,
    meta: { title: `${item.name}办事指南`, author: project.organization, subject: `${item.department.name} 办事指南`, keywords: item.code, date: project.date },
  };
}

/** A department's booklet: its items' guides in item order. */
/** What a booklet needs of an item besides its laid-out guide: the 目录 and bookmark entry. */
export interface BookletEntry { slug: string; name: string }

const entryOf = (i: Item): BookletEntry => ({ slug: i.slug, name: i.name });

export function departmentBookletView(project: Project, dep: Department): BookletView {
  return {
    title: `${dep.name}办事指南`,
    organization: project.organization,
    subtitle: `共 ${dep.items.length} 个事项`,
    date: project.date,
    groups: [{ name: dep.name, guides: dep.items.map(entryOf) }],
    grouped: false,
    meta: { title: `${dep.name}办事指南`, author: project.organization, subject: '办事指南汇编', keywords: dep.id, date: project.date },
  };
}

/** The whole centre's booklet, grouped by department (departments without items are left out). */
export function centreBookletView(project: Project): BookletView {
  const groups = project.departments.filter((d) => d.items.length > 0).map((d) => ({ name: d.name, guides: d.items.map(entryOf) }));
  return {
    title: `${project.organization}办事指南`,
    organization: project.organization,
    subtitle: `${groups.length} 个部门　共 ${project.items.length} 个事项`,
    date: project.date,
    groups,
    grouped: true,
    meta: { title: `${project.organization}办事指南`, author: project.organization, subject: '办事指南汇编', keywords: '办事指南', date: project.date },
  };
}

export interface DepartmentsIndexView {
  organization: string;
  title: string;
  total: number;
  allPdfHref?: string;
  departments: { name: string; href: string; window?: string; phone?: string; count: number }[];
}

export interface DepartmentPageView {
  organization: string;
  name: string;
  window?: string;
  phone?: string;
  bookletHref?: string;
  items: { code: string; name: string; type: string; promised: string; posterHref: string; guideHref: string; posterPdfHref?: string; guidePdfHref?: string }[];
}

/** html/departments.html: every department with its item count (links relative to html/). */
export function departmentsIndexView(project: Project, pdf: boolean): DepartmentsIndexView {
  return {
    organization: project.organization,
    title: `${project.organization}办事指南与公示`,
    total: project.items.length,
    allPdfHref: pdf && project.items.length ? '../pdf/guides/all.pdf' : undefined,
    departments: project.departments.map((d) => ({ name: d.name, href: `departments/${d.slug}.html`, window: d.window, phone: d.phone, count: d.items.length })),
  };
}

/** html/departments/<slug>.html: the department's items with their posters and guides. */
export function departmentPageView(project: Project, dep: Department, pdf: boolean): DepartmentPageView {
  return {
    organization: project.organization,
    name: dep.name,
    window: dep.window,
    phone: dep.phone,
    bookletHref: pdf && dep.items.length ? `../../pdf/guides/departments/${dep.slug}.pdf` : undefined,
    items: dep.items.map((i) => ({
      code: i.code,
      name: i.name,
      type: i.type,
      promised: i.time_limit.legal_days === 0 ? '即办件' : i.time_limit.promised_days === 0 ? '即办' : `${i.time_limit.promised_days}个工作日`,
      posterHref: `../posters/${i.slug}.html`,
      guideHref: `../guides/${i.slug}.html`,
      posterPdfHref: pdf ? `../../pdf/posters/${i.slug}.pdf` : undefined,
      guidePdfHref: pdf ? `../../pdf/guides/${i.slug}.pdf` : undefined,
    })),
  };
}
