import path from 'node:path';
import { OUTPUT_KINDS, type OutputKind } from '../pipeline/kind.js';

/**
 * The file a URL path names inside `root`, or undefined when it would leave `root` (`..`, an
 * encoded slash, a NUL byte, an absolute or drive path): the preview server refuses those.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = decoded.replace(/\\/g, '/').replace(/^\/+/, '');
  if (/^[a-zA-Z]:/.test(rel)) return undefined;
  const base = path.resolve(root);
  const full = path.resolve(base, rel);
  const back = path.relative(base, full);
  if (back === '') return full;
  if (back === '..' || back.startsWith(`..${path.sep}`) || path.isAbsolute(back)) return undefined;
  return full;
}

/** Where the PDF of an HTML page is, and which output kind builds it. */
export interface PdfTarget {
  kind: OutputKind;
  /** Path under the build's output folder, e.g. `pdf/standards/x.pdf`. */
  pdf: string;
}

/** Score reports are built with the checklists unless they get an output kind of their own. */
const REPORTS_KIND: OutputKind = ((OUTPUT_KINDS as string[]).includes('reports') ? 'reports' : 'checklists') as OutputKind;

const FOLDER_KINDS: Record<string, OutputKind> = {
  standards: 'standards',
  posters: 'posters',
  guides: 'guides',
  checklists: 'checklists',
  reports: REPORTS_KIND,
};

/**
 * Maps a page of the HTML site (`standards/x.html`, `index.html`, …) to its PDF:
 * `index.html` → `pdf/catalog.pdf`, `<folder>/<name>.html` → `pdf/<folder>/<name>.pdf`.
 * Undefined for pages without a PDF (folder indexes, unknown folders, anything odd).
 */
export function pdfTarget(page: string): PdfTarget | undefined {
  const p = page.replace(/^\/+/, '');
  if (p === '' || p === 'index.html') return { kind: 'catalog', pdf: 'pdf/catalog.pdf' };
  const parts = p.split('/');
  if (parts.length < 2) return undefined;
  if (parts.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) return undefined;
  const kind = FOLDER_KINDS[parts[0]!];
  const last = parts[parts.length - 1]!;
  if (!kind || !last.endsWith('.html') || last === 'index.html') return undefined;
  return { kind, pdf: `pdf/${parts.slice(0, -1).join('/')}/${last.slice(0, -'.html'.length)}.pdf` };
}
