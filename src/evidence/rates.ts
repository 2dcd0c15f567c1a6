/** A rate kept as its two counts, so targets compare exactly and the printed figure is rounded once. */
export interface Rate { num: number; den: number }

export const rate = (num: number, den: number): Rate => ({ num, den });

/** Per cent rounded half up to hundredths; null when nothing was counted. */
export function percent(r: Rate): number | null {
  if (r.den === 0) return null;
  return Math.round((r.num * 10000) / r.den) / 100;
}

export function percentText(r: Rate): string {
  const p = percent(r);
  return p === null ? '—' : `${p.toFixed(2)}%`;
}

/** r ≥ target per cent, compared on the counts (98 % of 50 is met by 49, not by 48.99…). */
export function meets(r: Rate, target: number): boolean {
  return r.den > 0 && r.num * 100 >= target * r.den - 1e-9;
}
