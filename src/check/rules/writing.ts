import type { Root, Text } from 'mdast';
import { normalizeStandardNumber, referenceCode, STANDARD_NUMBER_IN_TEXT } from '../../model/standard-number.js';
import type { Position } from '../../diagnostics.js';
import type { PathSeg, YamlSource } from '../../load/yaml-source.js';
import type { Rule, RuleContext } from '../context.js';
import { CATEGORY_ORDER } from '../../model/domain.js';

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
/** Half-width punctuation touching a Chinese character (times like 9:00 and URLs are left alone). */
const HALF_WIDTH = new RegExp(`[${CJK}][,;?!()]|[,;?!(](?=[${CJK}])|[${CJK}]:(?!\\/\\/)|:(?=[${CJK}])`);
const HALF_WIDTH_MARK = /[,;?!():]/;
const FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）' };

/** Editorial advice: warnings only (GB/T 1.1 verb forms, full-width punctuation, citations, coverage). */
export const writingRules: Rule = (ctx) => {
  const { diags } = ctx;
  const yamlSources = [
    ...(ctx.project ? [ctx.project] : []), ...ctx.items, ...ctx.checklists, ...ctx.results, ...ctx.standards,
  ];
  const halfWidth = (file: string, pos: Position | undefined, hit: string): void => {
    const ch = [...hit].find((c) => c in FULL)!;
    diags.warn(file, pos, 'halfwidth-punctuation', `中文文本中使用了半角标点“${ch}”。请改为全角“${FULL[ch]}”。`);
  };
  for (const { src, data } of yamlSources) {
    walkStrings(data, [], (value, path) => {
      // most text has none of these marks: a plain scan rules it out before the full pattern
      if (!HALF_WIDTH_MARK.test(value)) return;
      const m = HALF_WIDTH.exec(value);
      if (m) halfWidth(src.file, src.valueAt(path), m[0]);
    });
  }

  for (const s of ctx.standards) {
    textNodes(s.md.body, (node) => {
      const m = HALF_WIDTH.exec(node.value);
      if (m) halfWidth(s.src.file, offsetPos(node, m.index + m[0].search(/[,;?!():]/)), m[0]); // at the mark itself
    });
  }

  for (const s of ctx.standards) markdownHygiene(s.md.body, s.src.file, diags);

  // A superseded or withdrawn standard that a current one, or a checklist, still cites.
  const retired = new Map(ctx.standards.filter((s) => s.data.status === 'superseded' || s.data.status === 'withdrawn')
    .map((s) => [normalizeStandardNumber(s.data.code), s.data.status]));
  const replacedBy = new Map(ctx.standards.filter((s) => s.data.replaces).map((s) => [normalizeStandardNumber(s.data.replaces!), s.data.code]));
  const advise = (code: string): string => {
    const by = replacedBy.get(code);
    return by ? `请改为引用 ${by}。` : '请改为引用现行标准。';
  };
  for (const s of ctx.standards) {
    if (s.data.status !== 'current' && s.data.status !== 'draft') continue;
    (s.data.references ?? []).forEach((ref, i) => {
      const code = normalizeStandardNumber(referenceCode(ref));
      if (retired.has(code)) diags.warn(s.src.file, s.src.valueAt(['references', i]), 'cites-superseded', `引用的 ${code} 已${retired.get(code) === 'withdrawn' ? '废止' : '被代替'}。${advise(code)}`);
    });
    textNodes(s.md.body, (node) => {
      for (const m of node.value.matchAll(STANDARD_NUMBER_IN_TEXT)) {
        const code = normalizeStandardNumber(m[0]);
        if (retired.has(code)) diags.warn(s.src.file, offsetPos(node, m.index ?? 0), 'cites-superseded', `正文引用的 ${code} 已${retired.get(code) === 'withdrawn' ? '废止' : '被代替'}。${advise(code)}`);
      }
    });
  }
  for (const c of ctx.checklists) {
    c.data.sections.forEach((sec, si) => sec.items.forEach((it, ii) => {
      if (!it.standard) return;
      const code = normalizeStandardNumber(it.standard);
      if (retired.has(code)) diags.warn(c.src.file, c.src.valueAt(['sections', si, 'items', ii, 'standard']), 'cites-superseded', `条目引用的 ${code} 已被代替或废止。${advise(code)}`);
    }));
  }

  if (ctx.project) {
    // 有标采标: a category covered by an adopted current standard needs no standard of the office's own
    const covered = new Set<string>([
      ...ctx.standards.filter((s) => s.data.status === 'current').map((s) => s.data.category),
      ...(ctx.project.data.adopted ?? []).filter((a) => (a.status ?? 'current') === 'current').map((a) => a.category),
    ]);
    for (const [key, name] of CATEGORY_ORDER) {
      if (!covered.has(key)) {
        diags.warn('project.yaml', { line: 1, column: 1 }, 'category-uncovered',
          `类别“${name}”（${key}）还没有现行标准。按“缺标补标”，请为该类别制定标准。`);
      }
    }
  }
};


/** Raw HTML is dropped and unsafe links lose their target: say so where the author wrote them. */
function markdownHygiene(tree: Root, file: string, diags: RuleContext['diags']): void {
  const stack: unknown[] = [tree];
  while (stack.length) {
    const n = stack.pop() as { type: string; children?: unknown[]; url?: string; value?: string; position?: { start: { line: number; column: number } } };
    const pos = n.position ? { line: n.position.start.line, column: n.position.start.column } : undefined;
    if (n.type === 'html') {
      diags.warn(file, pos, 'raw-html', '正文中的 HTML 代码不会输出（为安全起见已丢弃）。请改用 Markdown 写法。');
    } else if ((n.type === 'link' || n.type === 'image') && n.url !== undefined && !/^(https?:|mailto:|tel:)/i.test(n.url.trim())) {
      diags.warn(file, pos, 'unsafe-link', `链接地址“${n.url.slice(0, 60)}”不是 http(s)、mailto 或 tel 地址，已作为普通文字输出。请改为完整的网址。`);
    } else if (n.type === 'image') {
      diags.warn(file, pos, 'image-dropped', '标准正文暂不支持插图，图片已略去。');
    }
    if (n.children) stack.push(...n.children);
  }
}

/** Every string in plain data with its path; `path` is one array, changed as the walk goes (copy it to keep it). */
function walkStrings(v: unknown, path: PathSeg[], visit: (s: string, path: PathSeg[]) => void): void {
  if (typeof v === 'string') visit(v, path);
  else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      walkStrings(v[i], path, visit);
      path.pop();
    }
  } else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      if (k.endsWith('url')) continue;
      path.push(k);
      walkStrings((v as Record<string, unknown>)[k], path, visit);
      path.pop();
    }
  }
}

export function textNodes(tree: Root, visit: (t: Text) => void): void {
  const stack: unknown[] = [tree];
  while (stack.length) {
    const n = stack.pop() as { type: string; children?: unknown[] };
    if (n.type === 'text') visit(n as Text);
    if (n.children) stack.push(...n.children);
  }
}

/** Position of a character inside a single-line text node (multi-line nodes fall back to the node start). */
export function offsetPos(node: Text, index: number): Position | undefined {
  const p = node.position;
  if (!p) return undefined;
  const before = node.value.slice(0, index);
  const nl = before.lastIndexOf('\n');
  if (nl < 0) return { line: p.start.line, column: p.start.column + index };
  return { line: p.start.line + before.split('\n').length - 1, column: index - nl };
}

export type { YamlSource };
