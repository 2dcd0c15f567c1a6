import { hash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import subsetFont from 'subset-font';
import type { Project } from '../model/project.js';
import { TEMPLATE_DIR } from '../paths.js';
import type { FontBook } from '../typography/fonts.js';

/** One slice per 256 code points: a page downloads only the slices its characters fall in (unicode-range). */
const SLICE_BITS = 8;
const ROLES = [['body', 'NK Serif', 400], ['heading', 'NK Sans', 700]] as const;
/** Text the program itself writes into pages (labels in views and templates): read once per process. */
let codeChars: string | undefined;

export interface WebFontSlice { path: string; key: string; make: () => Promise<Uint8Array> }

/** Characters the site can show: its sources, the templates and the views' labels (a superset of the pages' text). */
export function siteCharacters(project: Project): Set<number> {
  const texts: string[] = [codeText()];
  const files = [...project.standards.map((s) => s.file), ...project.items.map((i) => i.file), ...project.checklists.map((c) => c.file), ...project.results.map((r) => r.file), 'project.yaml'];
  for (const f of new Set(files)) {
    try {
      texts.push(readFileSync(path.join(project.root, f), 'utf8'));
    } catch {
      // a file that went away was reported by the loader
    }
  }
  const used = new Set<number>();
  for (let c = 0x20; c < 0x7f; c++) used.add(c);
  for (const t of texts) for (const ch of t) { const c = ch.codePointAt(0)!; if (c > 0x7f) used.add(c); }
  return used;
}

function codeText(): string {
  if (codeChars !== undefined) return codeChars;
  const here = path.dirname(new URL(import.meta.url).pathname);
  const parts: string[] = [];
  const walk = (dir: string, ext: RegExp): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, ext);
      else if (ext.test(e.name)) parts.push(readFileSync(p, 'utf8').replace(/[\x00-\x7f]+/g, ''));
    }
  };
  walk(TEMPLATE_DIR, /\.(hbs|css|js)$/);
  for (const d of ['views', 'render', 'model', 'checklist', 'scoring', 'revision', 'evidence']) {
    try { walk(path.join(here, '..', d), /\.js$/); } catch { /* not every floor exists in every build */ }
  }
  return (codeChars = parts.join(''));
}

/** WOFF2 slices of the body and heading fonts, and the stylesheet that names them; keyed by the characters in each. */
/**
 * Slices made in this process, by font and characters: subsetting costs a second or more per font,
 * and serve, the tests and the benchmark build the same sites again. The most recent are kept.
 */
const made = new Map<string, Promise<Buffer>>();
const MADE_KEPT = 512;

function remembered(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let p = made.get(key);
  if (!p) {
    p = make();
    p.catch(() => made.delete(key));
    if (made.size >= MADE_KEPT) made.delete(made.keys().next().value!);
    made.set(key, p);
  }
  return p;
}

export function webFonts(book: FontBook, used: Set<number>): { slices: WebFontSlice[]; css: string } {
  const bySlice = new Map<number, number[]>();
  for (const c of [...used].sort((a, b) => a - b)) {
    const s = c >> SLICE_BITS;
    let list = bySlice.get(s);
    if (!list) bySlice.set(s, (list = []));
    list.push(c);
  }
  const slices: WebFontSlice[] = [];
  const rules: string[] = [];
  for (const [role, family, weight] of ROLES) {
    const file = book[role].file;
    let font: Buffer | undefined;
    for (const [s, cps] of bySlice) {
      const text = String.fromCodePoint(...cps);
      const key = hash('sha256', `${file}\n${text}`).slice(0, 16);
      const name = `${role}-${s.toString(16).padStart(3, '0')}.woff2`;
      slices.push({
        path: `html/assets/fonts/${name}`,
        key,
        // the font must still be there (a remembered slice must not hide a deleted font)
        make: () => (statSync(file), remembered(`${book[role].hash}\n${text}`, () => subsetFont((font ??= readFileSync(file)), text, { targetFormat: 'woff2' }))),
      });
      const lo = s << SLICE_BITS;
      const range = `U+${lo.toString(16)}-${(lo + (1 << SLICE_BITS) - 1).toString(16)}`;
      rules.push(`@font-face { font-family: "${family}"; src: url("${name}") format("woff2"); font-weight: ${weight}; font-display: swap; unicode-range: ${range}; }`);
    }
  }
  return { slices, css: `/* normkit: the site's fonts, subset to the characters it uses, in slices by unicode-range */\n${rules.join('\n')}\n` };
}
