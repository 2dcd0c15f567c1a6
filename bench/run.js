// npm run bench [-- --items N] [--json] [--compare-chromium] [--no-series]
// Generates a synthetic county, builds everything, rebuilds after one edit, exports and re-imports
// the items as a platform workbook, and prints the figures.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { generateCounty } from './generate.js';
import { fontBytesPerPage, searchFigures } from './site-weight.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '3554' },
    json: { type: 'boolean', default: false },
    'compare-chromium': { type: 'boolean', default: false },
    'no-series': { type: 'boolean', default: false },
    seed: { type: 'string', default: '20261123' },
  },
});
const items = Number(values.items);
const seed = Number(values.seed);
const log = (s) => { if (!values.json) console.log(s); else console.error(s); };

if (!existsSync(path.join(here, '../dist/pipeline/build.js'))) {
  console.error('bench: dist/ is missing; run `npm install` first.');
  process.exit(2);
}

async function child(projectDir, outDir, flags = {}) {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, [path.join(here, 'child.js'), projectDir, outDir, JSON.stringify(flags)], { maxBuffer: 1 << 26 });
  return { ...JSON.parse(stdout.trim().split('\n').pop()), wall: (performance.now() - t0) / 1000 };
}

async function county(n, base) {
  const dir = path.join(base, `county-${n}`);
  const scale = n / 3554;
  await generateCounty(dir, { items: n, departments: 44, standards: Math.max(20, Math.round(300 * Math.min(1, scale))), checklists: 4, results: 40, seed });
  return dir;
}

const base = await mkdtemp(path.join(tmpdir(), 'normkit-bench-'));
try {
  log(`normkit bench: synthetic county, seed ${seed}, in ${base}`);
  const dir = await county(items, base);
  const out = path.join(base, 'out');
  log(`building ${items} items (all kinds, HTML and PDF)…`);
  const full = await child(dir, out, { force: true });
  // the published site as a phone gets it: fonts per page, and what a search downloads and takes
  log('measuring the site: fonts per page, search queries…');
  const fonts = fontBytesPerPage(path.join(out, 'html'));
  const searches = await searchFigures(path.join(out, 'html'));

  // incremental: edit one item, rebuild; three times (three departments' first items), the median counts
  const deps = (await readdir(path.join(dir, 'items'))).sort();
  const rebuilds = [];
  for (const dep of deps.slice(0, 3)) {
    const itemDir = path.join(dir, 'items', dep);
    const itemFile = path.join(itemDir, (await readdir(itemDir)).sort()[0]);
    const text = await readFile(itemFile, 'utf8');
    await writeFile(itemFile, text.replace(/^name: "(.*)"$/m, 'name: "$1（已修改）"'));
    rebuilds.push(await child(dir, out, { countPages: false }));
  }
  const inc = [...rebuilds].sort((a, b) => a.seconds - b.seconds)[1];

  const series = [];
  if (!values['no-series']) {
    for (const n of [1000, 10000]) {
      if (n === items) continue;
      log(`series: building ${n} items…`);
      const d = await county(n, base);
      try {
        const r = await child(d, path.join(base, `out-${n}`), { force: true });
        series.push({ items: n, seconds: r.seconds, peakRssMiB: r.maxRssMiB, documents: r.files });
      } catch (e) {
        const why = /ERR_WORKER_OUT_OF_MEMORY|heap out of memory/.test(String(e.stderr ?? e)) ? 'out of memory' : String(e.stderr ?? e).split('\n').find((l) => /Error/.test(l)) ?? 'failed';
        series.push({ items: n, seconds: null, peakRssMiB: null, documents: null, error: why });
      }
      await rm(d, { recursive: true, force: true });
      await rm(path.join(base, `out-${n}`), { recursive: true, force: true });
    }
    series.push({ items, seconds: full.seconds, peakRssMiB: full.maxRssMiB, documents: full.files });
    series.sort((a, b) => a.items - b.items);
  }

  log(`import: the ${items} items exported as a platform workbook, then imported into a project without items…`);
  const imported = await importBench(dir, base);

  let chromiumPosterRatio = null;
  let chromium = null;
  if (values['compare-chromium'] && existsSync('/usr/bin/chromium')) {
    log('comparing poster PDF throughput with headless Chromium on the first 200 posters…');
    chromium = await compareChromium(base, out);
    chromiumPosterRatio = chromium.normkitPerSecond / chromium.chromiumPerSecond;
  }

  const kinds = Object.entries(full.stats).filter(([k]) => k !== 'assets');
  const documents = kinds.reduce((a, [, s]) => a + s.documents, 0);
  const rows = kinds.map(([k, s]) => ({ kind: k, documents: s.documents, pages: full.pages[k] ?? 0, perSecond: s.documents / full.seconds }));
  log('');
  log('kind          documents     pages   docs/s (share of the whole build)');
  for (const r of rows) log(`${r.kind.padEnd(12)} ${String(r.documents).padStart(10)} ${String(r.pages).padStart(9)} ${r.perSecond.toFixed(1).padStart(8)}`);
  log(`${'total'.padEnd(12)} ${String(documents).padStart(10)} ${String(Object.values(full.pages).reduce((a, b) => a + b, 0)).padStart(9)} ${(documents / full.seconds).toFixed(1).padStart(8)}`);
  log('');
  log(`whole build          ${full.seconds.toFixed(1)} s (process ${full.wall.toFixed(1)} s)   target < 90 s   ${full.seconds < 90 ? 'met' : 'MISSED'}`);
  log(`peak RSS             ${full.maxRssMiB.toFixed(0)} MiB   target < 1024 MiB   ${full.maxRssMiB < 1024 ? 'met' : 'MISSED'}`);
  log(`bytes written        ${(full.bytes / 1048576).toFixed(1)} MiB`);
  log(`incremental rebuild  ${inc.seconds.toFixed(2)} s in build (process ${inc.wall.toFixed(2)} s), ${inc.rendered} files re-rendered   target < 1 s   ${inc.seconds < 1 ? 'met' : 'MISSED'}`);
  log(`  median of ${rebuilds.map((r) => r.seconds.toFixed(2)).join(' / ')} s; where the median one went (ms):`);
  log(`  ${inc.timings.steps.map(([step, t]) => `${step} ${(t * 1000).toFixed(0)}`).join(' · ')}`);
  if (series.length) {
    log('memory series:');
    for (const s of series) log(s.error ? `  ${String(s.items).padStart(6)} items  FAILED: ${s.error}` : `  ${String(s.items).padStart(6)} items  ${s.seconds.toFixed(1).padStart(6)} s  ${s.peakRssMiB.toFixed(0).padStart(5)} MiB`);
    const a = series.find((s) => s.items === 3554);
    const b = series.find((s) => s.items === 10000);
    if (b?.error) log('  10,000 vs 3,554 items: the larger build failed   target ≤ 25 %   MISSED');
    else if (a && b) log(`  10,000 vs 3,554 items: ${((b.peakRssMiB / a.peakRssMiB - 1) * 100).toFixed(0)} % more memory   target ≤ 25 %   ${b.peakRssMiB <= a.peakRssMiB * 1.25 ? 'met' : 'MISSED'}`);
  }
  log(`import items         ${imported.items} items in ${imported.seconds.toFixed(1)} s = ${imported.perSecond.toFixed(0)} items/s (export ${imported.exportSeconds.toFixed(1)} s; re-import, all unchanged, ${imported.reimportSeconds.toFixed(1)} s)`);
  const kB = (n) => `${(n / 1024).toFixed(0)} kB`;
  const fontMax = fonts.max.bytes;
  log(`site fonts per page  largest ${kB(fontMax)} (${fonts.max.page}), median ${kB(fonts.median)}, over ${fonts.pages} pages (slices of both fonts a page's characters fall in: an upper bound)   target ≤ 1.5 MB   ${fontMax <= 1.5 * 1048576 ? 'met' : 'MISSED'}`);
  log(`  largest by kind: ${Object.entries(fonts.byKind).map(([k, v]) => `${k} ${kB(v.max)}`).join(' · ')}`);
  const coldMax = Math.max(...searches.map((s) => s.coldMs));
  const warmMax = Math.max(...searches.map((s) => s.warmMs));
  const indexMax = Math.max(...searches.map((s) => s.indexBytes));
  log(`search (${searches.length} queries, first ten results)   query ${warmMax.toFixed(1)} ms at most with the index loaded, ${coldMax.toFixed(1)} ms reading it too   target < 30 ms   ${warmMax < 30 ? 'met' : 'MISSED'}`);
  log(`  index a query downloads: at most ${kB(indexMax)} (meta, shards of its keys, documents shown)   target ≤ 300 kB   ${indexMax <= 300 * 1024 ? 'met' : 'MISSED'}; whole index ${full.stats.search ? `${full.stats.search.documents} files, ${(full.stats.search.bytes / 1048576).toFixed(1)} MiB` : 'not built'}`);
  for (const s of searches) log(`  ${s.query.padEnd(16)} ${String(s.found).padStart(5)} found  ${s.warmMs.toFixed(1).padStart(5)} ms warm  ${s.coldMs.toFixed(1).padStart(6)} ms cold  ${kB(s.indexBytes).padStart(7)} in ${s.files} files  first: ${s.first ?? '—'}`);
  if (chromium) log(`posters: normkit ${chromium.normkitPerSecond.toFixed(1)}/s vs Chromium ${chromium.chromiumPerSecond.toFixed(1)}/s = ${chromiumPosterRatio.toFixed(1)}×   target ≥ 15×   ${chromiumPosterRatio >= 15 ? 'met' : 'MISSED'}`);
  else if (values['compare-chromium']) log('Chromium comparison skipped: /usr/bin/chromium not found');

  const summary = {
    items, documents, seconds: full.seconds, documentsPerSecond: documents / full.seconds, peakRssMiB: full.maxRssMiB,
    bytes: full.bytes, incrementalSeconds: inc.seconds, incrementalRuns: rebuilds.map((r) => r.seconds), incrementalSteps: inc.timings.steps, incrementalRendered: inc.rendered, chromiumPosterRatio,
    importItemsPerSecond: imported.perSecond, importSeconds: imported.seconds, reimportSeconds: imported.reimportSeconds,
    kinds: rows, series,
    site: { fontBytesMax: fontMax, fontBytesMaxPage: fonts.max.page, fontBytesMedian: fonts.median, pages: fonts.pages, searches },
  };
  if (values.json) console.log(JSON.stringify(summary));
} finally {
  await rm(base, { recursive: true, force: true });
}

/** `normkit export items --xlsx`, then `normkit import items` into a copy of project.yaml alone, and once more (a no-op). */
async function importBench(dir, base) {
  const cli = path.join(here, '../bin/normkit.js');
  const xlsx = path.join(base, 'items.xlsx');
  const target = path.join(base, 'import-target');
  await mkdir(target, { recursive: true });
  await copyFile(path.join(dir, 'project.yaml'), path.join(target, 'project.yaml'));
  const timed = async (args) => {
    const t0 = performance.now();
    const { stdout } = await run(process.execPath, [cli, ...args], { maxBuffer: 1 << 26 });
    return { seconds: (performance.now() - t0) / 1000, stdout };
  };
  const exp = await timed(['export', 'items', '--xlsx', '--project', dir, '--out', xlsx]);
  const first = await timed(['import', 'items', xlsx, '--into', target]);
  const again = await timed(['import', 'items', xlsx, '--into', target]);
  const n = Number(/新建 (\d+) 项/.exec(first.stdout)?.[1] ?? 0);
  await rm(target, { recursive: true, force: true });
  return { items: n, seconds: first.seconds, perSecond: n / first.seconds, exportSeconds: exp.seconds, reimportSeconds: again.seconds };
}

/** The same first 200 posters: normkit's PDF renderer vs Chromium printing normkit's own HTML, one reused page. */
async function compareChromium(base, out) {
  const sub = path.join(base, 'county-200');
  await generateCounty(sub, { items: 200, departments: 44, standards: 20, checklists: 1, results: 1, seed });
  const posters = await child(sub, path.join(base, 'out-200'), { force: true, only: ['posters'], formats: ['pdf'] });
  // rendering throughput, like Chromium's below (which excludes launching the browser)
  const normkitPerSecond = (posters.stats.posters?.documents ?? 0) / posters.timings.render;
  const html = path.join(out, 'html', 'posters');
  const files = (await readdir(html)).filter((f) => f.endsWith('.html')).sort().slice(0, 200);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'] });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(html, files[0])).href);
    const t0 = performance.now();
    for (const f of files) {
      await page.goto(pathToFileURL(path.join(html, f)).href, { waitUntil: 'load' });
      await page.pdf({ preferCSSPageSize: true, printBackground: true });
    }
    const secs = (performance.now() - t0) / 1000;
    return { normkitPerSecond, chromiumPerSecond: files.length / secs, posters: files.length };
  } finally {
    await browser.close();
  }
}
