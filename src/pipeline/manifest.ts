import { VERSION } from '../version.js';
import type { OutputKind } from './kind.js';

export const MANIFEST = 'normkit-build.json';

/** What a build wrote, per output: its input key (for reuse), kind (a partial build keeps the rest) and size (statistics without a stat). */
export interface ManifestEntry { key: string; kind: OutputKind | 'assets'; size?: number }
export type Manifest = Map<string, ManifestEntry>;

type Row = [path: string, key: string, kind: OutputKind | 'assets', size?: number];

/**
 * One row per output, one per line: a county's manifest has tens of thousands, and rows parse
 * several times faster than objects with that many keys.
 */
export function formatManifest(manifest: Manifest, stale: string[] = []): string {
  // written by hand: JSON.stringify of eighteen thousand small arrays was a tenth of a rebuild's bookkeeping
  const rows = [...manifest].map(([p, e]) => `[${quote(p)},${quote(e.key)},${quote(e.kind)}${e.size === undefined ? '' : `,${e.size}`}]`);
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
    return new Map((m.outputs as Row[]).map(([p, key, kind, size]) => [p, { key, kind, size }]));
  } catch {
    return undefined;
  }
}

function isRow(r: unknown): r is Row {
  if (!Array.isArray(r) || typeof r[0] !== 'string' || typeof r[1] !== 'string') return false;
  const p = r[0];
  return p !== '' && !p.startsWith('/') && !p.includes('\0') && p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
