import { catalogTargetRows } from '../evidence/measures.js';
import type { Category, StandardStatus } from '../model/data.js';
import type { Project, Standard } from '../model/project.js';
import { CATEGORIES, CATEGORY_NAMES, STATUS_NAMES } from '../model/project.js';
import { technicalChanges } from '../revision/revision.js';

export interface CatalogRow {
  seq: number;
  tableNo: string;
  code: string;
  title: string;
  slug: string;
  category: string;
  status: StandardStatus;
  statusName: string;
  issued: string;
  effective: string;
  replaces: string;
  replacedBy: string;
  /** For a replacing standard: how many technical changes it carries (技术变化 N 项), else ''. */
  changes: string;
  owner: string;
}

export interface DiagramBox { x: number; y: number; w: number; h: number; lines: string[]; kind: 'root' | 'system' | 'category'; /** Text baselines, for SVG. */ textY?: number[]; cx?: number }
export interface DiagramEdge { coords: [number, number][]; /** SVG polyline form of coords. */ points: string }
export interface Diagram { width: number; height: number; boxes: DiagramBox[]; edges: DiagramEdge[] }

export interface CatalogView {
  organization: string;
  title: string;
  date: string;
  total: number;
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
    return {
      system: sys.name,
      code: sys.code,
      categories: CATEGORIES.filter((c) => mine.some((s) => s.category === c)).map((c) => ({
        name: CATEGORY_NAMES[c],
        rows: mine.filter((s) => s.category === c).map((s) => row(project, s, ++seq)),
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
  const covered = CATEGORIES.filter((c) => all.some((s) => s.category === c && s.status === 'current'));
  return {
    organization: project.organization,
    title: `${project.organization}标准体系表`,
    date: project.date,
    total: all.length,
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
      // 目标对照: standard coverage is the category coverage above; the rates come from the evidence
      targets: catalogTargetRows(project.targets, project.evidenceTotals, { num: covered.length, den: CATEGORIES.length })
        .map((t) => ({ label: t.label, target: `${t.target}%`, figure: t.figure, met: t.met === null ? '无数据' : t.met ? '达到' : '未达到', missed: t.met === false })),
      targetsPeriod: project.evidenceTotals?.periodLabel ?? '',
    },
    notes: project.notes,
    meta: { title: `${project.organization}标准体系表`, author: project.organization, subject: '标准体系表（GB/T 13017）', keywords: '标准体系表', date: project.date },
  };
}

function row(project: Project, s: Standard, seq: number): CatalogRow {
  return {
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

/** Tree layout: organization → systems → categories (with counts), in abstract points. */
function diagram(project: Project): Diagram {
  const systems = project.systems
    .map((sys) => ({ sys, list: project.standards.filter((s) => s.system === sys.key) }))
    .filter((x) => x.list.length > 0);
  const width = 760;
  const gap = 12;
  const colW = (width - gap * (systems.length + 1)) / Math.max(1, systems.length);
  const boxes: DiagramBox[] = [];
  const edges: DiagramEdge[] = [];
  const edge = (coords: [number, number][]): void => { edges.push({ coords, points: coords.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ') }); };
  const root: DiagramBox = { x: width / 2 - 150, y: 10, w: 300, h: 40, lines: [project.organization, `标准体系（${project.standards.length}项）`], kind: 'root' };
  boxes.push(root);
  const sysY = 90;
  const busY = root.y + root.h + 20;
  let height = sysY + 60;
  systems.forEach(({ sys, list }, i) => {
    const x = gap + i * (colW + gap);
    const box: DiagramBox = { x, y: sysY, w: colW, h: 44, lines: [`${sys.code}00 ${sys.name}`, `（${list.length}项）`], kind: 'system' };
    boxes.push(box);
    edge([[root.x + root.w / 2, root.y + root.h], [root.x + root.w / 2, busY], [x + colW / 2, busY], [x + colW / 2, sysY]]);
    const cats = CATEGORIES.filter((c: Category) => list.some((s) => s.category === c));
    cats.forEach((c, k) => {
      const y = sysY + 64 + k * 36;
      const n = list.filter((s) => s.category === c).length;
      boxes.push({ x: x + 14, y, w: colW - 14, h: 28, lines: [`${CATEGORY_NAMES[c]}（${n}）`], kind: 'category' });
      edge([[x + 6, sysY + 44], [x + 6, y + 14], [x + 14, y + 14]]);
      height = Math.max(height, y + 28 + 10);
    });
  });
  for (const b of boxes) {
    b.cx = b.x + b.w / 2;
    const lh = b.kind === 'category' ? 13 : 15;
    b.textY = b.lines.map((_, i) => b.y + b.h / 2 + (i - (b.lines.length - 1) / 2) * lh + 4.5);
  }
  return { width, height, boxes, edges };
}

function changesNote(project: Project, s: Standard): string {
  const c = technicalChanges(project, s);
  return c ? (c.items.length ? `技术变化${c.items.length}项` : '无技术变化') : '';
}
