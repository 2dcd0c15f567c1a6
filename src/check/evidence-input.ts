import { checkEvidence, type CheckedEvidence } from './rules/evidence.js';
import type { RuleContext } from './context.js';
import { Diagnostics } from '../diagnostics.js';
import { loadEvidence } from '../load/evidence-loader.js';
import type { LoadedProject } from '../load/project-loader.js';

/** Reads and checks a project's evidence against its checked items and departments. */
export async function readEvidence(root: string, ctx: RuleContext, sources?: LoadedProject): Promise<{ evidence: CheckedEvidence; diags: Diagnostics; files: string[] }> {
  const diags = new Diagnostics();
  const loaded = await loadEvidence(root, diags);
  const project = ctx.project?.data;
  // item files that failed (or were left out): rows naming them wait for the item to be fixed
  const itemFiles = sources?.files.filter((f) => f.kind === 'item').length ?? ctx.items.length;
  const itemsBroken = itemFiles > ctx.items.length;
  const evidence = checkEvidence(loaded, { items: ctx.items.map((i) => i.data), departments: project?.departments ?? [], rules: project?.evidence, itemsBroken }, diags);
  return { evidence, diags, files: loaded.files };
}
