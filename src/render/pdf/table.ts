import type { FontRole } from '../../typography/fonts.js';
import { atoms } from '../../typography/linebreak.js';
import type { Flow, TextStyle } from './flow.js';

export interface Column {
  header: string;
  /** Points, or a share of the remaining width when `flex` is set. */
  width?: number;
  flex?: number;
  align?: 'left' | 'center' | 'right' | 'justify';
}

export interface Row {
  cells: string[];
  /** Rows with the same group share one merged cell in the first column (类别). */
  group?: string;
  fill?: string;
  role?: FontRole;
  color?: string;
  /** One cell across the whole width (a group heading row); uses cells[0]. */
  span?: boolean;
  /** cells[0] spans the first `merge` columns (a 合计 label across several columns); cells has merge − 1 entries fewer. */
  merge?: number;
  /** Keep this row on the same page as the next one (an item with its 小计, a total block). */
  keepWithNext?: boolean;
}

/** Where a row was drawn: its page (0-based) and its top and bottom in points. */
export interface RowPlacement { page: number; top: number; bottom: number }

export interface TableSpec {
  columns: Column[];
  rows: Row[];
  size: number;
  headerSize?: number;
  /** Merge the first column over consecutive rows of the same group. */
  grouped?: boolean;
  headerFill?: string;
  padding?: number;
  leading?: number;
  /** Points kept free below the last row so a total row or a note can follow on the same page. */
  reserveAfter?: number;
  caption?: string;
}

/**
 * Draws a table into a flow: header row repeated on each page, rows never split across pages,
 * text wrapped with Chinese line breaking. One implementation for every output kind.
 */
export function drawTable(flow: Flow, spec: TableSpec): RowPlacement[] {
  const pad = spec.padding ?? spec.size * 0.4;
  const headerSize = spec.headerSize ?? spec.size;
  // a column is at least as wide as its header's longest word and its cells' longest unbreakable run (a standard number)
  const cap = flow.contentWidth / 3;
  const mins = spec.columns.map((c, i) => Math.max(headerMinWidth(flow, c.header, headerSize), Math.min(cap - 2 * pad, cellMinWidth(flow, spec.rows, i, spec.size))) + 2 * pad);
  const widths = fitHeaders(columnWidths(flow.contentWidth, spec.columns), mins);
  const xs = widths.reduce<number[]>((acc, w, i) => [...acc, acc[i]! + w], [flow.frame.left]);
  const cellStyle = (i: number, role: FontRole, size: number, color?: string): TextStyle => ({
    role, size, leading: spec.leading ?? 1.35, width: widths[i]! - 2 * pad, align: spec.columns[i]!.align ?? 'left', color,
  });
  const headerLines = spec.columns.map((c, i) => headerBreak(flow, c.header, cellStyle(i, 'heading', headerSize)));
  const headerHeight = Math.max(...headerLines.map((l) => l.length)) * headerSize * (spec.leading ?? 1.35) + 2 * pad;

  const fullWidth = xs[xs.length - 1]! - xs[0]!;
  // a cell covers columns [from, to); the first cell of a merged row covers several
  const slotsOf = (row: Row): { from: number; to: number }[] => {
    const m = Math.max(1, row.merge ?? 1);
    return row.cells.map((_, k) => (k === 0 ? { from: 0, to: m } : { from: m + k - 1, to: m + k }));
  };
  const slotStyle = (row: Row, k: number, role: FontRole): TextStyle => {
    const { from, to } = slotsOf(row)[k]!;
    return { ...cellStyle(from, role, spec.size, row.color), width: xs[to]! - xs[from]! - 2 * pad };
  };
  const inGroup = (row: Row): boolean => !!spec.grouped && row.group !== undefined;
  const layout = spec.rows.map((row) => {
    if (row.span) {
      const style: TextStyle = { role: row.role ?? 'heading', size: spec.size, leading: spec.leading ?? 1.35, width: fullWidth - 2 * pad, align: 'left' };
      const lines = [flow.lines(row.cells[0] ?? '', style)];
      return { row, lines, height: lines[0]!.length * flow.lineHeight(style) + 2 * pad };
    }
    const lines = row.cells.map((text, i) =>
      inGroup(row) && i === 0 ? [] : flow.lines(text, slotStyle(row, i, row.role ?? 'body')));
    const h = Math.max(1, ...lines.map((l) => l.length)) * spec.size * (spec.leading ?? 1.35) + 2 * pad;
    return { row, lines, height: h };
  });

  const drawHeader = (): void => {
    flow.ensure(headerHeight + (layout[0]?.height ?? 0));
    if (!flow.dry) {
      const doc = flow.doc;
      if (spec.headerFill) doc.save().rect(xs[0]!, flow.y, xs[xs.length - 1]! - xs[0]!, headerHeight).fill(spec.headerFill).restore();
      headerLines.forEach((lines, i) => {
        const style = cellStyle(i, 'heading', headerSize);
        const lh = flow.lineHeight(style);
        const top = flow.y + (headerHeight - lines.length * lh) / 2;
        lines.forEach((line, k) => flow.drawLine(line, { ...style, align: 'center' }, k === 0, true, xs[i]! + pad, top + k * lh));
      });
      strokeRow(flow, xs, flow.y, headerHeight, 0);
    }
    flow.y += headerHeight;
  };

  // merged group cell: drawn when the group ends or the page breaks
  let group: { label: string; top: number } | undefined;
  const closeGroup = (): void => {
    if (!group || !spec.grouped) return;
    if (!flow.dry) {
      const h = flow.y - group.top;
      // a label taller than its merged cell (a group cut short by a page break) is set smaller
      let style = cellStyle(0, 'heading', spec.size);
      let lines = flow.lines(group.label, style);
      while (lines.length * flow.lineHeight(style) > h - pad && style.size > spec.size * 0.6) {
        style = cellStyle(0, 'heading', style.size - 0.5);
        lines = flow.lines(group.label, style);
      }
      const lh = flow.lineHeight(style);
      const top = group.top + Math.max(pad, (h - lines.length * lh) / 2);
      lines.forEach((line, k) => {
        if (top + (k + 1) * lh <= flow.y + 0.5) flow.drawLine(line, { ...style, align: 'center' }, k === 0, true, xs[0]! + pad, top + k * lh);
      });
      flow.doc.save().lineWidth(0.6).strokeColor('#000').rect(xs[0]!, group.top, widths[0]!, h).stroke().restore();
    }
    group = undefined;
  };

  if (spec.caption) {
    const capStyle: TextStyle = { role: 'heading', size: spec.size + 1, align: 'center', leading: 1.6 };
    // keep the caption with the header and the first row
    flow.ensure(flow.heightOf(spec.caption, capStyle) + headerHeight + (layout[0]?.height ?? 0));
    flow.text(spec.caption, capStyle);
  }
  drawHeader();
  const placed: RowPlacement[] = [];
  const pageRoom = flow.bottomLimit - flow.frame.top - headerHeight;
  layout.forEach(({ row, lines, height }, index) => {
    let need = height;
    let j = index;
    for (; layout[j]?.row.keepWithNext && layout[j + 1]; j++) need += layout[j + 1]!.height;
    if (j === layout.length - 1) need += spec.reserveAfter ?? 0;
    if (need > pageRoom) need = height;
    if (flow.y + need > flow.bottomLimit + 0.01) {
      closeGroup();
      flow.newPage();
      drawHeader();
    }
    placed.push({ page: flow.page, top: flow.y, bottom: flow.y + height });
    if (row.span) {
      closeGroup();
      if (!flow.dry) {
        const style: TextStyle = { role: row.role ?? 'heading', size: spec.size, leading: spec.leading ?? 1.35, width: fullWidth - 2 * pad, align: 'left', color: row.color };
        if (row.fill) flow.doc.save().rect(xs[0]!, flow.y, fullWidth, height).fill(row.fill).restore();
        lines[0]!.forEach((line, k) => flow.drawLine(line, style, k === 0, true, xs[0]! + pad, flow.y + pad + k * flow.lineHeight(style)));
        flow.doc.save().lineWidth(0.6).strokeColor('#000').rect(xs[0]!, flow.y, fullWidth, height).stroke().restore();
      }
      flow.y += height;
      return;
    }
    if (spec.grouped && row.group !== group?.label) {
      closeGroup();
      if (row.group !== undefined) group = { label: row.group, top: flow.y };
    }
    if (!flow.dry) {
      const doc = flow.doc;
      const from = inGroup(row) ? 1 : 0;
      const slots = slotsOf(row);
      if (row.fill) doc.save().rect(xs[from]!, flow.y, xs[xs.length - 1]! - xs[from]!, height).fill(row.fill).restore();
      lines.forEach((cellLines, i) => {
        if (inGroup(row) && i === 0) return;
        const style = slotStyle(row, i, row.role ?? 'body');
        const lh = flow.lineHeight(style);
        const top = flow.y + (height - cellLines.length * lh) / 2;
        cellLines.forEach((line, k) => flow.drawLine(line, style, k === 0, k === cellLines.length - 1, xs[slots[i]!.from]! + pad, top + k * lh));
      });
      strokeRow(flow, xs, flow.y, height, from, row.merge);
    }
    flow.y += height;
  });
  closeGroup();
  return placed;
}

function strokeRow(flow: Flow, xs: number[], y: number, h: number, from: number, merge = 1): void {
  const doc = flow.doc.save().lineWidth(0.6).strokeColor('#000');
  const m = Math.max(1, merge);
  if (from === 0 && m > 1) doc.rect(xs[0]!, y, xs[m]! - xs[0]!, h);
  for (let i = m > 1 ? Math.max(from, m) : from; i < xs.length - 1; i++) doc.rect(xs[i]!, y, xs[i + 1]! - xs[i]!, h);
  doc.stroke().restore();
}

/** A header breaks only between its words: at spaces, after “/” or “、”, before a bracket (“承诺时限（工作日）”). */
export function headerWords(header: string): string[] {
  return header.split(/(?<=[ \u3000/、·\n])|(?=[（(])/).filter((w) => w.length > 0);
}

function headerMinWidth(flow: Flow, header: string, size: number): number {
  return Math.max(0, ...headerWords(header).map((w) => flow.measure(w.trim(), 'heading', size)));
}

function cellMinWidth(flow: Flow, rows: Row[], column: number, size: number): number {
  let widest = 0;
  for (const r of rows) {
    if (r.span || (r.merge ?? 1) > 1) continue;
    const text = r.cells[column];
    if (!text || !/[\dA-Za-z]/.test(text)) continue; // CJK text breaks between any two characters
    for (const a of atoms(text)) if (a.length > 2) widest = Math.max(widest, flow.measure(a.trim(), r.role ?? 'body', size));
  }
  return widest;
}

/** Header lines packed word by word; a word wider than the column (no room left to widen it) falls back to line breaking. */
function headerBreak(flow: Flow, header: string, style: TextStyle): string[] {
  const width = style.width ?? flow.contentWidth;
  const lines: string[] = [];
  let line = '';
  for (const word of headerWords(header)) {
    const hard = word.endsWith('\n');
    const w = hard ? word.slice(0, -1) : word;
    if (line && flow.measure((line + w).trim(), style.role, style.size) > width + 0.01) {
      lines.push(line.trim());
      line = '';
    }
    if (!line && flow.measure(w.trim(), style.role, style.size) > width + 0.01) {
      const parts = flow.lines(w.trim(), style);
      lines.push(...parts.slice(0, -1));
      line = parts[parts.length - 1] ?? '';
    } else line += w;
    if (hard) {
      lines.push(line.trim());
      line = '';
    }
  }
  if (line.trim() || lines.length === 0) lines.push(line.trim());
  return lines;
}

/**
 * Widens columns whose header has a word wider than the column, taking the room from columns with
 * width to spare (in proportion to it), so “体系表编号” never breaks as “体系表编|号”.
 */
export function fitHeaders(widths: number[], mins: number[]): number[] {
  const deficit = widths.reduce((s, w, i) => s + Math.max(0, mins[i]! - w), 0);
  if (deficit <= 0.01) return widths;
  const slack = widths.map((w, i) => Math.max(0, w - mins[i]!));
  const spare = slack.reduce((s, x) => s + x, 0);
  if (spare < deficit) return widths;
  return widths.map((w, i) => (w < mins[i]! ? mins[i]! : w - (deficit * slack[i]!) / spare));
}

export function columnWidths(total: number, columns: Column[]): number[] {
  const fixed = columns.reduce((s, c) => s + (c.flex ? 0 : c.width ?? 0), 0);
  const flex = columns.reduce((s, c) => s + (c.flex ?? 0), 0);
  const rest = Math.max(0, total - fixed);
  return columns.map((c) => (c.flex ? (rest * c.flex) / flex : c.width ?? 0));
}
