import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodePart } from '../render/pdf/assemble/part.js';
import type { JobInputs } from './kind.js';

/** Reads parts rendered earlier in this build (in the staging folder) or kept from the last (in the output folder). */
export function stagedInputs(staging: string, outDir: string): JobInputs {
  return {
    // read synchronously: thousands of small reads through the thread pool cost ten times as much
    part: async (p) => {
      try {
        return decodePart(readStagedOrKept(path.join(staging, p), path.join(outDir, p)));
      } catch (e) {
        // parts are the build's own files; one that cannot be read was damaged outside normkit
        throw new Error(`输出文件夹中的 ${p} 已损坏或缺失（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）。请用 normkit build --force 重新构建。`);
      }
    },
  };
}

function readStagedOrKept(staged: string, kept: string): Buffer {
  try {
    return readFileSync(staged);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return readFileSync(kept);
  }
}
