import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../src/cli/main.js';

export const REPO = fileURLToPath(new URL('../', import.meta.url));
export const SAMPLE = path.join(REPO, 'standards');

/** Runs the CLI in-process and captures its output. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => { out += s; }, err: (s) => { err += s; }, tty: false });
  return { code, out, err };
}

/** A throwaway copy of the sample project (or another folder) to mutate in a test. */
export async function tempCopy(src = SAMPLE): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const base = await mkdtemp(path.join(tmpdir(), 'normkit-test-'));
  const dir = path.join(base, 'project');
  await cp(src, dir, { recursive: true });
  return { dir, cleanup: () => rm(base, { recursive: true, force: true }) };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'normkit-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
