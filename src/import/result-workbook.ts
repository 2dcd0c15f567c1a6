import { Document, isMap, isScalar, type Pair } from 'yaml';
import type { Diagnostics } from '../diagnostics.js';
import { formatYaml } from '../format/yaml-format.js';
import { KEY_ORDER } from '../format/key-order.js';
import type { Sheet, Workbook } from '../load/sheet-source.js';
import type { ChecklistData, ResultData, ScoreEntry } from '../model/data.js';
import { clean, halfWidthDigits } from './cells.js';

/** Must match render/xlsx/checklist-workbook.ts (import sits below render, so the names are repeated here). */
const WORKBOOK_FORMAT = 'normkit-checklist-1';
const META_SHEET = 'normkit';
const VETO_WORD = '否决';

export interface WorkbookResult {
  result: ResultData;
  /** Item no → what the assessor wrote under 考评发现 and 备注, kept as comments in the YAML. */
  notes: Map<string, string>;
}

/** The checklist id a filled workbook was exported for, if it is one of ours. */
export function workbookChecklistId(wb: Workbook): string | undefined {
  const meta = wb.sheets.find((s) => s.name === META_SHEET);
  if (!meta || metaValue(meta, 'format') !== WORKBOOK_FORMAT) return undefined;
  return metaValue(meta, 'checklist');
}

function metaValue(meta: Sheet, key: string): string | undefined {
  return meta.rows.find((r) => r[0]?.text === key)?.[1]?.text;
}

function parseRef(ref: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]) - 1, col: col - 1 };
}

/**
 * A filled checklist workbook → the result it records, exactly as the YAML an assessor would write:
 * award items as scores, levels, findings or a failed veto; deduct items as occurrences. Each
 * problem is a diagnostic at its cell (`考评表!G12`).
 */
export function resultFromWorkbook(wb: Workbook, checklist: ChecklistData, diags: Diagnostics): WorkbookResult | undefined {
  const meta = wb.sheets.find((s) => s.name === META_SHEET)!;
  const sheetName = metaValue(meta, 'sheet') ?? '考评表';
  const sheet = wb.sheets.find((s) => s.name === sheetName);
  if (!sheet) {
    diags.error(wb.file, undefined, 'result-workbook-layout', `工作簿中没有“${sheetName}”工作表。请使用 normkit checklist export 生成的考评表，不要改工作表名。`);
    return undefined;
  }
  const errorsBefore = diags.errorCount;
  const at = (ref: string) => ({ ...((p) => ({ line: p.row + 1, column: p.col + 1 }))(parseRef(ref)), cell: `${sheet.name}!${ref}` });
  const text = (ref: string | undefined): string | undefined => {
    if (!ref) return undefined;
    const p = parseRef(ref);
    return clean(sheet.rows[p.row]?.[p.col]?.text);
  };
  const problem = (ref: string, rule: string, message: string): void => {
    diags.add({ file: wb.file, ...at(ref), severity: 'error', rule, message });
  };
  const refOf = (key: string): string => metaValue(meta, key) ?? 'A1';

  const subject = text(refOf('subject'));
  if (!subject) problem(refOf('subject'), 'result-missing-value', '被考评单位为空。请填写考评对象。');
  const assessedRaw = text(refOf('assessed'));
  const assessed = assessedRaw ? normalizeDate(assessedRaw) : undefined;
  if (!assessedRaw) problem(refOf('assessed'), 'result-missing-value', '考评日期为空。请填写，例如 2024-12-05。');
  else if (!assessed) problem(refOf('assessed'), 'result-bad-value', `考评日期“${assessedRaw}”不是日期。请写成 2024-12-05。`);
  const assessors = (text(refOf('assessors')) ?? '').split(/[、，,;；\s]+/).filter(Boolean);
  const period = text(refOf('period'));
  if (period && !/^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$/.test(halfWidthDigits(period))) problem(refOf('period'), 'result-bad-value', `考评期“${period}”写法不对。请写年度（2024）、季度（2024Q3）或月份（2024-07），或留空。`);
  const remarks = text(refOf('remarks'));

  const items = new Map(checklist.sections.flatMap((s) => s.items).map((it) => [it.no, it]));
  const scores: Record<string, ScoreEntry> = {};
  const notes = new Map<string, string>();
  for (const row of meta.rows) {
    if (row[0]?.text !== 'item') continue;
    const no = Number(row[1]?.text);
    const it = items.get(no);
    const [input, level, , finding, remark] = [2, 3, 4, 5, 6].map((i) => row[i]?.text);
    if (!it || !input) {
      diags.error(wb.file, undefined, 'result-workbook-layout', `工作簿记录的第 ${no} 项不在考评标准“${checklist.id}”中：考评标准在导出后改过。请重新导出考评表再填写。`);
      continue;
    }
    // the sheet is protected against deleting rows, but a copy pasted around could move them: check the 序号
    const at0 = parseRef(input);
    if (clean(sheet.rows[at0.row]?.[1]?.text) !== String(no)) {
      problem(input, 'result-workbook-layout', `第 ${no} 项不在它导出时的行上（该行的序号不是 ${no}）：表格的行被移动或删除过。请在重新导出的考评表中填写。`);
      continue;
    }
    const note = [text(finding) && `考评发现：${text(finding)}`, text(remark) && `备注：${text(remark)}`].filter(Boolean).join('；');
    if (note) notes.set(String(no), note);
    const v = text(input);
    // weighted: an item with points is scored as in award mode (score.ts)
    if (checklist.mode === 'award' || (checklist.mode === 'weighted' && it.points !== undefined)) {
      if (v === undefined) {
        problem(input, 'result-missing-value', `第 ${no} 项未评分。请填写${it.levels?.length ? '档次' : it.deduct_per_finding !== undefined ? '发现处数（没有问题填 0）' : `得分（0～${it.points} 分）`}。`);
        continue;
      }
      if (it.veto && v === VETO_WORD) scores[no] = { veto: true };
      else if (it.levels?.length) {
        if (it.levels.some((l) => l.label === v)) scores[no] = { level: v };
        else problem(input, 'result-bad-value', `第 ${no} 项的档次“${v}”不在列表中。请选择：${it.levels.map((l) => l.label).join('、')}。`);
      } else if (it.deduct_per_finding !== undefined) {
        const n = Number(halfWidthDigits(v));
        if (Number.isInteger(n) && n >= 0) scores[no] = { findings: n };
        else problem(input, 'result-bad-value', `第 ${no} 项的发现处数“${v}”不是 0 或正整数。`);
      } else {
        const n = Number(halfWidthDigits(v));
        if (Number.isFinite(n) && n >= 0 && n <= (it.points ?? 0)) scores[no] = n;
        else problem(input, 'result-bad-value', `第 ${no} 项的得分“${v}”不在 0～${it.points} 分之间。`);
      }
    } else {
      if (v === undefined) continue;
      if (it.veto && v === VETO_WORD) {
        scores[no] = { veto: true };
        continue;
      }
      const n = Number(halfWidthDigits(v));
      if (!Number.isInteger(n) || n < 0) {
        problem(input, 'result-bad-value', `第 ${no} 项的发生次数“${v}”不是 0 或正整数。`);
        continue;
      }
      if (n === 0) continue;
      if (it.levels?.length) {
        const lv = text(level);
        if (!lv || !it.levels.some((l) => l.label === lv)) {
          problem(level ?? input, 'result-bad-value', `第 ${no} 项分情节轻重，请在“情节”列选择：${it.levels.map((l) => l.label).join('、')}。`);
          continue;
        }
        scores[no] = { level: lv, count: n };
      } else scores[no] = n;
    }
  }
  const components: Record<string, number> = {};
  for (const row of meta.rows) {
    if (row[0]?.text !== 'component') continue;
    const name = row[1]!.text, ref = row[2]!.text;
    const c = checklist.components?.find((x) => x.name === name);
    const v = text(ref);
    if (!c) continue;
    if (v === undefined) {
      problem(ref, 'result-missing-value', `“${name}”未填分。请填 0～${c.points} 分。`);
      continue;
    }
    const n = Number(halfWidthDigits(v));
    if (Number.isFinite(n) && n >= 0 && n <= c.points) components[name] = n;
    else problem(ref, 'result-bad-value', `“${name}”的得分“${v}”不在 0～${c.points} 分之间。`);
  }
  const parts: Record<string, number | Record<string, number>> = {};
  for (const row of meta.rows) {
    if (row[0]?.text === 'ballot') {
      const [name, label, ref] = [row[1]!.text, row[2]!.text, row[3]!.text];
      const v = text(ref);
      const n = v === undefined ? 0 : Number(halfWidthDigits(v));
      if (!Number.isInteger(n) || n < 0) problem(ref, 'result-bad-value', `“${name}”中“${label}”的票数“${v}”不是 0 或正整数。`);
      else parts[name] = { ...(parts[name] as Record<string, number> | undefined), [label]: n };
    } else if (row[0]?.text === 'part-score') {
      const [name, ref] = [row[1]!.text, row[2]!.text];
      const v = text(ref);
      const n = v === undefined ? NaN : Number(halfWidthDigits(v));
      if (v === undefined) problem(ref, 'result-missing-value', `“${name}”未填得分。请填 0～100 分。`);
      else if (!(n >= 0 && n <= 100)) problem(ref, 'result-bad-value', `“${name}”的得分“${v}”不在 0～100 分之间。`);
      else parts[name] = n;
    }
  }
  for (const [name, tally] of Object.entries(parts)) {
    if (typeof tally === 'object' && Object.values(tally).every((n) => n === 0)) {
      const ref = meta.rows.find((r) => r[0]?.text === 'ballot' && r[1]?.text === name)![3]!.text;
      problem(ref, 'result-missing-value', `“${name}”一张票也没有。请填各档的票数。`);
    }
  }
  if (diags.errorCount > errorsBefore) return undefined;
  const result: ResultData = {
    checklist: checklist.id, subject: subject!, assessed: assessed!,
    ...(period ? { period: halfWidthDigits(period) } : {}),
    ...(assessors.length ? { assessors } : {}),
    scores,
    ...(Object.keys(components).length ? { components } : {}),
    ...(Object.keys(parts).length ? { parts } : {}),
    ...(remarks ? { remarks } : {}),
  };
  return { result, notes };
}

/** 2024-12-05, 2024/12/5, 2024年12月5日 → 2024-12-05. */
function normalizeDate(s: string): string | undefined {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(halfWidthDigits(s));
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The result as a YAML file, each item's finding and remark as a comment on its score. */
export function resultYaml(r: WorkbookResult, source: string): string {
  // numeric keys (3: 5, not "3": 5), as results are written by hand
  const data = { ...r.result, scores: new Map(Object.entries(r.result.scores ?? {}).map(([k, v]) => [Number(k), v])) };
  const doc = new Document(data);
  doc.commentBefore = ` 由 ${source} 导入（normkit import result）。`;
  const scores = doc.get('scores', true);
  if (isMap(scores)) {
    for (const pair of scores.items as Pair[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (isMap(pair.value)) pair.value.flow = true; // 3: { level: 二级达标 }, as hand-written results
      const note = r.notes.get(key);
      if (note && isScalar(pair.key)) pair.key.commentBefore = ` ${note.replace(/\n/g, ' ')}`;
      else if (note && pair.value && typeof pair.value === 'object') (pair.value as { commentBefore?: string }).commentBefore = ` ${note.replace(/\n/g, ' ')}`;
    }
  }
  return formatYaml(doc.toString({ indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0 }), KEY_ORDER.result);
}
