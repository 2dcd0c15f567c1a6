import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VERSION: string = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')).version;

/**
 * Bumped whenever the same sources would come out differently (between releases too): part of every
 * output's key, so a previous build's outputs are never kept by mistake.
 */
export const OUTPUT_REVISION = 4;
