import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Diagnostics } from '../diagnostics.js';
import { LineIndex } from './line-index.js';
import { ParseCache } from './parse-cache.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export interface MarkdownSource {
  file: string;
  front: YamlSource;
  /** Body tree; positions are those of the whole file. */
  body: Root;
}

// singleTilde off: Chinese ranges like 2~3个工作日 are not strikethrough
const parser = unified().use(remarkParse).use(remarkGfm, { singleTilde: false });

export function parseMarkdownTree(text: string): Root {
  const tree = parser.runSync(parser.parse(text)) as Root;
  fillPositions(tree as unknown as MdNode, text, new LineIndex(text));
  return tree;
}

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  position?: { start: { line: number; column: number; offset?: number }; end: { line: number; column: number; offset?: number } };
}

/**
 * Nodes made by transforms (GFM autolinks split a text node around a bare URL) come without a
 * position; every diagnostic needs one. Each gets the place where its text is found after its
 * previous sibling, inside its parent (or, failing that, the point right after that sibling).
 */
function fillPositions(node: MdNode, text: string, index: LineIndex): void {
  if (!node.children) return;
  let cursor = node.position?.start.offset ?? 0;
  const limit = node.position?.end.offset ?? text.length;
  const point = (offset: number): { line: number; column: number; offset: number } => ({ ...index.at(offset), offset });
  for (const child of node.children) {
    if (!child.position) {
      const literal = plainText(child);
      const at = literal ? text.indexOf(literal, cursor) : -1;
      const start = at >= 0 && at + literal.length <= limit ? at : cursor;
      const end = at >= 0 && at + literal.length <= limit ? at + literal.length : cursor;
      child.position = { start: point(start), end: point(end) };
    }
    fillPositions(child, text, index);
    cursor = Math.max(cursor, child.position.end.offset ?? cursor);
  }
}

function plainText(n: MdNode): string {
  return n.value ?? (n.children ?? []).map(plainText).join('');
}

const FENCE = /^---[ \t]*$/;
const FENCE_END = /^(---|\.\.\.)[ \t]*$/;

/** Splits `---` front matter from the body and parses both, keeping file positions. */
export function parseMarkdownSource(text: string, file: string, diags: Diagnostics, cache?: ParseCache): MarkdownSource | undefined {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0]!.replace(/\r$/, ''))) {
    diags.error(file, { line: 1, column: 1 }, 'front-matter-missing',
      '标准文件应以 YAML 前置元数据开头：第一行写 ---，随后写 code、title 等键，再以一行 --- 结束。');
    return undefined;
  }
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    if (FENCE_END.test(lines[i]!.replace(/\r$/, ''))) { end = i; break; }
  }
  if (end < 0) {
    diags.error(file, { line: 1, column: 1 }, 'front-matter-unterminated',
      '前置元数据没有结束：请在元数据之后、正文之前加一行 ---。');
    return undefined;
  }
  const fmStart = lines[0]!.length + 1;
  const fmText = lines.slice(1, end).join('\n');
  if (fmText.trim() === '') {
    diags.error(file, { line: 1, column: 1 }, 'front-matter-empty', '前置元数据是空的。请填写 code、title、category、system、status 等键。');
    return undefined;
  }
  const front = parseYamlSource(fmText, file, diags, { fileText: text, base: fmStart, cache });
  if (!front) return undefined;
  // Blank out the front matter so body positions are the file's own lines.
  const bodyText = '\n'.repeat(end + 1) + lines.slice(end + 1).join('\n');
  const key = cache && ParseCache.key('md', bodyText);
  let body = key ? cache!.get<Root>(key) : undefined;
  if (!body) {
    body = parseMarkdownTree(bodyText);
    if (key) cache!.set(key, body);
  }
  return { file, front, body };
}
