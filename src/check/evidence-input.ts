import { checkEvidence, type CheckedEvidence } from './rules/evidence.js';
import type { RuleContext } from './context.js';
import { Diagnostics } from '../diagnostics.js';
import { loadEvidence } from '../load/evidence-loader.js';

/** Reads and checks a project's evidence against its checked items and departments. */
export function readEvidence(root: string, ctx: RuleContext): { evidence: CheckedEvidence; diags: Diagnostics; files: string[] } {
  const diags = new Diagnostics();
  const loaded = loadEvidence(root, diags);
  const project = ctx.project?.data;
  const evidence = checkEvidence(loaded, { items: ctx.items.map((i) => i.data), departments: project?.departments ?? [], rules: project?.evidence }, diags);
  return { evidence, diags, files: loaded.files };
}
