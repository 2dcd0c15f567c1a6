import type { Block, Segment } from '../../model/clauses.js';
import { cellText } from '../../model/clauses.js';
import type { Flow, TextStyle } from './flow.js';
import { drawTable } from './table.js';

/** Body type of standards and guides (GB/T 1.1: 五号). */
export const BODY: TextStyle = { role: 'body', size: 10.5, leading: 1.7, firstLine: 2 };
export const HEADING: TextStyle = { role: 'heading', size: 10.5, leading: 1.8, align: 'left' };
const NOTE: TextStyle = { role: 'body', size: 9, leading: 1.6, align: 'justify' };

export interface BlockHooks {
  /** Called as a clause heading is placed, with the page it landed on (outline, 目次). */
  onClause?: (number: string, title: string, level: number, page: number) => void;
}

export function segmentsText(segments: Segment[]): string {
  return segments.flatMap((s) => s.inlines.map((i) => i.text)).join('');
}

/** Lays out standard blocks: numbered clauses, paragraphs, lists (—— / a) / 1)), notes and tables. */
export function drawBlocks(flow: Flow, blocks: Block[], hooks: BlockHooks = {}, indent = 0): void {
  for (const b of blocks) {
    switch (b.kind) {
      case 'clause': {
        const style: TextStyle = { ...HEADING, indent };
        const text = `${b.number}　${b.title}`;
        flow.space(b.level === 1 ? 6 : 2);
        flow.ensure(flow.heightOf(text, style) + flow.lineHeight(BODY) * 2);
        hooks.onClause?.(b.number, b.title, b.level, flow.page);
        flow.text(text, style);
        drawBlocks(flow, b.children, hooks, indent);
        break;
      }
      case 'para':
        flow.text(segmentsText(b.segments), { ...BODY, indent });
        break;
      case 'note': {
        const label = b.label;
        const labelWidth = flow.measure(label, 'body', NOTE.size);
        flow.text(label + segmentsText(b.segments), { ...NOTE, indent: indent + 2 * BODY.size, hang: labelWidth });
        break;
      }
      case 'list':
        b.items.forEach((item, i) => {
          const marker = b.ordered ? (b.depth === 0 ? `${String.fromCharCode(97 + (i % 26))})` : `${i + 1})`) : b.depth === 0 ? '——' : '·';
          const markerWidth = flow.measure(marker, 'body', BODY.size) + (b.ordered ? BODY.size * 0.5 : 0);
          const listIndent = indent + 2 * BODY.size + b.depth * 2 * BODY.size;
          item.forEach((child, k) => {
            if (child.kind === 'para' || child.kind === 'note') {
              const text = (k === 0 ? marker + (b.ordered ? ' ' : '') : '') + segmentsText(child.segments);
              flow.text(text, { ...BODY, firstLine: 0, indent: listIndent, hang: k === 0 ? markerWidth : 0 });
            } else drawBlocks(flow, [child], hooks, indent);
          });
        });
        break;
      case 'table': {
        const caption = b.caption ? `表${b.number}　${b.caption}` : b.number ? `表${b.number}` : undefined;
        flow.space(4);
        drawTable(flow, {
          caption,
          columns: b.header.map((h) => ({ header: cellText(h), flex: Math.max(2, Math.min(8, cellText(h).length)) })),
          rows: b.rows.map((r) => ({ cells: r.map(cellText) })),
          size: 9,
        });
        flow.space(6);
        break;
      }
    }
  }
}
