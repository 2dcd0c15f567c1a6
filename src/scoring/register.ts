import type { ChecklistData, ResultData } from '../model/data.js';
import { scoreResult } from './score.js';

/**
 * The register of ratings of a scheme with `valid_years`: each subject's latest rated result, how
 * long the rating holds, whether it was revoked, and whether a re-rating is due on `asOf` (the
 * project's version date, so the register does not change with the clock).
 */

export type RegisterStatus = 'valid' | 'expiring' | 'expired' | 'revoked';

export interface RegisterEntry {
  subject: string;
  rating: string;
  assessed: string;
  /** Last day of validity: assessed + valid_years − 1 day. */
  validUntil: string;
  status: RegisterStatus;
  revoked: { date: string; reason: string } | null;
  /** The result the rating comes from (its slug, or its file for diagnostics). */
  ref: string;
}

/** Days before the end of validity from which the register says 即将到期. */
export const EXPIRING_DAYS = 90;

/** 2024-12-09 + 2 years − 1 day → 2026-12-08; from 29 February the day before 1 March. */
export function validUntil(assessed: string, years: number): string {
  const [y, m, d] = assessed.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + years, m - 1, d));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000;
}

export function ratingRegister(checklist: ChecklistData, results: { data: ResultData; ref: string }[], asOf: string): RegisterEntry[] {
  const years = checklist.valid_years;
  if (years === undefined) return [];
  const latest = new Map<string, RegisterEntry>();
  for (const { data, ref } of results) {
    const rating = scoreResult(checklist, data).rating;
    if (rating === null) continue; // an unrated result neither grants nor renews a rating
    const prev = latest.get(data.subject);
    if (prev && prev.assessed >= data.assessed) continue;
    const until = validUntil(data.assessed, years);
    const revoked = data.revoked ?? null;
    const status: RegisterStatus = revoked && revoked.date <= asOf ? 'revoked'
      : asOf > until ? 'expired'
      : daysBetween(asOf, until) < EXPIRING_DAYS ? 'expiring' : 'valid';
    latest.set(data.subject, { subject: data.subject, rating, assessed: data.assessed, validUntil: until, status, revoked, ref });
  }
  return [...latest.values()].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

export const STATUS_TEXT: Record<RegisterStatus, string> = {
  valid: '有效',
  expiring: '即将到期，应申报重新评定',
  expired: '已过有效期，应重新评定',
  revoked: '已撤销',
};
