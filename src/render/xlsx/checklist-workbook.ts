import ExcelJS from 'exceljs';
import { columnLetters } from '../../load/sheet-source.js';
import type { ChecklistItemData, WeightedPartData } from '../../model/data.js';
import type { Checklist } from '../../model/project.js';
import { partMethod, VETO_MARK, type ChecklistView } from '../../views/checklist-view.js';

/** Written into the hidden sheet: the reader refuses a workbook of another layout. */
export const WORKBOOK_FORMAT = 'normkit-checklist-1';
export const META_SHEET = 'normkit';
/** What a failed veto item is marked with in its input cell. */
export const VETO_WORD = '否决';

/** Where the reader finds what the assessor filled in (also written into the hidden sheet). */
export interface WorkbookLayout {
  sheet: string;
  subject: string;
  assessed: string;
  assessors: string;
  period: string;
  remarks: string;
  total: string;
  rating: string;
  /** Item no → its cells. `level` only for deduct rows with severity levels. */
  items: Map<number, { input: string; level?: string; score: string; finding: string; remark: string }>;
  components: Map<string, string>;
  /** weighted: ballot counts by part and grade, and the 0–100 scores of `input: score` parts. */
  ballots: Map<string, Map<string, string>>;
  partScores: Map<string, string>;
}

const THIN: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF7D6' } };

/**
 * A checklist as a fillable workbook over the same view as the HTML and PDF forms: one protected
 * sheet where only the score, finding and remark cells (and the header blanks, ballot counts and
 * part scores) are unlocked, data validation on every input, live subtotal, total and rating
 * formulas, the 类别 column merged per section, A4 print set-up with the header row repeated.
 */
export async function checklistWorkbook(view: ChecklistView, cl: Checklist): Promise<{ bytes: Buffer; layout: WorkbookLayout }> {
  const award = view.mode === 'award';
  // weighted: the item table is award or deduct as a whole (score.ts scores each item by whether it has points)
  if (view.weighted && cl.sections.some((sec) => sec.items.some((it) => (it.points !== undefined) !== award))) {
    throw new UnsupportedWorkbook('加权计分的考评标准中既有计分条目又有扣分条目，暂不能导出为工作簿。');
  }
  const byNo = new Map(cl.sections.flatMap((s) => s.items).map((it) => [it.no, it]));
  const hasMethod = award && view.table.columns.some((c) => c.key === 'method');
  const hasLevels = !award && [...byNo.values()].some((it) => it.levels?.length);

  const wb = new ExcelJS.Workbook();
  wb.creator = view.meta.author;
  wb.created = new Date(`${view.meta.date}T00:00:00Z`);
  wb.modified = wb.created;
  wb.title = view.title;
  wb.subject = view.meta.subject;
  wb.keywords = view.meta.keywords;
  // LibreOffice and Excel recompute every formula on open: the cached results we leave out are never shown stale
  wb.calcProperties = { fullCalcOnLoad: true };
  const ws = wb.addWorksheet('考评表', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true,
      margins: { left: 0.6, right: 0.6, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });

  // columns: 类别 序号 考评内容 分值|每次扣分 [考评方法|情节] 评分|发生次数 得分|扣加分 考评发现 备注
  const heads: { header: string; width: number; key: string }[] = [
    { header: '类别', width: 10, key: 'group' }, { header: '序号', width: 6, key: 'no' }, { header: '考评内容', width: 48, key: 'text' },
    { header: award ? '分值' : '每次扣（加）分', width: award ? 7 : 10, key: 'points' },
    ...(hasMethod ? [{ header: '考评方法', width: 10, key: 'method' }] : []),
    ...(hasLevels ? [{ header: '情节', width: 10, key: 'level' }] : []),
    { header: award ? '评分（得分、档次或发现处数）' : '发生次数', width: award ? 14 : 9, key: 'input' },
    { header: award ? '得分' : '扣（加）分', width: 8, key: 'score' },
    { header: '考评发现', width: 24, key: 'finding' }, { header: '备注', width: 16, key: 'remark' },
  ];
  const colOf = (key: string): number => heads.findIndex((h) => h.key === key) + 1;
  const L = (key: string): string => columnLetters(colOf(key) - 1);
  ws.columns = heads.map((h) => ({ width: h.width }));
  const last = heads.length;

  const title = ws.getRow(1);
  title.getCell(1).value = view.title;
  title.getCell(1).font = { bold: true, size: 16 };
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  title.height = 30;
  ws.mergeCells(1, 1, 1, last);

  // header blanks: 被考评单位, 考评日期, 考评人员, 考评期 — two to a row
  const blankAt = (row: number, label: string, fromCol: number, toCol: number, labelCols = 1): string => {
    const l = ws.getCell(row, fromCol);
    l.value = label;
    l.font = { bold: true };
    l.alignment = { vertical: 'middle', horizontal: 'right' };
    if (labelCols > 1) ws.mergeCells(row, fromCol, row, fromCol + labelCols - 1);
    const start = fromCol + labelCols;
    const c = ws.getCell(row, start);
    if (toCol > start) ws.mergeCells(row, start, row, toCol);
    unlock(c);
    c.border = { bottom: { style: 'thin' } };
    return c.address;
  };
  const mid = colOf('points');
  const subject = blankAt(2, view.blanks[0]!.label, 1, mid - 1, 2);
  const assessed = blankAt(2, '考评日期', mid, last, 2);
  const assessors = blankAt(3, '考评人员', 1, mid - 1, 2);
  const period = blankAt(3, '考评期', mid, last, 2);
  const dateCell = ws.getCell(assessed);
  dateCell.numFmt = 'yyyy-mm-dd';
  dateCell.dataValidation = { type: 'date', operator: 'greaterThan', formulae: [new Date('2000-01-01T00:00:00Z')], allowBlank: true, showErrorMessage: true, errorTitle: '考评日期', error: '请填写日期，例如 2024-12-05。', showInputMessage: true, promptTitle: '考评日期', prompt: '例如 2024-12-05' };
  ws.getCell(assessors).dataValidation = { type: 'textLength', operator: 'greaterThan', formulae: [0], allowBlank: true, showInputMessage: true, promptTitle: '考评人员', prompt: '多人用顿号分隔，例如 张三、李四' };
  ws.getCell(period).dataValidation = { type: 'textLength', operator: 'between', formulae: [4, 7], allowBlank: true, showInputMessage: true, promptTitle: '考评期', prompt: '可不填；年度 2024、季度 2024Q3 或月份 2024-07' };

  const headerRow = 5;
  const hr = ws.getRow(headerRow);
  heads.forEach((h, i) => {
    const c = hr.getCell(i + 1);
    c.value = h.header;
    c.font = { bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = THIN;
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
  });
  hr.height = 32;
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  ws.views = [{ state: 'frozen', ySplit: headerRow }];

  const layout: WorkbookLayout = { sheet: ws.name, subject, assessed, assessors, period, remarks: '', total: '', rating: '', items: new Map(), components: new Map(), ballots: new Map(), partScores: new Map() };
  const subtotalBySection = new Map<string, string>();
  let r = headerRow + 1;
  let groupStart = r;
  const subtotalCells: string[] = [];
  const inputCells: string[] = [];
  const vetoInputs: string[] = [];
  for (const row of view.table.rows) {
    const xr = ws.getRow(r);
    if (row.kind === 'item') {
      const it = byNo.get(Number(row.no))!;
      if (row.group !== undefined && row.groupSpan !== undefined) groupStart = r;
      xr.getCell(colOf('group')).value = row.group ?? '';
      xr.getCell(colOf('no')).value = Number(row.no);
      const text = [`${row.veto ? `${VETO_MARK} ` : ''}${row.text}`, ...row.details, ...(award && it.note ? [`（${it.note}）`] : [])].join('\n');
      xr.getCell(colOf('text')).value = text;
      // spreadsheet programs do not grow a row for wrapped text they did not lay out themselves
      xr.height = Math.max(lineCount(text, 48), lineCount(row.group ?? '', 10) / Math.max(1, row.groupSpan ?? 1), 1) * 14 + 6;
      xr.getCell(colOf('points')).value = award ? it.points ?? 0 : row.values.find((v) => v.key === 'perOccurrence')?.text ?? '';
      if (hasMethod) xr.getCell(colOf('method')).value = it.method ?? '';
      const input = xr.getCell(colOf('input'));
      const levelCell = hasLevels ? xr.getCell(colOf('level')) : undefined;
      unlock(input);
      const ref = input.address;
      inputCells.push(ref);
      if (it.veto) vetoInputs.push(ref);
      const score = xr.getCell(colOf('score'));
      if (award) {
        input.dataValidation = awardValidation(it, ref, `${L('points')}${r}`);
        score.value = { formula: awardFormula(it, ref, `${L('points')}${r}`) };
      } else {
        if (levelCell && it.levels?.length) {
          unlock(levelCell);
          levelCell.dataValidation = { type: 'list', allowBlank: true, formulae: [`"${it.levels.map((l) => l.label).join(',')}"`], showErrorMessage: true, errorTitle: '情节', error: `请从列表中选择：${it.levels.map((l) => l.label).join('、')}。`, showInputMessage: true, promptTitle: '情节', prompt: '选择情节，再填发生次数' };
        }
        input.dataValidation = deductValidation(it, ref);
        score.value = { formula: deductFormula(it, ref, levelCell?.address) };
      }
      score.numFmt = '0.##';
      const finding = xr.getCell(colOf('finding'));
      const remark = xr.getCell(colOf('remark'));
      unlock(finding);
      unlock(remark);
      layout.items.set(it.no, { input: ref, ...(levelCell && it.levels?.length ? { level: levelCell.address } : {}), score: score.address, finding: finding.address, remark: remark.address });
    } else if (row.kind === 'subtotal') {
      xr.getCell(colOf('group')).value = row.group ?? '';
      xr.getCell(colOf('text')).value = '小计';
      if (award) xr.getCell(colOf('points')).value = Number(row.values.find((v) => v.key === 'points')?.text ?? 0);
      const first = groupStart, lastItem = r - 1;
      const sub = xr.getCell(colOf('score'));
      sub.value = { formula: `ROUND(SUM(${L('score')}${first}:${L('score')}${lastItem}),2)` };
      sub.numFmt = '0.##';
      subtotalCells.push(sub.address);
      subtotalBySection.set(row.group ?? '', sub.address);
      if (r > groupStart) ws.mergeCells(groupStart, colOf('group'), r, colOf('group'));
      xr.font = { bold: true };
    } else {
      ws.mergeCells(r, 1, r, colOf('points') - 1);
      xr.getCell(1).value = row.label ?? row.text;
      xr.getCell(1).alignment = { horizontal: 'center' };
      xr.font = { bold: true };
      const cell = xr.getCell(colOf('score'));
      cell.numFmt = '0.##';
      if (row.kind === 'items-total') {
        xr.getCell(colOf('points')).value = Number(row.values.find((v) => v.key === 'points')?.text ?? 0);
        cell.value = { formula: `ROUND(${subtotalCells.join('+')},2)` };
      } else if (row.kind === 'component') {
        const c = cl.components!.find((x) => x.name === row.label)!;
        xr.getCell(colOf('points')).value = c.points;
        const input = xr.getCell(colOf('input'));
        unlock(input);
        input.dataValidation = { type: 'decimal', operator: 'between', allowBlank: true, formulae: [0, c.points], showErrorMessage: true, errorTitle: c.name, error: `请填 0～${c.points} 分。`, showInputMessage: true, promptTitle: c.name, prompt: `填 0～${c.points} 分` };
        inputCells.push(input.address);
        cell.value = { formula: `IF(${input.address}="","",${input.address})` };
        layout.components.set(c.name, input.address);
      } else if (row.kind === 'base') {
        cell.value = cl.base ?? 0;
      } else if (row.kind === 'total') {
        if (award) {
          xr.getCell(colOf('points')).value = Number(row.values.find((v) => v.key === 'points')?.text ?? 0);
          const comps = [...layout.components.values()].map((a) => `N(${a})`);
          cell.value = { formula: `ROUND(${[...subtotalCells, ...comps].join('+')},2)` };
        } else {
          let f = `ROUND(${cl.base ?? 0}+${subtotalCells.join('+')},2)`;
          if (cl.cap !== undefined) f = `MIN(${cl.cap},${f})`;
          if (cl.floor !== undefined) f = `MAX(${cl.floor},${f})`;
          cell.value = { formula: f };
        }
        layout.total = cell.address;
      }
    }
    for (let c = 1; c <= last; c++) {
      const cell = xr.getCell(c);
      cell.border = THIN;
      cell.alignment = { ...(cell.alignment ?? {}), vertical: 'middle', wrapText: true, ...(c === colOf('text') ? {} : { horizontal: cell.alignment?.horizontal ?? 'center' }) };
    }
    r++;
  }

  // only the items (and components) count for 未填完; a weighted scheme's ballots may stay blank as 0
  const inputRange = `${L('input')}${headerRow + 1}:${L('input')}${r - 1}`;
  const itemInputs = inputCells.length;
  if (view.weighted) r = weightedParts(ws, cl, r, { L, colOf, last }, subtotalBySection, layout);

  // 评定等次: live from the total and the veto inputs
  const rr = ws.getRow(r);
  ws.mergeCells(r, 1, r, colOf('points') - 1);
  rr.getCell(1).value = '评定等次';
  rr.getCell(1).alignment = { horizontal: 'center' };
  rr.font = { bold: true };
  ws.mergeCells(r, colOf('points'), r, last);
  const rating = rr.getCell(colOf('points'));
  rating.value = { formula: ratingFormula(cl, layout.total, inputRange, itemInputs, vetoInputs) };
  layout.rating = rating.address;
  for (let c = 1; c <= last; c++) rr.getCell(c).border = THIN;
  r++;

  const rem = ws.getRow(r);
  ws.mergeCells(r, 1, r, colOf('points') - 1);
  rem.getCell(1).value = '考评意见';
  rem.getCell(1).font = { bold: true };
  rem.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  ws.mergeCells(r, colOf('points'), r, last);
  const remarks = rem.getCell(colOf('points'));
  unlock(remarks);
  remarks.alignment = { vertical: 'top', wrapText: true };
  rem.height = 48;
  layout.remarks = remarks.address;
  for (let c = 1; c <= last; c++) rem.getCell(c).border = THIN;
  r += 2;

  for (const line of [...view.rules, ...(view.ratingsText ? [view.ratingsText] : [])]) {
    ws.mergeCells(r, 1, r, last);
    const c = ws.getCell(r, 1);
    c.value = line;
    c.alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(r).height = lineCount(line, heads.reduce((w, h) => w + h.width, 0)) * 14 + 4;
    r++;
  }
  r++;
  ws.mergeCells(r, 1, r, last);
  ws.getCell(r, 1).value = view.signatures.map((s) => `${s.label}：${s.date ? '＿＿＿＿年＿＿月＿＿日' : '＿'.repeat(Math.round(s.width / 1.5))}`).join('    ');
  ws.pageSetup.printArea = `A1:${columnLetters(last - 1)}${r}`;

  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });

  const meta = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  meta.addRow(['format', WORKBOOK_FORMAT]);
  meta.addRow(['checklist', cl.id]);
  for (const k of ['sheet', 'subject', 'assessed', 'assessors', 'period', 'remarks', 'total', 'rating'] as const) meta.addRow([k, layout[k]]);
  for (const [no, c] of layout.items) meta.addRow(['item', no, c.input, c.level ?? '', c.score, c.finding, c.remark]);
  for (const [name, c] of layout.components) meta.addRow(['component', name, c]);
  for (const [name, byLabel] of layout.ballots) for (const [label, c] of byLabel) meta.addRow(['ballot', name, label, c]);
  for (const [name, c] of layout.partScores) meta.addRow(['part-score', name, c]);
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), layout };
}

export class UnsupportedWorkbook extends Error {}

interface Cols { L: (key: string) => string; colOf: (key: string) => number; last: number }

/**
 * weighted: the parts under the items, each with its weight, share of the total, how it is scored,
 * its inputs (ballot counts per grade, or a 0–100 score) and live formulas for its own score and
 * what it adds to the total — the arithmetic of scoring/weighted.ts, rounded to hundredths at the leaves.
 */
function weightedParts(ws: ExcelJS.Worksheet, cl: Checklist, start: number, c: Cols, subtotals: Map<string, string>, layout: WorkbookLayout): number {
  let r = start + 1;
  const head = ws.getRow(r);
  const labels: [string, string][] = [['group', '计分部分'], ['text', '计分方法'], ['points', '权重／占总分'], ['input', '票数或得分'], ['score', '本部分得分'], ['finding', '计入总分']];
  for (const [key, label] of labels) {
    const cell = head.getCell(c.colOf(key));
    cell.value = label;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }
  ws.mergeCells(r, 1, r, 2);
  for (let k = 1; k <= c.last; k++) head.getCell(k).border = THIN;
  r++;
  const sectionMax = new Map(cl.sections.map((s) => [s.title, s.items.reduce((n, it) => n + (it.points ?? 0), 0)]));
  const box = (row: ExcelJS.Row): void => {
    for (let k = 1; k <= c.last; k++) {
      const cell = row.getCell(k);
      cell.border = THIN;
      cell.alignment = { ...(cell.alignment ?? {}), vertical: 'middle', wrapText: true };
    }
  };
  const walk = (parts: WeightedPartData[], parentShare: number, depth: number): string[] =>
    parts.map((p) => {
      const share = (parentShare * p.weight) / 100;
      const row = ws.getRow(r);
      ws.mergeCells(r, 1, r, 2);
      row.getCell(1).value = `${'　'.repeat(depth)}${p.name}`;
      row.getCell(1).alignment = { horizontal: 'left' };
      const method = partMethod(p) + (p.note ? `（${p.note}）` : '');
      row.getCell(c.colOf('text')).value = method;
      row.height = lineCount(method, 48) * 14 + 6;
      row.getCell(c.colOf('points')).value = `${p.weight}%／${Math.round(share * 100) / 100}%`;
      const score = row.getCell(c.colOf('score'));
      const contribution = row.getCell(c.colOf('finding'));
      score.numFmt = contribution.numFmt = '0.##';
      box(row);
      r++;
      if (p.parts?.length) {
        const kids = walk(p.parts, share, depth + 1);
        // N(): a child with no ballots yet shows blank, and counts as 0 until filled
        contribution.value = { formula: `ROUND(${kids.map((k) => `N(${k})`).join('+')},2)` };
      } else if (p.ballots?.length) {
        const first = r;
        const byLabel = new Map<string, string>();
        for (const b of p.ballots) {
          const br = ws.getRow(r);
          ws.mergeCells(r, 1, r, 2);
          br.getCell(c.colOf('text')).value = `${b.label}（每票 ${b.value} 分）`;
          br.getCell(c.colOf('points')).value = b.value;
          const input = br.getCell(c.colOf('input'));
          unlock(input);
          input.dataValidation = { type: 'whole', operator: 'greaterThanOrEqual', allowBlank: true, formulae: [0], showErrorMessage: true, errorTitle: p.name, error: '请填票数（0 或正整数）。', showInputMessage: true, promptTitle: p.name, prompt: `“${b.label}”的票数` };
          byLabel.set(b.label, input.address);
          box(br);
          r++;
        }
        layout.ballots.set(p.name, byLabel);
        const counts = `${c.L('input')}${first}:${c.L('input')}${r - 1}`, values = `${c.L('points')}${first}:${c.L('points')}${r - 1}`;
        score.value = { formula: `IF(SUM(${counts})=0,"",ROUND(SUMPRODUCT(${values},${counts})/SUM(${counts}),2))` };
        contribution.value = { formula: `IF(SUM(${counts})=0,"",ROUND(SUMPRODUCT(${values},${counts})/SUM(${counts})*${share}/100,2))` };
      } else if (p.input === 'score') {
        const input = row.getCell(c.colOf('input'));
        unlock(input);
        input.dataValidation = { type: 'decimal', operator: 'between', allowBlank: true, formulae: [0, 100], showErrorMessage: true, errorTitle: p.name, error: '请填 0～100 分。', showInputMessage: true, promptTitle: p.name, prompt: '填百分制得分（0～100）' };
        layout.partScores.set(p.name, input.address);
        score.value = { formula: `IF(${input.address}="","",${input.address})` };
        contribution.value = { formula: `IF(${input.address}="","",ROUND(${input.address}*${share}/100,2))` };
      } else {
        const sub = subtotals.get(p.section ?? '') ?? '0';
        const max = sectionMax.get(p.section ?? '') ?? 0;
        const award = cl.sections.find((s) => s.title === p.section)?.items.every((it) => it.points !== undefined) ?? false;
        if (award) {
          score.value = { formula: `ROUND(${sub}/${max}*100,2)` };
          contribution.value = { formula: `ROUND(${sub}/${max}*${share},2)` };
        } else if (p.percentage_points) {
          const shareRounded = Math.round(share * 100) / 100;
          contribution.value = { formula: `MAX(0,MIN(${shareRounded},${shareRounded}+${sub}))` };
        } else {
          score.value = { formula: `MAX(0,MIN(100,100+${sub}))` };
          contribution.value = { formula: `ROUND(MAX(0,MIN(100,100+${sub}))*${share}/100,2)` };
        }
      }
      return contribution.address;
    });
  const tops = walk(cl.parts ?? [], 100, 0);
  const tr = ws.getRow(r);
  ws.mergeCells(r, 1, r, c.colOf('score'));
  tr.getCell(1).value = '合计（各部分计入总分之和）';
  tr.getCell(1).alignment = { horizontal: 'center' };
  tr.font = { bold: true };
  const total = tr.getCell(c.colOf('finding'));
  total.value = { formula: `ROUND(${tops.map((k) => `N(${k})`).join('+')},2)` };
  total.numFmt = '0.##';
  layout.total = total.address;
  box(tr);
  return r + 1;
}

/** Lines a text takes in a column `width` characters wide: a CJK character is two, a Latin one. */
function lineCount(text: string, width: number): number {
  return text.split('\n').reduce((n, para) => {
    let w = 0;
    for (const ch of para) w += ch.charCodeAt(0) > 0x2e7f ? 2 : 1;
    return n + Math.max(1, Math.ceil(w / Math.max(1, width - 2)));
  }, 0);
}

function unlock(c: ExcelJS.Cell): void {
  c.protection = { locked: false };
  c.fill = INPUT_FILL;
}

const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

function awardValidation(it: ChecklistItemData, ref: string, pointsRef: string): ExcelJS.DataValidation {
  const points = it.points ?? 0;
  const veto = it.veto ? `，一票否决项未通过填“${VETO_WORD}”` : '';
  if (it.levels?.length) {
    const labels = [...it.levels.map((l) => l.label), ...(it.veto ? [VETO_WORD] : [])];
    return { type: 'list', allowBlank: true, formulae: [`"${labels.join(',')}"`], showErrorMessage: true, errorTitle: `第${it.no}项`, error: `请从列表中选择档次：${labels.join('、')}。`, showInputMessage: true, promptTitle: `第${it.no}项`, prompt: `选择所达档次${veto}` };
  }
  if (it.deduct_per_finding !== undefined) {
    const num = `AND(ISNUMBER(${ref}),${ref}>=0,INT(${ref})=${ref})`;
    return { type: 'custom', allowBlank: true, formulae: [it.veto ? `OR(${num},${ref}=${q(VETO_WORD)})` : num], showErrorMessage: true, errorTitle: `第${it.no}项`, error: `请填发现问题的处数（0 或正整数）${veto}。`, showInputMessage: true, promptTitle: `第${it.no}项`, prompt: `填发现处数，每处扣${it.deduct_per_finding}分${veto}` };
  }
  if (it.veto) {
    return { type: 'custom', allowBlank: true, formulae: [`OR(AND(ISNUMBER(${ref}),${ref}>=0,${ref}<=${pointsRef}),${ref}=${q(VETO_WORD)})`], showErrorMessage: true, errorTitle: `第${it.no}项`, error: `请填 0～${points} 分${veto}。`, showInputMessage: true, promptTitle: `第${it.no}项`, prompt: `填 0～${points} 分${veto}` };
  }
  return { type: 'decimal', operator: 'between', allowBlank: true, formulae: [0, points], showErrorMessage: true, errorTitle: `第${it.no}项`, error: `请填 0～${points} 分。`, showInputMessage: true, promptTitle: `第${it.no}项`, prompt: `填 0～${points} 分` };
}

/** The item's score from its input cell, as scoring.ts computes it (blank stays blank). */
function awardFormula(it: ChecklistItemData, ref: string, pointsRef: string): string {
  let f: string;
  if (it.levels?.length) f = it.levels.reduceRight((acc, l) => `IF(${ref}=${q(l.label)},${l.points},${acc})`, '""');
  else if (it.deduct_per_finding !== undefined) f = `ROUND(MAX(0,${pointsRef}-N(${ref})*${it.deduct_per_finding}),2)`;
  else f = `N(${ref})`;
  if (it.veto) f = `IF(${ref}=${q(VETO_WORD)},0,${f})`;
  return `IF(${ref}="","",${f})`;
}

function deductValidation(it: ChecklistItemData, ref: string): ExcelJS.DataValidation {
  const veto = it.veto ? `；一票否决项发生时填“${VETO_WORD}”` : '';
  const num = `AND(ISNUMBER(${ref}),${ref}>=0,INT(${ref})=${ref})`;
  return { type: 'custom', allowBlank: true, formulae: [it.veto ? `OR(${num},${ref}=${q(VETO_WORD)})` : num], showErrorMessage: true, errorTitle: `第${it.no}项`, error: `请填发生次数（0 或正整数）${veto}。`, showInputMessage: true, promptTitle: `第${it.no}项`, prompt: `填发生次数，未发生可不填${veto}` };
}

function deductFormula(it: ChecklistItemData, ref: string, levelRef: string | undefined): string {
  const per = it.levels?.length && levelRef
    ? it.levels.reduceRight((acc, l) => `IF(${levelRef}=${q(l.label)},${l.points},${acc})`, '0')
    : String(it.per_occurrence ?? 0);
  const f = `ROUND(N(${ref})*${per},2)`;
  return it.veto ? `IF(${ref}=${q(VETO_WORD)},0,${f})` : f;
}

/** 评定等次 as the scoring does it: thresholds in order, a veto first; blank until every award input is filled. */
function ratingFormula(cl: Checklist, total: string, inputRange: string, inputCount: number, vetoInputs: string[]): string {
  const ratings = cl.ratings ?? [];
  let byTotal = '"未达到任何等次"';
  for (let i = ratings.length - 1; i >= 0; i--) {
    const r = ratings[i]!;
    byTotal = r.min === undefined ? q(r.label) : `IF(${total}>=${r.min},${q(r.label)},${byTotal})`;
  }
  if (!ratings.length) byTotal = '"不设等次"';
  const effect = cl.veto_effect ?? 'void';
  const vetoText = effect === 'lowest' && ratings.length ? q(ratings[ratings.length - 1]!.label) : effect === 'last' ? '"一票否决（列为最差）"' : '"一票否决"';
  const vetoed = vetoInputs.length ? vetoInputs.map((a) => `${a}=${q(VETO_WORD)}`).join(',') : '';
  let f = vetoed ? `IF(OR(${vetoed}),${vetoText},${byTotal})` : byTotal;
  if (cl.mode === 'award' || (cl.mode === 'weighted' && inputCount > 0 && cl.sections.every((sec) => sec.items.every((it) => it.points !== undefined)))) {
    // the input column holds nothing but inputs between the header and the total
    f = `IF(COUNTA(${inputRange})<${inputCount},"（未填完）",${f})`;
  }
  return f;
}
