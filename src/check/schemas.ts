import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostics } from '../diagnostics.js';
import type { PathSeg, YamlSource } from '../load/yaml-source.js';
import { SCHEMA_DIR } from '../paths.js';
import { suggest } from './suggest.js';

export type SchemaName = 'project' | 'standard' | 'item' | 'checklist' | 'result';

export const SCHEMA_NAMES: SchemaName[] = ['project', 'standard', 'item', 'checklist', 'result'];
export const AJV_OPTIONS = { strict: true, allErrors: true, verbose: true } as const;

let ajv: Ajv2020.default | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** Validation code made from the bundled schemas when normkit was built (see pipeline/precompile.ts), with their hashes. */
type Precompiled = Record<SchemaName, ValidateFunction> & { hashes: Record<SchemaName, string> };
let precompiled: Precompiled | null | undefined;

function loadPrecompiled(): Precompiled | null {
  try {
    return createRequire(import.meta.url)('./validators.cjs') as Precompiled;
  } catch {
    return null; // running from the TypeScript sources: compile instead
  }
}

/**
 * Made when first needed and reused for every file (the schemas are immutable): the code made at
 * build time while the schema file is as it was then, else compiled here (compiling every schema
 * cost more than a rebuild's whole check).
 */
function validator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const text = readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8');
    precompiled ??= loadPrecompiled();
    if (precompiled?.hashes[name] === hash('sha1', text)) validate = precompiled[name];
    else validate = (ajv ??= new Ajv2020.default(AJV_OPTIONS)).compile(JSON.parse(text));
    compiled.set(name, validate);
  }
  return validate;
}

/** Whether plain data conforms, without positions (callers that report problems use checkSchema). */
export function conformsTo(name: SchemaName, data: unknown): boolean {
  return validator(name)(data) as boolean;
}

/** Validates one parsed source against its schema; returns true when it conforms. */
export function checkSchema(name: SchemaName, src: YamlSource, diags: Diagnostics): boolean {
  const validate = validator(name);
  if (validate(src.data)) return true;
  const errors = misspelt(prune(validate.errors ?? []));
  const seen = new Set<string>();
  for (const err of errors) {
    const d = describe(err, src);
    if (!d) continue;
    const key = `${d.rule}|${d.pos?.line}|${d.pos?.column}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diags.error(src.file, d.pos, d.rule, d.message);
  }
  return false;
}

/**
 * A misspelt required key is one mistake: the unknown key says what it should be, so the "missing
 * key" error for the same key in the same mapping is dropped (it would point at the mapping's start).
 */
function misspelt(errors: ErrorObject[]): ErrorObject[] {
  const meant = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
    const near = suggest(String((e.params as { additionalProperty?: unknown }).additionalProperty), known);
    if (near) meant.add(`${e.instancePath}\n${near}`);
  }
  if (!meant.size) return errors;
  return errors.filter((e) => !(e.keyword === 'required' && meant.has(`${e.instancePath}\n${String((e.params as { missingProperty?: unknown }).missingProperty)}`)));
}

function toPath(pointer: string): PathSeg[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => {
    const seg = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(seg) ? Number(seg) : seg;
  });
}

/** Drops wrapper noise: `if` failures, and branch errors under an anyOf/oneOf (one message suffices). */
function prune(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') return true;
    return !unions.some((u) => e.schemaPath.startsWith(u.schemaPath + '/') && e.instancePath.startsWith(u.instancePath));
  });
}

function label(schema: unknown, key: string): string {
  const props = (schema as { properties?: Record<string, { title?: string }> })?.properties;
  const t = props?.[key]?.title;
  return t ? `“${key}”（${t}）` : `“${key}”`;
}

/** A schema's first example shows the expected shape better than its regular expression. */
function patternExample(schema: unknown): string {
  const ex = (schema as { examples?: unknown[] } | undefined)?.examples?.[0];
  return typeof ex === 'string' ? `，例如 ${ex}。请改正` : '';
}

function fieldName(err: ErrorObject, p: PathSeg[]): string {
  const last = [...p].reverse().find((s) => typeof s === 'string');
  const title = (err.parentSchema as { title?: string } | undefined)?.title;
  if (last === undefined) return title ? `（${title}）` : '文件内容';
  return title ? `“${last}”（${title}）` : `“${last}”`;
}

const TYPE_NAMES: Record<string, string> = {
  string: '文本', number: '数字', integer: '整数', boolean: 'true 或 false', array: '列表（- 开头的各行）', object: '映射（键: 值）', null: '空值',
};

function describe(err: ErrorObject, src: YamlSource): { rule: string; pos: ReturnType<YamlSource['valueAt']>; message: string } | undefined {
  const p = toPath(err.instancePath);
  const params = err.params as Record<string, unknown>;
  // `charged: true` with `standard: ~` / `basis: ""`: as good as missing, so say so.
  if (isBlankChargedFee(err, p, src)) {
    return { rule: 'fee-missing-basis', pos: src.valueAt(p), message: `收费事项必须写明${p[1] === 'standard' ? '收费标准' : '收费依据'}，不能为空。请填写，或把 charged 改为 false。` };
  }
  switch (err.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      const last = p[p.length - 1];
      if (last === 'fee' && (key === 'standard' || key === 'basis')) {
        return { rule: 'fee-missing-basis', pos: src.mapAt(p), message: `收费事项必须同时写明收费标准和收费依据：缺少 ${label(err.parentSchema, key)}。请补上，或把 charged 改为 false。` };
      }
      return { rule: 'required-key', pos: src.mapAt(p), message: `缺少必填键 ${label(err.parentSchema, key)}。请在这个映射中补上。` };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((err.parentSchema as { properties?: object })?.properties ?? {});
      const near = suggest(key, known);
      return {
        rule: 'unknown-key',
        pos: src.keyAt([...p, key]),
        message: near ? `未知的键“${key}”。是不是想写“${near}”？` : `未知的键“${key}”。允许的键：${known.join('、')}。`,
      };
    }
    case 'propertyNames': {
      const key = String(params.propertyName);
      return { rule: 'invalid-key', pos: src.keyAt([...p, key]), message: `键“${key}”不符合要求：应为条目序号（整数）。请改正。` };
    }
    case 'type': {
      const want = String(params.type).split(',').map((t) => TYPE_NAMES[t] ?? t).join('或');
      return { rule: 'invalid-type', pos: src.valueAt(p), message: `${fieldName(err, p)}应为${want}。请改正这个值。` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String).join(' | ');
      return { rule: 'invalid-value', pos: src.valueAt(p), message: `${fieldName(err, p)}的值“${String(err.data)}”不在允许范围内。可选：${allowed}。` };
    }
    case 'const':
      return { rule: 'invalid-value', pos: src.valueAt(p), message: `${fieldName(err, p)}只能是 ${JSON.stringify(params.allowedValue)}。` };
    case 'pattern': {
      const isDate = String(params.pattern).includes('\\d{4}-\\d{2}-\\d{2}');
      return {
        rule: isDate ? 'invalid-date' : 'invalid-format',
        pos: src.valueAt(p),
        message: isDate ? `${fieldName(err, p)}应为 YYYY-MM-DD 格式的日期，例如 2024-03-01。` : `${fieldName(err, p)}的格式不正确（应匹配 ${String(params.pattern)}）${patternExample(err.parentSchema)}。`,
      };
    }
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { rule: 'out-of-range', pos: src.valueAt(p), message: `${fieldName(err, p)}的值 ${String(err.data)} 超出范围（${String(params.comparison)} ${String(params.limit)}）。请改正。` };
    case 'minItems':
      return { rule: 'too-few-entries', pos: src.valueAt(p), message: `${fieldName(err, p)}至少要有 ${String(params.limit)} 项。请补充。` };
    case 'minLength':
      return { rule: 'empty-value', pos: src.valueAt(p), message: `${fieldName(err, p)}不能为空。请填写内容。` };
    case 'anyOf': case 'oneOf':
      return { rule: 'invalid-value', pos: src.valueAt(p), message: `${fieldName(err, p)}的写法不符合任何一种允许的形式。${(err.parentSchema as { description?: string })?.description ?? ''}` };
    default:
      return { rule: 'schema', pos: src.valueAt(p), message: `${fieldName(err, p)}：${err.message ?? '不符合规范'}。` };
  }
}

function isBlankChargedFee(err: ErrorObject, p: PathSeg[], src: YamlSource): boolean {
  if (p.length !== 2 || p[0] !== 'fee' || (p[1] !== 'standard' && p[1] !== 'basis')) return false;
  if (err.keyword !== 'type' && err.keyword !== 'minLength') return false;
  const fee = (src.data as { fee?: { charged?: unknown } } | null)?.fee;
  return fee?.charged === true && (err.data === null || (typeof err.data === 'string' && err.data.trim() === ''));
}
