import type { Heading, List, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { classifyProvision, type Provision } from './provisions.js';

/** Renderer-neutral document blocks built from a standard's Markdown body. */
export interface Inline {
  text: string;
  strong?: boolean;
  em?: boolean;
  /** Only http(s), mailto and tel links survive; anything else is kept as plain text. */
  href?: string;
}

export interface Segment {
  provision?: Provision;
  inlines: Inline[];
}

export type Block =
  | { kind: 'clause'; number: string; level: number; title: string; id: string; special?: 'scope' | 'references' | 'terms'; children: Block[]; entry?: TermEntry }
  | { kind: 'para'; segments: Segment[] }
  | { kind: 'note'; label: string; segments: Segment[] }
  | { kind: 'list'; ordered: boolean; depth: number; items: Block[][] }
  | { kind: 'table'; number: number; caption: string; header: Inline[][]; rows: Inline[][][] };

/**
 * A term entry of 术语和定义 in the GB/T 1.1 form (set by the standard view): the number on its own
 * line, the term in bold with its English equivalent, then the definition (the clause's children,
 * notes included) and “[来源：…]”. A renderer that ignores it still shows a numbered clause.
 */
export interface TermEntry {
  term: string;
  english?: string;
  source?: Inline[];
}

export type ClauseBlock = Extract<Block, { kind: 'clause' }>;

const SAFE_HREF = /^(https?:|mailto:|tel:)/i;
const MAX_LEVEL = 5;
/** A number the author typed before a heading (“1 范围”, “2.”, “3.1”, “第一章”): normkit numbers headings itself. */
export const TYPED_NUMBER = /^(?:\d+(?:\.\d+)*(?:\.|[\s\u3000、．]+)|第[一二三四五六七八九十百\d]+[章节条])[\s\u3000]*(?=\S)/;

/** Numbers headings 1, 1.1, 1.1.1 … (GB/T 1.1), groups content under them, numbers tables. */
export function buildClauses(tree: Root): Block[] {
  const nodes = tree.children;
  const minDepth = Math.min(...nodes.filter((n): n is Heading => n.type === 'heading').map((h) => h.depth), 6);
  const root: Block[] = [];
  const stack: { level: number; children: Block[]; count: number; number: string }[] = [{ level: 0, children: root, count: 0, number: '' }];
  const tables = { n: 0 };
  let pendingCaption: string | undefined;

  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.type === 'heading') {
      const level = Math.min(MAX_LEVEL, node.depth - minDepth + 1);
      while (stack.length > 1 && stack[stack.length - 1]!.level >= level) stack.pop();
      const parent = stack[stack.length - 1]!;
      parent.count++;
      const number = parent.number ? `${parent.number}.${parent.count}` : String(parent.count);
      const title = plain(node.children).trim().replace(TYPED_NUMBER, '') || plain(node.children).trim();
      const clause: ClauseBlock = { kind: 'clause', number, level: parent.level + 1, title, id: `c${number}`, special: specialOf(title, parent.level), children: [] };
      parent.children.push(clause);
      stack.push({ level: clause.level, children: clause.children, count: 0, number });
      continue;
    }
    const into = stack[stack.length - 1]!.children;
    if (node.type === 'paragraph') {
      const text = plain(node.children).trim();
      const cap = /^表[:：]\s*(.+)$/.exec(text);
      if (cap && nodes[i + 1]?.type === 'table') {
        pendingCaption = cap[1]!.trim();
        continue;
      }
    }
    if (node.type === 'table') {
      into.push(table(node, ++tables.n, pendingCaption ?? ''));
      pendingCaption = undefined;
      continue;
    }
    into.push(...blocks(node, 0));
  }
  insertReferencesClause(root);
  return root;
}

function specialOf(title: string, parentLevel: number): ClauseBlock['special'] {
  if (parentLevel !== 0) return undefined;
  if (title === '范围') return 'scope';
  if (title === '规范性引用文件') return 'references';
  if (title === '术语和定义') return 'terms';
  return undefined;
}

/** GB/T 1.1 requires chapter 2; when an author leaves it out, it is inserted after 范围 and the rest renumbered. */
function insertReferencesClause(root: Block[]): void {
  const chapters = root.filter((b): b is ClauseBlock => b.kind === 'clause');
  if (chapters.some((c) => c.special === 'references')) return;
  const scopeAt = root.findIndex((b) => b.kind === 'clause' && b.special === 'scope');
  if (scopeAt < 0) return;
  root.splice(scopeAt + 1, 0, { kind: 'clause', number: '', level: 1, title: '规范性引用文件', id: '', special: 'references', children: [] });
  let n = 0;
  for (const b of root) if (b.kind === 'clause') renumber(b, String(++n));
}

function renumber(c: ClauseBlock, number: string): void {
  c.number = number;
  c.id = `c${number}`;
  let n = 0;
  for (const ch of c.children) if (ch.kind === 'clause') renumber(ch, `${number}.${++n}`);
}

function blocks(node: RootContent, depth: number): Block[] {
  switch (node.type) {
    case 'paragraph': {
      const inl = inlines(node.children);
      const text = inl.map((x) => x.text).join('');
      const note = /^(注\d*[:：])\s*/.exec(text);
      if (note) {
        inl[0] = { ...inl[0]!, text: inl[0]!.text.replace(/^注\d*[:：]\s*/, '') };
        return [{ kind: 'note', label: note[1]!.replace(':', '：'), segments: segments(inl) }];
      }
      return text.trim() ? [{ kind: 'para', segments: segments(inl) }] : [];
    }
    case 'list':
      return [list(node, depth)];
    case 'blockquote':
      return node.children.flatMap((c) => blocks(c, depth));
    case 'code':
      return [{ kind: 'para', segments: [{ inlines: [{ text: node.value }] }] }];
    case 'table':
      return [table(node, 0, '')];
    default:
      return []; // raw HTML, images, thematic breaks: not part of a standard's text (warned by the checks)
  }
}

function list(node: List, depth: number): Block {
  return {
    kind: 'list',
    ordered: !!node.ordered,
    depth,
    items: node.children.map((li) => li.children.flatMap((c) => (c.type === 'list' ? [list(c, depth + 1)] : blocks(c, depth + 1)))),
  };
}

function table(node: Table, number: number, caption: string): Block {
  const [head, ...rows] = node.children;
  const header = (head?.children ?? []).map((c) => inlines(c.children));
  // GFM: a row has as many cells as the header — missing ones are empty, extra ones are dropped
  // (remark keeps them, and a renderer laying out columns from the header would fall over).
  const width = header.length;
  return {
    kind: 'table',
    number,
    caption,
    header,
    rows: rows.map((r) => Array.from({ length: width }, (_, i) => (r.children[i] ? inlines(r.children[i]!.children) : []))),
  };
}

function inlines(nodes: PhrasingContent[], marks: Omit<Inline, 'text'> = {}): Inline[] {
  const out: Inline[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'text': out.push({ ...marks, text: n.value }); break;
      case 'strong': out.push(...inlines(n.children, { ...marks, strong: true })); break;
      case 'emphasis': out.push(...inlines(n.children, { ...marks, em: true })); break;
      case 'delete': out.push(...inlines(n.children, marks)); break;
      case 'inlineCode': out.push({ ...marks, text: n.value }); break;
      case 'break': out.push({ ...marks, text: '\n' }); break;
      case 'link': {
        const safe = SAFE_HREF.test(n.url.trim()) ? n.url.trim() : undefined;
        out.push(...inlines(n.children, safe ? { ...marks, href: safe } : marks));
        break;
      }
      default: break; // html, images, footnote refs are dropped
    }
  }
  return out;
}

function plain(nodes: PhrasingContent[]): string {
  return inlines(nodes).map((i) => i.text).join('');
}

const SENTENCE_END = /[。；！？]/;

/** Splits a paragraph into sentences and classifies each (requirement, recommendation, permission). */
function segments(inl: Inline[]): Segment[] {
  const out: Segment[] = [];
  let cur: Inline[] = [];
  const flush = (): void => {
    if (cur.length === 0) return;
    const text = cur.map((i) => i.text).join('');
    out.push({ provision: classifyProvision(text), inlines: cur });
    cur = [];
  };
  for (const piece of inl) {
    let rest = piece.text;
    let m: RegExpExecArray | null;
    while ((m = SENTENCE_END.exec(rest))) {
      cur.push({ ...piece, text: rest.slice(0, m.index + 1) });
      flush();
      rest = rest.slice(m.index + 1);
    }
    if (rest) cur.push({ ...piece, text: rest });
  }
  flush();
  return out;
}

/** All text of blocks, for search and for drawing checklists out of requirements. */
export function blockText(b: Block): string {
  switch (b.kind) {
    case 'clause': return [b.title, ...b.children.map(blockText)].join('\n');
    case 'para': case 'note': return b.segments.flatMap((s) => s.inlines.map((i) => i.text)).join('');
    case 'list': return b.items.map((it) => it.map(blockText).join('')).join('\n');
    case 'table': return [b.caption, ...b.header.map(cellText), ...b.rows.flatMap((r) => r.map(cellText))].join('\n');
  }
}

export function cellText(cell: Inline[]): string {
  return cell.map((i) => i.text).join('');
}
