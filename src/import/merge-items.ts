import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isSeq, parseDocument } from 'yaml';
import { checkSchema, conformsTo } from '../check/schemas.js';
import { Diagnostics } from '../diagnostics.js';
import { formatYaml } from '../format/yaml-format.js';
import { KEY_ORDER, type KeyOrder } from '../format/key-order.js';
import { parseYamlSource } from '../load/yaml-source.js';
import type { DepartmentData, ItemData } from '../model/data.js';
import type { ItemRow } from './item-rows.js';

/** Lists of records merged entry by entry under this key, so fields the sheet lacks (a step's days) stay. */
const KEYED: Record<string, string> = { process: 'step', materials: 'name', faq: 'q' };

/** A value the schema assumes when absent: a sheet that writes it does not add it to a file without it. */
const DEFAULTS: Record<string, unknown> = { 'time_limit.unit': '工作日', 'materials.required': true, 'materials.copies': 1 };

/** An existing item file: its path (project-relative) and text. */
export interface ExistingItem { file: string; text: string; data: Partial<ItemData> }

/** How normkit writes YAML (as `fmt` does). */
const STRINGIFY = { indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0 } as const;

export interface MergedItem { text: string; data: unknown; changed: boolean }

/**
 * Applies a row's patch to an item file's YAML (a new file when there is none): only the keys the
 * sheet filled change; comments, key order and every other key stay (the `fmt` writer). A file the
 * sheet changes nothing in is left exactly as it is, however it was written.
 */
export function mergeItemText(existing: ExistingItem | undefined, patch: Partial<ItemData>): MergedItem {
  if (!existing) {
    const data = ordered(stripDefaults(patch, ''), KEY_ORDER.item);
    return { text: new Document(data).toString(STRINGIFY), data, changed: true };
  }
  const doc = parseDocument(existing.text);
  const before = doc.toJS() as Record<string, unknown>;
  const changes = { n: 0 };
  applyPatch(doc, [], before, patch as Record<string, unknown>, '', changes);
  if (changes.n === 0) return { text: existing.text, data: before, changed: false };
  const text = formatYaml(doc.toString(STRINGIFY), KEY_ORDER.item);
  return { text, data: doc.toJS(), changed: text !== existing.text };
}

/** A new item's keys in contract order (what `fmt` would make of it), nested records too. */
function ordered(value: unknown, order: KeyOrder | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, order));
  if (!isRecord(value) || !order) return value;
  const rank = (k: string): number => (order.keys.includes(k) ? order.keys.indexOf(k) : order.keys.length);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((k) => [k, ordered(value[k], order.nested?.[k])]));
}

function applyPatch(doc: Document, at: (string | number)[], old: Record<string, unknown> | undefined, patch: Record<string, unknown>, dotted: string, changes: { n: number }): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const path = [...at, key];
    const name = dotted ? `${dotted}.${key}` : key;
    const prev = old?.[key];
    if (prev === undefined && DEFAULTS[name] !== undefined && isDeepStrictEqual(DEFAULTS[name], value)) continue;
    if (isDeepStrictEqual(prev, value)) continue;
    if (isRecord(value) && isRecord(prev) && isMap(doc.getIn(path, true))) {
      applyPatch(doc, path, prev, value, name, changes);
    } else if (Array.isArray(value) && KEYED[name] && Array.isArray(prev) && isSeq(doc.getIn(path, true))) {
      const k = KEYED[name]!;
      const merged = value.map((entry) => {
        const match = (prev as Record<string, unknown>[]).find((p) => isRecord(p) && isRecord(entry) && p[k] === entry[k]);
        if (!match) return entry;
        const out: Record<string, unknown> = { ...match };
        for (const [ek, ev] of Object.entries(entry as Record<string, unknown>)) {
          if (ev === undefined) continue;
          if (match[ek] === undefined && isDeepStrictEqual(DEFAULTS[`${name}.${ek}`], ev)) continue;
          out[ek] = ev;
        }
        return out;
      });
      if (!isDeepStrictEqual(merged, prev)) {
        doc.setIn(path, doc.createNode(merged, { flow: false }));
        changes.n++;
      }
    } else {
      doc.setIn(path, doc.createNode(stripDefaults(value, name)));
      changes.n++;
    }
  }
}

/** New records and lists leave out values equal to the schema's defaults, as a hand-written file would. */
function stripDefaults(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return value.map((v) => stripDefaults(v, name));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const key = name ? `${name}.${k}` : k;
    if (isDeepStrictEqual(DEFAULTS[key], v)) continue;
    out[k] = stripDefaults(v, key);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Schema problems of a merged item, as plain messages (the caller places them at the sheet row). */
export function itemSchemaProblems(text: string, data: unknown): string[] {
  if (conformsTo('item', data)) return [];
  const diags = new Diagnostics();
  const src = parseYamlSource(text, 'item.yaml', diags);
  if (src) checkSchema('item', src, diags);
  return diags.list.filter((d) => d.severity === 'error').map((d) => d.message);
}

/** project.yaml with the departments the import created appended, its comments kept. */
export function addDepartments(projectText: string, created: DepartmentData[]): string {
  const doc = parseDocument(projectText);
  const seq = doc.get('departments', true);
  for (const d of created) {
    if (isSeq(seq)) seq.items.push(doc.createNode(d));
    else doc.set('departments', doc.createNode([d]));
  }
  return formatYaml(doc.toString({ indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0 }), KEY_ORDER.project);
}

/** The department id of an 实施主体: project.yaml's, the map's, or a new one (`dept-N`), matched by name. */
export class DepartmentMatcher {
  readonly created: DepartmentData[] = [];
  private readonly byName = new Map<string, string>();
  private readonly ids = new Set<string>();

  constructor(departments: DepartmentData[], mapped: Record<string, string> = {}) {
    for (const d of departments) {
      this.byName.set(norm(d.name), d.id);
      this.ids.add(d.id);
    }
    for (const [name, id] of Object.entries(mapped)) this.byName.set(norm(name), id);
  }

  has(id: string): boolean {
    return this.ids.has(id) || this.created.some((d) => d.id === id);
  }

  idFor(name: string): { id: string; created: boolean } {
    const known = this.byName.get(norm(name));
    if (known) return { id: known, created: false };
    let n = this.ids.size + this.created.length + 1;
    while (this.has(`dept-${n}`)) n++;
    const id = `dept-${n}`;
    this.created.push({ id, name });
    this.byName.set(norm(name), id);
    return { id, created: true };
  }
}

function norm(s: string): string {
  return s.replace(/[\s\u3000]+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

/** `items/<department>/<code>.yaml`, the code made safe for a file name. */
export function itemPath(department: string, code: string): string {
  return `items/${department}/${code.replace(/[\\/:*?"<>|\s]+/g, '-')}.yaml`;
}

export type { ItemRow };
