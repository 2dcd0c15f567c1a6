/** ISO calendar dates as day numbers (days since 1970-01-01, UTC), so arithmetic never meets a time zone. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayNumber(iso: string): number | undefined {
  const m = ISO_DATE.exec(iso);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / 86400000;
}

export function isoOf(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function yearOf(day: number): number {
  return new Date(day * 86400000).getUTCFullYear();
}
