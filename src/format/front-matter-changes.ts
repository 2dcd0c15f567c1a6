import { parseDocument } from 'yaml';
import { splitFrontMatter } from '../load/markdown-source.js';

/**
 * A standard's text with `changes:` in its front matter set to `items`, everything else (comments,
 * order, body) as it was; undefined when the front matter cannot be found.
 */
export function withChanges(text: string, items: string[]): string | undefined {
  const split = splitFrontMatter(text);
  if (typeof split === 'string') return undefined;
  const doc = parseDocument(split.front);
  if (doc.errors.length) return undefined;
  doc.set('changes', doc.createNode(items));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const front = doc.toString({ lineWidth: 0 }).replace(/\n$/, '').split('\n').join(eol);
  const lines = text.split('\n');
  const end = lines.findIndex((l, i) => i > 0 && /^---\s*\r?$/.test(l));
  return [lines[0], front, ...lines.slice(end)].join('\n').replace(/\r?\n/g, eol);
}
