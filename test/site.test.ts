/**
 * The published site on a phone, in Debian's Chromium (one browser session for every page of the
 * sample): no page scrolls sideways at 320 or 375 px, links and controls people tap are at least
 * 44 × 44 px, the skip link moves focus to the content, a page downloads at most 1.5 MB of fonts
 * (WOFF2 slices by unicode-range) and at most 300 kB of the search index, and search finds items by
 * Chinese substrings from file:// and from a web server, axe-clean.
 * Skipped without /usr/bin/chromium only when CI is not set (in CI they fail instead).
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { webFonts } from '../src/pipeline/web-fonts.js';
import { loadFontBook } from '../src/typography/fonts.js';
import { SAMPLE, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
if (SKIP) console.warn(`site tests skipped: ${CHROMIUM} not found and CI is not set (apt-get install chromium; in CI they fail instead).`);
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const FONT_BUDGET = 1.5 * 1024 * 1024;
const INDEX_BUDGET = 300 * 1024;
/** What people tap: navigation, the search box and its results, links between a page and its relatives. */
const TAPPED = '.skip-link, .site-nav a, .site-search input, .site-search button, .search-form input, .search-form button, .search-more:not([hidden]), .search-results h2 a, .item-links a, p.meta a, .toc a, table.item-index a';

async function htmlFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await htmlFiles(full, base)));
    else if (e.name.endsWith('.html')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** A page's type: its folder, or its own name at the top. */
const typeOf = (p: string): string => (p.includes('/') ? `${p.split('/')[0]}/${p.endsWith('index.html') ? 'index' : '*'}` : p);

interface Weight { html: number; css: number; fonts: number; index: number; script: number }

/** Loads `url` and sums what it downloaded, by what it is (file:// sizes from the files themselves). */
async function weigh(page: Page, url: string, after?: () => Promise<void>): Promise<Weight & { files: string[] }> {
  const files = new Set<string>();
  const listen = (r: { url: () => string }): void => { if (r.url().startsWith('file://')) files.add(fileURLToPath(r.url())); };
  page.on('requestfinished', listen);
  await page.goto(url);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await after?.();
  page.off('requestfinished', listen);
  const w: Weight = { html: 0, css: 0, fonts: 0, index: 0, script: 0 };
  for (const f of files) {
    const n = statSync(f).size;
    if (/\.(woff2|ttf|otf)$/.test(f)) w.fonts += n;
    else if (f.endsWith('.css')) w.css += n;
    else if (f.includes(`${path.sep}search${path.sep}`) && f.endsWith('.js')) w.index += n;
    else if (f.endsWith('.js')) w.script += n;
    else w.html += n;
  }
  return { ...w, files: [...files] };
}

describe.skipIf(SKIP)('the site on a phone', () => {
  let browser: Browser;
  let site: string;
  let pages: string[];
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const [r, b] = await Promise.all([
      build({ projectDir: SAMPLE, outDir: t.dir, formats: ['html'], workers: 0 }),
      chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS }),
    ]);
    browser = b;
    expect(r.ok).toBe(true);
    site = path.join(t.dir, 'html');
    pages = await htmlFiles(site);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  const fileUrl = (p: string, q = ''): string => `file://${path.join(site, p)}${q}`;

  it('has pages of every kind to look at', () => {
    for (const k of ['index.html', 'search.html', 'departments.html', 'departments/', 'posters/', 'guides/', 'standards/', 'checklists/', 'reports/']) expect(pages.some((p) => p.startsWith(k)), k).toBe(true);
  });

  for (const width of [320, 375]) {
    it(`at ${width} px no page scrolls sideways, what people tap is at least 44 × 44 px, fonts and index within budget`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 700 } });
      const wide: string[] = [];
      const small: string[] = [];
      // every page, and the search page with results
      const heavy: string[] = [];
      for (const [p, q] of [...pages.map((x) => [x, ''] as const), ['search.html', '?q=申请'] as const]) {
        const w = await weigh(page, fileUrl(p, q), q ? () => page.locator('.search-results li').first().waitFor() : undefined);
        if (w.fonts >= FONT_BUDGET || w.index >= INDEX_BUDGET) heavy.push(`${p}${q}: fonts ${w.fonts}, index ${w.index}`);
        const found = await page.evaluate((sel) => {
          const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
          const tiny: string[] = [];
          for (const el of document.querySelectorAll<HTMLElement>(sel)) {
            const r = el.getBoundingClientRect();
            // the skip link is measured when focused (it is off screen until then)
            if (el.classList.contains('skip-link')) continue;
            if (r.width === 0 && r.height === 0) continue;
            if (r.height < 44 || r.width < 44) tiny.push(`${el.tagName.toLowerCase()}.${el.className} “${(el.textContent || (el as HTMLInputElement).placeholder || '').slice(0, 12)}” ${Math.round(r.width)}×${Math.round(r.height)}`);
          }
          return { over, tiny };
        }, TAPPED);
        if (found.over > 0) wide.push(`${p}${q} (+${found.over}px)`);
        for (const t of found.tiny.slice(0, 3)) small.push(`${p}: ${t}`);
      }
      await page.close();
      expect(wide).toEqual([]);
      expect(small).toEqual([]);
      expect(heavy).toEqual([]);
    }, 240_000);
  }

  it('per page type: at most 1.5 MB of WOFF2 fonts (none of the TTFs) and 300 kB of the search index', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 700 } });
    const byType = new Map<string, Weight & { pages: number }>();
    const over: string[] = [];
    // the table for the report: the largest page of each type (the widths above weighed every page), and three searches
    const largest = new Map<string, string>();
    for (const p of pages) {
      const best = largest.get(typeOf(p));
      if (!best || statSync(path.join(site, p)).size > statSync(path.join(site, best)).size) largest.set(typeOf(p), p);
    }
    const visits: [string, string][] = [...[...largest.values()].map((p) => [p, ''] as [string, string]), ...['居住证', '申请', '首问责任人'].map((q) => ['search.html', `?q=${encodeURIComponent(q)}`] as [string, string])];
    for (const [p, q] of visits) {
      const w = await weigh(page, fileUrl(p, q), q ? () => page.locator('.search-results li').first().waitFor() : undefined);
      expect(w.files.some((f) => /\.(ttf|otf)$/.test(f)), p).toBe(false);
      expect(w.fonts, `${p}: fonts`).toBeGreaterThan(0);
      if (w.fonts >= FONT_BUDGET) over.push(`${p}: fonts ${w.fonts}`);
      if (w.index >= INDEX_BUDGET) over.push(`${p}${q}: index ${w.index}`);
      const type = q ? 'search.html?q' : typeOf(p);
      const t = byType.get(type) ?? { html: 0, css: 0, fonts: 0, index: 0, script: 0, pages: 0 };
      for (const k of ['html', 'css', 'fonts', 'index', 'script'] as const) t[k] = Math.max(t[k], w[k]);
      t.pages++;
      byType.set(type, t);
    }
    await page.close();
    const kb = (n: number): string => `${(n / 1024).toFixed(0)} kB`.padStart(8);
    console.log(`page weight per type (the largest page of each, sample, 375 px):\n${[...byType].map(([t, w]) => `  ${t.padEnd(22)} html ${kb(w.html)} css ${kb(w.css)} fonts ${kb(w.fonts)} index ${kb(w.index)} script ${kb(w.script)}  (${w.pages} pages)`).join('\n')}`);
    expect(over).toEqual([]);
    // a search that found something downloaded part of the index, not none and not all of it
    expect(byType.get('search.html?q')!.index).toBeGreaterThan(0);
  }, 240_000);

  it('the skip link is the first stop, 44 px high, and moves focus to the content', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 700 } });
    await page.goto(fileUrl(pages.find((p) => p.startsWith('guides/'))!));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到正文');
    const box = await page.locator('.skip-link').boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => location.hash)).toBe('#main');
    await page.close();
  });

  /** Types `q` into a page's header search box and returns the results page's items. */
  async function searchFrom(page: Page, start: string, q: string): Promise<{ titles: string[]; subs: string[]; texts: string[] }> {
    await page.goto(start);
    await page.locator('.site-search input').fill(q);
    await page.locator('.site-search button').click();
    await page.waitForURL(/search\.html\?q=/);
    await page.locator('.search-results li').first().waitFor();
    return {
      titles: await page.locator('.search-results h2').allTextContents(),
      subs: await page.locator('.result-sub').allTextContents(),
      texts: await page.locator('.result-text').allTextContents(),
    };
  }

  it('from file://: the header search box finds “居住证” and a two-character substring, showing department and matched text', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const guide = pages.find((p) => p.startsWith('guides/'))!;
    const r = await searchFrom(page, fileUrl(guide), '居住证');
    expect(r.titles.slice(0, 2).sort()).toEqual(['房屋租赁登记备案', '最低生活保障审批']);
    expect(r.subs[r.titles.indexOf('最低生活保障审批')]).toContain('民政局');
    expect(r.texts[r.titles.indexOf('最低生活保障审批')]).toContain('居住证');
    expect(await page.locator('.search-results mark').first().textContent()).toBe('居住证');
    expect(await page.locator('.search-status').textContent()).toMatch(/找到 \d+ 个/);
    // the result leads to the item's guide
    await page.locator('.search-results h2 a').first().click();
    await page.waitForURL(/guides\/530100-[A-Z]{2}-\d{4}\.html/);
    expect(await page.locator('h1').first().textContent()).toMatch(/最低生活保障审批|房屋租赁登记备案/);
    // two characters from the middle of a name
    const two = await searchFrom(page, fileUrl('index.html'), '港澳');
    expect(two.titles[0]).toBe('往来港澳通行证签注');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('from a web server the same search works, and the search page is axe-clean', async () => {
    const server = await serveStatic(site);
    try {
      const page = await browser.newPage({ viewport: { width: 375, height: 700 } });
      const { port } = server.address() as AddressInfo;
      const r = await searchFrom(page, `http://127.0.0.1:${port}/departments.html`, '首问责任人');
      expect(r.titles[0]).toMatch(/首问负责服务规范/);
      expect(r.texts[0]).toMatch(/^3\.1　首问责任人/);
      const axeSource = await readFile(path.join(path.dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8');
      await page.addScriptTag({ content: axeSource });
      const bad = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
        return (await axe.run(document)).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      });
      expect(bad).toEqual([]);
      await page.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** The built site over HTTP, as a web server would publish it. */
function serveStatic(root: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.woff2': 'font/woff2' };
  const server = createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = path.join(root, rel);
    if (!file.startsWith(root + path.sep)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('font slices', () => {
  it('a new character re-slices only the slice it falls in', async () => {
    const book = loadFontBook(undefined);
    const chars = (s: string): Set<number> => new Set([...s].map((c) => c.codePointAt(0)!));
    const before = new Map(webFonts(book, chars('办事指南abc')).slices.map((s) => [s.path, s.key]));
    const after = webFonts(book, chars('办事指南abc居')).slices;
    const changed = after.filter((s) => before.get(s.path) !== s.key).map((s) => s.path);
    expect(changed.sort()).toEqual(['html/assets/fonts/body-05c.woff2', 'html/assets/fonts/heading-05c.woff2']);
  });
});
