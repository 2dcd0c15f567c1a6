import { catalogTargetRows } from '../evidence/measures.js';
import { implementationRate } from '../scoring/implementation.js';
import type { Category, StandardStatus } from '../model/data.js';
import type { Project, Standard } from '../model/project.js';
import { CATEGORIES, CATEGORY_NAMES, coveredCategories, STATUS_NAMES } from '../model/project.js';
import { technicalChanges } from '../revision/revision.js';
import { breakLines } from '../typography/linebreak.js';

export interface CatalogRow {
  /** own: a standard of this project (has a page); adopted: 有标采标; planned: 待制定. */
  kind: 'own' | 'adopted' | 'planned';
  /** 国家标准 | 行业标准 | 地方标准 | 团体标准 | 企业标准. */
  level: string;
  /** 采用程度 of an adopted standard, else ''. */
  adoption: string;
  seq: number;
  tableNo: string;
  code: string;
  title: string;
  slug: string;
  category: string;
  status: StandardStatus | 'planned';
  statusName: string;
  issued: string;
  effective: string;
  replaces: string;
  replacedBy: string;
  /** For a replacing standard: how many technical changes it carries (技术变化 N 项), else ''. */
  changes: string;
  owner: string;
}

export interface DiagramBox { x: number; y: number; w: number; h: number; lines: string[]; /** The label unwrapped (SVG title, screen readers). */ label?: string; kind: 'root' | 'system' | 'category'; /** Text baselines, for SVG. */ textY?: number[]; cx?: number }
export interface DiagramEdge { coords: [number, number][]; /** SVG polyline form of coords. */ points: string }
export interface Diagram { width: number; height: number; boxes: DiagramBox[]; edges: DiagramEdge[] }

export interface ExpectedRow { label: string; expected: number; existing: number; ratio: string }
export interface ExpectedTable { byLevel: ExpectedRow[]; bySystem: ExpectedRow[]; total: ExpectedRow; explanation: string }

export interface CatalogView {
  organization: string;
  title: string;
  date: string;
  total: number;
  /** 有标采标 listed in the table (they have no rendered document). */
  adoptedCount: number;
  diagram: Diagram;
  groups: { system: string; code: number; categories: { name: string; rows: CatalogRow[] }[] }[];
  stats: {
    categories: string[];
    statuses: { key: StandardStatus; name: string }[];
    rows: { system: string; byCategory: number[]; byStatus: number[]; total: number }[];
    totals: { byCategory: number[]; byStatus: number[]; total: number };
    covered: number;
    coverage: number;
    uncovered: string[];
    /** GB/T 13017 标准统计表: 应有数, 现有数 and 现有数÷应有数, by level and by sub-system. */
    expected: ExpectedTable;
    targets: { label: string; target: string; figure: string; met: string; missed: boolean }[];
    targetsPeriod: string;
  };
  notes: string[];
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

const STATUSES: StandardStatus[] = ['current', 'draft', 'superseded', 'withdrawn'];

/** 标准体系表 after GB/T 13017: structure diagram, detail table, statistics, notes. */
export function catalogView(project: Project): CatalogView {
  let seq = 0;
  const groups = project.systems.map((sys) => {
    const mine = project.standards.filter((s) => s.system === sys.key);
    const adopted = project.adopted.filter((a) => a.system === sys.key);
    const planned = project.planned.filter((x) => x.system === sys.key);
    let n = mine.length;
    return {
      system: sys.name,
      code: sys.code,
      categories: CATEGORIES.filter((c) => [...mine, ...adopted, ...planned].some((s) => s.category === c)).map((c) => ({
        name: CATEGORY_NAMES[c],
        rows: [
          ...mine.filter((s) => s.category === c).map((s) => row(project, s, ++seq)),
          // adopted and planned standards continue the sub-system's table numbers after its own
          ...adopted.filter((a) => a.category === c).map((a) => adoptedRow(a, ++seq, `${sys.code}${String(++n).padStart(2, '0')}`)),
          ...planned.filter((x) => x.category === c).map((x) => plannedRow(x, ++seq, `${sys.code}${String(++n).padStart(2, '0')}`)),
        ],
      })),
    };
  }).filter((g) => g.categories.length > 0);

  const count = (list: Standard[], pred: (s: Standard) => boolean): number => list.filter(pred).length;
  const statRows = project.systems.map((sys) => {
    const mine = project.standards.filter((s) => s.system === sys.key);
    return {
      system: sys.name,
      byCategory: CATEGORIES.map((c) => count(mine, (s) => s.category === c)),
      byStatus: STATUSES.map((st) => count(mine, (s) => s.status === st)),
      total: mine.length,
    };
  });
  const all = project.standards;
  const covered = coveredCategories(project);
  return {
    organization: project.organization,
    title: `${project.organization}标准体系表`,
    date: project.date,
    total: all.length,
    adoptedCount: project.adopted.length,
    diagram: diagram(project),
    groups,
    stats: {
      categories: CATEGORIES.map((c) => CATEGORY_NAMES[c]),
      statuses: STATUSES.map((k) => ({ key: k, name: STATUS_NAMES[k] })),
      rows: statRows,
      totals: {
        byCategory: CATEGORIES.map((c) => count(all, (s) => s.category === c)),
        byStatus: STATUSES.map((st) => count(all, (s) => s.status === st)),
        total: all.length,
      },
      covered: covered.length,
      coverage: covered.length / CATEGORIES.length,
      uncovered: CATEGORIES.filter((c) => !covered.includes(c)).map((c) => CATEGORY_NAMES[c]),
      expected: expectedTable(project),
      // 目标对照: standard coverage is the category coverage above; the rates come from the evidence
      targets: catalogTargetRows(project.targets, project.evidenceTotals, { num: covered.length, den: CATEGORIES.length }, implementationRate(project))
        .map((t) => ({ label: t.label, target: `${t.target}%`, figure: t.figure, met: t.met === null ? '无数据' : t.met ? '达到' : '未达到', missed: t.met === false })),
      targetsPeriod: project.evidenceTotals?.periodLabel ?? '',
    },
    notes: project.notes,
    meta: { title: `${project.organization}标准体系表`, author: project.organization, subject: '标准体系表（GB/T 13017）', keywords: '标准体系表', date: project.date },
  };
}

const LEVELS = ['国家', '行业', '地方', '团体', '企业'] as const;
type Level = (typeof LEVELS)[number];

/** Level of one of the office's own standards, from its number's prefix (Q/ 企业, DB 地方, T/ 团体, GB 国家, else 行业). */
export function levelOfNumber(code: string): Level {
  if (/^Q\//.test(code)) return '企业';
  if (/^DB/.test(code)) return '地方';
  if (/^T\//.test(code)) return '团体';
  if (/^GB/.test(code)) return '国家';
  return '行业';
}

function ratio(existing: number, expected: number): string {
  return expected ? `${(Math.round((existing / expected) * 1000) / 10).toFixed(1)}%` : '—';
}

/**
 * GB/T 13017 标准统计表. 现有数: current standards of the office and current adopted ones;
 * 应有数: those plus the office's drafts and the planned standards (superseded and withdrawn
 * editions count in neither).
 */
function expectedTable(project: Project): ExpectedTable {
  type Entry = { level: Level; system: string; existing: boolean };
  const entries: Entry[] = [
    ...project.standards.filter((s) => s.status === 'current' || s.status === 'draft')
      .map((s) => ({ level: levelOfNumber(s.code), system: s.system, existing: s.status === 'current' })),
    ...project.adopted.filter((a) => a.status === 'current').map((a) => ({ level: a.level, system: a.system, existing: true })),
    ...project.planned.map((x) => ({ level: x.level, system: x.system, existing: false })),
  ];
  const make = (label: string, list: Entry[]): ExpectedRow => {
    const existing = list.filter((e) => e.existing).length;
    return { label, expected: list.length, existing, ratio: ratio(existing, list.length) };
  };
  return {
    byLevel: LEVELS.map((l) => make(`${l}标准`, entries.filter((e) => e.level === l))),
    bySystem: project.systems.map((sys) => make(sys.name, entries.filter((e) => e.system === sys.key))),
    total: make('共计', entries),
    explanation: '现有数为现行的本单位标准和采用的国家、行业、地方、团体标准；应有数另含在编草案和拟制定的标准；比例为现有数÷应有数。',
  };
}

function row(project: Project, s: Standard, seq: number): CatalogRow {
  return {
    kind: 'own',
    level: `${levelOfNumber(s.code)}标准`,
    adoption: '',
    seq,
    tableNo: s.tableNo,
    code: s.code,
    title: s.title,
    slug: s.slug,
    category: CATEGORY_NAMES[s.category],
    status: s.status,
    statusName: STATUS_NAMES[s.status],
    issued: s.issued ?? '—',
    effective: s.effective ?? '—',
    replaces: s.replaces ?? '',
    replacedBy: s.replacedBy ?? '',
    changes: changesNote(project, s),
    owner: s.owner ?? '',
  };
}

/** Type sizes of the diagram's labels (abstract points; the PDF scales, the SVG uses them as px). */
export const DIAGRAM_TEXT = { root: { size: 11, line: 15 }, system: { size: 11, line: 15 }, category: { size: 9.5, line: 13 } } as const;
const LABEL_PAD = 8;

/**
 * Width of a label before any font is chosen: CJK and full-width forms one em, the rest a little
 * over half, so the estimate is never narrower than Noto Sans SC sets it.
 */
export function estimateWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) em += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014]/.test(ch) ? 1 : ch === ' ' ? 0.3 : 0.62;
  return em * size;
}

/** A label broken into lines that fit its box (Chinese line breaking over the estimated widths). */
function fitLines(labels: string[], boxWidth: number, kind: DiagramBox['kind']): string[] {
  const { size } = DIAGRAM_TEXT[kind];
  return labels.flatMap((l) => breakLines(l, boxWidth - 2 * LABEL_PAD, (t) => estimateWidth(t, size)));
}

const boxHeight = (lines: number, kind: DiagramBox['kind'], min: number): number => Math.max(min, lines * DIAGRAM_TEXT[kind].line + 14);

/** Tree layout: organization → systems → categories (with counts), in abstract points; labels wrap to fit their boxes. */
function diagram(project: Project): Diagram {
  const systems = project.systems
    .map((sys) => ({ sys, list: [...project.standards, ...project.adopted].filter((s) => s.system === sys.key) }))
    .filter((x) => x.list.length > 0);
  const width = 760;
  const gap = 12;
  const colW = (width - gap * (systems.length + 1)) / Math.max(1, systems.length);
  const boxes: DiagramBox[] = [];
  const edges: DiagramEdge[] = [];
  const edge = (coords: [number, number][]): void => { edges.push({ coords, points: coords.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ') }); };
  const rootLines = fitLines([project.organization, `标准体系（${project.standards.length + project.adopted.length}项）`], 300, 'root');
  const root: DiagramBox = { x: width / 2 - 150, y: 10, w: 300, h: boxHeight(rootLines.length, 'root', 40), lines: rootLines, kind: 'root', label: `${project.organization}标准体系（${project.standards.length + project.adopted.length}项）` };
  boxes.push(root);
  const busY = root.y + root.h + 20;
  const sysY = busY + 20;
  const sysLines = systems.map(({ sys, list }) => fitLines([`${sys.code}00 ${sys.name}`, `（${list.length}项）`], colW, 'system'));
  // one height for the whole row of systems, so the category columns start level
  const sysH = Math.max(44, ...sysLines.map((l) => boxHeight(l.length, 'system', 44)));
  let height = sysY + sysH + 16;
  systems.forEach(({ sys, list }, i) => {
    const x = gap + i * (colW + gap);
    const box: DiagramBox = { x, y: sysY, w: colW, h: sysH, lines: sysLines[i]!, kind: 'system', label: `${sys.code}00 ${sys.name}（${list.length}项）` };
    boxes.push(box);
    edge([[root.x + root.w / 2, root.y + root.h], [root.x + root.w / 2, busY], [x + colW / 2, busY], [x + colW / 2, sysY]]);
    const cats = CATEGORIES.filter((c: Category) => list.some((s) => s.category === c));
    let y = sysY + sysH + 20;
    cats.forEach((c) => {
      const n = list.filter((s) => s.category === c).length;
      const lines = fitLines([`${CATEGORY_NAMES[c]}（${n}）`], colW - 14, 'category');
      const h = boxHeight(lines.length, 'category', 28);
      boxes.push({ x: x + 14, y, w: colW - 14, h, lines, kind: 'category' });
      edge([[x + 6, sysY + sysH], [x + 6, y + h / 2], [x + 14, y + h / 2]]);
      y += h + 8;
      height = Math.max(height, y + 2);
    });
  });
  for (const b of boxes) {
    b.cx = b.x + b.w / 2;
    b.label ??= b.lines.join('');
    const lh = DIAGRAM_TEXT[b.kind].line;
    b.textY = b.lines.map((_, i) => b.y + b.h / 2 + (i - (b.lines.length - 1) / 2) * lh + 4.5);
  }
  return { width, height, boxes, edges };
}

function adoptedRow(a: Project['adopted'][number], seq: number, tableNo: string): CatalogRow {
  return {
    kind: 'adopted', level: `${a.level}标准`, adoption: a.adoption, seq, tableNo, code: a.code, title: a.title, slug: '',
    category: CATEGORY_NAMES[a.category], status: a.status, statusName: STATUS_NAMES[a.status],
    issued: '—', effective: '—', replaces: '', replacedBy: '', changes: '', owner: '',
  };
}

function plannedRow(x: Project['planned'][number], seq: number, tableNo: string): CatalogRow {
  return {
    kind: 'planned', level: `${x.level}标准`, adoption: '', seq, tableNo, code: '', title: x.title, slug: '',
    category: CATEGORY_NAMES[x.category], status: 'planned', statusName: '待制定',
    issued: '—', effective: '—', replaces: '', replacedBy: '', changes: '', owner: x.owner ?? '',
  };
}

function changesNote(project: Project, s: Standard): string {
  const c = technicalChanges(project, s);
  return c ? (c.items.length ? `技术变化${c.items.length}项` : '无技术变化') : '';
}
