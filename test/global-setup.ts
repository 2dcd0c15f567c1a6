import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Tests that run the `normkit` binary use dist/: compile it from the current sources first. */
export default function setup(): void {
  const root = fileURLToPath(new URL('../', import.meta.url));
  try {
    execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', root], { stdio: 'pipe' });
  } catch (e) {
    // type errors still emit JavaScript; the type check itself is `npm run typecheck`
    const out = String((e as { stdout?: Buffer }).stdout ?? '');
    if (!/error TS/.test(out)) throw e;
  }
  // schemas and templates made into code, as npm's prepare does
  execFileSync(process.execPath, [fileURLToPath(new URL('../dist/pipeline/precompile.js', import.meta.url))], { stdio: 'pipe' });
}
