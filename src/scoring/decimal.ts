/**
 * Scores are kept in integer hundredths so halves and tenths add exactly (0.1 + 0.2 is 30, not
 * 0.30000000000000004). Inputs with more than two decimals are rounded half away from zero.
 */
export type Cents = number;

export function cents(x: number): Cents {
  return Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9);
}

export function fromCents(c: Cents): number {
  return c / 100;
}

/** 92.7 → "92.7", 95 → "95", −12 → "−12": trailing zeros dropped, at most two decimals; a real minus sign (U+2212), as printed documents set it. */
export function formatCents(c: Cents): string {
  const neg = c < 0;
  const abs = Math.abs(c);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  const s = frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
  return neg ? `\u2212${s}` : s;
}
