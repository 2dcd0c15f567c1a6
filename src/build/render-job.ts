import type { Diagnostic } from '../diagnostics.js';
import { TemplateError } from '../render/html/renderer.js';
import type { Job } from './kind.js';
import type { Prepared } from './prepare.js';

export interface JobOutcome {
  path: string;
  kind: Job['kind'];
  data?: string | Uint8Array;
  /** Problems found while rendering (an overlong poster, a template that failed). */
  diagnostics: Diagnostic[];
}

/** Renders one job, turning render-time problems into diagnostics. */
export async function renderJob(job: Job, prep: Prepared): Promise<JobOutcome> {
  const before = prep.diags.list.length;
  let data: string | Uint8Array | undefined;
  try {
    data = await job.render();
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    prep.diags.error(e.file, e.line ? { line: e.line, column: 1 } : undefined, 'template-render', e.message);
  }
  const diagnostics = prep.diags.list.slice(before);
  return { path: job.path, kind: job.kind, data, diagnostics };
}
