import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { TemplateError } from '../render/html/renderer.js';
import type { Sink } from '../render/pdf/assemble/pdf-writer.js';
import type { Job, JobInputs } from './kind.js';
import type { Prepared } from './prepare.js';

export interface JobOutcome {
  path: string;
  kind: Job['kind'];
  data?: string | Uint8Array;
  /** Problems found while rendering (an overlong poster, a template that failed). */
  diagnostics: Diagnostic[];
  /** Size of the index the job saved beside its output (see Job.index), if it saved one. */
  indexBytes?: number;
}

/**
 * Renders one job, turning render-time problems into diagnostics. Streaming jobs write straight to
 * `file` and report their size in `streamed`; a job's index goes to `indexFile`.
 */
export async function renderJob(job: Job, prep: Prepared, inputs: JobInputs, file?: string, indexFile?: string): Promise<JobOutcome & { streamed?: number }> {
  const before = prep.diags.list.length;
  let data: string | Uint8Array | undefined;
  let streamed: number | undefined;
  let indexBytes: number | undefined;
  if (job.index && indexFile) {
    inputs = {
      ...inputs,
      saveIndex: async (index) => {
        await mkdir(path.dirname(indexFile), { recursive: true });
        await writeFile(indexFile, index);
        indexBytes = index.byteLength;
      },
    };
  }
  try {
    if (job.stream && file) {
      await mkdir(path.dirname(file), { recursive: true });
      streamed = await writeStreamed(file, (sink) => job.stream!(sink, inputs));
    } else data = await job.render(inputs);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    prep.diags.error(e.file, e.line ? { line: e.line, column: 1 } : undefined, 'template-render', e.message);
  }
  const diagnostics = prep.diags.list.slice(before);
  return { path: job.path, kind: job.kind, data, diagnostics, streamed, indexBytes };
}

export function byteSize(data: string | Uint8Array): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}

/**
 * Writes a streamed output chunk by chunk, synchronously: the chunks are a megabyte each, and
 * waiting for a stream to drain after each one left the thread idle for a tenth of a rebuild.
 * Returns the bytes written.
 */
async function writeStreamed(file: string, write: (sink: Sink) => Promise<void>): Promise<number> {
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    await write({
      write: async (chunk) => {
        for (let at = 0; at < chunk.byteLength; ) at += writeSync(fd, chunk, at);
        bytes += chunk.byteLength;
      },
    });
  } finally {
    closeSync(fd);
  }
  return bytes;
}
