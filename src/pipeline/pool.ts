import { setMaxListeners } from 'node:events';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { Piscina } from 'piscina';
import type { Project } from '../model/project.js';
import type { Format, OutputKind } from './kind.js';
import type { WorkerResult } from './worker.js';

const WORKER = new URL('./worker.js', import.meta.url);

/** Heap limit of one worker, in MiB. */
const workerHeapMb = (): number => Number(process.env.NORMKIT_WORKER_HEAP_MB ?? 512);

/**
 * The most workers this machine carries: two per core at most (they wait on zlib and the disk part
 * of the time), and no more than half the memory holds at their heap limit plus what a worker's
 * own code and buffers take (about 110 MiB measured).
 */
export function maxWorkers(): number {
  const byMemory = Math.floor((totalmem() / 2) / ((workerHeapMb() + 110) * 2 ** 20));
  return Math.max(1, Math.min(2 * availableParallelism(), byMemory));
}
/** Below this many PDFs and page parts a pool's start-up (≈0.3 s: fonts and templates per worker) does not pay. */
const THRESHOLD = Number(process.env.NORMKIT_POOL_THRESHOLD ?? 250);
const BATCH = 8;

/**
 * The model as one serialized copy in shared memory: workers read it without a copy per worker, and
 * the building thread can let go of its own model while they render (openModel gives it back).
 */
export function shareModel(project: Project): SharedArrayBuffer {
  const bytes = serialize(project);
  const shared = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(shared).set(bytes);
  return shared;
}

export function openModel(model: SharedArrayBuffer): Project {
  return deserialize(new Uint8Array(model)) as Project;
}

/** Workers run compiled code only (dist/); from TypeScript sources everything renders in-thread. */
export function poolWorthwhile(heavyJobs: number): boolean {
  return WORKER.pathname.endsWith('/dist/pipeline/worker.js') && heavyJobs >= THRESHOLD;
}

export interface PoolOptions {
  /**
   * The checked model, serialized once into shared memory (see shareModel); each worker reads its
   * own copy from it (loading and checking again would cost seconds).
   */
  model: SharedArrayBuffer;
  formats: Format[];
  only: OutputKind[];
  staging: string;
  outDir: string;
  workers: number;
  signal?: AbortSignal;
}

export interface RenderPool {
  /** Renders the given outputs into the staging folder; resolves when every one has settled. */
  run(paths: string[], onResult: (r: WorkerResult) => void): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * PDFs render on worker threads (both cores), each worker with its own parsed fonts and model. One
 * pool serves every phase of a build, so workers load the project once.
 */
export function openPool(opts: PoolOptions): RenderPool {
  if (opts.signal) setMaxListeners(0, opts.signal); // one listener per queued batch
  const pool = new Piscina({
    filename: fileURLToPath(WORKER),
    minThreads: opts.workers,
    maxThreads: opts.workers,
    idleTimeout: 1000,
    // while one task waits for the disk, the other lays out pages
    concurrentTasksPerWorker: 2,
    // a smaller old generation makes each worker collect sooner: peak memory stays flat as projects grow
    // a roomier young generation: page layout allocates short-lived objects fast, and scavenges were a tenth of the time
    resourceLimits: { maxOldGenerationSizeMb: workerHeapMb(), maxYoungGenerationSizeMb: 48 },
    workerData: { model: opts.model, formats: opts.formats, only: opts.only },
  });
  // a worker that dies (out of memory) is reported through the failed batch, not as a crash
  pool.on('error', () => undefined);
  return {
    async run(paths, onResult) {
      const batches: Promise<void>[] = [];
      for (let i = 0; i < paths.length; i += BATCH) {
        const batch = paths.slice(i, i + BATCH);
        batches.push(pool.run({ paths: batch, staging: opts.staging, outDir: opts.outDir }, { signal: opts.signal }).then((rs: WorkerResult[]) => rs.forEach(onResult)));
      }
      // every batch settles before the pool is destroyed, so no rejection is left unhandled
      const settled = await Promise.allSettled(batches);
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    destroy: () => pool.destroy(),
  };
}
