import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Format, OutputKind } from './kind.js';
import type { WorkerResult } from './worker.js';

const WORKER = new URL('./worker.js', import.meta.url);
/** Below this many PDFs a pool's start-up (≈0.2 s plus loading the project per worker) does not pay. */
const THRESHOLD = Number(process.env.NORMKIT_POOL_THRESHOLD ?? 120);
const BATCH = 8;

/** Workers run compiled code only (dist/); from TypeScript sources everything renders in-thread. */
export function poolWorthwhile(pdfCount: number): boolean {
  return WORKER.pathname.endsWith('/dist/build/worker.js') && pdfCount >= THRESHOLD;
}

export interface PoolTask {
  projectDir: string;
  formats: Format[];
  only: OutputKind[];
  staging: string;
  paths: string[];
  workers: number;
  signal?: AbortSignal;
}

/** Renders PDFs on worker threads (both cores), each worker with its own parsed fonts and model. */
export async function renderInPool(task: PoolTask, onResult: (r: WorkerResult) => void): Promise<void> {
  if (task.paths.length === 0) return;
  if (task.signal) setMaxListeners(0, task.signal); // one listener per queued batch
  const pool = new Piscina({
    filename: fileURLToPath(WORKER),
    minThreads: task.workers,
    maxThreads: task.workers,
    idleTimeout: 1000,
    // a smaller old generation makes each worker collect sooner: peak memory stays flat as projects grow
    resourceLimits: { maxOldGenerationSizeMb: Number(process.env.NORMKIT_WORKER_HEAP_MB ?? 512) },
    workerData: { projectDir: task.projectDir, formats: task.formats, only: task.only },
  });
  // a worker that dies (out of memory) is reported through the failed batch, not as a crash
  pool.on('error', () => undefined);
  try {
    const batches: Promise<void>[] = [];
    for (let i = 0; i < task.paths.length; i += BATCH) {
      const paths = task.paths.slice(i, i + BATCH);
      batches.push(pool.run({ paths, staging: task.staging }, { signal: task.signal }).then((rs: WorkerResult[]) => rs.forEach(onResult)));
    }
    // every batch settles before the pool is destroyed, so no rejection is left unhandled
    const settled = await Promise.allSettled(batches);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    await pool.destroy();
  }
}
