import type { Paragraph, Root, Text } from 'mdast';
import { normalizeStandardNumber, referenceCode, STANDARD_NUMBER_IN_TEXT } from '../../model/standard-number.js';
import type { Rule } from '../context.js';
import { offsetPos } from './writing.js';

/** `GB/T 1.1—2020` and `GB/T 1.1` name the same document (dated and undated citation). */
const undated = (code: string): string => code.replace(/—\d{4}$/, '');

/**
 * 规范性引用文件 (GB/T 1.1, 8.5): each listed document has a title, every document the text
 * cites is listed, and every listed one is cited. Citations inside 注 and 示例 are informative.
 */
export const referenceRules: Rule = (ctx) => {
  const { diags } = ctx;
  const titles = new Map(ctx.standards.map((s) => [normalizeStandardNumber(s.data.code), s.data.title]));
  for (const s of ctx.standards) {
    const self = normalizeStandardNumber(s.data.code);
    const refs = (s.data.references ?? []).map((r, i) => ({ r, i, code: normalizeStandardNumber(referenceCode(r)) }));
    const listed = new Set(refs.flatMap(({ code }) => [code, undated(code)]));
    const cited = new Set<string>();
    const replaces = s.data.replaces ? normalizeStandardNumber(s.data.replaces) : undefined;
    normativeText(s.md.body, (node) => {
      for (const m of node.value.matchAll(STANDARD_NUMBER_IN_TEXT)) {
        const code = normalizeStandardNumber(m[0]);
        if (code === self || code === replaces) continue;
        cited.add(code).add(undated(code));
        if (!listed.has(code) && !listed.has(undated(code))) {
          diags.warn(s.src.file, offsetPos(node, m.index ?? 0), 'reference-not-listed',
            `正文引用了 ${code}，但它不在规范性引用文件（front matter 的 references）中。请在 references 中加上“- code: ${code}”及其 title；若只是资料性提及，请写入“注”。`);
        }
      }
    });
    for (const { r, i, code } of refs) {
      const at = s.src.valueAt(['references', i]);
      if ((typeof r === 'string' || !r.title) && !titles.has(code)) {
        diags.warn(s.src.file, at, 'reference-untitled',
          `引用文件 ${code} 没有名称，规范性引用文件一章将只列出编号。请写成“- code: ${code}”并在下一行加“title: 文件名称”。`);
      }
      if (!cited.has(code) && !cited.has(undated(code))) {
        diags.warn(s.src.file, at, 'reference-not-cited',
          `引用文件 ${code} 列在规范性引用文件中，但正文没有引用它。规范性引用文件应在正文中被引用：请在相应条款中引用，或从 references 中删去。`);
      }
    }
  }
};

/** Text nodes of the body outside 注 and 示例 paragraphs (whose text is informative). */
function normativeText(tree: Root, visit: (t: Text) => void): void {
  const stack: unknown[] = [tree];
  while (stack.length) {
    const n = stack.pop() as { type: string; children?: unknown[] };
    if (n.type === 'paragraph' && isInformative(n as Paragraph)) continue;
    if (n.type === 'text') visit(n as Text);
    if (n.children) stack.push(...n.children);
  }
}

export function isInformative(p: Paragraph): boolean {
  const first = p.children[0];
  return first?.type === 'text' && /^(注\d*|示例\d*)[:：]/.test(first.value.trimStart());
}
