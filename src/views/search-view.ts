import type { Block, Inline, Segment } from '../model/clauses.js';
import { CATEGORY_NAMES, type Item, type Project, type Standard } from '../model/project.js';
import { feeStandard, NINE, type NineKey } from './poster-view.js';

/**
 * What the site's search knows of one item or standard: a title, a line under it (the department,
 * or the standard's category), the page it leads to, and passages of text, each shown as the
 * matched text of a result. A standard's clauses are its passages, each with its own anchor.
 */
export interface SearchDoc {
  kind: 'item' | 'standard';
  title: string;
  sub: string;
  /** The page, relative to the site root. */
  url: string;
  passages: SearchPassage[];
}

export interface SearchPassage {
  /** What the text is (受理条件, 3.1 首问责任人); a clause's label is searched too. */
  label: string;
  text: string;
  /** A fragment of the page (a clause's `#c3.1`). */
  anchor?: string;
}

const nine = (key: NineKey): string => NINE.find((n) => n.key === key)!.zh;

/** Every searchable source, in a stable order: items (by code), then standards (as the catalog lists them). */
export function searchDocs(project: Project): SearchDoc[] {
  return [...project.items.map(itemDoc), ...project.standards.map(standardDoc)];
}

export function itemDoc(item: Item): SearchDoc {
  const p: SearchPassage[] = [];
  const add = (label: string, text: string | undefined): void => { if (text && text.trim()) p.push({ label, text: text.trim() }); };
  add('事项编码', [item.code, item.base_code, item.implementation_code].filter(Boolean).join(' '));
  add('事项类型', item.type);
  for (const b of item.basis) add(nine('basis'), b);
  for (const c of item.conditions) add(nine('conditions'), c);
  for (const s of item.process) add(nine('process'), s.detail ? `${s.step}：${s.detail}` : s.step);
  for (const m of item.materials) add(nine('materials'), [m.name, m.note, m.source].filter(Boolean).join('　'));
  add(nine('materials'), item.materials_note);
  add(nine('time'), item.time_limit.note);
  add(nine('feeStandard'), item.fee.charged ? feeStandard(item) : undefined);
  add(nine('result'), item.result);
  add('办理地点', item.location);
  add('服务承诺', item.commitment);
  add('服务对象', item.service_objects?.join('、'));
  for (const f of item.faq ?? []) add('常见问题', `${f.q}${f.a}`);
  return { kind: 'item', title: item.name, sub: `${item.department.name} · ${item.type}`, url: `guides/${encodeURIComponent(item.slug)}.html`, passages: p };
}

export function standardDoc(s: Standard): SearchDoc {
  const p: SearchPassage[] = [{ label: '标准编号', text: s.code }];
  const walk = (blocks: Block[]): void => {
    for (const b of blocks) {
      if (b.kind !== 'clause') continue;
      const text = ownText(b.children);
      p.push({ label: `${b.number}　${b.title}`, text, anchor: b.id });
      walk(b.children);
    }
  };
  walk(s.body);
  return { kind: 'standard', title: `${s.code}　${s.title}`, sub: CATEGORY_NAMES[s.category], url: `standards/${encodeURIComponent(s.slug)}.html`, passages: p };
}

/** A clause's own text: its paragraphs, notes, lists and tables, not its sub-clauses (they are passages of their own). */
function ownText(blocks: Block[]): string {
  const parts: string[] = [];
  const inl = (xs: Inline[]): string => xs.map((x) => x.text).join('');
  const seg = (xs: Segment[]): string => xs.map((x) => inl(x.inlines)).join('');
  const visit = (b: Block): void => {
    if (b.kind === 'para') parts.push(seg(b.segments));
    else if (b.kind === 'note') parts.push(`${b.label}${seg(b.segments)}`);
    else if (b.kind === 'list') for (const it of b.items) for (const x of it) visit(x);
    else if (b.kind === 'table') parts.push([b.caption, ...b.header.map(inl), ...b.rows.flatMap((r) => r.map(inl))].filter(Boolean).join(' '));
  };
  for (const b of blocks) if (b.kind !== 'clause') visit(b);
  return parts.join(' ');
}
