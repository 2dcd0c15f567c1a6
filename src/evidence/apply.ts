import type { ChecklistData, ResultData, ScoreEntry } from '../model/data.js';
import type { EvidenceRecords, EvidenceRulesData } from '../model/evidence.js';
import { periodOf } from '../scoring/period.js';
import type { WorkCalendar } from './calendar.js';
import { computeFigures } from './figures.js';
import { evidenceItems, scoreFromEvidence, type EvidenceScore } from './measures.js';

export interface AppliedEvidence {
  /** The result's scores with every evidence item's computed entry in place of a typed one. */
  scores: Record<string, ScoreEntry>;
  details: EvidenceScore[];
}

/** Scores a result's evidence items from the records of its period (the result's `period`, else the year assessed). */
export function applyEvidence(cl: ChecklistData, result: ResultData, records: EvidenceRecords, cal: WorkCalendar, rules?: EvidenceRulesData): AppliedEvidence {
  const scores: Record<string, ScoreEntry> = { ...(result.scores ?? {}) };
  const details: EvidenceScore[] = [];
  const period = periodOf(result).key;
  const cache = new Map<string, ReturnType<typeof computeFigures>>();
  for (const { item, spec } of evidenceItems(cl)) {
    const key = `${spec.window ?? ''}\u0000${spec.department ?? ''}`;
    let figures = cache.get(key);
    if (!figures) cache.set(key, (figures = computeFigures(records, cal, rules, period, { scope: { window: spec.window, department: spec.department } })));
    const d = scoreFromEvidence(item, spec, figures.total);
    details.push(d);
    if (d.entry !== undefined) scores[String(item.no)] = d.entry;
    else delete scores[String(item.no)];
  }
  return { scores, details };
}
