import { METRICS } from '../../evidence/measures.js';
import type { Rule } from '../context.js';

/**
 * Checklist items scored from evidence: the rule must fit the metric (a rate has a full or pass
 * line, a count a veto line or a deduction), and a result should not type a score the evidence
 * gives (it would be ignored).
 */
export const evidenceItemRules: Rule = (ctx) => {
  const scored = new Map<string, Set<string>>();
  for (const { src, data } of ctx.checklists) {
    const nos = new Set<string>();
    data.sections.forEach((s, si) => s.items.forEach((item, ii) => {
      const spec = item.evidence;
      if (!spec) return;
      nos.add(String(item.no));
      const at = src.valueAt(['sections', si, 'items', ii, 'evidence']);
      const m = METRICS[spec.metric];
      if (!m) return; // the schema names the metrics
      if (m.kind === 'rate' && (spec.veto_above !== undefined || spec.deduct_per !== undefined)) {
        ctx.diags.error(src.file, at, 'evidence-metric', `${m.label}是比率，用 full_at（达到即满分，否则按比率计分）或 pass_at（达到满分，否则 0 分），不能用 veto_above / deduct_per。`);
      }
      if (m.kind === 'count' && (spec.full_at !== undefined || spec.pass_at !== undefined)) {
        ctx.diags.error(src.file, at, 'evidence-metric', `${m.label}是件数，用 veto_above（超过即否决或不得分）或 deduct_per（每件扣分），不能用 full_at / pass_at。`);
      }
      if (m.kind === 'rate' && item.points === undefined) {
        ctx.diags.error(src.file, at, 'evidence-metric', `按${m.label}计分的条目须有分值（points）。`);
      }
      if (item.veto && spec.veto_above === undefined) {
        ctx.diags.error(src.file, at, 'evidence-metric', '一票否决项按证据判定时须写 veto_above（例如 0：出现即否决）。');
      }
    }));
    scored.set(data.id, nos);
  }
  for (const { src, data } of ctx.results) {
    const nos = scored.get(data.checklist);
    if (!nos?.size) continue;
    for (const no of Object.keys(data.scores ?? {})) {
      if (nos.has(no)) ctx.diags.warn(src.file, src.keyAt(['scores', no]), 'evidence-score-typed', `条目 ${no} 按日常证据计分，这里手填的得分不会采用。请删除这一行。`);
    }
  }
};
