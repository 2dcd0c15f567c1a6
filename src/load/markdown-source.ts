import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Diagnostics } from '../diagnostics.js';
import { LineIndex } from './line-index.js';
import { ParseCache } from './parse-cache.js';
import type { FileRecord } from './file-stamps.js';
import { parseYamlSource, YamlSource, type SourceTexts } from './yaml-source.js';

export interface MarkdownSource {
  file: string;
  front: YamlSource;
  /** Body tree; positions are those of the whole file. */
  body: Root;
  /** The parse cache's key for the body, when one was used. */
  bodyKey?: string;
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

/** Front matter (between the `---` lines, starting at `base` in the file) and the body with the front matter blanked out. */
interface Split { front: string; base: number; body: string }

export function splitFrontMatter(text: string): Split | 'front-matter-missing' | 'front-matter-unterminated' | 'front-matter-empty' {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0]!.replace(/\r$/, ''))) return 'front-matter-missing';
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    if (FENCE_END.test(lines[i]!.replace(/\r$/, ''))) { end = i; break; }
  }
  if (end < 0) return 'front-matter-unterminated';
  const front = lines.slice(1, end).join('\n');
  if (front.trim() === '') return 'front-matter-empty';
  // Blank out the front matter so body positions are the file's own lines.
  return { front, base: lines[0]!.length + 1, body: '\n'.repeat(end + 1) + lines.slice(end + 1).join('\n') };
}

const SPLIT_PROBLEMS = {
  'front-matter-missing': '标准文件应以 YAML 前置元数据开头：第一行写 ---，随后写 code、title 等键，再以一行 --- 结束。',
  'front-matter-unterminated': '前置元数据没有结束：请在元数据之后、正文之前加一行 ---。',
  'front-matter-empty': '前置元数据是空的。请填写 code、title、category、system、status 等键。',
};

/** Splits `---` front matter from the body and parses both, keeping file positions. */
export function parseMarkdownSource(text: string, file: string, diags: Diagnostics, cache?: ParseCache): MarkdownSource | undefined {
  const split = splitFrontMatter(text);
  if (typeof split === 'string') {
    diags.error(file, { line: 1, column: 1 }, split, SPLIT_PROBLEMS[split]);
    return undefined;
  }
  const front = parseYamlSource(split.front, file, diags, { fileText: text, base: split.base, cache });
  if (!front) return undefined;
  const key = cache && ParseCache.key('md', split.body);
  let body = key ? cache!.get<Root>(key) : undefined;
  if (!body) {
    // a line opening thousands of quotes or lists is refused before parsing: remark's time grows
    // faster than the nesting, and the tree would be refused anyway
    const markers = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+/;
    const lines = split.body.split('\n');
    const over = lines.findIndex((l) => l.length > MAX_NESTING && (markers.exec(l)?.[0].replace(/[^>*+\-.)]/g, '').length ?? 0) > MAX_NESTING);
    const crowded = over < 0 ? crowdedBrackets(split.body) : undefined;
    if (crowded) {
      diags.error(file, { line: crowded.line, column: 1 }, 'markdown-too-complex',
        `这一段有 ${crowded.count} 个方括号 [ ]（超过 ${MAX_BRACKETS} 个）。Markdown 把方括号当作链接来解析，这么多会让解析停不下来：请删除多余的方括号，或改用【】。`);
      return undefined;
    }
    body = over < 0 ? parseMarkdownTree(split.body) : undefined;
    const deep = body ? deepest(body) : { position: { start: { line: over + 1, column: 1 } } };
    if (deep) {
      // every later step walks the tree recursively: thousands of > or list markers overflowed the stack
      const at = deep.position?.start;
      diags.error(file, at ? { line: at.line, column: at.column } : { line: 1, column: 1 }, 'nesting-too-deep',
        `正文嵌套超过 ${MAX_NESTING} 层（引用 > 或列表一层套一层）。标准的条款和列表不会嵌套这么深：请检查这里是否误输入了大量 > 或 - 符号。`);
      return undefined;
    }
    if (key) cache!.set(key, body!);
  }
  return { file, front, body: body!, bodyKey: key };
}

/** Square brackets per paragraph: link labels make remark's time grow with their square (32 000 ] took a minute). */
export const MAX_BRACKETS = 2000;

function crowdedBrackets(body: string): { line: number; count: number } | undefined {
  let line = 1;
  for (const para of body.split(/(\n[ \t]*\n)/)) {
    let count = 0;
    for (let i = 0; i < para.length; i++) {
      const c = para.charCodeAt(i);
      if (c === 91 || c === 93) count++;
    }
    if (count > MAX_BRACKETS) return { line: line + (para.length - para.trimStart().length ? para.slice(0, para.length - para.trimStart().length).split('\n').length - 1 : 0), count };
    for (let i = 0; i < para.length; i++) if (para.charCodeAt(i) === 10) line++;
  }
  return undefined;
}

/** Deeper than any real standard nests (GB/T 1.1 stops at five clause levels and two of lists). */
export const MAX_NESTING = 64;

/** The first node nested deeper than MAX_NESTING, found without recursion. */
function deepest(tree: Root): { position?: { start: { line: number; column: number } } } | undefined {
  const stack: [{ children?: unknown[]; position?: { start: { line: number; column: number } } }, number][] = [[tree, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > MAX_NESTING) return n;
    for (const c of n.children ?? []) stack.push([c as { children?: unknown[] }, d + 1]);
  }
  return undefined;
}

/**
 * A standard unchanged since the last build (see FileStamps), from the parse cache; its text is
 * read only if a diagnostic needs a position. undefined when the cache no longer has it.
 */
export function cachedMarkdownSource(file: string, readText: () => string, rec: FileRecord, cache: ParseCache): MarkdownSource | undefined {
  const [frontKey, bodyKey] = rec.keys;
  const data = frontKey ? cache.get(frontKey) : undefined;
  const body = bodyKey ? cache.get<Root>(bodyKey) : undefined;
  if (data === undefined || !body) return undefined;
  const texts = (): SourceTexts => {
    const fileText = readText();
    const split = splitFrontMatter(fileText);
    return { text: typeof split === 'string' ? '' : split.front, fileText };
  };
  return { file, front: new YamlSource(file, texts, data, rec.base, frontKey), body, bodyKey };
}
