import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../src/model/project.js';
import { docxFonts } from '../src/render/docx/fonts.js';
import { loadFontBook } from '../src/typography/fonts.js';
import { standardView } from '../src/views/standard-view.js';
import type { Block } from '../src/model/clauses.js';
import { buildOk, listFiles, SAMPLE, tempDir } from './helpers.js';

/**
 * Real office software judges the Word output: LibreOffice converts every .docx of the sample
 * build to PDF in one headless run. Without /usr/bin/soffice these tests are skipped locally and
 * fail in CI (where CI is set).
 */
const SOFFICE = '/usr/bin/soffice';
const HAVE_SOFFICE = existsSync(SOFFICE);
const IN_CI = !!process.env.CI;
const SKIP = !HAVE_SOFFICE && !IN_CI;
if (SKIP) console.warn(`LibreOffice tests skipped: ${SOFFICE} not found (install it with \`apt-get install libreoffice-writer-nogui\`; in CI these tests fail instead).`);

const run = promisify(execFile);

/** Pages of a PDF, as poppler counts them. */
function pageCount(pdf: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }));
  return Number(m?.[1]);
}

const squash = (s: string): string => s.replace(/\s+/g, '');

describe.skipIf(SKIP)(`the Word files in LibreOffice${HAVE_SOFFICE ? '' : ` (${SOFFICE} missing)`}`, () => {
  let out: { dir: string; cleanup: () => Promise<void> };
  let project: Project;
  let docx: string[];
  const converted = (f: string): string => path.join(out.dir, 'lo-pdf', `${path.basename(f, '.docx')}.pdf`);

  beforeAll(async () => {
    if (!HAVE_SOFFICE) throw new Error(`${SOFFICE} not found: the LibreOffice tests need libreoffice-writer-nogui and are never skipped in CI.`);
    out = await tempDir();
    const site = path.join(out.dir, 'out');
    const r = await buildOk({ projectDir: SAMPLE, outDir: site, formats: ['pdf', 'docx'], only: ['standards', 'guides', 'checklists'] });
    project = r.project!;
    docx = (await listFiles(site)).filter((f) => f.endsWith('.docx'));
    // one output folder for all: the names must not collide
    expect(new Set(docx.map((f) => path.basename(f))).size).toBe(docx.length);
    // An office has the configured fonts installed; here fontconfig is pointed at the npm ones.
    const book = loadFontBook(project.fonts ?? {}, SAMPLE);
    const dirs = [...new Set(Object.values(book).map((f) => path.dirname(f.file)))];
    const conf = path.join(out.dir, 'fonts.conf');
    await writeFile(conf, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n${dirs.map((d) => `  <dir>${d}</dir>\n`).join('')}  <cachedir>${path.join(out.dir, 'fc-cache')}</cachedir>\n</fontconfig>\n`);
    await mkdir(path.join(out.dir, 'lo-pdf'));
    // one soffice run for every file, with a profile of its own so parallel runs do not collide
    await run(SOFFICE, ['--headless', '--norestore', `-env:UserInstallation=file://${path.join(out.dir, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', path.join(out.dir, 'lo-pdf'), ...docx.map((f) => path.join(site, f))], {
      env: { ...process.env, FONTCONFIG_FILE: conf },
      timeout: 540_000,
      maxBuffer: 16 << 20,
    });
  }, 600_000);
  afterAll(async () => {
    await out?.cleanup();
  });

  it('converts every .docx of the sample (standards, guides, booklets, forms, rankings, reports)', () => {
    for (const dir of ['docx/standards/', 'docx/guides/', 'docx/guides/departments/', 'docx/checklists/', 'docx/reports/']) expect(docx.some((f) => f.startsWith(dir)), dir).toBe(true);
    expect(docx).toContain('docx/guides/all.docx');
    expect(docx.filter((f) => f.startsWith('docx/standards/'))).toHaveLength(project.standards.length);
    for (const f of docx) expect(existsSync(converted(f)), `${f} was not converted`).toBe(true);
  });

  it("keeps within one page of normkit's own PDF", () => {
    const off: string[] = [];
    for (const f of docx) {
      const pdf = path.join(out.dir, 'out', f.replace(/^docx\//, 'pdf/').replace(/\.docx$/, '.pdf'));
      expect(existsSync(pdf), pdf).toBe(true);
      const [word, ours] = [pageCount(converted(f)), pageCount(pdf)];
      if (Math.abs(word - ours) > 1) off.push(`${f}: ${word} pages in LibreOffice, ${ours} in normkit's PDF`);
    }
    expect(off).toEqual([]);
  });

  it('shows every clause number and title of every standard', () => {
    const missing: string[] = [];
    for (const s of project.standards) {
      // the body only (the 目次 lists the chapters too): from the page that opens with the title under the header
      const pages = execFileSync('pdftotext', ['-layout', converted(`${s.slug}.docx`), '-'], { encoding: 'utf8' }).split('\f').map(squash);
      // the running header is the number, and on a superseded edition its “（已被…代替）” too
      const view = standardView(project, s);
      const start = pages.findIndex((p, i) => i > 0 && p.startsWith(squash(view.runningHeader + s.title)));
      expect(start, `${s.code}: no page opens the body`).toBeGreaterThan(1);
      const text = pages.slice(start).join('');
      const walk = (blocks: Block[]): void => {
        for (const b of blocks) {
          if (b.kind === 'clause') {
            if (!text.includes(squash(`${b.number}${b.title}`))) missing.push(`${s.code} ${b.number} ${b.title}`);
            walk(b.children);
          } else if (b.kind === 'list') {
            // list markers as GB/T 1.1 sets them: —— and a) before the first item
            const lead = b.items[0]?.[0];
            if (b.depth === 0 && lead && (lead.kind === 'para' || lead.kind === 'note')) {
              const start = squash(lead.segments.flatMap((g) => g.inlines.map((i) => i.text)).join('')).slice(0, 6);
              if (!text.includes(`${b.ordered ? 'a)' : '——'}${start}`)) missing.push(`${s.code} list marker before “${start}”`);
            }
            b.items.forEach(walk);
          }
        }
      };
      walk(view.clauses);
    }
    expect(missing).toEqual([]);
  });

  it('never breaks a standard number across lines (narrow no-break space and word joiners hold in LibreOffice)', () => {
    const broken: string[] = [];
    let seen = 0;
    for (const s of project.standards) {
      const text = execFileSync('pdftotext', [converted(`${s.slug}.docx`), '-'], { encoding: 'utf8' });
      const codes = new Set([s.code, ...s.references, ...project.standards.map((x) => x.code)]);
      for (const code of codes) {
        // the number with any whitespace between its characters: a line break in there is a broken number
        const loose = new RegExp([...code.replace(/ /g, '')].map((c) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('\\s*'), 'g');
        for (const m of text.matchAll(loose)) {
          seen++;
          if (m[0].includes('\n')) broken.push(`${s.code}: ${JSON.stringify(m[0])}`);
        }
      }
    }
    expect(seen).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });

  it('names the configured fonts for East Asian text, and LibreOffice draws with them', async () => {
    const names = new Set(Object.values(docxFonts(loadFontBook(project.fonts ?? {}, SAMPLE))).map((f) => f.name));
    for (const f of docx) {
      const files = unzipSync(await readFile(path.join(out.dir, 'out', f)));
      const xml = Object.entries(files).filter(([n]) => /^word\/.*\.xml$/.test(n)).map(([, d]) => strFromU8(d)).join('');
      const used = new Set([...xml.matchAll(/w:eastAsia="([^"]+)"/g)].map((m) => m[1]!));
      expect(used.size, f).toBeGreaterThan(0);
      expect([...used].filter((n) => !names.has(n)), f).toEqual([]);
    }
    // the PDF LibreOffice made embeds those families, not a fallback
    const fonts = execFileSync('pdffonts', [converted('Q-YLZW-1001-2024.docx')], { encoding: 'utf8' });
    for (const n of names) expect(fonts).toContain(n.replace(/\s+/g, ''));
  });
});
