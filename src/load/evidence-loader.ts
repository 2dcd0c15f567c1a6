import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import { readBounded, UnreadableFile } from './bounded-read.js';
import { READERS, tableFromSheet, type RawTable } from './evidence-tables.js';
import { readWorkbook } from './sheet-source.js';
import { decodeSource } from './read-text.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export type EvidenceKind = 'evaluations' | 'cases' | 'complaints';
export const EVIDENCE_KINDS: EvidenceKind[] = ['evaluations', 'cases', 'complaints'];

/** A year of a county's cases is ~15 MB of CSV: evidence may be larger than a source file. */
export const MAX_EVIDENCE_BYTES = 256 * 1024 * 1024;

/** What a project holds besides its sources: daily records and its own calendar years. */
export interface LoadedEvidence {
  tables: Record<EvidenceKind, RawTable[]>;
  /** calendar/<year>.yaml: holidays and 调休 working days the project states itself. */
  calendars: YamlSource[];
  /** Every file read, relative to the project. */
  files: string[];
}

function list(root: string, sub: string): string[] {
  const dir = path.join(root, sub);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string, depth: number): void => {
    if (depth > 8) return;
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(`${rel}/${e.name}`, depth + 1);
      else if (e.isFile()) out.push(`${rel}/${e.name}`);
    }
  };
  walk(sub, 0);
  return out;
}

function readText(root: string, rel: string, diags: Diagnostics): string | undefined {
  try {
    return decodeSource(readBounded(path.join(root, rel), MAX_EVIDENCE_BYTES).bytes, rel, diags);
  } catch (e) {
    const why = e instanceof UnreadableFile ? (e.reason === 'too-large' ? `超过 ${MAX_EVIDENCE_BYTES / 1048576} MB` : '不是普通文件') : (e as NodeJS.ErrnoException).code ?? 'error';
    diags.error(rel, { line: 1, column: 1 }, 'file-unreadable', `无法读取证据文件（${why}）。请按月拆分文件，或检查权限。`);
    return undefined;
  }
}

/** Reads evidence/<kind>/* (CSV, YAML or a workbook) and calendar/*.yaml of a project; an absent folder is simply empty. */
export async function loadEvidence(root: string, diags: Diagnostics): Promise<LoadedEvidence> {
  const loaded: LoadedEvidence = { tables: { evaluations: [], cases: [], complaints: [] }, calendars: [], files: [] };
  for (const kind of EVIDENCE_KINDS) {
    for (const rel of list(root, `evidence/${kind}`)) {
      const ext = path.extname(rel).slice(1).toLowerCase();
      if (ext === 'xlsx') {
        // a platform export kept as a workbook: its first visible sheet, cells named 评价!D17
        const book = await readWorkbook(path.join(root, rel), rel, diags);
        if (!book) continue;
        loaded.files.push(rel);
        const table = tableFromSheet(book);
        if (table) loaded.tables[kind].push(table);
        continue;
      }
      const reader = READERS[ext];
      if (!reader) {
        diags.warn(rel, { line: 1, column: 1 }, 'evidence-format', `不认识的证据文件格式 .${ext}，已跳过。请另存为 ${[...Object.keys(READERS), 'xlsx'].map((x) => `.${x}`).join('、')}。`);
        continue;
      }
      const text = readText(root, rel, diags);
      if (text === undefined) continue;
      loaded.files.push(rel);
      const table = reader(text, rel, diags);
      if (table) loaded.tables[kind].push(table);
    }
  }
  for (const rel of list(root, 'calendar').filter((f) => /\.ya?ml$/i.test(f))) {
    const text = readText(root, rel, diags);
    if (text === undefined) continue;
    loaded.files.push(rel);
    const src = parseYamlSource(text, rel, diags);
    if (src) loaded.calendars.push(src);
  }
  return loaded;
}

/** The evidence and calendar files of a project, without reading them (for a build's key). */
export function evidenceFiles(root: string): string[] {
  return [...EVIDENCE_KINDS.flatMap((k) => list(root, `evidence/${k}`)), ...list(root, 'calendar').filter((f) => /\.ya?ml$/i.test(f))];
}
