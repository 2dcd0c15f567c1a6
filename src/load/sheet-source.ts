import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Diagnostics } from '../diagnostics.js';

/**
 * A spreadsheet (.xlsx, or .csv as one sheet) read into plain text cells with their places, so
 * every later problem can name `file:事项!D17`. Nothing here knows what a column means.
 */
export interface SheetCell {
  /** The cell's text as the program shows it (numbers without grouping, formulas by their result). */
  text: string;
  /** Part of a merged range but not its top-left cell: the text is the range's. */
  merged?: boolean;
  /** A formula cell: its text is the cached result. */
  formula?: string;
}

export interface Sheet {
  name: string;
  /** rows[r][c], 0-based; row r is spreadsheet row r + 1. Missing or blank cells are undefined. */
  rows: (SheetCell | undefined)[][];
  hidden: boolean;
}

export interface Workbook {
  /** Project-relative (or as given) file name for diagnostics. */
  file: string;
  sheets: Sheet[];
}

/** Platform exports of a whole province stay far below this; a bigger file is refused before it is unzipped. */
const MAX_BYTES = 200 * 1048576;

/** A1-style column letters of a 0-based column index. */
export function columnLetters(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** `事项!D17` for 0-based row and column. */
export function cellRef(sheet: string, row: number, col: number): string {
  return `${sheet}!${columnLetters(col)}${row + 1}`;
}

/** Reads .xlsx or .csv; an unreadable or malformed file is a diagnostic (`sheet-unreadable`), not a throw. */
export async function readWorkbook(abs: string, file: string, diags: Diagnostics): Promise<Workbook | undefined> {
  let bytes: Buffer;
  try {
    const size = (await stat(abs)).size;
    if (size > MAX_BYTES) {
      diags.error(file, undefined, 'sheet-unreadable', `文件有 ${(size / 1048576).toFixed(0)} MB，超过 ${MAX_BYTES / 1048576} MB 的上限，不像是事项或考评表。请拆分后分别导入。`);
      return undefined;
    }
    bytes = await readFile(abs);
  } catch (e) {
    diags.error(file, undefined, 'sheet-unreadable', `无法读取文件（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）。请检查路径和权限。`);
    return undefined;
  }
  const wb = new ExcelJS.Workbook();
  try {
    if (/\.csv$/i.test(abs)) {
      // Platform CSVs come as UTF-8 (often with a BOM) or GB18030 from older Excel: try UTF-8 strictly first.
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        text = new TextDecoder('gb18030').decode(bytes);
      }
      // exceljs's CSV reader would turn "0834-…" or "000116015000" into dates and numbers: keep the text.
      await wb.csv.read(Readable.from([text.replace(/^\uFEFF/, '')]), { parserOptions: { trim: false }, map: (v: unknown) => v } as never);
      wb.worksheets[0]!.name = 'CSV';
    } else if (/\.xlsx$/i.test(abs)) {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } else {
      diags.error(file, undefined, 'sheet-unreadable', '只能读取 .xlsx 或 .csv 文件。旧版 .xls 请先在 Excel/WPS 中另存为 .xlsx。');
      return undefined;
    }
  } catch (e) {
    diags.error(file, undefined, 'sheet-unreadable', `文件不是有效的 ${/\.csv$/i.test(abs) ? 'CSV' : 'xlsx'} 表格（${(e as Error).message}）。请在 Excel/WPS 中打开并另存后重试。`);
    return undefined;
  }
  return { file, sheets: wb.worksheets.map(readSheet) };
}

function readSheet(ws: ExcelJS.Worksheet): Sheet {
  const rows: (SheetCell | undefined)[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    const cells: (SheetCell | undefined)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const slave = cell.isMerged && cell.master !== cell;
      const text = cellText(slave ? cell.master.value : cell.value);
      if (text === '') return;
      const formula = cell.formula ? String(cell.formula) : undefined;
      cells[c - 1] = { text, ...(slave ? { merged: true } : {}), ...(formula ? { formula } : {}) };
    });
    rows[r - 1] = cells;
  });
  for (let r = 0; r < rows.length; r++) rows[r] ??= [];
  return { name: ws.name, rows, hidden: ws.state !== 'visible' };
}

/** The text of a cell value of any exceljs kind; dates as YYYY-MM-DD. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('hyperlink' in v) return cellText((v as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
    if ('error' in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v);
}
