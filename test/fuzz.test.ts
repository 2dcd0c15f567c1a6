/**
 * Fuzzing: random mutations of the sample's files never crash or hang the pipeline, and every
 * problem comes back as a diagnostic with a file, a rule id and (for a file's own problems) a line.
 *
 * The base is a small project made of sample files (project.yaml, two standards, an item, a
 * checklist, a result). Most cases run in memory (parse → schemas → cross-file rules → model →
 * HTML views), a few hundred run the real pipeline on disk (loadProject, checkProject, build, CLI).
 *
 *   NORMKIT_FUZZ_RUNS=20000 npx vitest run test/fuzz.test.ts    # a long run
 *   NORMKIT_FUZZ_SEED=123 …                                      # replay a reported seed
 *   NORMKIT_FUZZ_STATS=1 …                                       # print how often each rule fired
 *   NORMKIT_FUZZ_ALL_KINDS=1 …                                   # render posters, guides, checklists too
 *
 * A crasher found here is fixed and kept in test/fixtures/fuzz-regressions/ as
 * `<name>.<kind>.<ext>` (kind: project | standard | item | checklist | result); the last
 * describe block replays every one of them through the full pipeline.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { build } from '../src/pipeline/build.js';
import type { RenderContext } from '../src/pipeline/kind.js';
import { KINDS } from '../src/pipeline/kinds.js';
import { checkGlyphs } from '../src/check/glyphs.js';
import { checkProject } from '../src/check/check-project.js';
import { checkSchema, type SchemaName } from '../src/check/schemas.js';
import { Diagnostics, type Diagnostic } from '../src/diagnostics.js';
import { parseMarkdownSource, type MarkdownSource } from '../src/load/markdown-source.js';
import { loadProject, type LoadedProject } from '../src/load/project-loader.js';
import { decodeSource } from '../src/load/read-text.js';
import { loadTemplates } from '../src/load/templates.js';
import { parseYamlSource, type YamlSource } from '../src/load/yaml-source.js';
import { resolveProject } from '../src/model/project.js';
import { HtmlRenderer } from '../src/render/html/renderer.js';
import { renderStandardPdf } from '../src/render/pdf/standard-pdf.js';
import { standardView } from '../src/views/standard-view.js';
import { loadFontBook, type FontBook } from '../src/typography/fonts.js';
import { cli, REPO, SAMPLE } from './helpers.js';

const RUNS = Math.max(20, Number(process.env.NORMKIT_FUZZ_RUNS) || 2000);
/** Full-pipeline cases: about 15 % of the total (300 of the default 2000). */
const FULL_RUNS = Math.max(10, Math.round(RUNS * 0.15));
const BULK_RUNS = RUNS - FULL_RUNS;
const SEED = process.env.NORMKIT_FUZZ_SEED ? Number(process.env.NORMKIT_FUZZ_SEED) : undefined;
const CASE_MS = 5_000;
/**
 * The per-stage CPU limit of an on-disk build: never below CASE_MS, and at least four times what a
 * clean build of the base project costs on this machine (measured in beforeAll), so a slower CI
 * machine raises the bar with it while a super-linear blow-up, which costs orders of magnitude more,
 * still fails.
 */
let buildMs = CASE_MS;
/** NORMKIT_FUZZ_ALL_KINDS=1: clean cases render every output kind (posters, guides, checklists too), not just catalog and standards. */
const ALL_KINDS = !!process.env.NORMKIT_FUZZ_ALL_KINDS;
/** NORMKIT_FUZZ_STATS=1 prints how often each rule fired (to see what the mutations reach). */
const STATS = new Map<string, number>();
const count = (key: string): void => { STATS.set(key, (STATS.get(key) ?? 0) + 1); };
afterAll(() => {
  if (process.env.NORMKIT_FUZZ_STATS) console.log([...STATS].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}\t${k}`).join('\n'));
});

type Kind = 'project' | 'standard' | 'item' | 'checklist' | 'result';
const KIND_LIST: Kind[] = ['project', 'standard', 'item', 'checklist', 'result'];

/** The file of each kind that mutations hit, plus the standard it replaces (for cross-file rules). */
const TARGETS: Record<Kind, string> = {
  project: 'project.yaml',
  standard: 'catalog/provision/2001-2024-first-inquiry.md',
  item: 'items/scjg/food-business-license-new.yaml',
  checklist: 'checklists/five-star-window.yaml',
  result: 'results/2024-window-scjg.yaml',
};
const EXTRA = ['catalog/provision/2001-2019-first-inquiry.md'];
const BASE_FILES = [...Object.values(TARGETS), ...EXTRA];

const REGRESSIONS = path.join(REPO, 'test/fixtures/fuzz-regressions');

/** Folder-level problems have no line. */
const NO_LINE_RULES = new Set(['folder-unreadable', 'link-skipped']);

// ---------------------------------------------------------------------------------------------
// Mutations: plain data (so fast-check can print and shrink them), applied to a file's text.

type Mutation =
  | { op: 'deleteKey'; pick: number }
  | { op: 'wrongType'; pick: number; value: unknown }
  | { op: 'setString'; pick: number; value: string }
  | { op: 'yamlEscape'; pick: number; escapes: string }
  | { op: 'insertText'; at: number; text: string }
  | { op: 'truncate'; at: number }
  | { op: 'reindent'; line: number; delta: number; tab: boolean }
  | { op: 'swapLines'; line: number }
  | { op: 'duplicateLine'; line: number; times: number }
  | { op: 'deleteRange'; at: number; length: number }
  | { op: 'randomBytes'; at: number; bytes: number[]; replace: boolean }
  | { op: 'markdown'; at: number; snippet: string }
  | { op: 'lineEnds'; eol: string; from: number };

const SPECIAL = [
  '\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\r\n', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u009b',
  '\u00a0', '\u00ad', '\u034f', '\u061c', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c',
  '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029', '\u3000', '\ufeff', '\ufe0f', '\ufffd',
  '\ufffe', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '😀', '👨‍👩‍👧', '🇨🇳', '🏳️‍🌈', '𠀀', '中', '文', '應',
  'Ａ', '／', '．', '＼', '：', '，', '—', '–', '-', '<', '>', '&', '"', "'", '`', '\\', '/', '../', '..\\', '{{', '}}',
  '#', '|', '*', '_', '[', ']', '(', ')', ':', '%', '$', '~', '!', '?', '=', '\u0301', '\u0e01', 'ﷺ', '\ufdfd', 'ß', 'İ',
  'CON', 'NUL', 'COM1', ' ', '.', '...', '应', '不应', '必须', '表：', '注：', 'Q/YLZW 2001—2019', 'GB/T 1.1—2020',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...SPECIAL), { maxLength: 24 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom(...SPECIAL)), maxLength: 12 }),
  fc.tuple(fc.constantFrom(...SPECIAL), fc.integer({ min: 50, max: 400 })).map(([s, n]) => s.repeat(n)),
);

const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0), fc.constant(1e308),
  fc.constant(''), fc.constant([]), fc.constant({}), fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('no', 'code', 'title', 'x', '1', 'points'), fc.oneof(fc.integer(), fc.string()), { maxKeys: 3 }),
  fc.string({ maxLength: 10 }),
  fc.constantFrom('2024-02-30', '0000-00-00', '9999-12-31', 'Q/YLZW 2001—2024', 'current', 'award', 'deduct', 'scjg', 'five-star-window', 'noto-sans-sc', '../x.ttf', 'javascript:alert(1)'),
);

const MD_LINE = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 8 }), hostileString).map(([n, s]) => `${'#'.repeat(n)} ${s}`),
  hostileString.map((s) => `表：${s}`),
  hostileString.map((s) => `注：${s}`),
  hostileString.map((s) => `注1：${s}`),
  fc.tuple(fc.integer({ min: 0, max: 12 }), fc.boolean(), hostileString).map(([d, o, s]) => `${'  '.repeat(d)}${o ? '1.' : '-'} ${s}`),
  fc.tuple(hostileString, fc.constantFrom('javascript:alert(1)', 'data:text/html,x', 'https://a.example', '', ' ', 'mailto:', 'tel:1', '#x', 'vbscript:x', 'HTTPS://X', 'file:///etc/passwd', '//evil.example'))
    .map(([s, u]) => `[${s}](${u})`),
  hostileString.map((s) => `![${s}](https://x.example/a.png)`),
  hostileString.map((s) => `| ${s} | b |\n|---|---|\n| ${s} |`),
  hostileString.map((s) => `| a |\n|:-:|:-:|:-:|\n| ${s} | | | | |`),
  hostileString.map((s) => `<div onclick="x">${s}</div>`),
  fc.constantFrom('```', '~~~', '---', '***', '===', '- [ ] x', '[^1]', '[^1]: note', '<https://a.example>', '~~x~~', '<!--', '-->', '\\', '    code',
    '> '.repeat(120) + 'deep', '- '.repeat(120) + 'deep', '1. '.repeat(60) + 'deep', '*'.repeat(500), '['.repeat(500), '|'.repeat(300), '\t\t- x', '#', '######', '####### seven'),
  hostileString,
);

const op = {
  deleteKey: fc.record({ op: fc.constant('deleteKey' as const), pick: fc.nat() }),
  wrongType: fc.record({ op: fc.constant('wrongType' as const), pick: fc.nat(), value: jsonish }),
  setString: fc.record({ op: fc.constant('setString' as const), pick: fc.nat(), value: hostileString }),
  yamlEscape: fc.record({ op: fc.constant('yamlEscape' as const), pick: fc.nat(), escapes: fc.array(fc.constantFrom('\\0', '\\a', '\\e', '\\x7f', '\\x85', '\\ud800', '\\udfff', '\\ud83d\\ude00', '\\u202e', '\\u200f', '\\N', '\\_', '\\L', '\\P', '\\t', '\\/', '中', 'a'), { minLength: 1, maxLength: 6 }).map((a) => a.join('')) }),
  insertText: fc.record({ op: fc.constant('insertText' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: hostileString }),
  truncate: fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  reindent: fc.record({ op: fc.constant('reindent' as const), line: fc.nat(), delta: fc.integer({ min: -6, max: 6 }), tab: fc.boolean() }),
  swapLines: fc.record({ op: fc.constant('swapLines' as const), line: fc.nat() }),
  duplicateLine: fc.record({ op: fc.constant('duplicateLine' as const), line: fc.nat(), times: fc.integer({ min: 1, max: 3 }) }),
  deleteRange: fc.record({ op: fc.constant('deleteRange' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 200 }) }),
  randomBytes: fc.record({ op: fc.constant('randomBytes' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }), replace: fc.boolean() }),
  markdown: fc.record({ op: fc.constant('markdown' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), snippet: fc.array(MD_LINE, { minLength: 1, maxLength: 6 }).map((a) => a.join('\n')) }),
  // CRLF and lone CR line ends from some line on (Windows editors, git autocrlf, a file edited on both)
  lineEnds: fc.record({ op: fc.constant('lineEnds' as const), eol: fc.constantFrom('\r\n', '\r', '\r\r\n'), from: fc.double({ min: 0, max: 1, noNaN: true }) }),
};
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>): fc.WeightedArbitrary<T> => ({ weight, arbitrary });
/** Structural edits (which keep the YAML readable, so later stages run) outweigh raw damage. */
const yamlMutation: fc.Arbitrary<Mutation> = fc.oneof(
  w(6, op.setString), w(2, op.deleteKey), w(2, op.wrongType), w(2, op.yamlEscape), w(1, op.insertText), w(1, op.truncate),
  w(1, op.reindent), w(1, op.swapLines), w(1, op.duplicateLine), w(1, op.deleteRange), w(1, op.randomBytes),
  w(1, op.lineEnds),
);
const standardMutation: fc.Arbitrary<Mutation> = fc.oneof(
  w(8, op.markdown), w(4, op.setString), w(1, op.deleteKey), w(1, op.wrongType), w(2, op.yamlEscape), w(1, op.insertText),
  w(1, op.truncate), w(1, op.reindent), w(1, op.swapLines), w(1, op.duplicateLine), w(1, op.deleteRange), w(1, op.randomBytes),
  w(1, op.lineEnds),
);

/** One case: which file, and one to three mutations applied in turn (mostly one). */
const fuzzCase = fc.constantFrom(...KIND_LIST).chain((kind) => fc.record({
  kind: fc.constant(kind),
  mutations: fc.oneof(
    { weight: 3, arbitrary: fc.array(kind === 'standard' ? standardMutation : yamlMutation, { minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(kind === 'standard' ? standardMutation : yamlMutation, { minLength: 2, maxLength: 3 }) },
  ),
}));
type FuzzCase = { kind: Kind; mutations: Mutation[] };

/** Splits a standard into front matter and the rest so YAML-level mutations hit the front matter. */
function splitFront(text: string): { head: string; yaml: string; tail: string } | undefined {
  const lines = text.split('\n');
  if (lines[0] !== '---') return undefined;
  const end = lines.indexOf('---', 1);
  if (end < 0) return undefined;
  return { head: '---\n', yaml: lines.slice(1, end).join('\n') + '\n', tail: lines.slice(end).join('\n') };
}

/** Every key path of a YAML document, map keys as their scalar values (so `1:` stays the number 1). */
function yamlPaths(node: Node | null | undefined, prefix: unknown[] = [], out: unknown[][] = []): unknown[][] {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const p = [...prefix, pair.key.value];
      out.push(p);
      yamlPaths(pair.value as Node, p, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((it, i) => {
      const p = [...prefix, i];
      out.push(p);
      yamlPaths(it as Node, p, out);
    });
  }
  return out;
}

function mutateYaml(yamlText: string, m: Mutation): string {
  const doc = parseDocument(yamlText, { version: '1.2' });
  if (doc.errors.length) return yamlText;
  const all = yamlPaths(doc.contents as Node);
  // A new string goes where a string was (so the schema mostly still passes and later stages run).
  const strings = all.filter((p) => { const n = doc.getIn(p, true); return isScalar(n) && typeof n.value === 'string'; });
  const paths = (m.op === 'setString' || m.op === 'yamlEscape') && strings.length ? strings : all;
  if (!paths.length) return yamlText;
  const p = paths[(m as { pick: number }).pick % paths.length]!;
  if (m.op === 'deleteKey') doc.deleteIn(p);
  else if (m.op === 'wrongType') doc.setIn(p, doc.createNode(m.value));
  else if (m.op === 'setString') doc.setIn(p, m.value);
  else if (m.op === 'yamlEscape') {
    doc.setIn(p, '@@ESCAPE@@');
    return doc.toString({ lineWidth: 0 }).replace(/@@ESCAPE@@/, `"${m.escapes}"`);
  }
  return doc.toString({ lineWidth: 0 });
}

const encoder = new TextEncoder();

/** Applies one mutation; text stays a JS string (lone surrogates survive) until bytes are needed. */
function applyMutation(content: string | Uint8Array, m: Mutation, kind: Kind): string | Uint8Array {
  const asText = (): string => (typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));
  const asBytes = (): Uint8Array => (typeof content === 'string' ? encoder.encode(content) : content);
  switch (m.op) {
    case 'deleteKey': case 'wrongType': case 'setString': case 'yamlEscape': {
      const text = asText();
      if (kind !== 'standard') return mutateYaml(text, m);
      const parts = splitFront(text);
      return parts ? parts.head + mutateYaml(parts.yaml, m) + parts.tail : text;
    }
    case 'insertText': {
      const text = asText();
      const at = Math.floor(m.at * text.length);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'truncate': {
      const bytes = asBytes();
      return bytes.slice(0, Math.floor(m.at * bytes.length));
    }
    case 'deleteRange': {
      const text = asText();
      const at = Math.floor(m.at * text.length);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'reindent': case 'swapLines': case 'duplicateLine': {
      const lines = asText().split('\n');
      const i = m.line % lines.length;
      if (m.op === 'reindent') {
        const indent = lines[i]!.match(/^[ \t]*/)![0].length;
        const next = Math.max(0, indent + m.delta);
        lines[i] = (m.tab ? '\t'.repeat(Math.ceil(next / 2)) : ' '.repeat(next)) + lines[i]!.slice(indent);
      } else if (m.op === 'swapLines') {
        const j = (i + 1) % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      } else {
        lines.splice(i, 0, ...Array<string>(m.times).fill(lines[i]!));
      }
      return lines.join('\n');
    }
    case 'randomBytes': {
      const bytes = asBytes();
      const at = Math.floor(m.at * bytes.length);
      const out = new Uint8Array(bytes.length + (m.replace ? 0 : m.bytes.length));
      out.set(bytes.slice(0, at));
      out.set(m.bytes, at);
      out.set(bytes.slice(m.replace ? Math.min(bytes.length, at + m.bytes.length) : at), at + m.bytes.length);
      return m.replace ? out.slice(0, Math.max(bytes.length, at + m.bytes.length)) : out;
    }
    case 'lineEnds': {
      const text = asText();
      const at = text.indexOf('\n', Math.floor(m.from * text.length));
      return at < 0 ? text : text.slice(0, at) + text.slice(at).replace(/\n/g, m.eol);
    }
    case 'markdown': {
      const text = asText();
      const parts = kind === 'standard' ? splitFront(text) : undefined;
      if (!parts) return text + '\n' + m.snippet + '\n';
      const body = parts.tail.split('\n');
      const at = 1 + Math.floor(m.at * (body.length - 1));
      body.splice(at, 0, '', m.snippet, '');
      return parts.head + parts.yaml + body.join('\n');
    }
  }
}

function mutate(original: string, c: FuzzCase): string | Uint8Array {
  let content: string | Uint8Array = original;
  for (const m of c.mutations) {
    try {
      content = applyMutation(content, m, c.kind);
    } catch {
      // the mutation tool itself gave up (e.g. yaml could not write a value): keep what we had
    }
  }
  return content;
}

// ---------------------------------------------------------------------------------------------
// Invariants.

/** Lines as an editor counts them: LF, CRLF and a lone CR each end a line. */
function lineCount(content: string | Uint8Array): number {
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('latin1');
  return text.split(/\r\n|\r|\n/).length;
}

/** Every diagnostic names a known file, a rule id, a severity and a message; per-file ones a real line. */
function checkDiagnostics(list: Diagnostic[], lines: Map<string, number>, label: string): void {
  for (const d of list) {
    const where = `${label}: ${JSON.stringify(d)}`;
    expect(typeof d.file === 'string' && d.file.length > 0, where).toBe(true);
    expect(d.rule, where).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(['error', 'warning'], where).toContain(d.severity);
    expect(typeof d.message === 'string' && d.message.length > 0, where).toBe(true);
    // render-time warnings name a key path; the build gives them a line from the file on disk (src/load/locate.ts)
    if (NO_LINE_RULES.has(d.rule) || d.at) continue;
    expect(lines.has(d.file), `${where} — not a file of the project`).toBe(true);
    expect(Number.isInteger(d.line) && d.line! >= 1, `${where} — no line`).toBe(true);
    expect(d.line!, `${where} — line past the end of the file`).toBeLessThanOrEqual(lines.get(d.file)! + 1);
    if (d.column !== undefined) expect(Number.isInteger(d.column) && d.column >= 1, where).toBe(true);
    if (d.endLine !== undefined) expect(d.endLine, where).toBeGreaterThanOrEqual(d.line!);
  }
}

/**
 * Fails a case that takes too long. The limit is on this process's CPU time (a shared, loaded
 * machine stretches wall time, not the work done); a wall-clock backstop far above it catches a
 * real hang, which the CPU check cannot see while the case never ends.
 */
async function bounded<T>(label: string, work: () => Promise<T>, limit = CASE_MS): Promise<T> {
  const cpu0 = process.cpuUsage();
  const backstop = limit * 12;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no end after ${backstop} ms (hang)`)), backstop);
  });
  try {
    const value = await Promise.race([work(), timeout]);
    const used = process.cpuUsage(cpu0);
    const ms = (used.user + used.system) / 1000;
    if (ms > limit) throw new Error(`${label}: used ${Math.round(ms)} ms of CPU (limit ${limit} ms)`);
    return value;
  } finally {
    clearTimeout(timer);
  }
}

function describeCase(c: FuzzCase, content: string | Uint8Array): string {
  const preview = typeof content === 'string' ? content : Buffer.from(content).toString('latin1');
  return `${c.kind} ${JSON.stringify(c.mutations).slice(0, 400)}\n--- content (${content.length}) ---\n${JSON.stringify(preview).slice(0, 1500)}`;
}

/** Keeps a failing input where it can be turned into a regression fixture. */
async function keepCrasher(c: FuzzCase, content: string | Uint8Array): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'normkit-fuzz-crasher-'));
  const file = path.join(dir, `crasher.${c.kind}${path.extname(TARGETS[c.kind])}`);
  await writeFile(file, content);
  return file;
}

// ---------------------------------------------------------------------------------------------
// The base project, parsed once for the in-memory cases.

let baseDir: string;
let baseRoot: string;
const originals = new Map<string, string>();
let baseLoaded: LoadedProject;
let book: FontBook;
let html: HtmlRenderer;

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

beforeAll(async () => {
  baseRoot = await mkdtemp(path.join(tmpdir(), 'normkit-fuzz-'));
  baseDir = path.join(baseRoot, 'project');
  for (const rel of BASE_FILES) {
    await mkdir(path.dirname(path.join(baseDir, rel)), { recursive: true });
    let text = await readFile(path.join(SAMPLE, rel), 'utf8');
    // bundled font names, so mutations reach the fonts rule too
    if (rel === TARGETS.project) text += 'fonts:\n  body: noto-serif-sc\n  heading: noto-sans-sc-bold\n';
    await writeFile(path.join(baseDir, rel), text);
    originals.set(rel, text);
  }
  baseLoaded = await loadProject(baseDir);
  checkProject(baseLoaded);
  expect(baseLoaded.diagnostics.errorCount, JSON.stringify(baseLoaded.diagnostics.list)).toBe(0);
  // Rules must not write into the parsed data the next case shares.
  for (const s of [baseLoaded.project!, ...baseLoaded.items, ...baseLoaded.checklists, ...baseLoaded.results, ...baseLoaded.standards.map((m) => m.front)]) deepFreeze(s.data);
  book = loadFontBook();
  html = new HtmlRenderer(await loadTemplates());
  // one build first, outside the per-case limit: its web-font slices are subset once and remembered
  const warm = await mkdtemp(path.join(tmpdir(), 'normkit-fuzz-warm-'));
  const cpu0 = process.cpuUsage();
  await build({ projectDir: baseDir, outDir: path.join(warm, 'out'), formats: ['html'], only: ['catalog', 'standards'] });
  const used = process.cpuUsage(cpu0);
  buildMs = Math.max(CASE_MS, Math.ceil(4 * (used.user + used.system) / 1000));
  await rm(warm, { recursive: true, force: true });
});

afterAll(async () => {
  if (baseRoot) await rm(baseRoot, { recursive: true, force: true });
});

/** Parses one file's content the way the loader does. */
function parseOne(kind: Kind, rel: string, content: string | Uint8Array, diags: Diagnostics): YamlSource | MarkdownSource | undefined {
  const text = typeof content === 'string' ? content : decodeSource(content, rel, diags);
  if (text === undefined) return undefined;
  return kind === 'standard' ? parseMarkdownSource(text, rel, diags) : parseYamlSource(text, rel, diags);
}

const SCHEMA: Record<Kind, SchemaName> = { project: 'project', standard: 'standard', item: 'item', checklist: 'checklist', result: 'result' };

/** In memory: parse → schema → all rules → model → every HTML page of catalog and standards, glyph check. */
async function inMemory(c: FuzzCase, content: string | Uint8Array, withPdf = true): Promise<void> {
  const rel = TARGETS[c.kind];
  const diags = new Diagnostics();
  const parsed = parseOne(c.kind, rel, content, diags);
  if (parsed) {
    const yaml = 'front' in parsed ? parsed.front : parsed;
    checkSchema(SCHEMA[c.kind], yaml, new Diagnostics()); // alone, then again inside checkProject
  }
  const replace = <T>(list: T[], match: (x: T) => boolean): T[] => {
    const rest = list.filter((x) => !match(x));
    return parsed ? [...rest, parsed as T] : rest;
  };
  const loaded: LoadedProject = {
    ...baseLoaded,
    diagnostics: diags,
    project: c.kind === 'project' ? (parsed as YamlSource | undefined) : baseLoaded.project,
    standards: c.kind === 'standard' ? replace(baseLoaded.standards, (m) => m.file === rel) : baseLoaded.standards,
    items: c.kind === 'item' ? replace(baseLoaded.items, (s) => s.file === rel) : baseLoaded.items,
    checklists: c.kind === 'checklist' ? replace(baseLoaded.checklists, (s) => s.file === rel) : baseLoaded.checklists,
    results: c.kind === 'result' ? replace(baseLoaded.results, (s) => s.file === rel) : baseLoaded.results,
  };
  const ctx = checkProject(loaded);
  if (diags.errorCount === 0) {
    const project = resolveProject(ctx, baseDir);
    checkGlyphs(project, book, diags);
    const rctx: RenderContext = { project, book, html, formats: new Set(ALL_KINDS ? ['html', 'pdf'] : ['html']), diags };
    for (const kind of KINDS.filter((k) => ALL_KINDS || k.kind === 'catalog' || k.kind === 'standards')) {
      for (const job of kind.jobs(rctx)) {
        // every kind: HTML always, PDFs of the mutated file's own documents
        if (ALL_KINDS && job.path.endsWith('.pdf') && !(withPdf && job.deps?.includes(rel))) continue;
        await job.render();
      }
    }
    // The PDF of a mutated standard: text layout is where odd characters meet the fonts.
    const std = c.kind === 'standard' && withPdf ? project.standards.find((s) => s.file === rel) : undefined;
    if (std) {
      const pdf = await renderStandardPdf(standardView(project, std), book);
      expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    }
  }
  const lines = new Map(BASE_FILES.map((f) => [f, lineCount(originals.get(f)!)]));
  lines.set(rel, lineCount(content));
  checkDiagnostics(diags.list, lines, rel);
  count(diags.errorCount === 0 ? '(clean cases)' : '(cases with errors)');
  for (const d of diags.list) count(d.rule);
}

/** On disk: the real loader, checker and build (html, catalog + standards), and sometimes the CLI. */
async function onDisk(c: FuzzCase | { kind: Kind }, content: string | Uint8Array, outDir: string, viaCli: boolean): Promise<void> {
  const rel = TARGETS[c.kind];
  const file = path.join(baseDir, rel);
  await writeFile(file, content);
  try {
    const lines = new Map(BASE_FILES.map((f) => [f, lineCount(originals.get(f)!)]));
    lines.set(rel, lineCount(content));
    // each stage has its own time limit (the whole case: four of them)
    const loaded = await bounded(`${rel}: load + check`, async () => {
      const l = await loadProject(baseDir);
      checkProject(l);
      return l;
    });
    checkDiagnostics(loaded.diagnostics.list, lines, rel);
    const errors = loaded.diagnostics.errorCount;
    if (errors === 0) {
      const r = await bounded(`${rel}: build`, () => build({ projectDir: baseDir, outDir, formats: ['html'], only: ['catalog', 'standards'] }), buildMs);
      checkDiagnostics(r.diagnostics.list, lines, `${rel} (build)`);
      if (!r.ok) expect(r.diagnostics.errorCount, 'a failed build says why').toBeGreaterThan(0);
    }
    if (viaCli) {
      const v = await bounded(`${rel}: normkit validate`, () => cli('validate', baseDir, '--format', 'json'));
      expect([0, 1]).toContain(v.code);
      expect(v.code).toBe(errors > 0 ? 1 : 0);
      expect(v.err).toBe('');
      expect(() => JSON.parse(v.out)).not.toThrow();
      if (errors === 0) {
        const b = await bounded(`${rel}: normkit build`, () => cli('build', baseDir, '--out', outDir, '--format', 'html', '--only', 'catalog', '--quiet'));
        expect([0, 1], b.err).toContain(b.code);
        expect(b.err).not.toMatch(/\n\s+at |内部错误/);
      }
    }
  } finally {
    await writeFile(file, originals.get(rel)!);
  }
}

function property(run: (c: FuzzCase, content: string | Uint8Array, n: number) => Promise<void>, limit = CASE_MS): fc.IAsyncPropertyWithHooks<[FuzzCase]> {
  let n = 0;
  return fc.asyncProperty(fuzzCase, async (c) => {
    const content = mutate(originals.get(TARGETS[c.kind])!, c);
    try {
      await bounded(c.kind, () => run(c, content, n++), limit);
    } catch (e) {
      const kept = await keepCrasher(c, content).catch(() => '(not kept)');
      throw new Error(`${(e as Error).message}\n${describeCase(c, content)}\nkept as ${kept}`, { cause: e });
    }
  });
}

describe('fuzzing the sample files', () => {
  it(`in memory: ${BULK_RUNS} mutated files through parse, schemas, rules, model and HTML views`, async () => {
    // a PDF for every third clean standard: PDFs cost ~100× an HTML page
    await fc.assert(property((c, content, n) => inMemory(c, content, n % 3 === 0)), { numRuns: BULK_RUNS, seed: SEED, endOnFailure: true });
  }, Math.max(120_000, BULK_RUNS * 100));

  it(`on disk: ${FULL_RUNS} mutated files through loadProject, checkProject, build and the CLI`, async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'normkit-fuzz-out-'));
    try {
      await fc.assert(property((c, content, n) => onDisk(c, content, path.join(out, 'out'), n % 5 === 0), 4 * buildMs), { numRuns: FULL_RUNS, seed: SEED, endOnFailure: true });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, Math.max(120_000, FULL_RUNS * 1000));
});

describe('fuzz regressions', () => {
  it('replays every kept crasher through the full pipeline', async () => {
    const names = (await readdir(REGRESSIONS).catch(() => [] as string[])).filter((n) => !n.startsWith('.') && n !== 'README.md').sort();
    expect(names.length).toBeGreaterThan(0);
    const out = await mkdtemp(path.join(tmpdir(), 'normkit-fuzz-out-'));
    try {
      for (const name of names) {
        const kind = /\.(project|standard|item|checklist|result)\.(ya?ml|md)$/.exec(name)?.[1] as Kind | undefined;
        expect(kind, `${name}: name it <case>.<kind>.<ext>`).toBeDefined();
        const content = await readFile(path.join(REGRESSIONS, name));
        await bounded(name, () => onDisk({ kind: kind! }, content, path.join(out, 'out'), true), 4 * buildMs);
        await bounded(name, () => inMemory({ kind: kind!, mutations: [] }, content));
        // The same text as a string too (the file's bytes may be invalid UTF-8 on purpose).
        await bounded(name, () => inMemory({ kind: kind!, mutations: [] }, content.toString('utf8')));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
