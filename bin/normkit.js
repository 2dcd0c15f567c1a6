#!/usr/bin/env node
// Thin entry: the TypeScript sources are compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('normkit: dist/ is missing; run `npm install` (or `npm run build:ts`) in the normkit folder first.\n');
  process.exit(2);
}
// Last line of defence (e.g. a worker thread out of memory): one line, exit 2, no stack unless --debug.
// A staging folder or lock left behind is cleaned up by the next build (the process is gone).
const fatal = (e) => {
  process.stderr.write(`normkit: 内部错误：${e?.message ?? e}\n`);
  if (process.argv.includes('--debug')) process.stderr.write(`${e?.stack ?? ''}\n`);
  process.exit(2);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
const { run } = await import(entry.href);
process.exitCode = await run(process.argv.slice(2));
