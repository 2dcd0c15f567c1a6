import type { Diagnostic } from '../diagnostics.js';
import { VERSION } from '../version.js';
import type { OutputKind } from './kind.js';

export const MANIFEST = 'normkit-build.json';

/** What a build wrote, per output: its input key (for reuse), kind (a partial build keeps the rest) and size (statistics without a stat). */
export interface ManifestEntry {
  key: string;
  kind: OutputKind | 'assets';
  size?: number;
  /** Warnings its rendering raised (a digested poster): a build that keeps the output tells them again. */
  warnings?: Diagnostic[];
}
export type Manifest = Map<string, ManifestEntry>;

type Row = [path: string, key: string, kind: OutputKind | 'assets', size?: number | null, warnings?: Diagnostic[]];

/**
 * One row per output, one per line: a county's manifest has tens of thousands, and rows parse
 * several times faster than objects with that many keys.
 */
export function formatManifest(manifest: Manifest, stale: string[] = []): string {
  // written by hand: JSON.stringify of eighteen thousand small arrays was a tenth of a rebuild's bookkeeping
  const rows = [...manifest].map(([p, e]) => {
    const warnings = e.warnings?.length ? `,${e.size ?? null},${JSON.stringify(e.warnings)}` : undefined;
    return `[${quote(p)},${quote(e.key)},${quote(e.kind)}${warnings ?? (e.size === undefined ? '' : `,${e.size}`)}]`;
  });
  // stale: outputs of sources that had errors in a --keep-going build, kept from the build before
  const staleList = stale.length ? `"stale": [${stale.map(quote).join(', ')}], ` : '';
  return `{"normkit": ${JSON.stringify(VERSION)}, ${staleList}"outputs": [\n${rows.join(',\n')}\n]}\n`;
}

/** A JSON string, as JSON.stringify writes it (only the rare string that needs escapes goes through it). */
function quote(s: string): string {
  return /["\\\u0000-\u001f\ud800-\udfff]/.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** The previous build's manifest, or undefined when there is none, it is damaged or another version wrote it. */
export function parseManifest(text: string | undefined): Manifest | undefined {
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as { normkit?: string; outputs?: unknown };
    if (m.normkit !== VERSION || !Array.isArray(m.outputs)) return undefined;
    // a row that names a path outside the output folder means the file was not written by normkit
    if (!(m.outputs as unknown[]).every(isRow)) return undefined;
    return new Map((m.outputs as Row[]).map(([p, key, kind, size, warnings]) => [p, { key, kind, size: size ?? undefined, ...(warnings ? { warnings } : {}) }]));
  } catch {
    return undefined;
  }
}

function isRow(r: unknown): r is Row {
  if (!Array.isArray(r) || typeof r[0] !== 'string' || typeof r[1] !== 'string') return false;
  const p = r[0];
  if (r[4] !== undefined && !(Array.isArray(r[4]) && r[4].every(isWarning))) return false;
  return p !== '' && !p.startsWith('/') && !p.includes('\0') && p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

function isWarning(d: unknown): d is Diagnostic {
  const w = d as Partial<Diagnostic> | null;
  return typeof w === 'object' && w !== null && w.severity === 'warning' && typeof w.file === 'string' && typeof w.rule === 'string' && typeof w.message === 'string'
    && (w.line === undefined || typeof w.line === 'number') && (w.column === undefined || typeof w.column === 'number');
}
