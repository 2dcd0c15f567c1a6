import { isDeepStrictEqual } from 'node:util';
import type { Nodes, Root } from 'mdast';
import remarkGfm, { type Options as GfmOptions } from 'remark-gfm';
import remarkStringify, { type Options as StringifyOptions } from 'remark-stringify';
import { unified } from 'unified';
import { parseMarkdownTree } from '../load/markdown-source.js';
import { FormatError } from './yaml-format.js';

type Handler = (node: never, parent: unknown, state: unknown, info: unknown) => string;

/** GB/T 1.1 habits: `-` lists, `1.` `2.` numbered lists, `*`-emphasis, fenced code, no hard wrapping. */
export const MARKDOWN_SETTINGS = {
  bullet: '-',
  listItemIndent: 'one',
  emphasis: '*',
  strong: '*',
  fences: true,
  rule: '-',
  incrementListMarker: true,
} as const satisfies StringifyOptions;

/** A table whose aligned form is wider than this (in terminal columns, CJK = 2) is written compact. */
export const MAX_ALIGNED_TABLE_WIDTH = 100;

/**
 * Normalizes a Markdown body with remark-stringify and proves the result parses to the same
 * tree (positions aside); otherwise throws FormatError and the file is left alone.
 * Backslash escapes that remark-stringify adds but the text does not need (`\[1]`, `\&`) are
 * dropped again, one by one, each only if the tree stays the same.
 */
export function formatMarkdownBody(body: string): string {
  const tree = parseMarkdownTree(body);
  // remark-stringify recurses once per level: a deep tree would overflow the stack
  if (depthOf(tree) > MAX_FORMAT_DEPTH) throw new FormatError(`正文嵌套超过 ${MAX_FORMAT_DEPTH} 层（引用“>”或列表套列表），无法安全地格式化；请减少嵌套`);
  const target = stripPositions(tree);
  const same = (text: string): boolean => isDeepStrictEqual(stripPositions(parseMarkdownTree(text)), target);
  let out = stringify(tree);
  if (!same(out)) throw new FormatError('Markdown 正文无法在不改变内容的前提下格式化');
  // Links typed as bare text stay bare where that reads back the same, all at once or one by one.
  const bare = literalLinks(tree);
  if (bare.length > 0) {
    const all = stringify(withBareLinks(tree, new Set(bare)));
    if (same(all)) out = all;
    else {
      const kept = new Set<Nodes>();
      for (const link of bare) {
        const trial = stringify(withBareLinks(tree, new Set([...kept, link])));
        if (same(trial)) {
          kept.add(link);
          out = trial;
        }
      }
    }
  }
  return minimizeEscapes(out, same);
}

let processor: ReturnType<typeof makeProcessor> | undefined;

function stringify(tree: Root): string {
  processor ??= makeProcessor();
  return processor.stringify(tree);
}

function makeProcessor() {
  const aligned = gfmTableHandler({ stringLength: displayWidth });
  // Every cell "3 wide": no padding, `| --- |` delimiters — the compact GFM form for wide tables.
  const compact = gfmTableHandler({ stringLength: () => 3 });
  const table: Handler = (node, parent, state, info) => {
    const text = aligned(node, parent, state, info);
    const width = Math.max(...text.split('\n').map(displayWidth));
    return width <= MAX_ALIGNED_TABLE_WIDTH ? text : compact(node, parent, state, info);
  };
  return unified().use(remarkGfm, { singleTilde: false }).use(remarkStringify, { ...MARKDOWN_SETTINGS, handlers: { table } as StringifyOptions['handlers'] }).freeze();
}

/** remark-gfm's own table serializer with the given options (it registers one per processor). */
function gfmTableHandler(options: GfmOptions): Handler {
  const exts = unified().use(remarkGfm, options).freeze().data('toMarkdownExtensions') ?? [];
  const find = (ext: unknown): Handler | undefined => {
    const e = ext as { handlers?: Record<string, Handler>; extensions?: unknown[] };
    return e.handlers?.table ?? e.extensions?.map(find).find(Boolean);
  };
  const handler = exts.map(find).find(Boolean);
  if (!handler) throw new Error('remark-gfm did not provide a table serializer');
  return handler;
}

/** Terminal columns of a string: CJK characters and full-width punctuation count 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff)
      || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf)
      || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f)
      || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** Links the author most likely typed as bare text: `https://…`, `www.…`, `a@b.cn` (GFM literal autolinks). */
function literalLinks(tree: Root): Nodes[] {
  const found: Nodes[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === 'link' && !node.title && node.children.length === 1 && node.children[0]!.type === 'text') {
      const text = node.children[0]!.value;
      if ((node.url === text && /^https?:\/\/\S+$/i.test(text))
        || (node.url === `http://${text}` && /^www\.\S+$/i.test(text))
        || (node.url === `mailto:${text}` && /^[^\s@:]+@[^\s@]+$/.test(text))) found.push(node);
      return;
    }
    if ('children' in node) for (const c of node.children) walk(c as Nodes);
  };
  walk(tree);
  return found;
}

/** A copy of the tree where the given links are raw text (an `html` node is written out verbatim). */
function withBareLinks(tree: Root, links: Set<Nodes>): Root {
  const copy = (node: Nodes): Nodes => {
    if (links.has(node) && node.type === 'link') return { type: 'html', value: (node.children[0] as { value: string }).value };
    if (!('children' in node)) return node;
    return { ...node, children: node.children.map((c) => copy(c as Nodes)) } as Nodes;
  };
  return copy(tree) as Root;
}

const ASCII_PUNCT = /[!-/:-@[-`{-~]/;

/** Drops backslash escapes in text that the tree does not need, keeping the first result that still parses the same. */
function minimizeEscapes(out: string, same: (text: string) => boolean): string {
  const candidates: number[] = [];
  const stack: Nodes[] = [parseMarkdownTree(out)];
  const ranges: [number, number][] = [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text' && n.position?.start.offset !== undefined && n.position.end.offset !== undefined) {
      ranges.push([n.position.start.offset, n.position.end.offset]);
    }
    if ('children' in n) stack.push(...(n.children as Nodes[]));
  }
  for (const [start, end] of ranges) {
    for (let i = start; i < end - 1; i++) {
      if (out[i] !== '\\') continue;
      if (ASCII_PUNCT.test(out[i + 1]!)) candidates.push(i);
      i++; // the escaped character itself
    }
  }
  if (candidates.length === 0) return out;
  candidates.sort((a, b) => a - b);
  const removeAll = candidates.reduceRight((s, i) => s.slice(0, i) + s.slice(i + 1), out);
  if (same(removeAll)) return removeAll;
  let cur = out;
  for (let k = candidates.length - 1; k >= 0; k--) { // right to left: earlier offsets stay valid
    const i = candidates[k]!;
    const trial = cur.slice(0, i) + cur.slice(i + 1);
    if (same(trial)) cur = trial;
  }
  return cur;
}

/** A deep copy of a tree without `position` fields, for comparing two parses. */
export function stripPositions<T>(node: T): T {
  if (Array.isArray(node)) return node.map(stripPositions) as T;
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (k !== 'position') out[k] = stripPositions(v);
    return out as T;
  }
  return node;
}

/** Deeper than any real standard nests (GB/T 1.1 stops at five clause levels and two of lists). */
const MAX_FORMAT_DEPTH = 64;

/** How deep a tree nests, walked without recursion. */
function depthOf(tree: Root): number {
  let max = 0;
  const stack: [Nodes, number][] = [[tree, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    if ('children' in n) for (const c of n.children) stack.push([c as Nodes, d + 1]);
  }
  return max;
}
