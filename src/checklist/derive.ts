import { stringify } from 'yaml';
import { distance } from '../check/suggest.js';
import { blockText, type Block, type Segment } from '../model/clauses.js';
import type { ChecklistData, ChecklistItemData } from '../model/data.js';
import type { Project, Standard } from '../model/project.js';
import { normalizeStandardNumber } from '../model/standard-number.js';

/** One requirement (应/不应) of a standard and the clause it stands in. */
export interface Requirement {
  /** Clause number, e.g. 5.1; empty for text outside any clause. */
  clause: string;
  text: string;
}

const segmentText = (s: Segment): string => s.inlines.map((i) => i.text).join('');

/** 第5.1条 for a clause, 第6章 for a chapter (GB/T 1.1 way of citing). */
export function clauseRef(number: string): string {
  return number.includes('.') ? `第${number}条` : `第${number}章`;
}

/** A sentence as a checklist item: white space collapsed, a closing ；or ， made a full stop. */
function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[；;，,]$/, '。');
}

function listItemText(item: Block[]): string {
  return item.map(blockText).join('').replace(/\s+/g, ' ').trim().replace(/[；;。，,]+$/, '');
}

/**
 * The requirement sentences of a standard, in document order, each with its clause number. A
 * requirement that introduces a list (“…应做到：” followed by items) is one requirement with its
 * items. Scope, references and terms are not requirements; notes and tables are informative here.
 */
export function requirements(std: Standard): Requirement[] {
  const out: Requirement[] = [];
  const walk = (blocks: Block[], clause: string): void => {
    let consumed: Block | undefined;
    blocks.forEach((b, i) => {
      if (b === consumed) return;
      switch (b.kind) {
        case 'clause':
          if (b.special) return;
          walk(b.children, b.number);
          return;
        case 'para':
          b.segments.forEach((seg, k) => {
            if (seg.provision !== 'requirement') return;
            let text = segmentText(seg).trim();
            const next = blocks[i + 1];
            if (/[：:]$/.test(text) && k === b.segments.length - 1 && next?.kind === 'list') {
              consumed = next;
              text = `${text.replace(/:$/, '：')}${next.items.map(listItemText).filter(Boolean).join('；')}。`;
            }
            const t = tidy(text);
            if (t) out.push({ clause, text: t });
          });
          return;
        case 'list':
          for (const item of b.items) walk(item, clause);
          return;
        default:
          return; // notes and tables
      }
    });
  };
  walk(std.body, '');
  return out;
}

/** A checklist id from standard numbers: Q/YLZW 2001—2024 → derived-q-ylzw-2001-2024. */
export function derivedId(codes: string[]): string {
  const part = (c: string): string => c.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return ['derived', ...codes.map(part)].join('-').replace(/-+/g, '-');
}

/** A pass/fail award checklist: one item of 1 point per requirement, one section per standard. */
export function deriveChecklist(standards: Standard[]): ChecklistData {
  let no = 0;
  const sections = standards.map((s) => ({
    title: `${s.code} ${s.title}`,
    items: requirements(s).map((r): ChecklistItemData => ({
      no: ++no,
      text: r.text,
      points: 1,
      standard: s.code,
      ...(r.clause ? { note: clauseRef(r.clause) } : {}),
    })),
  })).filter((s) => s.items.length > 0);
  const first = standards[0]!;
  const title = standards.length === 1 ? `${first.title}实施检查表` : `${first.title}等${standards.length}项标准实施检查表`;
  return {
    id: derivedId(standards.map((s) => s.code)),
    title,
    mode: 'award',
    description: `依据${standards.map((s) => `${s.code}《${s.title}》`).join('、')}中的要求条款（应/不应）逐条检查：符合要求的得1分，不符合的得0分。`,
    total: no,
    sections,
  };
}

/** YAML text of a derived checklist, with the schema hint editors understand. */
export function checklistYaml(data: ChecklistData): string {
  const header = [
    '# yaml-language-server: $schema=../../schemas/checklist.schema.json',
    `# 由 normkit checklist derive 从 ${data.sections.map((s) => s.items[0]?.standard ?? s.title).join('、')} 的要求条款生成。`,
    '# 每项对应一句“应/不应”要求：standard 为标准编号，note 为条款号。可按需修改分值、增删项目。',
  ];
  return `${header.join('\n')}\n${stringify(data, { lineWidth: 0, version: '1.2' })}`;
}

/** Standards whose number is closest to what was typed, for “did you mean”. */
export function nearStandards(project: Project, typed: string, limit = 3): Standard[] {
  const want = normalizeStandardNumber(typed).toLowerCase();
  const digits = want.replace(/\D/g, '');
  return project.standards
    .map((s) => {
      const code = s.code.toLowerCase();
      let d = distance(want, code);
      if (digits.length >= 3 && code.replace(/\D/g, '').includes(digits.slice(0, 4))) d -= 3;
      if (s.title.includes(typed.trim())) d -= 5;
      return { s, d };
    })
    .sort((a, b) => a.d - b.d || (a.s.code < b.s.code ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.s);
}

export function findStandard(project: Project, typed: string): Standard | undefined {
  return project.standardByCode.get(normalizeStandardNumber(typed));
}
