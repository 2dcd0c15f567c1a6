import type { Diagnostics, Position } from '../../diagnostics.js';
import type { LoadedEvidence } from '../../load/evidence-loader.js';
import type { RawCell, RawRow, RawTable } from '../../load/evidence-tables.js';
import type { YamlSource } from '../../load/yaml-source.js';
import type { DepartmentData, ItemData } from '../../model/data.js';
import type { BadClass, Case, Complaint, Evaluation, EvidenceRecords, EvidenceRulesData, Level, Where } from '../../model/evidence.js';
import { buildCalendar, CalendarGap, packagedYears, type CalendarOverride, type WorkCalendar } from '../../evidence/calendar.js';
import { dayNumber, isoOf, yearOf } from '../../evidence/dates.js';
import { badReviewDeadlines, caseDue, complaintDue, DEFAULT_RULES } from '../../evidence/deadlines.js';
import { CASE_COLUMNS, COMPLAINT_COLUMNS, EVALUATION_COLUMNS, matchColumn, type ColumnSpec } from './evidence-columns.js';

/**
 * Evidence rows → checked records. Every problem names the cell (file:line:col) and a rule id:
 * evidence-column-missing / -unknown, evidence-date, evidence-date-order, evidence-level,
 * evidence-value, evidence-duplicate, evidence-item-unknown, evidence-exclusion, and
 * calendar-year-missing for a date the working-day calendar cannot count.
 */

export interface CheckedEvidence {
  records: EvidenceRecords;
  calendar: WorkCalendar;
  rules: Required<Pick<EvidenceRulesData, 'complaint_reply_days'>> & EvidenceRulesData;
}

export interface EvidenceInputs {
  items: ItemData[];
  departments: DepartmentData[];
  rules?: EvidenceRulesData;
  /**
   * Some item files failed their checks (or were left out by --keep-going): a row naming an unknown
   * item is skipped, not reported, since it may be one of them; the item's own error says what to fix.
   */
  itemsBroken?: boolean;
}

const LEVEL_NAMES: Record<string, Level> = { 非常满意: 1, 满意: 2, 基本满意: 3, 不满意: 4, 非常不满意: 5 };
const BAD_CLASSES: BadClass[] = ['立行立改', '简单', '复杂', '解释说明'];
const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '']);

/** 2025-10-09, 2025/10/9, 2025.10.9, 2025年10月9日, each optionally followed by a time. */
const DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]+(\d{1,2}:\d{2}(?::\d{2})?))?$/u;

class RowReader {
  constructor(
    private readonly table: RawTable,
    private readonly row: RawRow,
    private readonly cols: Map<string, string>,
    private readonly diags: Diagnostics,
    private readonly calendar: WorkCalendar,
  ) {}

  ok = true;

  get where(): Where { return { file: this.table.file, line: this.row.line, column: this.row.column }; }

  cell(key: string): RawCell | undefined {
    const h = this.cols.get(key);
    return h === undefined ? undefined : this.row.cells.get(h);
  }

  pos(key: string): Position {
    const c = this.cell(key);
    // a workbook's cell goes with its place (评价!D17), as the importer's diagnostics do
    if (c) return c.cell ? { line: c.line, column: c.column, cell: c.cell } as Position : { line: c.line, column: c.column };
    return this.row.cell ? { line: this.row.line, column: this.row.column, cell: this.row.cell } as Position : { line: this.row.line, column: this.row.column };
  }

  text(key: string): string {
    const v = this.cell(key)?.value;
    return Array.isArray(v) ? v.join('；') : (v ?? '');
  }

  list(key: string): string[] {
    const v = this.cell(key)?.value;
    if (v === undefined) return [];
    const parts = Array.isArray(v) ? v : v.split(/[；;|\n]/u);
    return parts.map((s) => s.trim());
  }

  error(key: string, rule: string, message: string): void {
    this.ok = false;
    this.diags.error(this.table.file, this.pos(key), rule, message);
  }

  /** A date cell (or one entry of a list cell) → day number; empty → undefined. */
  date(key: string, label: string, value: string = this.text(key)): { day?: number; time: string } {
    if (value === '') return { time: '' };
    const m = DATE.exec(value.trim());
    const day = m ? dayNumber(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`) : undefined;
    if (day === undefined) {
      this.error(key, 'evidence-date', `${label}“${value}”不是有效日期。请写成 2025-10-09（可带时间 2025-10-09 14:30）。`);
      return { time: '' };
    }
    if (!this.calendar.covers(yearOf(day))) {
      this.error(key, 'calendar-year-missing', calendarGapMessage(yearOf(day), this.calendar));
      return { time: '' };
    }
    return { day, time: m![4] ?? '' };
  }

  day(key: string, label: string): number | undefined {
    return this.date(key, label).day;
  }

  /** `later` must not come before `earlier`. */
  order(earlier: number | undefined, later: number | undefined, key: string, message: string): void {
    if (earlier !== undefined && later !== undefined && later < earlier) this.error(key, 'evidence-date-order', message);
  }

  flag(key: string, label: string): boolean {
    const v = this.text(key).trim().toLowerCase();
    if (YES.has(v)) return true;
    if (!NO.has(v)) this.error(key, 'evidence-value', `${label}应填“是”或“否”，不是“${this.text(key)}”。`);
    return false;
  }

  count(key: string, label: string): number | undefined {
    const v = this.text(key).replace(/个?工作日|天|日$/u, '').trim();
    if (v === '') return undefined;
    if (!/^\d+$/.test(v)) { this.error(key, 'evidence-value', `${label}应是非负整数（工作日数），不是“${this.text(key)}”。`); return undefined; }
    return Number(v);
  }
}

export function calendarGapMessage(year: number, calendar: WorkCalendar): string {
  const years = calendar.coveredYears();
  const pkg = [...packagedYears().keys()].sort((a, b) => a - b);
  return `${year} 年不在工作日历中（已知 ${pkg[0]}—${pkg[pkg.length - 1]} 年${years.some((y) => !pkg.includes(y)) ? `及项目日历 ${years.filter((y) => !pkg.includes(y)).join('、')} 年` : ''}），无法按工作日计算时限。`
    + `请新建 calendar/${year}.yaml，写明当年的法定节假日（holidays）和调休上班日（workdays），或升级 chinese-days。`;
}

/** Header → column key for one table; reports missing required and unknown columns. */
function resolveColumns(table: RawTable, specs: ColumnSpec[], diags: Diagnostics): Map<string, string> | undefined {
  const cols = new Map<string, string>();
  const unknown: string[] = [];
  for (const h of table.columns) {
    const spec = matchColumn(h, specs);
    if (spec && !cols.has(spec.key)) cols.set(spec.key, h);
    else if (!spec && h !== '') unknown.push(h);
  }
  if (unknown.length) {
    diags.warn(table.file, table.columnAt.get(unknown[0]!), 'evidence-column-unknown',
      `不认识的列“${unknown.join('”“')}”，已忽略。可用的列：${specs.map((s) => s.label).join('、')}。`);
  }
  const missing = specs.filter((s) => s.required && !cols.has(s.key));
  if (missing.length && table.rows.length) {
    diags.error(table.file, { line: 1, column: 1 }, 'evidence-column-missing',
      `缺少必需的列：${missing.map((s) => `${s.label}（${s.key}）`).join('、')}。请在表头加上这些列。`);
    return undefined;
  }
  return cols;
}

function calendarOverrides(sources: YamlSource[], diags: Diagnostics): CalendarOverride[] {
  const out: CalendarOverride[] = [];
  for (const src of sources) {
    const data = src.data as Record<string, unknown> | null;
    const fromName = /(\d{4})\.ya?ml$/i.exec(src.file)?.[1];
    const year = typeof data?.year === 'number' ? data.year : fromName ? Number(fromName) : undefined;
    if (!data || typeof data !== 'object' || year === undefined) {
      diags.error(src.file, src.mapAt([]), 'calendar-file', '日历文件应写明 year: 年份，并列出 holidays（节假日）和 workdays（调休上班日）。文件名宜为 calendar/<年份>.yaml。');
      continue;
    }
    const days = (key: 'holidays' | 'workdays'): number[] => {
      const list = data[key];
      if (list === undefined || list === null) return [];
      if (!Array.isArray(list)) { diags.error(src.file, src.valueAt([key]), 'calendar-file', `${key} 应是日期的列表。`); return []; }
      const res: number[] = [];
      list.forEach((e, i) => {
        const range = typeof e === 'object' && e !== null ? e as { from?: unknown; to?: unknown } : { from: e, to: e };
        const a = dayNumber(String(range.from ?? '')), b = dayNumber(String(range.to ?? range.from ?? ''));
        if (a === undefined || b === undefined || b < a) {
          diags.error(src.file, src.valueAt([key, i]), 'calendar-file', `“${JSON.stringify(e)}”不是日期（2027-01-01）或日期段（{ from: 2027-02-06, to: 2027-02-12, name: 春节 }）。`);
          return;
        }
        for (let d = a; d <= b; d++) {
          if (yearOf(d) !== year) { diags.error(src.file, src.valueAt([key, i]), 'calendar-file', `${isoOf(d)} 不在 ${year} 年：每个日历文件只写一年。`); return; }
          res.push(d);
        }
      });
      return res;
    };
    out.push({ year, source: typeof data.source === 'string' ? data.source : undefined, replace: data.replace === true, holidays: days('holidays'), workdays: days('workdays') });
  }
  return out;
}

export function checkEvidence(loaded: LoadedEvidence, inputs: EvidenceInputs, diags: Diagnostics): CheckedEvidence {
  const calendar = buildCalendar(calendarOverrides(loaded.calendars, diags));
  const rules = { ...DEFAULT_RULES, ...(inputs.rules ?? {}), complaint_reply_days: inputs.rules?.complaint_reply_days ?? DEFAULT_RULES.complaint_reply_days };
  const items = new Map(inputs.items.map((i) => [i.code, i]));
  const depts = new Map(inputs.departments.map((d) => [d.id, d]));
  const deptByName = new Map(inputs.departments.map((d) => [d.name, d]));
  const deptOf = (value: string, item?: ItemData): string => {
    if (value) return depts.get(value)?.id ?? deptByName.get(value)?.id ?? value;
    return item?.department ?? '';
  };
  const windowOf = (value: string, item?: ItemData): string => value || item?.window || (item ? depts.get(item.department)?.window ?? '' : '');
  const records: EvidenceRecords = { evaluations: [], cases: [], complaints: [] };

  const each = (kind: keyof LoadedEvidence['tables'], specs: ColumnSpec[], fn: (r: RowReader) => void): void => {
    for (const table of loaded.tables[kind]) {
      const cols = resolveColumns(table, specs, diags);
      if (!cols) continue;
      for (const row of table.rows) fn(new RowReader(table, row, cols, diags, calendar));
    }
  };
  const requireText = (r: RowReader, key: string, label: string): string => {
    const v = r.text(key);
    if (v === '') r.error(key, 'evidence-value', `${label}不能为空。`);
    return v;
  };

  // ── evaluations ────────────────────────────────────────────────
  const seenEval = new Map<string, Where>();
  each('evaluations', EVALUATION_COLUMNS, (r) => {
    const caseNo = requireText(r, 'case_no', '办件编号');
    const rated = r.date('rated_at', '评价时间');
    const raw = r.text('level');
    const level = (/^[1-5]$/.test(raw) ? Number(raw) : LEVEL_NAMES[raw]) as Level | undefined;
    if (raw === '') r.error('level', 'evidence-level', '满意度不能为空。请填 1—5 或等级名称（非常满意、满意、基本满意、不满意、非常不满意）。');
    else if (level === undefined) r.error('level', 'evidence-level', `满意度“${raw}”无法识别。请填 1（非常满意）—5（非常不满意）或等级名称。`);
    const code = r.text('item');
    const item = code ? items.get(code) : undefined;
    if (code && !item && inputs.itemsBroken) return;
    if (code && !item) r.error('item', 'evidence-item-unknown', `项目中没有事项编码“${code}”。请检查编码，或先在 items/ 中添加这个事项。`);
    const isBad = level !== undefined && level >= 4;
    const cls = r.text('bad_class');
    if (cls && !BAD_CLASSES.includes(cls as BadClass)) r.error('bad_class', 'evidence-value', `差评类别“${cls}”无法识别。可选：${BAD_CLASSES.join('、')}。`);
    const filed = r.day('filed', '建档日期'), contacted = r.day('contacted', '联系日期'), rectified = r.day('rectified', '整改日期'), revisited = r.day('revisited', '回访日期');
    const day = rated.day;
    r.order(day, filed, 'filed', '建档日期早于评价时间。请核对。');
    r.order(day, contacted, 'contacted', '联系日期早于评价时间。请核对。');
    r.order(day, rectified, 'rectified', '整改日期早于评价时间。请核对。');
    r.order(rectified ?? day, revisited, 'revisited', '回访日期早于整改（或评价）日期。请核对。');
    const kind = r.text('excluded');
    let excluded: Evaluation['excluded'];
    if (kind && !NO.has(kind.toLowerCase()) && kind !== '有效' && kind !== '属实') {
      const reviewer = r.text('reviewer'), reason = r.text('exclusion_reason');
      const reviewed = r.day('reviewed', '复核日期');
      if (!reviewer || !reason) r.error('excluded', 'evidence-exclusion', `“${kind}”的评价要剔除，须写明核实说明和复核人（${!reason ? '核实说明' : ''}${!reason && !reviewer ? '、' : ''}${!reviewer ? '复核人' : ''}为空）；否则这条评价照常计入。`);
      else excluded = { kind, reason, reviewer, reviewed };
      r.order(day, reviewed, 'reviewed', '复核日期早于评价时间。请核对。');
    }
    const key = `${caseNo}\u0000${r.text('rated_at')}`;
    const first = seenEval.get(key);
    if (first && caseNo) r.error('case_no', 'evidence-duplicate', `办件 ${caseNo} 在同一评价时间已有一条评价（${first.file}:${first.line}）。重复导出的行请删除。`);
    if (!r.ok || day === undefined || level === undefined) return;
    seenEval.set(key, r.where);
    const ev: Evaluation = {
      at: r.where, caseNo, channel: r.text('channel'), rater: r.text('rater'), day, time: rated.time, level, comment: r.text('comment'),
      item: code || undefined, window: windowOf(r.text('window'), item), staff: r.text('staff'), department: deptOf(r.text('department'), item),
      ...(isBad ? { bad: { class: (cls || '简单') as BadClass, filed, contacted, rectified, revisited, handler: r.text('handler'), measures: r.text('measures') } } : {}),
      ...(excluded ? { excluded } : {}),
    };
    try { if (ev.bad) badReviewDeadlines(ev, calendar, rules); } catch (e) {
      if (!(e instanceof CalendarGap)) throw e;
      return r.error('rated_at', 'calendar-year-missing', calendarGapMessage(e.year, calendar));
    }
    records.evaluations.push(ev);
  });

  // ── cases ──────────────────────────────────────────────────────
  const seenCase = new Map<string, Where>();
  each('cases', CASE_COLUMNS, (r) => {
    const caseNo = requireText(r, 'case_no', '办件编号');
    const code = requireText(r, 'item', '事项编码');
    const item = items.get(code);
    if (code && !item && inputs.itemsBroken) return;
    if (code && !item) r.error('item', 'evidence-item-unknown', `项目中没有事项编码“${code}”，无法得知承诺时限。请检查编码，或在这一行填写承诺时限列。`);
    const accepted = r.day('accepted', '受理日期');
    const ownDays = r.count('promised_days', '承诺时限');
    const reqs = r.list('supplement_requested'), dones = r.list('supplement_completed');
    if (dones.filter(Boolean).length > reqs.filter(Boolean).length) r.error('supplement_completed', 'evidence-value', '补正完成日期多于补正告知日期。每次补正先告知、后完成，请按顺序一一对应填写。');
    const supplements: Case['supplements'] = [];
    reqs.forEach((q, i) => {
      if (!q) return;
      const requested = r.date('supplement_requested', '补正告知日期', q).day;
      const completed = dones[i] ? r.date('supplement_completed', '补正完成日期', dones[i]).day : undefined;
      r.order(accepted, requested, 'supplement_requested', '补正告知日期早于受理日期。请核对。');
      r.order(requested, completed, 'supplement_completed', '补正完成日期早于补正告知日期。请核对。');
      if (requested !== undefined) supplements.push({ requested, completed });
    });
    for (let i = 0; i < supplements.length - 1; i++) {
      if (supplements[i]!.completed === undefined) r.error('supplement_completed', 'evidence-value', `第 ${i + 1} 次补正没有完成日期，却有第 ${i + 2} 次补正。请补填完成日期。`);
    }
    const froms = r.list('stop_from'), tos = r.list('stop_to'), reasons = r.list('stop_reason');
    const stops: Case['stops'] = [];
    froms.forEach((f, i) => {
      if (!f) return;
      const from = r.date('stop_from', '中止开始', f).day;
      const to = tos[i] ? r.date('stop_to', '中止结束', tos[i]).day : undefined;
      const reason = reasons[i] ?? '';
      if (!reason) r.error('stop_reason', 'evidence-value', `第 ${i + 1} 段中止没有写原因。听证、招标、拍卖、检验、检测、勘测、检疫、鉴定或专家评审等所需时间才不计入时限，请写明。`);
      if (!tos[i]) r.error('stop_to', 'evidence-value', `第 ${i + 1} 段中止没有结束日期。请填写（程序尚未结束的，填预计结束日期并在办结后更正）。`);
      r.order(accepted, from, 'stop_from', '中止开始日期早于受理日期。请核对。');
      r.order(from, to, 'stop_to', '中止结束日期早于开始日期。请核对。');
      if (from !== undefined && to !== undefined) stops.push({ from, to, reason });
    });
    const extRequested = r.day('extension_requested', '延期申请日期');
    const extApproved = r.day('extension_approved', '延期批准日期');
    const extDays = r.count('extension_days', '延长天数');
    if (extApproved !== undefined && extDays === undefined) r.error('extension_days', 'evidence-value', '延期已批准，但没有写延长天数。');
    if (extApproved !== undefined && extRequested === undefined) r.error('extension_requested', 'evidence-value', '延期已批准，但没有写延期申请日期。');
    r.order(extRequested, extApproved, 'extension_approved', '延期批准日期早于申请日期。请核对。');
    const decided = r.day('decided', '办结日期');
    const delivered = r.day('delivered', '送达日期');
    r.order(accepted, decided, 'decided', '办结日期早于受理日期。请核对。');
    r.order(decided, delivered, 'delivered', '送达日期早于办结日期。请核对。');
    const onSite = r.flag('on_site', '现场办结');
    const refusedFlag = r.flag('refused', '不予受理');
    const first = seenCase.get(caseNo);
    if (first && caseNo) r.error('case_no', 'evidence-duplicate', `办件编号 ${caseNo} 重复（第一次出现在 ${first.file}:${first.line}）。每个办件只能有一行。`);
    if (!r.ok || accepted === undefined || (!item && ownDays === undefined)) return;
    seenCase.set(caseNo, r.where);
    const unit = item?.time_limit.unit ?? '工作日';
    const c: Case = {
      at: r.where, caseNo, item: code, itemName: item?.name ?? code, window: windowOf(r.text('window'), item), staff: r.text('staff'),
      department: item?.department ?? '', accepted, promisedDays: ownDays ?? item!.time_limit.promised_days, unit,
      supplements, stops, decided, delivered, onSite,
      ...(extRequested !== undefined ? { extension: { requested: extRequested, approved: extApproved, days: extDays ?? 0 } } : {}),
      ...(refusedFlag ? { refused: { reason: r.text('refusal_reason') } } : {}),
    };
    try { caseDue(c, calendar); } catch (e) {
      if (!(e instanceof CalendarGap)) throw e;
      return r.error('accepted', 'calendar-year-missing', `按承诺时限 ${c.promisedDays} 个工作日，到期日落在 ${e.year} 年。` + calendarGapMessage(e.year, calendar));
    }
    records.cases.push(c);
  });

  // ── complaints ─────────────────────────────────────────────────
  const seenComplaint = new Map<string, Where>();
  each('complaints', COMPLAINT_COLUMNS, (r) => {
    const no = requireText(r, 'no', '投诉编号');
    const received = r.day('received', '受理日期');
    const replied = r.day('replied', '答复日期');
    const revisited = r.day('revisited', '回访日期');
    r.order(received, replied, 'replied', '答复日期早于投诉受理日期：答复不能在投诉之前。请核对日期。');
    r.order(replied ?? received, revisited, 'revisited', '回访日期早于答复日期。请核对。');
    const channel = r.text('channel');
    const own = r.count('reply_days', '答复时限');
    const finding = r.text('finding');
    if (finding && !['属实', '部分属实', '不属实', '是', '否'].includes(finding)) r.error('finding', 'evidence-value', `是否属实应填 属实、部分属实 或 不属实，不是“${finding}”。`);
    const first = seenComplaint.get(no);
    if (first && no) r.error('no', 'evidence-duplicate', `投诉编号 ${no} 重复（第一次出现在 ${first.file}:${first.line}）。`);
    if (!r.ok || received === undefined) return;
    seenComplaint.set(no, r.where);
    const c: Complaint = {
      at: r.where, no, channel, received, target: r.text('target'), window: r.text('window'), department: deptOf(r.text('department')),
      category: r.text('category'), replyDays: own ?? rules.complaint_reply_days_by_channel?.[channel] ?? rules.complaint_reply_days,
      replied, finding: finding === '是' ? '属实' : finding === '否' ? '不属实' : finding, revisited,
    };
    try { complaintDue(c, calendar); } catch (e) {
      if (!(e instanceof CalendarGap)) throw e;
      return r.error('received', 'calendar-year-missing', calendarGapMessage(e.year, calendar));
    }
    records.complaints.push(c);
  });

  return { records, calendar, rules };
}
