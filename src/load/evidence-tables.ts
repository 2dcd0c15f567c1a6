import { parse } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Diagnostics, Position } from '../diagnostics.js';
import { LineIndex } from './line-index.js';
import { parseYamlSource } from './yaml-source.js';
import { cellRef, type SheetCell, type Workbook } from './sheet-source.js';

/**
 * Evidence exports as tables: rows of named cells, each cell knowing where it was written, so a
 * rule can point at file:line:col of a bad date. One reader per file format (CSV, YAML; a
 * spreadsheet reader can be registered in READERS without touching the rules).
 */

export interface RawCell {
  /** The cell as written; a YAML list stays a list (several 补正 or clock stops in one case). */
  value: string | string[];
  line: number;
  column: number;
  /** In a workbook: the cell (`评价!D17`); line and column are then its row and column number. */
  cell?: string;
}

export interface RawRow {
  /** Where the row starts. */
  line: number;
  column: number;
  cell?: string;
  /** By column name as written in the header (CSV) or the key (YAML). */
  cells: Map<string, RawCell>;
}

export interface RawTable {
  file: string;
  /** Header names in file order (YAML: every key seen). */
  columns: string[];
  /** Where each header name is (CSV: the header row; YAML: its first use). */
  columnAt: Map<string, Position>;
  rows: RawRow[];
}

export type TableReader = (text: string, file: string, diags: Diagnostics) => RawTable | undefined;

/** By lower-case file extension. */
export const READERS: Record<string, TableReader> = {
  csv: readCsvTable,
  yaml: readYamlTable,
  yml: readYamlTable,
};

/** Offsets of each field of one raw CSV record (quote-aware), to turn a field index into a column. */
function fieldStarts(raw: string, delimiter: string): number[] {
  const starts = [0];
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) starts.push(i + 1);
    else if (!quoted && ch === '\n') break;
  }
  return starts;
}

export function readCsvTable(text: string, file: string, diags: Diagnostics): RawTable | undefined {
  // Platform exports come comma- or tab-separated; the header line says which.
  const firstLine = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(text, { delimiter, raw: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: false }) as unknown as { record: string[]; raw: string }[];
  } catch (e) {
    const err = e as { lines?: number; message?: string; code?: string };
    diags.error(file, { line: err.lines ?? 1, column: 1 }, 'csv-syntax',
      `CSV 无法解析（${err.code ?? 'error'}）：多半是引号没有闭合。请检查这一行附近的双引号（单元格中的双引号应写作两个 ""）。`);
    return undefined;
  }
  const lines = new LineIndex(text);
  let offset = 0;
  const at = (raw: string): { start: number; body: string } => {
    // a record's raw text carries the empty lines skipped before it
    const lead = raw.length - raw.replace(/^\n+/, '').length;
    const start = offset + lead;
    offset += raw.length;
    return { start, body: raw.slice(lead) };
  };
  if (records.length === 0) {
    diags.error(file, { line: 1, column: 1 }, 'evidence-empty', '表格没有任何行。请导出带表头的表格，或删除这个文件。');
    return undefined;
  }
  const head = records[0]!;
  const h = at(head.raw);
  const hStarts = fieldStarts(h.body, delimiter);
  const columns = head.record.map((c) => c.trim());
  const columnAt = new Map<string, Position>();
  columns.forEach((c, i) => { if (!columnAt.has(c)) columnAt.set(c, lines.at(h.start + (hStarts[i] ?? 0))); });
  const rows: RawRow[] = [];
  for (const rec of records.slice(1)) {
    const r = at(rec.raw);
    if (rec.record.every((v) => v.trim() === '')) continue; // ,,,, lines at the end of an Excel export
    const starts = fieldStarts(r.body, delimiter);
    const cells = new Map<string, RawCell>();
    rec.record.forEach((v, i) => {
      const name = columns[i];
      if (name === undefined || name === '') return;
      const p = lines.at(r.start + (starts[i] ?? 0) + (r.body[starts[i] ?? 0] === '"' ? 1 : 0));
      cells.set(name, { value: v.trim(), line: p.line, column: p.column });
    });
    const p = lines.at(r.start);
    rows.push({ line: p.line, column: p.column, cells });
  }
  return { file, columns, columnAt, rows };
}

/** A YAML evidence file: a list of records (or `records:` holding one), keys as in the CSV header. */
export function readYamlTable(text: string, file: string, diags: Diagnostics): RawTable | undefined {
  const src = parseYamlSource(text, file, diags);
  if (!src) return undefined;
  const lines = new LineIndex(text);
  const pos = (n: Node | null | undefined): Position => (n?.range ? lines.at(n.range[0]) : { line: 1, column: 1 });
  let seq: Node | null = src.doc.contents as Node | null;
  if (isMap(seq)) seq = (seq.items.find((p) => isScalar(p.key) && p.key.value === 'records')?.value as Node | null) ?? null;
  if (!isSeq(seq)) {
    diags.error(file, { line: 1, column: 1 }, 'evidence-shape', 'YAML 证据文件应是记录的列表（每条以“- ”开头），或在 records: 下列出记录。');
    return undefined;
  }
  const columns: string[] = [];
  const columnAt = new Map<string, Position>();
  const rows: RawRow[] = [];
  for (const item of seq.items as Node[]) {
    if (!isMap(item)) {
      diags.error(file, pos(item), 'evidence-shape', '每条记录应是“键: 值”的映射。');
      continue;
    }
    const cells = new Map<string, RawCell>();
    for (const pair of item.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value).trim();
      if (!columnAt.has(name)) { columns.push(name); columnAt.set(name, pos(pair.key as Node)); }
      const v = pair.value as Node | null;
      const p = pos(v ?? (pair.key as Node));
      const value = isSeq(v) ? (v.items as Node[]).map((x) => scalarText(x)) : scalarText(v);
      cells.set(name, { value, line: p.line, column: p.column });
    }
    const p = pos(item);
    rows.push({ line: p.line, column: p.column, cells });
  }
  return { file, columns, columnAt, rows };
}

function scalarText(n: Node | null | undefined): string {
  if (!n) return '';
  if (isScalar(n)) return n.value === null || n.value === undefined ? '' : String(n.value).trim();
  return JSON.stringify(n.toJSON());
}

/**
 * The first visible sheet of a workbook as a table: its first row of several cells is the header. Cells
 * keep their place (`评价!D17`) for diagnostics; merged cells carry their range's text.
 */
export function tableFromSheet(book: Workbook): RawTable | undefined {
  const sheet = book.sheets.find((s) => !s.hidden) ?? book.sheets[0];
  if (!sheet) return undefined;
  // the header is the first row of two or more own cells: a title merged across it comes before
  const own = (r: (SheetCell | undefined)[]): number => r.filter((c) => c && !c.merged && c.text.trim()).length;
  let headerRow = sheet.rows.findIndex((r) => own(r) >= 2);
  if (headerRow < 0) headerRow = sheet.rows.findIndex((r) => own(r) >= 1);
  const columns: string[] = [];
  const columnAt = new Map<string, Position & { cell?: string }>();
  const names: (string | undefined)[] = [];
  (sheet.rows[headerRow] ?? []).forEach((c, col) => {
    const name = c?.text.trim();
    names[col] = name || undefined;
    if (!name || columnAt.has(name)) return;
    columns.push(name);
    columnAt.set(name, { line: headerRow + 1, column: col + 1, cell: cellRef(sheet.name, headerRow, col) });
  });
  const rows: RawRow[] = [];
  for (let r = headerRow + 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r]!;
    if (!row.some((c) => c && c.text.trim())) continue;
    const cells = new Map<string, RawCell>();
    row.forEach((c, col) => {
      const name = names[col];
      if (!name || !c) return;
      cells.set(name, { value: c.text.trim(), line: r + 1, column: col + 1, cell: cellRef(sheet.name, r, col) });
    });
    rows.push({ line: r + 1, column: 1, cell: cellRef(sheet.name, r, 0), cells });
  }
  return { file: book.file, columns, columnAt, rows };
}
