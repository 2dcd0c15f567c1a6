#!/usr/bin/env node
// Thin entry: the TypeScript sources are compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('normkit: dist/ is missing; run `npm install` (or `npm run build:ts`) in the normkit folder first.\n');
  process.exit(2);
}
const { run } = await import(entry.href);
process.exitCode = await run(process.argv.slice(2));
