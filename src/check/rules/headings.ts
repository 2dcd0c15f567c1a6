import type { Heading, Text } from 'mdast';
import { TYPED_NUMBER } from '../../model/clauses.js';
import type { Rule } from '../context.js';

/** Headings whose text starts with a typed number: the number is dropped (normkit numbers headings). */
export const headingRules: Rule = (ctx) => {
  for (const s of ctx.standards) {
    for (const node of s.md.body.children) {
      if (node.type !== 'heading') continue;
      const first = (node as Heading).children[0];
      if (first?.type !== 'text') continue;
      const m = TYPED_NUMBER.exec((first as Text).value.trimStart());
      if (!m) continue;
      const p = first.position?.start;
      ctx.diags.warn(s.src.file, p && { line: p.line, column: p.column }, 'numbered-heading',
        `标题“${(first as Text).value.trim()}”自带编号“${m[0].trim()}”，已略去。章条编号由 normkit 按 GB/T 1.1 自动编排：请删去标题中的编号。`);
    }
  }
};
