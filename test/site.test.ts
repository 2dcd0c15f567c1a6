/**
 * The published site on a phone, in Debian's Chromium: no page kind scrolls sideways at 320 or 375 px,
 * the skip link moves focus to the content, and a page downloads at most 1.5 MB of fonts (WOFF2
 * slices by unicode-range, subset to the site's characters). Skipped without /usr/bin/chromium (fails in CI).
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { webFonts } from '../src/pipeline/web-fonts.js';
import { loadFontBook } from '../src/typography/fonts.js';
import { SAMPLE, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const FONT_BUDGET = 1.5 * 1024 * 1024;

async function htmlFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await htmlFiles(full, base)));
    else if (e.name.endsWith('.html')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

describe.skipIf(SKIP)('the site on a phone', () => {
  let browser: Browser;
  let site: string;
  let pages: string[];
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const r = await build({ projectDir: SAMPLE, outDir: t.dir, formats: ['html'], workers: 0 });
    expect(r.ok).toBe(true);
    site = path.join(t.dir, 'html');
    const all = await htmlFiles(site);
    // one page of each kind (the folder before the file name), plus the top-level pages
    const seen = new Set<string>();
    pages = all.filter((p) => {
      const kind = p.includes('/') ? `${p.split('/')[0]}/${p.endsWith('index.html') ? 'index' : 'page'}` : p;
      if (seen.has(kind)) return false;
      seen.add(kind);
      return true;
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  it('has pages of every kind to look at', () => {
    for (const k of ['index.html', 'posters/', 'guides/', 'standards/', 'checklists/']) expect(pages.some((p) => p.startsWith(k))).toBe(true);
  });

  for (const width of [320, 375]) {
    it(`no page scrolls sideways at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 700 } });
      const wide: string[] = [];
      for (const p of pages) {
        await page.goto(`file://${path.join(site, p)}`);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (over > 0) wide.push(`${p} (+${over}px)`);
      }
      await page.close();
      expect(wide).toEqual([]);
    }, 120_000);
  }

  it('downloads at most 1.5 MB of WOFF2 fonts per page, none of the TTFs', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 700 } });
    for (const p of pages) {
      const fonts: string[] = [];
      page.on('request', (r) => { if (/\.(woff2|ttf|otf)$/.test(r.url())) fonts.push(fileURLToPath(r.url())); });
      await page.goto(`file://${path.join(site, p)}`);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      page.removeAllListeners('request');
      expect(fonts.length, p).toBeGreaterThan(0);
      expect(fonts.every((f) => f.endsWith('.woff2')), p).toBe(true);
      const bytes = [...new Set(fonts)].reduce((n, f) => n + statSync(f).size, 0);
      expect(bytes, p).toBeLessThan(FONT_BUDGET);
    }
    await page.close();
  }, 120_000);

  it('the skip link is the first stop and moves focus to the content', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 700 } });
    await page.goto(`file://${path.join(site, pages.find((p) => p.startsWith('guides/'))!)}`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到正文');
    const box = await page.locator('.skip-link').boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => location.hash)).toBe('#main');
    await page.close();
  });
});

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
