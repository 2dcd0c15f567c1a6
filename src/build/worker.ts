import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import type { Format, OutputKind } from './kind.js';
import { prepare, type Prepared } from './prepare.js';
import { renderJob } from './render-job.js';

/**
 * A render worker: loads the project and parses the fonts once, then renders the outputs it is
 * asked for straight into the staging folder (only sizes and diagnostics travel back).
 */
const { projectDir, formats, only } = workerData as { projectDir: string; formats: Format[]; only: OutputKind[] };
let ready: Promise<Prepared> | undefined;

export interface WorkerResult { path: string; kind: OutputKind; bytes: number; diagnostics: Diagnostic[] }

export default async function render(task: { paths: string[]; staging: string }): Promise<WorkerResult[]> {
  ready ??= prepare(projectDir, formats, only);
  const prep = await ready;
  const byPath = new Map(prep.jobs.map((j) => [j.path, j]));
  const results: WorkerResult[] = [];
  for (const p of task.paths) {
    const job = byPath.get(p);
    if (!job) throw new Error(`worker has no job for ${p}`);
    const file = path.join(task.staging, p);
    const outcome = await renderJob(job, prep, file);
    let bytes = outcome.streamed ?? -1;
    if (outcome.data !== undefined) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, outcome.data);
      bytes = typeof outcome.data === 'string' ? Buffer.byteLength(outcome.data) : outcome.data.byteLength;
    }
    results.push({ path: p, kind: job.kind, bytes, diagnostics: outcome.diagnostics });
  }
  return results;
}
