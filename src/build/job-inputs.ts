import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodePart } from '../render/pdf/assemble/part.js';
import type { JobInputs } from './kind.js';

/** Reads parts written earlier in this build (or carried over) from the staging folder. */
export function stagedInputs(staging: string): JobInputs {
  return {
    part: async (p) => decodePart(await readFile(path.join(staging, p))),
  };
}
