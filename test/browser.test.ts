/**
 * The generated site in a real browser (Debian's Chromium through playwright-core): pages load from
 * file:// cleanly, the preview server reloads on edits, print sizes match normkit's PDFs, axe-core
 * finds no serious accessibility problem and html-validate finds no error.
 *
 * Without /usr/bin/chromium these tests are skipped locally and fail in CI (where CI is set).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HtmlValidate, type ConfigData } from 'html-validate';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline/build.js';
import type { OutputKind } from '../src/pipeline/kind.js';
import { pdfTarget } from '../src/serve/paths.js';
import { startServer, type PreviewServer } from '../src/serve/server.js';
import { REPO, SAMPLE, tempCopy, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = !!process.env.CI;
const SKIP = !HAVE_CHROMIUM && !IN_CI;
if (SKIP) console.warn(`browser tests skipped: ${CHROMIUM} not found (install it with \`apt-get install chromium\`; in CI these tests fail instead).`);

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

const STANDARD_SRC = 'catalog/basics/1001-2024-standard-system-guide.md';
const STANDARD_PAGE = 'standards/Q-YLZW-1001-2024.html';
const ITEM_SRC = 'items/rsj/employment-certificate.yaml';
const ITEM_POSTER = 'posters/530100-GG-0002.html';

/** html-validate's recommended preset minus purely stylistic rules. */
const HTML_VALIDATE_RULES: ConfigData['rules'] = {
  'no-inline-style': 'off',
  'prefer-native-element': 'off',
  'no-trailing-whitespace': 'off',
  'long-title': 'off',
  'attribute-boolean-style': 'off',
  'void-style': 'off',
  'no-implicit-close': 'off',
  // Clause anchors are the clause numbers (`#c3.1`), valid HTML ids; the strict form of this rule
  // only asks for ids that need no escaping in CSS selectors. The HTML rules (non-empty, no spaces) stay.
  'valid-id': ['error', { relaxed: true }],
};

async function htmlFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await htmlFiles(full, base)));
    else if (e.name.endsWith('.html')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** The first page of a kind (`posters/…`), skipping folder indexes and rankings. */
function firstOf(pages: string[], folder: string): string | undefined {
  return pages.find((p) => p.startsWith(`${folder}/`) && !p.endsWith('/index.html') && !p.endsWith('-ranking.html'));
}

/** Collects everything a page reports going wrong: failed requests, console errors, script errors. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

/** Loads a page and waits for its fonts, so no request is still running when the next page opens. */
async function open(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

async function pdfPageCount(data: Uint8Array): Promise<number> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const n = doc.numPages;
  await doc.destroy();
  return n;
}

async function pdfPageSize(data: Uint8Array): Promise<{ width: number; height: number }> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const view = (await doc.getPage(1)).view;
  await doc.destroy();
  return { width: view[2]! - view[0]!, height: view[3]! - view[1]! };
}

/** Points of a CSS `@page size` value as normkit writes it (`A4`, `A3 portrait`, `A4 landscape`). */
const PAPER_MM: Record<string, [number, number]> = { A3: [297, 420], A4: [210, 297], A5: [148, 210] };
function cssPageSize(size: string): { width: number; height: number } {
  const mm = /^([\d.]+)mm\s+([\d.]+)mm$/.exec(size.trim());
  if (mm) return { width: (Number(mm[1]) * 72) / 25.4, height: (Number(mm[2]) * 72) / 25.4 };
  const [name, orientation] = size.trim().split(/\s+/);
  const paper = PAPER_MM[name!];
  if (!paper) throw new Error(`unexpected @page size “${size}”`);
  const [w, h] = orientation === 'landscape' ? [paper[1], paper[0]] : paper;
  return { width: (w * 72) / 25.4, height: (h * 72) / 25.4 };
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe.skipIf(SKIP)(`the generated site in Chromium${HAVE_CHROMIUM ? '' : ` (${CHROMIUM} missing)`}`, () => {
  let browser: Browser;
  let out: { dir: string; cleanup: () => Promise<void> };
  let site: string;
  let pages: string[];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} not found: the browser tests need Debian's Chromium (apt-get install chromium) and are never skipped in CI.`);
    out = await tempDir();
    const [r, b] = await Promise.all([
      build({ projectDir: SAMPLE, outDir: path.join(out.dir, 'site'), formats: ['html'] }),
      chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS }),
    ]);
    browser = b;
    expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    site = path.join(out.dir, 'site', 'html');
    pages = await htmlFiles(site);
    expect(pages).toContain('index.html');
    expect(pages).toContain(STANDARD_PAGE);
  });
  afterAll(async () => {
    await browser?.close();
    await out?.cleanup();
  });

  it('loads every page from file:// with no failed request and no console error', async () => {
    // Two tabs at once; each tab reports its own problems for the page it has open.
    const queue = [...pages];
    const found: string[] = [];
    await Promise.all(Array.from({ length: 2 }, async () => {
      const page = await browser.newPage();
      const problems = watchProblems(page);
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
        await open(page, `file://${path.join(site, p)}`);
        found.push(...problems.splice(0).map((m) => `${p}: ${m}`));
      }
      await page.close();
    }));
    expect(found.sort()).toEqual([]);
  }, 240_000); // about 20 s on an idle machine; each page loads the two CJK fonts (25 MB)

  it('passes html-validate (recommended preset) on every page', async () => {
    const hv = new HtmlValidate({ extends: ['html-validate:recommended'], rules: HTML_VALIDATE_RULES });
    const errors: string[] = [];
    for (const p of pages) {
      const report = await hv.validateString(await readFile(path.join(site, p), 'utf8'), p);
      for (const r of report.results) {
        for (const m of r.messages) errors.push(`${p}:${m.line}:${m.column}  ${m.ruleId}  ${m.message}`);
      }
    }
    expect(errors).toEqual([]);
  });

  it('has no serious or critical axe-core violation on each kind of page', async () => {
    const axeSource = await readFile(path.join(path.dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8');
    const sample = ['index.html', ...['standards', 'posters', 'guides', 'checklists', 'reports'].map((f) => firstOf(pages, f))].filter((p): p is string => !!p);
    expect(sample.filter((p) => p.startsWith('standards/'))).toHaveLength(1);
    const page = await browser.newPage();
    const found: string[] = [];
    for (const p of sample) {
      await open(page, `file://${path.join(site, p)}`);
      await page.addScriptTag({ content: axeSource });
      // preload off: from file:// the stylesheets are cross-origin to axe's XHR and would only log errors.
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
        const res = await axe.run(document, { preload: false });
        return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`) }));
      });
      for (const v of violations) {
        if (v.impact === 'serious' || v.impact === 'critical') found.push(`${p}  ${v.impact}  ${v.id}  ${v.help}\n    ${v.nodes.join('\n    ')}`);
      }
    }
    await page.close();
    expect(found).toEqual([]);
  });

  it('prints every wall poster on as many sheets as normkit’s own PDF of it (one, unless continued)', async () => {
    const REAL = path.join(REPO, 'test/fixtures/items/real-length');
    const projects = [SAMPLE, REAL];
    const page = await browser.newPage();
    const wrong: string[] = [];
    let checked = 0;
    for (const [i, projectDir] of projects.entries()) {
      const dir = path.join(out.dir, `posters-${i}`);
      const r = await build({ projectDir, outDir: dir, only: ['posters'] });
      expect(r.ok).toBe(true);
      for (const f of (await readdir(path.join(dir, 'pdf/posters'))).filter((f) => f.endsWith('.pdf'))) {
        const own = await pdfPageCount(await readFile(path.join(dir, 'pdf/posters', f)));
        await open(page, `file://${path.join(dir, 'html/posters', f.replace(/\.pdf$/, '.html'))}`);
        await page.emulateMedia({ media: 'print' });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const printed = await pdfPageCount(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
        if (printed !== own) wrong.push(`${path.basename(projectDir)} ${f}: ${printed} printed, ${own} in normkit’s PDF`);
        await page.emulateMedia({ media: 'screen' });
        checked++;
      }
    }
    await page.close();
    expect(checked).toBeGreaterThan(25);
    expect(wrong).toEqual([]);
  }, 240_000);

  it('prints at the size of normkit’s own PDFs, and screenshots at print size', async () => {
    const chosen = [
      { folder: 'posters', page: firstOf(pages, 'posters') },
      { folder: 'standards', page: STANDARD_PAGE },
      { folder: 'checklists', page: firstOf(pages, 'checklists') },
      { folder: 'catalog', page: 'index.html' },
    ].filter((c): c is { folder: string; page: string } => !!c.page && !!pdfTarget(c.page));
    const kinds = [...new Set(chosen.map((c) => pdfTarget(c.page)!.kind))] as OutputKind[];
    const pdfOut = path.join(out.dir, 'pdf-build');
    const r = await build({ projectDir: SAMPLE, outDir: pdfOut, formats: ['pdf'], only: kinds });
    expect(r.ok).toBe(true);
    const shots = path.join(out.dir, 'screenshots');
    await mkdir(shots, { recursive: true });

    const page = await browser.newPage();
    const compared: string[] = [];
    const notCompared: string[] = [];
    for (const c of chosen) {
      const target = pdfTarget(c.page)!;
      const ownPdf = path.join(pdfOut, target.pdf);
      const html = await readFile(path.join(site, c.page), 'utf8');
      const size = /@page\s*\{\s*size:\s*([^;}]+)/.exec(html)?.[1];
      expect(size, `${c.page} declares its paper size with @page`).toBeTruthy();
      const css = cssPageSize(size!);

      await open(page, `file://${path.join(site, c.page)}`);
      await page.emulateMedia({ media: 'print' });
      const printed = await pdfPageSize(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      expect(Math.abs(printed.width - css.width), `${c.page}: print width vs @page ${size}`).toBeLessThan(2);
      expect(Math.abs(printed.height - css.height), `${c.page}: print height vs @page ${size}`).toBeLessThan(2);
      if (existsSync(ownPdf)) {
        const own = await pdfPageSize(await readFile(ownPdf));
        expect(Math.abs(printed.width - own.width), `${c.page}: print width vs ${target.pdf}`).toBeLessThan(2);
        expect(Math.abs(printed.height - own.height), `${c.page}: print height vs ${target.pdf}`).toBeLessThan(2);
        compared.push(c.page);
      } else {
        notCompared.push(`${c.page} (no ${target.pdf} yet)`);
      }

      const viewport = { width: Math.round((css.width * 96) / 72), height: Math.round((css.height * 96) / 72) };
      await page.setViewportSize(viewport);
      const file = path.join(shots, `${c.folder}.png`);
      await page.screenshot({ path: file });
      expect(pngSize(await readFile(file))).toEqual(viewport);
      await page.emulateMedia({ media: 'screen' });
    }
    await page.close();
    if (notCompared.length) console.warn(`print size not compared with a normkit PDF: ${notCompared.join(', ')}`);
    expect(compared).toContain(STANDARD_PAGE);
    expect(compared).toContain('index.html');
  });

  describe('the preview server', () => {
    let project: { dir: string; cleanup: () => Promise<void> };
    let server: PreviewServer;
    beforeAll(async () => {
      project = await tempCopy();
      server = await startServer({ projectDir: project.dir, port: 0 });
    });
    afterAll(async () => {
      await server?.close();
      await project?.cleanup();
    });

    it('shows an edit without a manual reload, lists the errors of a broken project, and recovers', async () => {
      // A service item's wall poster when posters are built; else a standard.
      const poster = existsSync(path.join(server.siteDir, ITEM_POSTER));
      const pagePath = poster ? ITEM_POSTER : STANDARD_PAGE;
      const src = path.join(project.dir, poster ? ITEM_SRC : STANDARD_SRC);
      const original = await readFile(src, 'utf8');
      const [from, to] = poster
        ? ['name: 就业创业证申领\n', 'name: 就业创业证申领（热更新）\n']
        : ['title: 政务服务标准体系编制指南\n', 'title: 政务服务标准体系编制指南（热更新）\n'];
      expect(original).toContain(from);
      const edited = to.slice(to.indexOf(' ') + 1, -1);

      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(new URL(pagePath, server.url).href);
      expect(await page.getByText(edited).count()).toBe(0);
      // the preview adds a PDF link for this page (published pages have none of the preview's script)
      const pdfLink = page.locator('a[data-normkit-preview]');
      expect(await pdfLink.textContent()).toBe('PDF 预览');
      expect(await pdfLink.getAttribute('href')).toBe(`/__normkit/pdf?page=${encodeURIComponent(pagePath)}`);
      expect((await readFile(path.join(server.siteDir, pagePath), 'utf8')).replace('<script src="../assets/poster-print.js"></script>', '')).not.toMatch(/<script/i);

      await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1; });
      await writeFile(src, original.replace(from, to));
      await page.getByText(edited).first().waitFor({ timeout: 20_000 });
      // it was the page reloading itself (a fresh window), not this test
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();

      // Break a standard: the open page names it in a banner; the standard's own page lists its errors.
      const std = path.join(project.dir, STANDARD_SRC);
      const stdText = await readFile(std, 'utf8');
      await writeFile(std, stdText.replace(/^status: current$/m, 'status: bogus<x>'));
      const banner = page.locator('[data-normkit-preview="banner"]');
      await banner.waitFor({ timeout: 20_000 });
      expect(await banner.textContent()).toContain(STANDARD_SRC);
      const stdPage = await browser.newPage();
      await stdPage.goto(new URL(STANDARD_PAGE, server.url).href);
      const heading = stdPage.getByRole('heading', { level: 1, name: /构建失败/ });
      await heading.waitFor({ timeout: 20_000 });
      const diag = stdPage.locator('li.diag-error').filter({ hasText: `${STANDARD_SRC}:6:9` });
      expect(await diag.count()).toBe(1);
      const line = (await diag.textContent())!;
      expect(line).toContain(`${STANDARD_SRC}:6:9  invalid-value  `);
      expect(line).toContain('“bogus<x>”');

      // Fix it: the banner goes, the standard's page comes back, and the open page shows the edit.
      await writeFile(std, stdText);
      await page.getByText(edited).first().waitFor({ timeout: 20_000 });
      await stdPage.getByText('政务服务标准体系编制指南').first().waitFor({ timeout: 20_000 });
      expect(await heading.count()).toBe(0);
      expect(await banner.count()).toBe(0);
      await stdPage.close();
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
