// node bench/sample-evidence.js — writes standards/evidence/ (the bundled sample's year 2025 of
// 办件, 好差评 and 投诉) from the seeded generator, for the sample's own items. Deterministic:
// running it again gives the same files.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateYear } from './evidence-year.js';

const sample = fileURLToPath(new URL('../standards/', import.meta.url));
const project = parse(readFileSync(path.join(sample, 'project.yaml'), 'utf8'));
const windowOf = new Map(project.departments.map((d) => [d.id, d.window]));
const items = [];
for (const dept of readdirSync(path.join(sample, 'items')).sort()) {
  for (const f of readdirSync(path.join(sample, 'items', dept)).sort()) {
    const it = parse(readFileSync(path.join(sample, 'items', dept, f), 'utf8'));
    if ((it.time_limit.unit ?? '工作日') !== '工作日') continue;
    items.push({ code: it.code, window: it.window ?? windowOf.get(it.department), promised: it.time_limit.promised_days });
  }
}
const year = generateYear({ seed: 20250101, cases: 2400, evaluationShare: 0.9, complaints: 0.01, items });
for (const k of ['cases', 'evaluations', 'complaints']) await mkdir(path.join(sample, 'evidence', k), { recursive: true });
await writeFile(path.join(sample, 'evidence/cases/2025-办件.csv'), year.caseCsv);
await writeFile(path.join(sample, 'evidence/evaluations/2025-好差评.csv'), year.evalCsv);
await writeFile(path.join(sample, 'evidence/complaints/2025-投诉.csv'), year.complaintCsv);
console.log(JSON.stringify(year.expected));
