import type { SourceKind } from '../load/project-loader.js';
import { KEY_ORDER } from './key-order.js';
import { formatMarkdownBody } from './markdown-format.js';
import { FormatError, formatYaml } from './yaml-format.js';

const FENCE = /^---[ \t]*$/;
const FENCE_END = /^(---|\.\.\.)[ \t]*$/;

/**
 * The normalized text of one source file: YAML for project/item/checklist/result files, front
 * matter plus Markdown body for standards. Line endings become LF and a BOM is dropped.
 * Throws FormatError when the text cannot be formatted without changing its meaning.
 */
export function formatSource(text: string, kind: SourceKind): string {
  // A second pass must change nothing, so `fmt --check` holds after `fmt`; the yaml package
  // needs one more pass for a few comment placements (after a key with no value).
  let out = formatOnce(text, kind);
  if (out === text) return out;
  for (let pass = 0; pass < 3; pass++) {
    const again = formatOnce(out, kind);
    if (again === out) return out;
    out = again;
  }
  throw new FormatError('格式化结果不稳定（多次格式化结果不同）');
}

function formatOnce(text: string, kind: SourceKind): string {
  const src = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n/g, '\n');
  if (kind !== 'standard') return formatYaml(src, KEY_ORDER[kind]);

  const lines = src.split('\n');
  if (!FENCE.test(lines[0]!)) throw new FormatError('标准文件应以 YAML 前置元数据（---）开头');
  const end = lines.findIndex((l, i) => i > 0 && FENCE_END.test(l));
  if (end < 0) throw new FormatError('前置元数据没有结束行 ---');
  const front = formatYaml(lines.slice(1, end).join('\n') + '\n', KEY_ORDER.standard);
  const body = lines.slice(end + 1).join('\n');
  const formatted = body.trim() === '' ? '' : formatMarkdownBody(body);
  return `---\n${front}---\n${formatted ? `\n${formatted}` : ''}`;
}
