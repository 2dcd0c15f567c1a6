import type { Paragraph, Root, Text } from 'mdast';
import type { Rule } from '../context.js';
import { isInformative } from './references.js';
import { offsetPos } from './writing.js';

/**
 * GB/T 1.1—2020 附录 C: words that must not stand in for 应/不应 (推荐、建议、不需要 are allowed
 * equivalents of 宜 and 不必, so they pass).
 * Single-character substitutes (要, 须) are matched only where they are not part of a common word.
 */
const SUBSTITUTES: { re: RegExp; use: string; kind: string }[] = [
  { re: /必须|务必|(?<![必无])须(?![知要])|(?<![主重需必简提纲概首只摘紧不想还卡次扼])要(?![求点素件领旨闻案害职务挟])/g, use: '应', kind: '要求' },
  { re: /不得|不可(?![能])|严禁|禁止(?!行为)|不准(?!许)|不许/g, use: '不应', kind: '要求' },
];
/** Words that state a requirement; GB/T 1.1 notes and examples carry none. */
const PROVISION = /(?<!“)(?:不应|(?<![响适对相反供回答理报])应(?![用对答急诉])|必须|不得)(?!”)/;

export const verbFormRules: Rule = (ctx) => {
  for (const s of ctx.standards) {
    walk(s.md.body, false, (node, informative) => {
      // a quoted name (the “禁止吸烟” sign, a form called “应到未到”) states nothing
      const quoted = [...node.value.matchAll(/“[^“”]*”/g)].map((q) => [q.index!, q.index! + q[0].length] as const);
      const inQuotes = (at: number): boolean => quoted.some(([a, b]) => at > a && at < b);
      if (informative) {
        const m = [...node.value.matchAll(new RegExp(PROVISION.source, 'g'))].find((x) => !inQuotes(x.index!));
        if (m) {
          ctx.diags.warn(s.src.file, offsetPos(node, m.index!), 'provision-in-note',
            `注和示例是资料性的，不应含有要求（GB/T 1.1）：这里用了“${m[0]}”。请把要求移入正文条款，或把注改写为说明（例如用“通常”“一般”）。`);
        }
        return;
      }
      for (const { re, use, kind } of SUBSTITUTES) {
        for (const m of node.value.matchAll(re)) {
          if (inQuotes(m.index!)) continue;
          ctx.diags.warn(s.src.file, offsetPos(node, m.index!), 'verb-form',
            `GB/T 1.1 附录 C：${kind}型条款用“${use}”，不用“${m[0]}”。请把“${m[0]}”改为“${use}”。`);
        }
      }
    });
  }
};

function walk(n: Root | Paragraph | { type: string; children?: unknown[] }, informative: boolean, visit: (t: Text, informative: boolean) => void): void {
  if (n.type === 'text') { visit(n as Text, informative); return; }
  if (n.type === 'heading' || n.type === 'table') return; // titles and table cells name things (禁止行为) rather than require them
  const inNote = informative || (n.type === 'paragraph' && isInformative(n as Paragraph));
  for (const c of (n as { children?: unknown[] }).children ?? []) walk(c as { type: string }, inNote, visit);
}
