import { describe, expect, it } from 'vitest';
import { cents, formatCents } from '../src/scoring/decimal.js';

describe('formatCents', () => {
  it('prints deductions with a minus sign (U+2212), not an ASCII hyphen', () => {
    expect(formatCents(cents(-12))).toBe('\u221212');
    expect(formatCents(cents(-0.5))).toBe('\u22120.5');
    expect(formatCents(cents(-12))).not.toContain('-');
    expect(formatCents(cents(92.7))).toBe('92.7');
  });
});
