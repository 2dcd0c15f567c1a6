// What a page of the built site downloads, for the benchmark: fonts (the WOFF2 slices its text falls
// in, body and heading font both: an upper bound of what a browser fetches) and, for searches, the
// index files and the time a query takes in the site's own engine (html/assets/search.js).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { siteSearch } from './search-engine.js';

function htmlPages(dir, base = dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) htmlPages(full, base, out);
    else if (e.name.endsWith('.html')) out.push(path.relative(base, full));
  }
  return out;
}

/** Per page: bytes of the font slices its characters need (from fonts.css's unicode-range), the largest and median, by kind. */
export function fontBytesPerPage(site) {
  const css = readFileSync(path.join(site, 'assets/fonts/fonts.css'), 'utf8');
  // slice start (code point >> 8) → bytes of every role's file for it
  const slices = new Map();
  for (const m of css.matchAll(/url\("([^"]+)"\)[^}]*unicode-range: U\+([0-9a-f]+)-/g)) {
    const size = statSync(path.join(site, 'assets/fonts', m[1])).size;
    const s = parseInt(m[2], 16) >> 8;
    slices.set(s, (slices.get(s) ?? 0) + size);
  }
  const byKind = new Map();
  let max = { bytes: 0, page: '' };
  const all = [];
  for (const p of htmlPages(site)) {
    const html = readFileSync(path.join(site, p), 'utf8');
    const text = html.replace(/<(style|script)[\s\S]*?<\/\1>/g, '').replace(/placeholder="([^"]*)"/g, '>$1<').replace(/<[^>]+>/g, '');
    const used = new Set();
    for (const ch of text) used.add(ch.codePointAt(0) >> 8);
    let bytes = 0;
    for (const s of used) bytes += slices.get(s) ?? 0;
    all.push(bytes);
    if (bytes > max.bytes) max = { bytes, page: p };
    const kind = p.includes(path.sep) ? p.split(path.sep)[0] : p;
    const k = byKind.get(kind) ?? { pages: 0, max: 0 };
    k.pages++;
    k.max = Math.max(k.max, bytes);
    byKind.set(kind, k);
  }
  all.sort((a, b) => a - b);
  return { pages: all.length, max, median: all[all.length >> 1] ?? 0, byKind: Object.fromEntries(byKind) };
}

/** Queries written in advance for the synthetic county (its items are made of a few phrases). */
export const COUNTY_QUERIES = ['营业执照', '身份证明', '现场核查', '邮寄送达', '公安局', '承诺书', '服务规范第12号', '530100-00012', '窗口工作人员', '听证'];

/**
 * Each query in a fresh engine (cold: reads and runs the index files it needs, as a page would
 * download them), then again in the same engine (warm: the files are loaded); the first page of
 * results (ten) each time. Bytes are those of the index files the cold query read.
 */
export async function searchFigures(site, queries = COUNTY_QUERIES) {
  const rows = [];
  for (const q of queries) {
    const engine = siteSearch(site);
    let t0 = performance.now();
    const cold = await engine.query(q, 10);
    const coldMs = performance.now() - t0;
    const warm = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      await engine.query(q, 10);
      warm.push(performance.now() - t0);
    }
    warm.sort((a, b) => a - b);
    const bytes = [...engine.loaded.values()].reduce((a, b) => a + b, 0);
    rows.push({ query: q, found: cold.total, coldMs, warmMs: warm[2], indexBytes: bytes, files: engine.loaded.size, first: cold.results[0]?.title ?? null });
  }
  return rows;
}
