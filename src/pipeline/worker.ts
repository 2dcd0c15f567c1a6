import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import type { Format, Job, OutputKind } from './kind.js';
import type { Project } from '../model/project.js';
import { prepareFromModel, type Prepared } from './prepare.js';
import { stagedInputs } from './job-inputs.js';
import { Folders } from '../write/folders.js';
import { byteSize, renderJob } from './render-job.js';
import { openModel } from './pool.js';

/**
 * A render worker: takes the main thread's model, parses the fonts once, then renders the outputs it is
 * asked for straight into the staging folder (only sizes and diagnostics travel back).
 */
const { model, formats, only } = workerData as { model: SharedArrayBuffer; formats: Format[]; only: OutputKind[] };
const project: Project = openModel(model);
let ready: Promise<{ prep: Prepared; byPath: Map<string, Job> }> | undefined;
let assembling = false;

/** A worker serves one build, so one record of the staging folder's folders. */
const folders = new Folders();

export interface WorkerResult { path: string; kind: OutputKind; bytes: number; diagnostics: Diagnostic[]; indexBytes?: number }

export default async function render(task: { paths: string[]; staging: string; outDir: string }): Promise<WorkerResult[]> {
  ready ??= prepareFromModel(project, formats, only).then((prep) => {
    const byPath = new Map(prep.jobs.map((j) => [j.path, j]));
    prep.jobs = []; // each job is dropped once done: memory shrinks as the build goes
    return { prep, byPath };
  });
  const { prep, byPath } = await ready;
  const results: WorkerResult[] = [];
  for (const p of task.paths) {
    const job = byPath.get(p);
    if (!job) throw new Error(`worker has no job for ${p}`);
    // assemblies come only once every other job is done (by either worker): those still listed
    // here went to the other one, and can go
    if (job.needs && !assembling) {
      assembling = true;
      for (const [q, other] of byPath) if (!other.needs) byPath.delete(q);
    }
    const file = path.join(task.staging, p);
    const outcome = await renderJob(job, prep, stagedInputs(task.staging, task.outDir), file, job.index && path.join(task.staging, job.index));
    let bytes = outcome.streamed ?? -1;
    if (outcome.data !== undefined) {
      await folders.ensureParent(file);
      await writeFile(file, outcome.data);
      bytes = byteSize(outcome.data);
    }
    results.push({ path: p, kind: job.kind, bytes, diagnostics: outcome.diagnostics, indexBytes: outcome.indexBytes });
    byPath.delete(p);
  }
  return results;
}
