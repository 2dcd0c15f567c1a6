import Handlebars from 'handlebars';
import type { Diagnostics } from '../../diagnostics.js';
import type { TemplateSource } from '../../load/templates.js';

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

  /** Compiles every template now so syntax errors surface before any page is written. */
  static check(sources: Map<string, TemplateSource>, diags: Diagnostics): boolean {
    let ok = true;
    for (const t of sources.values()) {
      try {
        Handlebars.parse(t.text);
      } catch (e) {
        ok = false;
        const line = Number(/line (\d+)/.exec(String((e as Error).message))?.[1]) || 1;
        diags.error(t.file, { line, column: 1 }, 'template-syntax', `模板语法错误：${String((e as Error).message).split('\n')[0]}。请修正该模板，或删除它以使用内置模板。`);
      }
    }
    return ok;
  }

  private compile(t: TemplateSource): Handlebars.TemplateDelegate {
    return this.hb.compile(t.text, { strict: false, knownHelpersOnly: false, preventIndent: true });
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
    const body = this.run(name, data);
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
