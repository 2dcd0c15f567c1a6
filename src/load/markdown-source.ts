import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Diagnostics } from '../diagnostics.js';
import { LineIndex } from './line-index.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export interface MarkdownSource {
  file: string;
  front: YamlSource;
  /** Body tree; positions are those of the whole file. */
  body: Root;
}

const parser = unified().use(remarkParse).use(remarkGfm);

export function parseMarkdownTree(text: string): Root {
  return parser.runSync(parser.parse(text)) as Root;
}

const FENCE = /^---[ \t]*$/;
const FENCE_END = /^(---|\.\.\.)[ \t]*$/;

/** Splits `---` front matter from the body and parses both, keeping file positions. */
export function parseMarkdownSource(text: string, file: string, diags: Diagnostics): MarkdownSource | undefined {
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
  const index = new LineIndex(text);
  const fmStart = lines[0]!.length + 1;
  const fmText = lines.slice(1, end).join('\n');
  if (fmText.trim() === '') {
    diags.error(file, { line: 1, column: 1 }, 'front-matter-empty', '前置元数据是空的。请填写 code、title、category、system、status 等键。');
    return undefined;
  }
  const front = parseYamlSource(fmText, file, diags, { index, base: fmStart });
  if (!front) return undefined;
  // Blank out the front matter so body positions are the file's own lines.
  const bodyText = '\n'.repeat(end + 1) + lines.slice(end + 1).join('\n');
  const body = parseMarkdownTree(bodyText);
  return { file, front, body };
}
