// Runs one build in a fresh process and reports its figures as one JSON line (peak RSS is per process).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from '../dist/pipeline/build.js';

const [projectDir, outDir, flags = '{}'] = process.argv.slice(2);
const opts = JSON.parse(flags);
const t0 = performance.now();
const r = await build({ projectDir, outDir, force: !!opts.force, only: opts.only, formats: opts.formats });
const seconds = (performance.now() - t0) / 1000;
if (!r.ok) {
  console.error(r.diagnostics.list.filter((d) => d.severity === 'error').slice(0, 10));
  process.exit(1);
}
const pages = {};
// counting pages reads every PDF: the whole build's figures need it, a rebuild's process time should not include it
for (const f of opts.countPages === false ? [] : r.files) {
  if (!f.endsWith('.pdf')) continue;
  const seg = f.split('/')[1].replace(/\.pdf$/, '');
  const kind = seg === 'reports' ? 'checklists' : seg;
  const text = (await readFile(path.join(outDir, f))).toString('latin1');
  const counts = [...text.matchAll(/\/Type \/Pages[\s\S]{0,80}?\/Count (\d+)/g)].map((m) => Number(m[1]));
  pages[kind] = (pages[kind] ?? 0) + Math.max(0, ...counts);
}
const bytes = Object.values(r.stats).reduce((a, s) => a + s.bytes, 0);
console.log(JSON.stringify({ seconds, timings: r.timings, stats: r.stats, rendered: r.rendered.length, files: r.files.length, pages, bytes, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
