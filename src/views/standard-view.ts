import type { Block, ClauseBlock, Inline, Segment, TermEntry } from '../model/clauses.js';
import type { Project, Standard } from '../model/project.js';
import { CATEGORY_NAMES, STATUS_NAMES } from '../model/project.js';
import { normalizeStandardNumber, STANDARD_NUMBER_IN_TEXT } from '../model/standard-number.js';
import { changesParagraph } from '../revision/foreword.js';
import { technicalChanges } from '../revision/revision.js';

/** A standard laid out as GB/T 1.1 elements, ready for either renderer. */
export interface StandardView {
  slug: string;
  code: string;
  codeLetters: string;
  title: string;
  englishTitle?: string;
  ics?: string;
  ccs?: string;
  filingNo?: string;
  layer: string;
  replaces?: string;
  replacesSlug?: string;
  replacedBy?: string;
  replacedBySlug?: string;
  issuedLine?: string;
  effectiveLine?: string;
  organization: string;
  status: string;
  statusName: string;
  categoryName: string;
  isDraft: boolean;
  /** A superseded standard: “已被Q/… 代替”, on the cover and in every page's running header. */
  replacedMark?: string;
  /** Running header: the number, and for a superseded standard its replaced mark. */
  runningHeader: string;
  /** A draft's cover: the stage (征求意见稿) and the notice asking for known patents (GB/T 1.1, 封面). */
  draftStage?: string;
  patentNotice?: string;
  foreword: Segment[][];
  clauses: Block[];
  toc: { number: string; title: string; id: string; level: number }[];
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

export const GBT11_SENTENCE = '本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。';
export const REFERENCES_SENTENCE = '下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。';
export const NO_REFERENCES = '本文件没有规范性引用文件。';

export const DRAFT_STAGE = '征求意见稿';
export const DRAFT_ISSUED = 'XXXX-XX-XX发布';
export const DRAFT_EFFECTIVE = 'XXXX-XX-XX实施';
export const PATENT_NOTICE = '在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。';

export function standardView(project: Project, s: Standard): StandardView {
  const linker = linkStandards(project, s.code);
  const seg = (text: string): Segment => ({ inlines: linker([{ text }]) });
  const foreword: Segment[][] = [[seg(GBT11_SENTENCE)]];
  if (s.replaces) {
    const old = project.standardByCode.get(s.replaces);
    foreword.push([seg(old ? `本文件代替${s.replaces}《${old.title}》。` : `本文件代替${s.replaces}。`)]);
    const para = changesParagraph(s.replaces, technicalChanges(project, s)?.items ?? []);
    if (para) foreword.push([seg(para.lead)], ...para.items.map((t) => [seg(t)]));
  }
  foreword.push([seg('请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。')]);
  foreword.push([seg(`本文件由${s.proposer}提出并归口。`)]);
  if (s.drafters.units.length) foreword.push([seg(`本文件起草单位：${s.drafters.units.join('、')}。`)]);
  if (s.drafters.people.length) foreword.push([seg(`本文件主要起草人：${s.drafters.people.join('、')}。`)]);
  if (s.replaces) {
    const old = project.standardByCode.get(s.replaces);
    const year = /—(\d{4})$/.exec(s.replaces)?.[1] ?? old?.issued?.slice(0, 4);
    if (year) foreword.push([seg(`本文件及其所代替文件的历次版本发布情况为：${year}年首次发布为${s.replaces}；本次为第一次修订。`)]);
  }

  const clauses = s.body.map((b) => mapBlock(b, project, s, linker));
  const toc: StandardView['toc'] = [];
  const walk = (blocks: Block[]): void => {
    for (const b of blocks) if (b.kind === 'clause') {
      if (b.level <= 2) toc.push({ number: b.number, title: b.title, id: b.id, level: b.level });
      if (!isTermsChapter(b)) walk(b.children); // GB/T 1.1 leaves term entries out of 目次
    }
  };
  walk(clauses);
  const slash = s.code.indexOf(' ');
  const replacedMark = s.status === 'superseded' && s.replacedBy ? `已被${s.replacedBy}代替` : undefined;
  return {
    slug: s.slug,
    code: s.code,
    codeLetters: s.code.slice(0, slash).replace(/\/[TZ]$/, ''),
    title: s.title,
    englishTitle: s.englishTitle,
    ics: s.ics,
    ccs: s.ccs,
    filingNo: s.filingNo,
    layer: project.layer,
    replaces: s.replaces,
    replacesSlug: s.replaces ? project.standardByCode.get(s.replaces)?.slug : undefined,
    replacedBy: s.replacedBy,
    replacedBySlug: s.replacedBy ? project.standardByCode.get(s.replacedBy)?.slug : undefined,
    // a draft has no dates yet: its cover carries the placeholders an office fills in on approval
    issuedLine: s.status === 'draft' ? DRAFT_ISSUED : s.issued ? `${s.issued}发布` : undefined,
    effectiveLine: s.status === 'draft' ? DRAFT_EFFECTIVE : s.effective ? `${s.effective}实施` : undefined,
    organization: project.organization,
    status: s.status,
    statusName: STATUS_NAMES[s.status],
    categoryName: CATEGORY_NAMES[s.category],
    isDraft: s.status === 'draft',
    replacedMark,
    runningHeader: replacedMark ? `${s.code}（${replacedMark}）` : s.code,
    draftStage: s.status === 'draft' ? s.draftStage ?? DRAFT_STAGE : undefined,
    // the notice asks for feedback on known patents: a 征求意见稿 is the stage that collects feedback
    patentNotice: s.status === 'draft' && (s.draftStage ?? DRAFT_STAGE) === DRAFT_STAGE ? PATENT_NOTICE : undefined,
    foreword,
    clauses,
    toc,
    meta: { title: `${s.code} ${s.title}`, author: project.organization, subject: `${CATEGORY_NAMES[s.category]}（${STATUS_NAMES[s.status]}）`, keywords: s.code, date: project.date },
  };
}

function mapBlock(b: Block, project: Project, s: Standard, linker: (i: Inline[]) => Inline[], inTerms = false): Block {
  switch (b.kind) {
    case 'clause': {
      const terms = inTerms || isTermsChapter(b);
      const children = b.children.map((c) => mapBlock(c, project, s, linker, terms));
      if (b.special === 'references' && children.length === 0) return { ...b, children: referenceBlocks(project, s, linker) };
      if (inTerms && !children.some((c) => c.kind === 'clause')) return termEntry({ ...b, children }, linker);
      return { ...b, children };
    }
    case 'para': case 'note':
      return { ...b, segments: b.segments.map((g) => ({ ...g, inlines: linker(g.inlines) })) };
    case 'list':
      return { ...b, items: b.items.map((it) => it.map((c) => mapBlock(c, project, s, linker))) };
    case 'table':
      return { ...b, header: b.header.map(linker), rows: b.rows.map((r) => r.map(linker)) };
  }
}

/** 术语和定义, and in a terminology standard each chapter named “…术语” (服务提供术语): their clauses are term entries. */
function isTermsChapter(b: ClauseBlock): boolean {
  return b.level === 1 && (b.special === 'terms' || /术语$/.test(b.title));
}

/** Term, then an English equivalent after it (“政务服务 government service” or “政务服务（government service）”). */
const TERM_WITH_ENGLISH = /^(.*[^\x00-\x7F（）(])\s*[（(]?\s*([A-Za-z][A-Za-z0-9 ,.'’\-/&]*[A-Za-z0-9.])\s*[）)]?$/;
/** A source line of an entry: “来源：GB/T 20000.1—2014，3.1”, with or without the brackets. */
const SOURCE = /^[[［【]?\s*来源[:：]\s*([^\]］】]+?)\s*[\]］】]?\s*$/;

/** A clause under 术语和定义 as a GB/T 1.1 term entry: the heading splits into term and English, a 来源 line becomes the source. */
function termEntry(b: ClauseBlock, linker: (i: Inline[]) => Inline[]): ClauseBlock {
  const m = TERM_WITH_ENGLISH.exec(b.title);
  const entry: TermEntry = m ? { term: m[1]!.trim(), english: m[2]!.trim() } : { term: b.title };
  const children: Block[] = [];
  for (const c of b.children) {
    const text = c.kind === 'para' ? c.segments.flatMap((g) => g.inlines.map((i) => i.text)).join('').trim() : '';
    // the source may also be the last line of the definition's paragraph (no blank line before it)
    const lines = text.split('\n');
    const src = SOURCE.exec(lines[lines.length - 1]!.trim());
    if (src && !entry.source) {
      entry.source = linker([{ text: `[来源：${src[1]}]` }]);
      if (lines.length > 1 && c.kind === 'para') children.push(withoutLastLine(c, lines.length - 1));
    } else children.push(c);
  }
  return { ...b, title: entry.term, children, entry };
}

/** A paragraph cut to its first `keep` lines (soft line breaks), its inline marks kept. */
function withoutLastLine(p: Extract<Block, { kind: 'para' }>, keep: number): Block {
  let seen = 0;
  const segments: Segment[] = [];
  for (const g of p.segments) {
    const inlines: Inline[] = [];
    for (const i of g.inlines) {
      if (seen >= keep) break;
      const parts = i.text.split('\n');
      if (seen + parts.length - 1 < keep) {
        inlines.push(i);
        seen += parts.length - 1;
      } else {
        inlines.push({ ...i, text: parts.slice(0, keep - seen).join('\n') });
        seen = keep;
      }
    }
    if (inlines.length) segments.push({ ...g, inlines });
    if (seen >= keep) break;
  }
  const last = segments[segments.length - 1];
  if (last) last.inlines[last.inlines.length - 1]!.text = last.inlines[last.inlines.length - 1]!.text.replace(/\s+$/, '');
  return { ...p, segments };
}

function referenceBlocks(project: Project, s: Standard, linker: (i: Inline[]) => Inline[]): Block[] {
  if (s.references.length === 0) return [{ kind: 'para', segments: [{ inlines: [{ text: NO_REFERENCES }] }] }];
  return [
    { kind: 'para', segments: [{ inlines: [{ text: REFERENCES_SENTENCE }] }] },
    ...s.referenceList.map(({ code, title }): Block => {
      const name = title ?? project.standardByCode.get(code)?.title;
      return { kind: 'para', segments: [{ inlines: linker([{ text: name ? `${code}　${name}` : code }]) }] };
    }),
  ];
}

/** Splits text inlines so that standard numbers of this project become links to their pages. */
function linkStandards(project: Project, self: string): (inl: Inline[]) => Inline[] {
  return (inl) => inl.flatMap((x) => {
    if (x.href) return [x];
    const out: Inline[] = [];
    let last = 0;
    for (const m of x.text.matchAll(STANDARD_NUMBER_IN_TEXT)) {
      const code = normalizeStandardNumber(m[0]);
      const target = project.standardByCode.get(code);
      if (!target || code === self) continue;
      if (m.index! > last) out.push({ ...x, text: x.text.slice(last, m.index) });
      out.push({ ...x, text: m[0], href: `${target.slug}.html` });
      last = m.index! + m[0].length;
    }
    if (last === 0) return [x];
    if (last < x.text.length) out.push({ ...x, text: x.text.slice(last) });
    return out;
  });
}

export function clauseChapters(blocks: Block[]): ClauseBlock[] {
  return blocks.filter((b): b is ClauseBlock => b.kind === 'clause');
}
