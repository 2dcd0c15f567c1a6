import { createRequire } from 'node:module';
import { dayNumber, isoOf, weekday, yearOf } from './dates.js';

/**
 * Working days (工作日) as the State Council's yearly notice sets them: weekends are off, statutory
 * holidays are off, and the 调休 Saturdays or Sundays are worked. The notices come from the
 * chinese-days package (kept up to date by its maintainers each December); a project can add or
 * correct years with calendar/<year>.yaml. A date in a year neither covers is an error, never a
 * guess: a wrong weekend rule would move every deadline of that year.
 */

export interface CalendarYear {
  year: number;
  /** Days off that would be working days (法定节假日 on weekdays, local closures). */
  holidays: Set<number>;
  /** Weekend days that are worked (调休上班). */
  workdays: Set<number>;
  /** Where this year's rules come from. */
  source: string;
}

/** A date in a year the calendar has no notice for. */
export class CalendarGap extends Error {
  constructor(readonly year: number, readonly date: string) {
    super(`${year} 年的节假日安排未知`);
  }
}

export class WorkCalendar {
  /** The year of the last lookup and its first and last day: deadlines walk day by day inside one year. */
  private last?: { from: number; to: number; year: CalendarYear };

  constructor(private readonly years: Map<number, CalendarYear>) {}

  covers(year: number): boolean {
    return this.years.has(year);
  }

  coveredYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  sourceOf(year: number): string | undefined {
    return this.years.get(year)?.source;
  }

  private yearFor(day: number): CalendarYear {
    const last = this.last;
    if (last && day >= last.from && day <= last.to) return last.year;
    const n = yearOf(day);
    const y = this.years.get(n);
    if (!y) throw new CalendarGap(n, isoOf(day));
    this.last = { from: dayNumber(`${n}-01-01`)!, to: dayNumber(`${n}-12-31`)!, year: y };
    return y;
  }

  /** Throws CalendarGap for a day in a year not covered. */
  isWorkday(day: number): boolean {
    const y = this.yearFor(day);
    if (y.workdays.has(day)) return true;
    if (y.holidays.has(day)) return false;
    const w = weekday(day);
    return w !== 0 && w !== 6;
  }

  /** The n-th working day after `day` (the start day itself never counts); n = 0 gives `day`. */
  addWorkdays(day: number, n: number): number {
    let d = day;
    for (let left = n; left > 0;) {
      d++;
      if (this.isWorkday(d)) left--;
    }
    return d;
  }

  /** Working days in (from, to]: how many working days `to` is after `from` (0 when to ≤ from). */
  workdaysBetween(from: number, to: number): number {
    let n = 0;
    for (let d = from + 1; d <= to; d++) if (this.isWorkday(d)) n++;
    return n;
  }

  /** The first working day at or after `day`. */
  nextWorkday(day: number): number {
    let d = day;
    while (!this.isWorkday(d)) d++;
    return d;
  }
}

interface PackageData { holidays: Record<string, string>; workdays: Record<string, string> }

let packaged: Map<number, CalendarYear> | undefined;

/** The years of the chinese-days package, read once. */
export function packagedYears(): Map<number, CalendarYear> {
  if (packaged) return packaged;
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as PackageData;
  const version = (createRequire(import.meta.url)('chinese-days/package.json') as { version: string }).version;
  const years = new Map<number, CalendarYear>();
  const yearOfKey = (iso: string): CalendarYear => {
    const y = Number(iso.slice(0, 4));
    let cy = years.get(y);
    if (!cy) years.set(y, (cy = { year: y, holidays: new Set(), workdays: new Set(), source: `国务院办公厅节假日安排（chinese-days ${version}）` }));
    return cy;
  };
  for (const iso of Object.keys(data.holidays)) {
    const d = dayNumber(iso);
    if (d !== undefined) yearOfKey(iso).holidays.add(d);
  }
  for (const iso of Object.keys(data.workdays)) {
    const d = dayNumber(iso);
    if (d !== undefined) yearOfKey(iso).workdays.add(d);
  }
  return (packaged = years);
}

/** A project's own year: replaces the package's year when `replace` is set, else corrects it day by day. */
export interface CalendarOverride {
  year: number;
  source?: string;
  replace?: boolean;
  holidays: number[];
  workdays: number[];
}

export function buildCalendar(overrides: CalendarOverride[] = [], base: Map<number, CalendarYear> = packagedYears()): WorkCalendar {
  const years = new Map<number, CalendarYear>();
  for (const [y, cy] of base) years.set(y, { ...cy, holidays: new Set(cy.holidays), workdays: new Set(cy.workdays) });
  for (const o of overrides) {
    const prev = years.get(o.year);
    const cy: CalendarYear = prev && !o.replace
      ? prev
      : { year: o.year, holidays: new Set(), workdays: new Set(), source: '' };
    for (const d of o.holidays) { cy.holidays.add(d); cy.workdays.delete(d); }
    for (const d of o.workdays) { cy.workdays.add(d); cy.holidays.delete(d); }
    cy.source = o.source ?? (prev && !o.replace ? `${prev.source}，另见项目 calendar/${o.year}.yaml` : `项目 calendar/${o.year}.yaml`);
    years.set(o.year, cy);
  }
  return new WorkCalendar(years);
}
