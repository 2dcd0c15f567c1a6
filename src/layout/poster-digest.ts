import type { MaterialView, PosterView, SectionView, StepView } from '../views/poster-view.js';

/** What a wall digest may cut, in the order a designer of public notices would cut it. */
export const DIGEST_LEVELS = 3;
export const SEE_GUIDE = '详见办事指南';

/** A poster view with its long parts shortened, and what was done (for the warning). */
export interface Digest {
  view: PosterView;
  cuts: string[];
  /** The item's keys that were cut, in poster order (where a warning points). */
  fields: string[];
}

const ARTICLE = '第[一二三四五六七八九十百千零〇两0-9]+条(?:第[一二三四五六七八九十0-9]+款)?(?:第[一二三四五六七八九十0-9]+项)?';
const TITLE_AND_ARTICLES = new RegExp(`《([^》]+)》\\s*((?:${ARTICLE}(?:\\s*[、，,和及与]\\s*)?)*)`, 'g');

/**
 * 设立依据 as a wall shows it: each law's title with the article numbers cited, the quoted article
 * text left to the guide (《中华人民共和国行政许可法》第十二条、第二十九条).
 */
export function basisTitles(basis: string[]): string[] {
  const byLaw = new Map<string, string[]>();
  const plain: string[] = [];
  for (const entry of basis) {
    const found = [...entry.matchAll(TITLE_AND_ARTICLES)];
    if (!found.length) {
      plain.push(firstSentence(entry));
      continue;
    }
    for (const m of found) {
      const law = `《${m[1]!.trim()}》`;
      const articles = byLaw.get(law) ?? [];
      for (const a of m[2]!.match(new RegExp(ARTICLE, 'g')) ?? []) if (!articles.includes(a)) articles.push(a);
      byLaw.set(law, articles);
    }
  }
  return [...[...byLaw].map(([law, articles]) => `${law}${articles.join('、')}`), ...plain];
}

/** The first sentence (to 。；！？), without a trailing colon. */
export function firstSentence(text: string): string {
  const m = /^[\s\S]*?[。；！？]/.exec(text.trim());
  const s = (m ? m[0] : text.trim()).replace(/[：:]$/, '');
  return s.length < text.trim().length ? s.replace(/[；]$/, '。') : s;
}

const shorter = (a: string, b: string) => a.length < b.length;

/**
 * The view at a digest level: 1 cuts 设立依据 to titles and articles; 2 shortens material notes and
 * long process details to their first sentence; 3 leaves notes and details to the guide.
 * 受理条件 and the list of materials stay complete at every level. The author's `poster:` texts are
 * applied by the view already and are never cut further here.
 */
export function digestPoster(view: PosterView, level: number, authored: { basis?: boolean } = {}): Digest {
  if (level <= 0) return { view, cuts: [], fields: [] };
  const cuts: string[] = [];
  const fields: string[] = [];
  const sections = view.sections.map((sec): SectionView => {
    if (sec.kind === 'list' && sec.zh === '设立依据' && !authored.basis) {
      const items = basisTitles(sec.items);
      if (items.join('') === sec.items.join('')) return sec;
      cuts.push('设立依据只列法规名称和条款号');
      fields.push('basis');
      return { ...sec, items, more: SEE_GUIDE };
    }
    if (sec.kind === 'materials' && level >= 2 && sec.rows.some((r) => r.note)) {
      const rows = sec.rows.map((r): MaterialView => ({ ...r, note: level >= 3 ? '' : firstSentence(r.note) }));
      if (rows.every((r, i) => r.note === sec.rows[i]!.note)) return sec;
      cuts.push(level >= 3 ? '材料备注移至办事指南' : '材料备注只保留第一句');
      fields.push('materials');
      return { ...sec, rows, hasNotes: rows.some((r) => r.note), more: SEE_GUIDE };
    }
    if (sec.kind === 'process' && level >= 2 && sec.steps.some((s) => s.detail && s.detail.length > 40)) {
      const steps = sec.steps.map((s): StepView => ({ ...s, detail: !s.detail ? s.detail : level >= 3 ? undefined : shorter(firstSentence(s.detail), s.detail) ? firstSentence(s.detail) : s.detail }));
      cuts.push(level >= 3 ? '办理流程的环节说明移至办事指南' : '办理流程的长说明只保留第一句');
      fields.push('process');
      return { ...sec, steps, more: SEE_GUIDE };
    }
    return sec;
  });
  return { view: { ...view, sections }, cuts, fields };
}
