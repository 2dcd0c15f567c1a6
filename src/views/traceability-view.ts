import type { Project, Standard } from '../model/project.js';
import { STATUS_NAMES } from '../model/project.js';
import { normalizeStandardNumber } from '../model/standard-number.js';

/** Which checklist items check which standard (their `standard:` field), and which current standards none checks. */
export interface TraceabilityView {
  heading: string;
  /** Standards cited by at least one checklist item, in catalog order. */
  rows: TraceRow[];
  unchecked: { code: string; title: string; slug: string }[];
  currentCount: number;
  checkedCount: number;
  /** 已有考评项目检查的现行标准 ÷ 现行标准. */
  coverage: number;
  summary: string;
  /** Said when no checklist item cites a standard of the system. */
  empty: string;
}

export interface TraceRow {
  code: string;
  title: string;
  slug: string;
  status: string;
  statusName: string;
  /** Citing items grouped by checklist, in checklist order. */
  checklists: { title: string; slug: string; items: { no: number; text: string; href: string }[]; nos: string }[];
  count: number;
  /** A checklist still cites a standard that is no longer current. */
  warning?: string;
}

export const TRACEABILITY_HEADING = '四、标准实施检查对照';
/** Filed documents name no YAML keys: the office reads what is checked, not how it is written. */
export const TRACEABILITY_EMPTY = '目前还没有考评项目注明其依据本体系中的标准。';

/** Undefined when the project has no checklists: the catalog then has no such section. */
export function traceabilityView(project: Project): TraceabilityView | undefined {
  if (project.checklists.length === 0) return undefined;
  const cites = new Map<Standard, TraceRow['checklists']>();
  for (const cl of project.checklists) {
    for (const sec of cl.sections) {
      for (const it of sec.items) {
        if (!it.standard) continue;
        const s = project.standardByCode.get(normalizeStandardNumber(it.standard));
        if (!s) continue;
        const list = cites.get(s) ?? [];
        cites.set(s, list);
        let entry = list.find((e) => e.slug === cl.slug);
        if (!entry) list.push((entry = { title: cl.title, slug: cl.slug, items: [], nos: '' }));
        entry.items.push({ no: it.no, text: it.text, href: `checklists/${cl.slug}.html#item-${it.no}` });
      }
    }
  }
  for (const list of cites.values()) for (const e of list) e.nos = `第${e.items.map((i) => i.no).join('、')}项`;

  const rows: TraceRow[] = project.standards
    .filter((s) => cites.has(s))
    .map((s) => {
      const checklists = cites.get(s) ?? [];
      const row: TraceRow = {
        code: s.code, title: s.title, slug: s.slug, status: s.status, statusName: STATUS_NAMES[s.status],
        checklists, count: checklists.reduce((n, c) => n + c.items.length, 0),
      };
      if (checklists.length && s.status !== 'current') {
        row.warning = s.replacedBy ? `该标准已被 ${s.replacedBy} 代替，考评项目宜改引新标准。` : `该标准状态为“${STATUS_NAMES[s.status]}”，考评项目宜改引现行标准。`;
      }
      return row;
    });
  const current = project.standards.filter((s) => s.status === 'current');
  const unchecked = current.filter((s) => !cites.has(s)).map((s) => ({ code: s.code, title: s.title, slug: s.slug }));
  const checkedCount = current.length - unchecked.length;
  const coverage = current.length ? checkedCount / current.length : 0;
  return {
    heading: TRACEABILITY_HEADING,
    rows,
    unchecked,
    currentCount: current.length,
    checkedCount,
    coverage,
    summary: `现行标准 ${current.length} 项，已有考评项目检查的 ${checkedCount} 项（${(Math.round(coverage * 1000) / 10).toFixed(1)}%）。`,
    empty: TRACEABILITY_EMPTY,
  };
}
