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
export function formatManifest(manifest: Manifest): string {
  const rows = [...manifest].map(([p, e]) => JSON.stringify((e.size === undefined ? [p, e.key, e.kind] : [p, e.key, e.kind, e.size]) satisfies Row));
  return `{"normkit": ${JSON.stringify(VERSION)}, "outputs": [\n${rows.join(',\n')}\n]}\n`;
}

/** The previous build's manifest, or undefined when there is none, it is damaged or another version wrote it. */
export function parseManifest(text: string | undefined): Manifest | undefined {
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as { normkit?: string; outputs?: unknown };
    if (m.normkit !== VERSION || !Array.isArray(m.outputs)) return undefined;
    return new Map((m.outputs as Row[]).map(([p, key, kind, size]) => [p, { key, kind, size }]));
  } catch {
    return undefined;
  }
}
