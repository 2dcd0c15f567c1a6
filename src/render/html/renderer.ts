import { hash } from 'node:crypto';
import { createRequire } from 'node:module';
import Handlebars from 'handlebars';

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];
import type { Diagnostics } from '../../diagnostics.js';
import type { TemplateSource } from '../../load/templates.js';
import { nowrapNumbers } from './nowrap.js';

export interface PageOptions {
  title: string;
  /** Relative path from the page to the site root, e.g. `../`. */
  root: string;
  /** CSS @page size, e.g. `A4`, `A3 portrait`, `A4 landscape`. */
  pageSize: string;
  bodyClass?: string;
}

/** A template that failed to compile or run: reported with the template's file and line. */
export class TemplateError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, message: string) {
    super(message);
  }
}

export const HANDLEBARS_OPTIONS = { strict: false, knownHelpersOnly: false, preventIndent: true } as const;

/** Bundled templates compiled when normkit was built (see pipeline/precompile.ts), by key, with their text's hash. */
type TemplateSpecs = Record<string, { hash: string; spec: TemplateSpecification }>;
let specs: TemplateSpecs | null | undefined;

/** The precompiled spec of a template whose text is still the bundled one (a project's own never has one). */
function precompiledSpec(t: TemplateSource): TemplateSpecification | undefined {
  if (!t.file.startsWith('normkit:')) return undefined;
  if (specs === undefined) {
    try {
      specs = createRequire(import.meta.url)('./templates.cjs') as TemplateSpecs;
    } catch {
      specs = null; // running from the TypeScript sources
    }
  }
  const entry = specs?.[`${t.partial ? 'partial:' : ''}${t.name}`];
  return entry && entry.hash === hash('sha1', t.text) ? entry.spec : undefined;
}

/** Handlebars over templates/: values are escaped by Handlebars; helpers only compare and format. */
export class HtmlRenderer {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly sources: Map<string, TemplateSource>) {
    const hb = this.hb;
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
    hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    hb.registerHelper('inc', (n: number) => n + 1);
    hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : '、') : ''));
    hb.registerHelper('letter', (i: number) => String.fromCharCode(97 + (i % 26)));
    hb.registerHelper('percent', (n: number) => `${(Math.round(n * 1000) / 10).toFixed(1)}%`);
    hb.registerHelper('encode', (s: string) => encodeURIComponent(s));
    for (const t of sources.values()) if (t.partial) hb.registerPartial(t.name, this.compile(t));
  }

  /**
   * Parses every template now so syntax errors, calls of unknown helpers and unknown partials
   * surface, with their template file and line, before any page is written.
   */
  static check(sources: Map<string, TemplateSource>, diags: Diagnostics): boolean {
    let ok = true;
    const helpers = new Set(Object.keys(new HtmlRenderer(sources).hb.helpers));
    const partials = new Set([...sources.values()].filter((t) => t.partial).map((t) => t.name));
    for (const t of sources.values()) {
      // a bundled template as normkit was built with passed these checks then
      if (precompiledSpec(t)) continue;
      let ast: hbs.AST.Program;
      try {
        ast = Handlebars.parse(t.text);
      } catch (e) {
        ok = false;
        // Parse errors say "on line N"; mismatched blocks carry lineNumber/column (0-based column).
        const err = e as Error & { lineNumber?: number; column?: number };
        const line = err.lineNumber || Number(/line (\d+)/.exec(String(err.message))?.[1]) || 1;
        const column = typeof err.column === 'number' ? err.column + 1 : 1;
        diags.error(t.file, { line, column }, 'template-syntax', `模板语法错误：${String((e as Error).message).split('\n')[0]}。请修正该模板，或删除它以使用内置模板。`);
        continue;
      }
      for (const u of unknownNames(ast, helpers, partials)) {
        ok = false;
        diags.error(t.file, { line: u.line, column: u.column }, 'template-render', u.partial
          ? `模板引用了不存在的局部模板“${u.name}”。请改正名称，或在 templates/partials/ 中添加 ${u.name}.hbs。`
          : `模板调用了未知的辅助函数“${u.name}”。可用的辅助函数：${[...helpers].filter((h) => !h.startsWith('helperMissing') && h !== 'blockHelperMissing').join('、')}。`);
      }
    }
    for (const c of partialCycles(sources)) {
      ok = false;
      diags.error(c.file, { line: c.line, column: c.column }, 'template-recursive',
        `局部模板循环引用：${c.cycle.join(' → ')}。渲染时会无限展开。请去掉其中一处 {{> …}} 引用。`);
    }
    return ok;
  }

  private compile(t: TemplateSource): Handlebars.TemplateDelegate {
    const spec = precompiledSpec(t);
    return spec ? this.hb.template(spec) : this.hb.compile(t.text, HANDLEBARS_OPTIONS);
  }

  private template(name: string): Handlebars.TemplateDelegate {
    let fn = this.compiled.get(name);
    if (!fn) {
      const src = this.sources.get(name);
      if (!src) throw new TemplateError(`templates/${name}.hbs`, undefined, `缺少模板 ${name}.hbs。`);
      fn = this.compile(src);
      this.compiled.set(name, fn);
    }
    return fn;
  }

  /** Renders `name` with `data` and wraps it in the layout. */
  page(name: string, data: object, opts: PageOptions): string {
    const body = nowrapNumbers(this.run(name, data));
    return this.run('layout', { ...opts, body: new Handlebars.SafeString(body) });
  }

  run(name: string, data: object): string {
    try {
      return this.template(name)(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (e) {
      const src = this.sources.get(name);
      const msg = String((e as Error).message).split('\n')[0]!;
      const line = Number(/line (\d+)/.exec(msg)?.[1]) || undefined;
      throw new TemplateError(src?.file ?? name, line, `模板 ${name} 渲染失败：${msg}。请检查模板中的辅助函数和字段名。`);
    }
  }
}

/**
 * Helper calls (a name with arguments) that no helper answers, and partials that do not exist.
 * `{{name}}` alone may be a field, so only calls with parameters or hash arguments count.
 */
function unknownNames(ast: hbs.AST.Program, helpers: Set<string>, partials: Set<string>): { name: string; line: number; column: number; partial: boolean }[] {
  const found: { name: string; line: number; column: number; partial: boolean }[] = [];
  const simple = (p: hbs.AST.Expression): string | undefined => {
    const path = p as hbs.AST.PathExpression;
    return p.type === 'PathExpression' && !path.data && path.depth === 0 && path.parts.length === 1 && path.original === path.parts[0] ? path.original : undefined;
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) { for (const n of node) visit(n); return; }
    const n = node as { type?: string; loc?: hbs.AST.SourceLocation } & Record<string, unknown>;
    const at = { line: n.loc?.start.line ?? 1, column: (n.loc?.start.column ?? 0) + 1 };
    if (n.type === 'MustacheStatement' || n.type === 'BlockStatement' || n.type === 'SubExpression') {
      const call = n as unknown as hbs.AST.MustacheStatement;
      const name = simple(call.path as hbs.AST.Expression);
      if (name && (call.params.length > 0 || call.hash) && !helpers.has(name)) found.push({ name, ...at, partial: false });
    } else if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') {
      const name = (n as unknown as hbs.AST.PartialStatement).name;
      if (name.type === 'PathExpression' && !partials.has((name as hbs.AST.PathExpression).original) && n.type === 'PartialStatement') {
        found.push({ name: (name as hbs.AST.PathExpression).original, ...at, partial: true });
      }
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'strip') visit(v);
  };
  visit(ast);
  return found;
}

/**
 * Project partials that include themselves, directly or through others (`{{> nav}}` inside
 * partials/nav.hbs): Handlebars would recurse until the stack overflows, inside whichever bundled
 * template first used the partial. Reported at the project partial's reference that closes the
 * loop. Bundled partials have no loops, so only a project's own can start one.
 */
function partialCycles(sources: Map<string, TemplateSource>): { file: string; line: number; column: number; cycle: string[] }[] {
  const own = [...sources.values()].filter((t) => t.partial && !t.file.startsWith('normkit:'));
  if (!own.length) return [];
  const refs = new Map<string, { name: string; line: number; column: number }[]>();
  for (const t of sources.values()) {
    if (!t.partial) continue;
    let ast: hbs.AST.Program;
    try {
      ast = Handlebars.parse(t.text);
    } catch {
      continue; // reported as template-syntax
    }
    const found: { name: string; line: number; column: number }[] = [];
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) { for (const n of node) visit(n); return; }
      const n = node as { type?: string; name?: hbs.AST.PathExpression; loc?: hbs.AST.SourceLocation } & Record<string, unknown>;
      if ((n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') && n.name?.type === 'PathExpression') {
        found.push({ name: n.name.original, line: n.loc?.start.line ?? 1, column: (n.loc?.start.column ?? 0) + 1 });
      }
      for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'strip') visit(v);
    };
    visit(ast);
    refs.set(t.name, found);
  }
  const out: { file: string; line: number; column: number; cycle: string[] }[] = [];
  const reported = new Set<string>();
  for (const start of own) {
    for (const first of refs.get(start.name) ?? []) {
      // breadth-first from the first reference back to the start
      const seen = new Map<string, string[]>([[first.name, [start.name, first.name]]]);
      const queue = [first.name];
      let cycle: string[] | undefined;
      while (queue.length && !cycle) {
        const at = queue.shift()!;
        const path = seen.get(at)!;
        if (at === start.name) { cycle = path; break; }
        for (const r of refs.get(at) ?? []) {
          if (seen.has(r.name)) continue;
          seen.set(r.name, [...path, r.name]);
          queue.push(r.name);
        }
      }
      if (!cycle) continue;
      const key = [...cycle.slice(0, -1)].sort().join(' ');
      if (reported.has(key)) continue;
      reported.add(key);
      out.push({ file: start.file, line: first.line, column: first.column, cycle });
    }
  }
  return out;
}
