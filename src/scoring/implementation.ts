import { rate, type Rate } from '../evidence/rates.js';
import type { Project } from '../model/project.js';
import { ScoreInputError, scoreResult } from './score.js';

/**
 * 标准实施率: of the assessed checklist items that trace a standard (`standard:`, as `checklist
 * derive` writes one per 应/不应 requirement), the share met in full — full points in an award
 * scheme, no deduction in a deduct scheme, a veto not failed — over every result of the project.
 * No traced item assessed: 0 of 0, which a target shows as 无数据.
 */
export function implementationRate(project: Pick<Project, 'results'>): Rate {
  let num = 0;
  let den = 0;
  for (const r of project.results) {
    const traced = new Set(r.checklistRef.sections.flatMap((s) => s.items.filter((it) => it.standard).map((it) => it.no)));
    if (!traced.size) continue;
    let report;
    try {
      report = scoreResult(r.checklistRef, r);
    } catch (e) {
      if (e instanceof ScoreInputError) continue; // reported where the result is scored
      throw e;
    }
    for (const it of report.items) {
      if (!traced.has(it.no) || it.score === null) continue;
      den++;
      if (!it.vetoFailed && (it.max !== null ? it.score >= it.max : it.score >= 0)) num++;
    }
  }
  return rate(num, den);
}
