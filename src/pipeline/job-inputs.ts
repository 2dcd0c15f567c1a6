import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { decodePart } from '../render/pdf/assemble/part.js';
import type { EarlierOutput, JobInputs } from './kind.js';
import type { Manifest } from './manifest.js';

/** What an incremental build knows of the previous one: its manifest, this build's keys, and which files are still there. */
export interface PreviousBuild {
  manifest: Manifest;
  keys: ReadonlyMap<string, string>;
  has(rel: string): boolean;
}

/**
 * Reads parts rendered earlier in this build (in the staging folder) or kept from the last (in the
 * output folder); with `previous`, also lends jobs what the last build left (see JobInputs).
 */
export function stagedInputs(staging: string, outDir: string, previous?: PreviousBuild): JobInputs {
  const inputs: JobInputs = {
    // read synchronously: thousands of small reads through the thread pool cost ten times as much
    part: async (p) => readPart(p, () => readStagedOrKept(path.join(staging, p), path.join(outDir, p))),
    bytes: async (p) => readBytes(p, () => readStagedOrKept(path.join(staging, p), path.join(outDir, p))),
  };
  if (!previous) return inputs;
  const { manifest, keys } = previous;
  const kept = (p: string): boolean => manifest.has(p) && previous.has(p);
  return {
    ...inputs,
    // a part this build rendered is in the staging folder; the rest were kept where they are
    part: async (p) => readPart(p, () => readFileSync(path.join(changed(p) || !previous.has(p) ? staging : outDir, p))),
    bytes: async (p) => readBytes(p, () => readFileSync(path.join(changed(p) || !previous.has(p) ? staging : outDir, p))),
    earlier: (p, index) => {
      const entry = manifest.get(p);
      if (!entry || manifest.get(index)?.key !== entry.key || !kept(p) || !kept(index)) return undefined;
      try {
        return openEarlier(path.join(outDir, p), readFileSync(path.join(outDir, index)));
      } catch {
        return undefined; // then the job simply makes everything again
      }
    },
    changed,
    previousPart: async (p) => {
      if (!kept(p)) return undefined;
      try {
        return decodePart(readFileSync(path.join(outDir, p)));
      } catch {
        return undefined;
      }
    },
  };
  function changed(p: string): boolean {
    return manifest.get(p)?.key !== keys.get(p);
  }
}

function readPart(p: string, read: () => Buffer): ReturnType<JobInputs['part']> {
  try {
    return Promise.resolve(decodePart(read()));
  } catch (e) {
    // parts are the build's own files; one that cannot be read was damaged outside normkit
    return Promise.reject(new Error(`输出文件夹中的 ${p} 已损坏或缺失（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）。请用 normkit build --force 重新构建。`));
  }
}

function readBytes(p: string, read: () => Buffer): Promise<Uint8Array> {
  try {
    return Promise.resolve(read());
  } catch (e) {
    return Promise.reject(new Error(`输出文件夹中的 ${p} 已损坏或缺失（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）。请用 normkit build --force 重新构建。`));
  }
}

function readStagedOrKept(staged: string, kept: string): Buffer {
  try {
    return readFileSync(staged);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return readFileSync(kept);
  }
}

/** The previous output, open for reading ranges (a county's booklet is tens of megabytes: never read whole). */
function openEarlier(file: string, index: Uint8Array): EarlierOutput {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    return {
      index,
      doc: {
        size,
        read: (start, end) => {
          const buf = Buffer.allocUnsafe(end - start);
          let got = 0;
          while (got < buf.length) {
            const n = readSync(fd, buf, got, buf.length - got, start + got);
            if (n === 0) throw new Error(`${file} ended early`);
            got += n;
          }
          return buf;
        },
      },
      close: () => closeSync(fd),
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
