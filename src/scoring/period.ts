/**
 * Assessment periods: a year (2024), a quarter (2024Q3) or a month (2024-07). A result without
 * `period` belongs to the year it was assessed in, so rankings never mix two years.
 */

export interface Period {
  /** As written: 2024, 2024Q3, 2024-07. */
  key: string;
  kind: 'year' | 'quarter' | 'month';
  /** First month, 1-based, and the year: for ordering. */
  year: number;
  month: number;
  /** 2024年度, 2024年第三季度, 2024年7月. */
  label: string;
}

export const PERIOD_PATTERN = /^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$/;
const QUARTERS = ['一', '二', '三', '四'];

export function parsePeriod(key: string): Period | undefined {
  const m = PERIOD_PATTERN.exec(key);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (m[2]) return { key, kind: 'quarter', year, month: (Number(m[2]) - 1) * 3 + 1, label: `${year}年第${QUARTERS[Number(m[2]) - 1]}季度` };
  if (m[3]) return { key, kind: 'month', year, month: Number(m[3]), label: `${year}年${Number(m[3])}月` };
  return { key, kind: 'year', year, month: 1, label: `${year}年度` };
}

/** The result's period: its own, or the year of `assessed`. */
export function periodOf(result: { period?: string; assessed: string }): Period {
  return parsePeriod(result.period ?? '') ?? parsePeriod(result.assessed.slice(0, 4))!;
}

/** Newest first; a year before its quarters and months when they start together. */
export function comparePeriods(a: Period, b: Period): number {
  const rank = { year: 0, quarter: 1, month: 2 };
  return b.year - a.year || b.month - a.month || rank[a.kind] - rank[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
