import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodePart } from '../render/pdf/assemble/part.js';
import type { JobInputs } from './kind.js';

/** Reads parts written earlier in this build (or carried over) from the staging folder. */
export function stagedInputs(staging: string): JobInputs {
  return {
    part: async (p) => decodePart(await readFile(path.join(staging, p))),
    // only the header: a booklet's 目录 needs every item's page count before any item is read
    pageCount: async (p) => {
      const fh = await open(path.join(staging, p), 'r');
      try {
        const head = Buffer.alloc(8);
        await fh.read(head, 0, 8, 0);
        const json = Buffer.alloc(head.readUInt32BE(4));
        await fh.read(json, 0, json.byteLength, 8);
        return (JSON.parse(json.toString('utf8')) as { pages: unknown[] }).pages.length;
      } finally {
        await fh.close();
      }
    },
  };
}
