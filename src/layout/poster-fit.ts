import type { PosterView } from '../views/poster-view.js';
import { DIGEST_LEVELS, digestPoster, type Digest } from './poster-digest.js';

/** What a renderer measured of one poster sheet at a body size: its height and the room it has. */
export interface PosterMeasure { used: number; avail: number }
/** Measures a sheet at `pt` (A3 points); the PDF renderer's dry layout is the one used today. */
export type PosterMeasurer = (view: PosterView, pt: number) => PosterMeasure;

/** How a poster goes on the wall: its sheets (one, unless continued), the body size and what was cut. */
export interface PosterFit {
  /** The poster as the digest left it, on one sheet of any length: what a web page shows. */
  whole: PosterView;
  sheets: PosterView[];
  /** Body size in A3 points (every sheet the same). */
  size: number;
  /** 0: as written; 1–3: the wall digest's level (see digestPoster). */
  level: number;
  /** What the digest cut, for the warning (`poster-digest`). */
  cuts: string[];
  /** The item's keys the digest cut, in poster order (where the warning points). */
  fields: string[];
  /** The larger sheet (`poster.max_size`) the poster went onto, if it needed one. */
  enlarged?: PosterView['paper'];
  /** Each sheet as measured at `size`: a renderer spreads the room left without laying it out again. */
  measures: PosterMeasure[];
  /**
   * What still does not fit on a sheet at the floor size, when something does not: the parts on
   * every sheet (the commitment, the project's fields — organization, department, hotlines — or the
   * item's name), or one entry of a section too
   * long for a sheet of its own. The poster cannot be made; the author has to shorten that text.
   */
  overflow?: { part: 'commitment' | 'project' | 'fixed' | 'entry'; section?: string };
}

const STEP = 0.5;

/**
 * Fits a poster, each step only when the one before is not enough: type between the project's
 * floor and ceiling; then the wall digest, level by level (with a QR to the guide for what it
 * leaves out); then the larger sheet the project allows, with type of the same size; then
 * continuation sheets at the floor, each with the same header and footer.
 * HTML and PDF both take their poster from this answer.
 */
export function fitPoster(view: PosterView, measureSheet: PosterMeasurer): PosterFit {
  const { min, max } = view.pt;
  // every measure of each sheet, so no size of it is laid out twice
  const measured = new WeakMap<PosterView, Map<number, PosterMeasure>>();
  const measure = (v: PosterView, pt: number): PosterMeasure => {
    let sizes = measured.get(v);
    if (!sizes) measured.set(v, (sizes = new Map()));
    let m = sizes.get(pt);
    if (!m) sizes.set(pt, (m = measureSheet(v, pt)));
    return m;
  };
  const fits = (v: PosterView, pt: number): boolean => { const m = measure(v, pt); return m.used <= m.avail; };
  const done = (f: Omit<PosterFit, 'measures'>): PosterFit => ({ ...f, measures: f.sheets.map((s) => measure(s, f.size)) });
  const fitted = (v: PosterView, level: number, d: Digest, enlarged?: PosterView['paper']): PosterFit =>
    done({ whole: v, sheets: [v], size: largestFitting(v, min, max, fits), level, cuts: d.cuts, fields: d.fields, enlarged });
  for (let level = 0; level <= DIGEST_LEVELS; level++) {
    const d = digestPoster(view, level, view.authored);
    if (level > 0 && d.cuts.length === 0 && level < DIGEST_LEVELS) continue;
    const v = withGuideQr(d.view, d.cuts.length > 0);
    if (fits(v, min)) return fitted(v, level, d);
  }
  const d = digestPoster(view, DIGEST_LEVELS, view.authored);
  let v = withGuideQr(d.view, true);
  if (view.larger) {
    // the same scale on the larger sheet: its type reads as the rest of the wall does
    v = { ...v, paper: view.larger };
    if (fits(v, min)) return fitted(v, DIGEST_LEVELS, d, view.larger);
  }
  const sheets = continued(v, min, fits);
  const fit = done({ whole: v, sheets, size: min, level: DIGEST_LEVELS, cuts: d.cuts, fields: d.fields, enlarged: view.larger });
  const over = sheets.find((s) => !fits(s, min));
  if (over) {
    // which text is to blame: with only the (short) first section, the parts on every sheet
    const bare = { ...v, sections: v.sections.slice(0, 1), sheet: { no: 1, of: 2 } };
    if (fits(bare, min)) fit.overflow = { part: 'entry', section: over.sections[0]?.zh };
    else if (v.commitment && fits({ ...bare, commitment: undefined }, min)) fit.overflow = { part: 'commitment' };
    else if (fits({ ...bare, organization: '', department: '', info: [], contacts: [] }, min)) fit.overflow = { part: 'project' };
    else fit.overflow = { part: 'fixed' };
  }
  return fit;
}

/** Binary search over 0.5 pt steps: only a size measured to fit is returned. */
function largestFitting(v: PosterView, min: number, max: number, fits: (v: PosterView, pt: number) => boolean): number {
  let lo = 0;
  let hi = Math.round((max - min) / STEP);
  if (fits(v, min + hi * STEP)) return min + hi * STEP;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(v, min + mid * STEP)) lo = mid;
    else hi = mid;
  }
  return min + lo * STEP;
}

function withGuideQr(v: PosterView, cut: boolean): PosterView {
  if (!cut || !v.guideQr || v.qr.some((q) => q.url === v.guideQr!.url)) return v;
  return { ...v, qr: [v.guideQr, ...v.qr] };
}

/**
 * Sections in order onto as few sheets as hold them. A section too long for a sheet of its own is
 * cut between its entries (conditions, steps, material rows), never inside one, and goes on under
 * the same number and label on the next sheet.
 */
function continued(v: PosterView, pt: number, fits: (v: PosterView, pt: number) => boolean): PosterView[] {
  const alone = (sections: PosterView['sections']) => fits({ ...v, sections, sheet: { no: 1, of: 2 } }, pt);
  const queue = [...v.sections];
  const groups: PosterView['sections'][] = [];
  let current: PosterView['sections'] = [];
  while (queue.length) {
    const sec = queue.shift()!;
    if (alone([...current, sec])) {
      current.push(sec);
      continue;
    }
    // the longest head of this section that still fits here; the rest waits for the next sheet
    const parts = splitSection(sec, (head) => alone([...current, head]));
    if (parts) {
      current.push(parts[0]);
      queue.unshift(parts[1]);
    } else if (!current.length) current.push(sec); // one entry longer than a sheet: drawn as it is
    else queue.unshift(sec);
    groups.push(current);
    current = [];
  }
  if (current.length) groups.push(current);
  return groups.map((sections, i) => ({ ...v, sections, sheet: { no: i + 1, of: groups.length } }));
}

type Section = PosterView['sections'][number];

/** The section cut after as many entries as `fits` accepts (at least one), or undefined if none fits. */
function splitSection(sec: Section, fits: (head: Section) => boolean): [Section, Section] | undefined {
  const cut = <T>(list: T[], make: (part: T[]) => Section): [Section, Section] | undefined => {
    for (let n = list.length - 1; n >= 1; n--) {
      if (fits(make(list.slice(0, n)))) return [make(list.slice(0, n)), make(list.slice(n))];
    }
    return undefined;
  };
  if (sec.kind === 'list') {
    const first = sec.first ?? 1;
    const parts = cut(sec.items, (items) => ({ ...sec, items }));
    if (parts && parts[0].kind === 'list') parts[1] = { ...parts[1], first: first + parts[0].items.length } as Section;
    return parts;
  }
  if (sec.kind === 'process') return cut(sec.steps, (steps) => ({ ...sec, steps }));
  if (sec.kind === 'materials') return cut(sec.rows, (rows) => ({ ...sec, rows }));
  return undefined;
}
