/**
 * Run once after compiling (npm's prepare): turns the bundled schemas into validation code (ajv
 * standalone) and the bundled templates into Handlebars template specs, so a build does not compile
 * them again every time it starts. Each carries the hash of the text it was made from; a build uses
 * it only while the file still has that text (see check/schemas.ts, render/html/renderer.ts).
 */
import { hash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import Handlebars from 'handlebars';
import { SCHEMA_DIR } from '../paths.js';
import { SCHEMA_NAMES, AJV_OPTIONS } from '../check/schemas.js';
import { loadTemplates } from '../load/templates.js';
import { HANDLEBARS_OPTIONS } from '../render/html/renderer.js';

export const textHash = (text: string): string => hash('sha1', text);

const here = path.dirname(fileURLToPath(import.meta.url));

function schemas(): void {
  const ajv = new Ajv2020.default({ ...AJV_OPTIONS, code: { source: true } });
  const hashes: Record<string, string> = {};
  for (const name of SCHEMA_NAMES) {
    const text = readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8');
    hashes[name] = textHash(text);
    ajv.addSchema(JSON.parse(text), name);
  }
  const code = standaloneCode.default(ajv, Object.fromEntries(SCHEMA_NAMES.map((n) => [n, n])));
  writeFileSync(path.join(here, '../check/validators.cjs'), `${code}\nmodule.exports.hashes = ${JSON.stringify(hashes)};\n`);
}

async function templates(): Promise<void> {
  const specs: string[] = [];
  for (const [key, t] of await loadTemplates()) {
    specs.push(`${JSON.stringify(key)}: { hash: ${JSON.stringify(textHash(t.text))}, spec: ${Handlebars.precompile(t.text, HANDLEBARS_OPTIONS)} }`);
  }
  writeFileSync(path.join(here, '../render/html/templates.cjs'), `"use strict";\nmodule.exports = {\n${specs.join(',\n')}\n};\n`);
}

schemas();
await templates();
