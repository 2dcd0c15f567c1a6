import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { build, type BuildOptions, type BuildResult } from '../src/pipeline/build.js';
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

/** Every file under `dir`, relative and sorted. */
export async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

/** sha256 of every file under `dir`, keyed by relative path: compare two outputs byte for byte. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const f of await listFiles(dir)) map[f] = createHash('sha256').update(await readFile(path.join(dir, f))).digest('hex');
  return map;
}

/** Builds and asserts the build succeeded with no errors (listing them if it did not). */
export async function buildOk(opts: BuildOptions): Promise<BuildResult> {
  const r = await build(opts);
  expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.ok).toBe(true);
  return r;
}
