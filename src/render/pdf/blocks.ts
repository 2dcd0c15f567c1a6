import type { Block, Segment, TermEntry } from '../../model/clauses.js';
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

/**
 * Height from a block's top to the end of its first two lines of text: a heading is kept with that
 * much of what follows, so no heading (nor a heading with its sub-heading) is left at a page foot.
 */
function leadHeight(flow: Flow, b: Block, indent: number): number {
  switch (b.kind) {
    case 'clause': {
      const head = b.entry ? 2 * flow.lineHeight(HEADING) : flow.heightOf(`${b.number}　${b.title}`, { ...HEADING, indent });
      const next = b.children[0];
      return head + (next ? leadHeight(flow, next, indent) + (next.kind === 'clause' ? 2 : 0) : 0);
    }
    case 'table':
      return 4 * flow.lineHeight(BODY);
    case 'para':
    {
      // as Flow's widow control splits it: a paragraph of up to three lines moves whole
      const n = flow.lines(segmentsText(b.segments), { ...BODY, indent }).length;
      return (n <= 3 ? n : 2) * flow.lineHeight(BODY);
    }
    default:
      return 2 * flow.lineHeight(BODY);
  }
}

/** GB/T 1.1 entry head: the number alone on a line, then the term in bold and its English equivalent. */
function drawTermHead(flow: Flow, number: string, entry: TermEntry, indent: number): void {
  const style: TextStyle = { ...HEADING, indent };
  flow.text(number, style);
  const gap = BODY.size;
  const termWidth = flow.measure(entry.term, 'heading', HEADING.size);
  const english = entry.english;
  const fitsBeside = english && indent + termWidth + gap + flow.measure(english, 'body', BODY.size) <= flow.contentWidth;
  if (!english || !fitsBeside) {
    flow.text(entry.term, style);
    if (english) flow.text(english, { ...BODY, firstLine: 0, indent, align: 'left' });
    return;
  }
  const lh = flow.lineHeight(style);
  flow.ensure(lh);
  if (!flow.dry) {
    flow.drawLine(entry.term, { ...style, align: 'left' }, true, true);
    flow.drawLine(english, { ...BODY, firstLine: 0, align: 'left', leading: HEADING.leading }, true, true, flow.frame.left + indent + termWidth + gap);
  }
  flow.y += lh;
}

/** A column's share of the width: its header's length, or its cells' average length when they run longer (capped). */
function columnFlex(header: string, cells: string[]): number {
  const avg = cells.length ? cells.reduce((n, c) => n + [...c].length, 0) / cells.length : 0;
  return Math.max(2, Math.min(8, [...header].length), Math.min(24, Math.sqrt(avg) * 2.5));
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
        flow.space(b.level === 1 ? 6 : 2);
        // keep the heading with the start of what follows (a sub-heading's own start included)
        flow.ensure(leadHeight(flow, b, indent));
        hooks.onClause?.(b.number, b.title, b.level, flow.page);
        if (b.entry) drawTermHead(flow, b.number, b.entry, indent);
        else flow.text(`${b.number}　${b.title}`, style);
        drawBlocks(flow, b.children, hooks, indent);
        if (b.entry?.source) flow.text(segmentsText([{ inlines: b.entry.source }]), { ...BODY, indent });
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
          columns: b.header.map((h, i) => ({ header: cellText(h), flex: columnFlex(cellText(h), b.rows.map((r) => cellText(r[i] ?? []))) })),
          rows: b.rows.map((r) => ({ cells: r.map(cellText) })),
          size: 9,
        });
        flow.space(6);
        break;
      }
    }
  }
}
