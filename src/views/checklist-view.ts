import { METRICS } from '../evidence/measures.js';
import type { ChecklistItemData, VetoEffect, WeightedPartData } from '../model/data.js';
import type { Checklist, Project } from '../model/project.js';
import { cents, formatCents, type Cents } from '../scoring/decimal.js';

/**
 * Checklist forms as one renderer-neutral table: the blank form here, the filled score report in
 * report-view.ts. Both renderers (HTML template, PDF table) draw the same columns and rows.
 */

export type ColumnKey = 'points' | 'method' | 'self' | 'score' | 'perOccurrence' | 'count' | 'delta' | 'selfDelta' | 'note';

/** A column after the three fixed ones (类别, 序号, 考评内容). */
export interface FormColumn {
  key: ColumnKey;
  header: string;
}

export type FormRowKind = 'item' | 'subtotal' | 'items-total' | 'component' | 'base' | 'total';

export interface FormRow {
  kind: FormRowKind;
  /** 类别: the section title; consecutive rows of one section share one merged cell. */
  group?: string;
  /** HTML: set on the first row of a group, the number of rows its merged cell spans. */
  groupSpan?: number;
  /** Rows outside the sections (合计, components) carry one label across 类别, 序号 and 考评内容. */
  label?: string;
  no: string;
  text: string;
  /** Lines shown under the text: the levels, the deduction per finding. */
  details: string[];
  /** 一票否决 item: marked ★. */
  veto: boolean;
  /** One value per entry of `columns`, in order. */
  values: FormCell[];
  /** Report emphasis: a failed veto item, a deduct item that occurred, a score below full marks. */
  flag?: 'failed' | 'hit' | 'short';
  /** HTML anchor, e.g. item-25. */
  id?: string;
  /** PDF: keep on the page of the next row (an item with its 小计; the closing total block). */
  keepWithNext?: boolean;
}

export interface FormCell { key: ColumnKey; text: string }

export interface FormTable {
  columns: FormColumn[];
  rows: FormRow[];
}

export interface Blank {
  label: string;
  /** Width of the line in em (PDF) or of the box (HTML). */
  width: number;
  /** Written as ＿＿年＿＿月＿＿日. */
  date?: boolean;
}

/** weighted: the parts of the total as a plain table (both renderers draw it above the items). */
export interface PartsTable {
  columns: string[];
  rows: { cells: string[]; depth: number; kind: 'part' | 'total' }[];
}

export interface ChecklistView {
  slug: string;
  id: string;
  title: string;
  /** The item table's style; a weighted scheme's items are drawn as award or deduct rows. */
  mode: 'award' | 'deduct';
  weighted: boolean;
  /** weighted: the parts with blank cells for the ballots or scores. */
  parts?: PartsTable;
  modeName: string;
  description?: string;
  /** The header blanks: 被考评单位 / 考评日期 / 考评人员. */
  blanks: Blank[];
  table: FormTable;
  hasVeto: boolean;
  /** Lines printed under the table: scoring rules, the ratings. */
  rules: string[];
  ratings: { label: string; range: string }[];
  /** 评定等次：五星级（95分及以上）；… */
  ratingsText: string;
  signatures: Blank[];
  itemCount: number;
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

export const VETO_MARK = '★';
/** The signature lines at the foot of a form and of a report. */
export const SIGNATURES: Blank[] = [
  { label: '考评人员签字', width: 12 },
  { label: '被考评单位负责人签字', width: 10 },
  { label: '日期', width: 9, date: true },
];
export const VETO_LEGEND = '★ 一票否决';

/** 92.7 / 95 / 0.5 from a plain number, exactly through cents. */
export function fmt(n: number): string {
  return formatCents(cents(n));
}

/** Signed, for deductions and bonuses: −2 → "-2", 3 → "+3", 0 → "0". */
export function signed(c: Cents): string {
  return c > 0 ? `+${formatCents(c)}` : formatCents(c);
}

/** "一级达标 6分；二级达标 3分；三级达标 1分" and "每发现一处扣0.5分". */
export function itemDetails(item: ChecklistItemData): string[] {
  const out: string[] = [];
  if (item.levels?.length && item.points === undefined) out.push(item.levels.map((l) => `${l.label}每次${signed(cents(l.points))}分`).join('；'));
  else if (item.levels?.length) out.push(item.levels.map((l) => `${l.label} ${fmt(l.points)}分`).join('；'));
  if (item.deduct_per_finding !== undefined) out.push(`每发现一处扣${fmt(item.deduct_per_finding)}分`);
  const e = item.evidence;
  if (e) {
    const scope = e.window ?? e.department;
    const rule = e.full_at !== undefined ? `达到${fmt(e.full_at)}%得满分，未达到按比率计分`
      : e.pass_at !== undefined ? `达到${fmt(e.pass_at)}%得满分，否则不得分`
      : e.veto_above !== undefined ? (e.veto_above === 0 ? '出现即不通过' : `超过${e.veto_above}件不通过`)
      : e.deduct_per !== undefined ? `每件扣${fmt(e.deduct_per)}分` : '按比率计分';
    out.push(`按日常证据计分（${METRICS[e.metric]?.label ?? e.metric}${scope ? `，${scope}` : ''}）：${rule}`);
  }
  return out;
}

/** 五星级：95分及以上 …; the last threshold of 0, or a catch-all grade without min, reads “低于70分”. */
export function ratingRanges(ratings: { label: string; min?: number }[]): { label: string; range: string }[] {
  return ratings.map((r, i) => {
    const upper = i > 0 ? ratings[i - 1]!.min : undefined;
    if (upper !== undefined && (r.min === undefined || r.min <= 0)) return { label: r.label, range: `低于${fmt(upper)}分` };
    if (r.min === undefined) return { label: r.label, range: '不论得分' };
    if (upper !== undefined) return { label: r.label, range: `${fmt(r.min)}分及以上、低于${fmt(upper)}分` };
    return { label: r.label, range: `${fmt(r.min)}分及以上` };
  });
}

export function ratingsLine(ratings: { label: string; range: string }[]): string {
  return ratings.length ? `评定等次：${ratings.map((r) => `${r.label}（${r.range}）`).join('；')}。` : '';
}

export function itemsMax(cl: Checklist): Cents {
  return cl.sections.reduce((s, sec) => s + sec.items.reduce((t, it) => t + cents(it.points ?? 0), 0), 0);
}

/**
 * Marks the first row of each group with the number of rows it spans (HTML rowspan), and which rows
 * stay with the next one on paper: a section's last item with its 小计, the closing rows together.
 */
export function spanGroups(rows: FormRow[]): FormRow[] {
  const lastSub = rows.map((r) => r.kind).lastIndexOf('subtotal');
  rows.forEach((r, i) => {
    if ((r.kind === 'item' && rows[i + 1]?.kind === 'subtotal') || (lastSub >= 0 && i >= lastSub && i < rows.length - 1)) r.keepWithNext = true;
  });
  for (let i = 0; i < rows.length; i++) {
    const g = rows[i]!.group;
    if (g === undefined || (i > 0 && rows[i - 1]!.group === g)) continue;
    let n = 1;
    while (rows[i + n]?.group === g) n++;
    rows[i]!.groupSpan = n;
  }
  return rows;
}

/** The row's cells for `columns`, blank where nothing is given. */
export function cellsFor(columns: FormColumn[], given: Partial<Record<ColumnKey, string>>): FormCell[] {
  return columns.map((c) => ({ key: c.key, text: given[c.key] ?? '' }));
}

function awardColumns(hasMethod: boolean): FormColumn[] {
  return [
    { key: 'points', header: '分值' },
    ...(hasMethod ? [{ key: 'method' as const, header: '考评方法' }] : []),
    { key: 'self', header: '自评分' },
    { key: 'score', header: '得分' },
    { key: 'note', header: '备注' },
  ];
}

const DEDUCT_COLUMNS: FormColumn[] = [
  { key: 'perOccurrence', header: '每次扣（加）分' },
  { key: 'count', header: '发生次数' },
  { key: 'delta', header: '扣（加）分' },
  { key: 'note', header: '备注' },
];

/** The blank form: what an assessor prints and fills in by hand. */
export function checklistView(project: Project, cl: Checklist): ChecklistView {
  const award = tableMode(cl) === 'award';
  const weighted = cl.mode === 'weighted';
  const items = cl.sections.flatMap((s) => s.items);
  const hasMethod = items.some((it) => it.method !== undefined);
  const columns = award ? awardColumns(hasMethod) : DEDUCT_COLUMNS;
  const rows: FormRow[] = [];
  for (const sec of cl.sections) {
    for (const it of sec.items) {
      rows.push({
        kind: 'item',
        group: sec.title,
        no: String(it.no),
        text: it.text,
        details: itemDetails(it),
        veto: it.veto === true,
        values: cellsFor(columns, award
          ? { points: fmt(it.points ?? 0), method: it.method, note: it.note }
          : { perOccurrence: deductValue(it), note: it.note }),
        id: `item-${it.no}`,
      });
    }
    const secMax = sec.items.reduce((s, it) => s + cents(it.points ?? 0), 0);
    rows.push({ kind: 'subtotal', group: sec.title, no: '', text: '小计', details: [], veto: false, values: cellsFor(columns, award ? { points: formatCents(secMax) } : {}) });
  }
  const comps = cl.components ?? [];
  if (award && !weighted) {
    const max = itemsMax(cl);
    if (comps.length) {
      rows.push({ kind: 'items-total', label: '考评项目合计', no: '', text: '', details: [], veto: false, values: cellsFor(columns, { points: formatCents(max) }) });
      for (const c of comps) rows.push({ kind: 'component', label: c.name, no: '', text: '', details: [], veto: false, values: cellsFor(columns, { points: fmt(c.points) }) });
    }
    const total = cl.total !== undefined ? cents(cl.total) : max + comps.reduce((s, c) => s + cents(c.points), 0);
    rows.push({ kind: 'total', label: '合计', no: '', text: '', details: [], veto: false, values: cellsFor(columns, { points: formatCents(total) }) });
  } else if (!weighted) {
    rows.push({ kind: 'base', label: '基础分', no: '', text: '', details: [], veto: false, values: cellsFor(columns, { delta: fmt(cl.base ?? 0) }) });
    rows.push({ kind: 'total', label: '考评得分（基础分＋加分－扣分）', no: '', text: '', details: [], veto: false, values: cellsFor(columns, {}) });
  }

  const hasVeto = items.some((it) => it.veto === true);
  const ratings = ratingRanges(cl.ratings ?? []);
  return {
    slug: cl.slug,
    id: cl.id,
    title: cl.title,
    mode: award ? 'award' : 'deduct',
    weighted,
    parts: weighted ? blankPartsTable(cl) : undefined,
    modeName: weighted ? '加权计分' : award ? '逐项评分' : '扣分考核',
    description: cl.description,
    blanks: [
      { label: award ? '被考评单位' : '被考评单位（人员）', width: 14 },
      { label: '考评日期', width: 9, date: true },
      { label: '考评人员', width: 12 },
    ],
    table: { columns, rows: spanGroups(rows) },
    hasVeto,
    rules: scoringRules(cl, hasVeto),
    ratings,
    ratingsText: ratingsLine(ratings),
    signatures: SIGNATURES,
    itemCount: items.length,
    meta: { title: cl.title, author: project.organization, subject: '考评表', keywords: `考评表,${cl.id}`, date: project.date },
  };
}

/** The item table's style: award when every item has points (weighted schemes may mix none). */
export function tableMode(cl: { mode: string; sections: { items: ChecklistItemData[] }[] }): 'award' | 'deduct' {
  if (cl.mode !== 'weighted') return cl.mode === 'award' ? 'award' : 'deduct';
  return cl.sections.every((s) => s.items.every((it) => it.points !== undefined)) ? 'award' : 'deduct';
}

/** How one part is scored, in words. */
export function partMethod(p: WeightedPartData): string {
  if (p.parts?.length) return `由${p.parts.map((c) => `${c.name}（${fmt(c.weight)}%）`).join('、')}合成`;
  if (p.ballots?.length) return `按票计分：${p.ballots.map((b) => `${b.label}${fmt(b.value)}分`).join('、')}`;
  if (p.input === 'score') return '填写百分制得分';
  if (p.percentage_points) return `按“${p.section}”所列问题扣百分点，扣完为止`;
  return `按“${p.section}”所列条目计分`;
}

function walkParts(parts: WeightedPartData[], share: number, depth: number, out: { p: WeightedPartData; share: number; depth: number }[]): typeof out {
  for (const p of parts) {
    const s = (share * p.weight) / 100;
    out.push({ p, share: s, depth });
    if (p.parts?.length) walkParts(p.parts, s, depth + 1, out);
  }
  return out;
}

/** The blank parts table of a weighted form: the assessor writes the ballots and the figures. */
function blankPartsTable(cl: Checklist): PartsTable {
  const rows: PartsTable['rows'] = walkParts(cl.parts ?? [], 100, 0, []).map(({ p, share, depth }) => ({
    depth, kind: 'part' as const,
    cells: [p.name, `${fmt(p.weight)}%`, `${fmt(share)}%`, partMethod(p),
      // one grade a line: room to write the counts by hand
      p.ballots?.length ? p.ballots.map((b) => `${b.label}＿＿＿＿票`).join('\n') : p.input === 'score' ? '＿＿＿＿分' : '', '', ''],
  }));
  rows.push({ depth: 0, kind: 'total', cells: ['合计', '100%', '100%', '', '', '', ''] });
  return { columns: PART_COLUMNS, rows };
}

export const PART_COLUMNS = ['计分部分', '权重', '占总分', '计分方法', '票数或得分', '本部分得分', '计入总分'];

/** 计分办法 of a weighted scheme, from its parts. */
function weightedRules(parts: WeightedPartData[]): string[] {
  const out = [`计分办法：百分制，${parts.map((p) => `${p.name}占${fmt(p.weight)}%${p.parts?.length ? `（${p.parts.map((c) => `${c.name}占${fmt(c.weight)}%`).join('，')}）` : ''}`).join('，')}，各部分计入总分之和为考评得分。`];
  for (const { p, share } of walkParts(parts, 100, 0, [])) {
    if (p.ballots?.length) out.push(`${p.name}得分＝Σ（各档票数×该档分值）÷总票数，${p.ballots.map((b) => `${b.label}每票${fmt(b.value)}分`).join('、')}。`);
    if (p.percentage_points) out.push(`${p.name}按所列问题逐项扣除总分的百分点，以${p.name}所占的${fmt(share)}个百分点扣完为止。`);
  }
  out.push('各部分计入总分的分数保留两位小数，总分为各部分之和。');
  return out;
}

/** The 每次扣（加）分 cell: one value, each severity's value, or 否决 for a veto row. */
export function deductValue(it: ChecklistItemData): string {
  if (it.levels?.length) return it.levels.map((l) => signed(cents(l.points))).join('／');
  if (it.per_occurrence === undefined && it.veto) return '否决';
  return signed(cents(it.per_occurrence ?? 0));
}

/** What a failed veto does, as the form and report say it. */
export function vetoEffectText(effect: VetoEffect): string {
  if (effect === 'lowest') return '未达到要求的直接评为最低等次';
  if (effect === 'last') return '未达到要求的直接列为最差，排在所有对象之后';
  return '未达到要求的不予评定等次';
}

/** 计分说明 under the form, from the scheme's own numbers. */
export function scoringRules(cl: Checklist, hasVeto: boolean): string[] {
  const out: string[] = [];
  if (cl.mode === 'award') {
    const comps = cl.components ?? [];
    const max = itemsMax(cl);
    const total = cl.total !== undefined ? cents(cl.total) : max + comps.reduce((s, c) => s + cents(c.points), 0);
    out.push(comps.length
      ? `计分办法：总分${formatCents(total)}分，其中考评项目${formatCents(max)}分，${comps.map((c) => `${c.name}${fmt(c.points)}分`).join('，')}。`
      : `计分办法：总分${formatCents(total)}分，逐项评分后相加。`);
    if (cl.sections.some((s) => s.items.some((it) => it.levels?.length))) out.push('分级评分的项目按所达档次计分。');
    if (cl.sections.some((s) => s.items.some((it) => it.deduct_per_finding !== undefined))) out.push('按处扣分的项目每发现一处扣相应分值，扣完本项分值为止。');
  } else if (cl.mode === 'weighted') {
    out.push(...weightedRules(cl.parts ?? []));
  } else {
    out.push(`计分办法：基础分${fmt(cl.base ?? 0)}分，按发生次数扣分或加分，考评得分＝基础分＋加分－扣分。`);
    if (cl.sections.some((s) => s.items.some((it) => it.levels?.length))) out.push('分情节轻重的项目按所属情节的分值计。');
    if (cl.floor !== undefined || cl.cap !== undefined) {
      out.push(`考评得分${cl.floor !== undefined ? `最低计${fmt(cl.floor)}分` : ''}${cl.floor !== undefined && cl.cap !== undefined ? '，' : ''}${cl.cap !== undefined ? `最高计${fmt(cl.cap)}分` : ''}。`);
    }
  }
  if (hasVeto) out.push(`${VETO_LEGEND}：标${VETO_MARK}的项目为一票否决项，${vetoEffectText(cl.veto_effect ?? 'void')}。`);
  for (const e of cl.escalation ?? []) {
    out.push(`${e.name}（第${e.items.join('、')}项）累计处理：${e.steps.map((st, i) => `${st.count}次${i === e.steps.length - 1 ? '及以上' : ''}${st.sanction}`).join('；')}。`);
  }
  return out;
}
