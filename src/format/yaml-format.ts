import { isDeepStrictEqual } from 'node:util';
import { isMap, isNode, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { KeyOrder } from './key-order.js';

/** The formatter could not prove its output means the same as the input: the file is left alone. */
export class FormatError extends Error {}

const PARSE = { version: '1.2', uniqueKeys: true, prettyErrors: false, keepSourceTokens: false } as const;

/** How normkit writes YAML: 2-space indent, indented block sequences, no folding of long lines. */
const STRINGIFY = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  flowCollectionPadding: true,
} as const;

/**
 * Formats one YAML text (a .yaml file or a front matter) through the Document API, so comments,
 * blank lines between groups, anchors, flow/block style and scalar spellings (`~`, `2.50`) stay:
 * keys in contract order, `'single'` quotes as `"double"`, `[a, b]` and `{ k: v }` flow style.
 * The caller has already reported syntax errors; a text that still fails throws FormatError.
 */
export function formatYaml(text: string, order?: KeyOrder): string {
  const doc = parseDocument(text, PARSE);
  if (doc.errors.length) throw new FormatError(doc.errors[0]!.message);
  const before = snapshot(doc);

  if (order) applyOrder(doc.contents, order);
  visit(doc, {
    Scalar(_, node) {
      // Quoted strings stay quoted (unquoting "96196" or "03.080" would make a number); one quote style.
      if (node.type === 'QUOTE_SINGLE' && typeof node.value === 'string' && !/["\\]/.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
    Seq(_, node) {
      if (node.flow) flowPadding(node, '');
    },
    Map(_, node) {
      if (node.flow) flowPadding(node, ' ');
    },
  });
  const out = doc.toString(STRINGIFY);

  const again = parseDocument(out, PARSE);
  if (again.errors.length) throw new FormatError(`格式化结果无法解析（${again.errors[0]!.code}）`);
  const after = snapshot(again);
  if (!isDeepStrictEqual(before.data, after.data)) throw new FormatError('格式化会改变数据');
  if (!isDeepStrictEqual(before.comments, after.comments)) throw new FormatError('格式化会丢失或改动注释');
  return out;
}

/** What formatting must not change: the data (typed keys, unordered maps) and every comment line. */
function snapshot(doc: Document.Parsed): { data: unknown; comments: string[] } {
  const data = doc.toJS({ mapAsMap: true, maxAliasCount: 200 });
  return { data, comments: commentLines(doc) };
}

export function commentLines(doc: Document): string[] {
  const lines: string[] = [];
  const add = (c: string | null | undefined): void => {
    if (c) for (const l of c.split('\n')) if (l.trim()) lines.push(l.trim());
  };
  add(doc.commentBefore);
  add(doc.comment);
  visit(doc, {
    Node(_, node) {
      add(node.commentBefore);
      add(node.comment);
    },
  });
  return lines.sort();
}

function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function applyOrder(node: unknown, order: KeyOrder): void {
  if (isSeq(node)) {
    for (const item of node.items) applyOrder(item, order);
    return;
  }
  if (!isMap(node)) return;
  reorder(node as YAMLMap, order.keys);
  if (!order.nested) return;
  for (const pair of (node as YAMLMap).items) {
    const k = keyName(pair);
    const sub = k === undefined ? undefined : order.nested[k];
    if (sub) applyOrder(pair.value, sub);
  }
}

function reorder(map: YAMLMap, keys: readonly string[]): void {
  const items = map.items;
  const rank = (p: Pair): number => {
    const k = keyName(p);
    const i = k === undefined ? -1 : keys.indexOf(k);
    return i < 0 ? keys.length : i;
  };
  const sorted = items.map((p, i) => ({ p, i, r: rank(p) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.p);
  if (sorted.every((p, i) => p === items[i])) return;
  // Comments and a blank line above the first key belong to the mapping (a file's
  // `# yaml-language-server` header): they stay on top, whichever key comes first now.
  const oldHead = items[0]!.key;
  const newHead = sorted[0]!.key;
  if (isNode(oldHead) && isNode(newHead)) {
    const headComment = oldHead.commentBefore;
    const headSpace = oldHead.spaceBefore;
    oldHead.commentBefore = undefined;
    oldHead.spaceBefore = undefined;
    newHead.commentBefore = [headComment, newHead.commentBefore].filter(Boolean).join('\n') || undefined;
    newHead.spaceBefore = headSpace;
  }
  map.items = sorted;
}

/** `[a, b]` but `{ k: v }`, the style of the contract's examples (the yaml package has one switch for both). */
function flowPadding(node: Node, padding: string): void {
  const original = node.toString.bind(node) as (ctx?: object, onComment?: () => void, onChompKeep?: () => void) => string;
  (node as { toString: unknown }).toString = (ctx?: { flowCollectionPadding?: string }, onComment?: () => void, onChompKeep?: () => void): string =>
    original(ctx ? { ...ctx, flowCollectionPadding: padding } : ctx, onComment, onChompKeep);
}
