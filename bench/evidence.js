// npm run bench:evidence [-- --cases 100000] [--seed N] [--json]
// A county's year of evidence (≈100,000 cases, 20,000 好差评) from the seeded generator, run
// through `normkit evidence` (load, check, compute, HTML and PDF) in a child process; prints the
// time, the peak memory and whether the figures equal the generator's own expectation.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { countyItems, generateYear, writeYearProject } from './evidence-year.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, seed: { type: 'string', default: '2025' }, json: { type: 'boolean', default: false } } });
if (!existsSync(path.join(here, '../dist/cli/main.js'))) {
  console.error('bench: dist/ is missing; run `npm install` first.');
  process.exit(2);
}
const cases = Number(values.cases);
const base = await mkdtemp(path.join(tmpdir(), 'normkit-evidence-bench-'));
try {
  const items = countyItems(400);
  const t0 = performance.now();
  const year = generateYear({ seed: Number(values.seed), cases, evaluationShare: 0.2, complaints: 0.006, items });
  await writeYearProject(path.join(base, 'county'), year, items);
  const generated = (performance.now() - t0) / 1000;
  // the child runs the CLI in-process and reports its own time and peak resident memory
  const script = `
    const { run } = await import(${JSON.stringify(path.join(here, '../dist/cli/main.js'))});
    let out = '';
    const t = performance.now();
    const code = await run(['evidence', process.argv[1], '--json', '--out', process.argv[2]], { out: (s) => { out += s; }, err: () => {}, tty: false });
    console.log(JSON.stringify({ code, seconds: (performance.now() - t) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024, total: JSON.parse(out).total }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, path.join(base, 'county'), path.join(base, 'report')], { maxBuffer: 1 << 26 });
  const r = JSON.parse(stdout.trim().split('\n').pop());
  const e = year.expected;
  const same = r.total.cases === e.decided && r.total.on_time === e.onTime && r.total.overdue_cases === e.overdue && r.total.evaluations === e.evaluations
    && r.total.bad === e.bad && r.total.overdue_bad_reviews === e.badOverdue && r.total.overdue_complaints === e.complaintsOverdue;
  const summary = { cases, evaluations: e.evaluations + e.excluded, complaints: e.complaints, generatedSeconds: +generated.toFixed(1), seconds: +r.seconds.toFixed(2), maxRssMiB: Math.round(r.maxRssMiB), exit: r.code, matchesExpectation: same };
  if (values.json) console.log(JSON.stringify(summary));
  else {
    console.log(`evidence year: ${cases} cases, ${summary.evaluations} evaluations, ${summary.complaints} complaints (generated in ${summary.generatedSeconds} s)`);
    console.log(`normkit evidence (load, check, compute, HTML + PDF): ${summary.seconds} s, peak ${summary.maxRssMiB} MiB, exit ${r.code}`);
    console.log(`figures equal the generator's expectation: ${same ? 'yes' : 'NO'}`);
  }
  if (!same || r.code !== 0) process.exitCode = 1;
} finally {
  await rm(base, { recursive: true, force: true });
}
