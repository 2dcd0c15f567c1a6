import { createHash, hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PART_FORMAT } from '../render/pdf/assemble/part.js';
import { Stopwatch } from './stopwatch.js';
import { checkProject } from '../check/check-project.js';
import { readEvidence } from '../check/evidence-input.js';
import { evidenceFiles } from '../load/evidence-loader.js';
import { applyEvidence } from '../evidence/apply.js';
import { evidenceItems, targetRates, targetRowsFrom } from '../evidence/measures.js';
import { implementationRate } from '../scoring/implementation.js';
import { computeFigures } from '../evidence/figures.js';
import { yearOf } from '../evidence/dates.js';
import type { CheckedEvidence } from '../check/rules/evidence.js';
import { checkGlyphs } from '../check/glyphs.js';
import { Diagnostics } from '../diagnostics.js';
import type { FileStamps } from '../load/file-stamps.js';
import type { ParseCache } from '../load/parse-cache.js';
import { loadProject, type LoadedProject } from '../load/project-loader.js';
import { loadTemplates, type TemplateSource } from '../load/templates.js';
import { CATEGORIES, coveredCategories, resolveProject, type Project } from '../model/project.js';
import { HtmlRenderer } from '../render/html/renderer.js';
import { FontError, FONT_ROLES, loadFontBook, type FontBook } from '../typography/fonts.js';
import { OUTPUT_REVISION, VERSION } from '../version.js';
import { OUTPUT_KINDS, type Format, type Job, type OutputKind, type RenderContext } from './kind.js';
import { KINDS } from './kinds.js';

export interface Prepared {
  /** The project folder (resolved) and the content hash of each source file. */
  root: string;
  hashes: Map<string, string>;
  diags: Diagnostics;
  project?: Project;
  rctx?: RenderContext;
  jobs: Job[];
  /** Hash of everything every output depends on: normkit, formats, fonts, templates, project.yaml. */
  globalKey: string;
  /** With keepGoing: the source files left out for their errors (their outputs keep their last version). */
  dropped: string[];
}

/** load → check → model, then the list of output jobs; stops early (no jobs) on input errors. */
export async function prepare(projectDir: string, formats: Format[], only: OutputKind[] = OUTPUT_KINDS, cache?: ParseCache, clock = new Stopwatch(), stamps?: FileStamps, keepGoing = false): Promise<Prepared> {
  const loaded = await loadProject(projectDir, cache, stamps);
  clock.lap('load');
  const diags = loaded.diagnostics;
  let ctx = checkProject(loaded);
  clock.lap('check');
  // the parsed sources are not kept: the model holds what rendering needs, and memory stays flat
  const none: Prepared = { root: loaded.root, hashes: loaded.hashes, diags, jobs: [], globalKey: '', dropped: [] };
  const dropped = new Set<string>();
  if (diags.errorCount > 0 && keepGoing) {
    // every source without errors is built: the broken ones are left out, and so, round by round,
    // are the ones that only broke for lack of them (a result whose checklist was left out)
    let errors = diags.list.filter((d) => d.severity === 'error');
    for (let round = 0; round < 5 && errors.length; round++) {
      for (const d of errors) dropped.add(d.file);
      if (dropped.has('project.yaml') || [...dropped].some((f) => !loaded.files.some((x) => x.file === f))) return none;
      const keep = <T extends { file: string }>(list: T[]): T[] => list.filter((x) => !dropped.has(x.file));
      const again = new Diagnostics();
      ctx = checkProject({ ...loaded, diagnostics: again, standards: keep(loaded.standards), items: keep(loaded.items), checklists: keep(loaded.checklists), results: keep(loaded.results) });
      errors = again.list.filter((d) => d.severity === 'error');
      // what the later rounds find is a consequence of the first: reported too, with its file
      for (const d of errors) if (!diags.list.some((x) => x.file === d.file && x.rule === d.rule && x.message === d.message)) diags.add(d);
    }
    if (errors.length) return none;
  } else if (diags.errorCount > 0) return none;
  const project = resolveProject(ctx, loaded.root);
  // checklist items scored from evidence: computed here, so every report and ranking shows them
  const evidenceKey = await scoreFromEvidence(project, ctx, loaded, diags, only.includes('catalog'));
  if (evidenceKey === undefined) return { ...none, project };
  coverageTarget(project, ctx, diags);
  clock.lap('model');
  const book = fontBook(project, diags);
  const before = diags.errorCount;
  const templates = await loadTemplates(loaded.root, diags);
  if (!book || diags.errorCount > before || !HtmlRenderer.check(templates, diags)) return { ...none, project };
  clock.lap('fonts and templates');
  checkGlyphs(project, book, diags, cache && { hashes: loaded.hashes, cache });
  clock.lap('glyph check');
  const { rctx, jobs } = jobsFor(project, book, templates, formats, only, diags);
  clock.lap('jobs');

  const g = createHash('sha1').update(`normkit ${VERSION} ${OUTPUT_REVISION} ${PART_FORMAT}\n${[...formats].sort().join(',')}\n`);
  for (const role of FONT_ROLES) g.update(`font ${role} ${book[role].hash}\n`);
  for (const [key, t] of [...templates].sort(([a], [b]) => (a < b ? -1 : 1))) g.update(`template ${key} ${createHash('sha1').update(t.text).digest('hex')}\n`);
  g.update(`project ${loaded.hashes.get('project.yaml') ?? ''}\n`);
  if (evidenceKey) g.update(`evidence ${evidenceKey}\n`);
  // every page's navigation shows these sections only when they exist
  g.update(`nav ${project.items.length > 0} ${project.checklists.length > 0}\n`);
  return { ...none, project, rctx, jobs, globalKey: g.digest('hex'), dropped: [...dropped].sort() };
}

/**
 * Results of checklists with evidence items get those items' scores from the evidence of their
 * period. Returns a hash of the evidence read ('' when no checklist uses evidence), undefined when
 * the evidence has errors (reported in diags).
 */
async function scoreFromEvidence(project: Project, ctx: ReturnType<typeof checkProject>, loaded: LoadedProject, diags: Diagnostics, catalog: boolean): Promise<string | undefined> {
  const root = loaded.root;
  const scored = project.checklists.some((cl) => evidenceItems(cl).length > 0);
  // the catalog's 目标对照 is the only other reader: a build without the catalog does not read evidence for it
  const used = scored || (project.targets !== undefined && existsSync(path.join(root, 'evidence')));
  if (!used) return '';
  // every report and the catalog depend on all of the evidence: its hash joins the global key
  // (whatever kinds this build makes, so the key does not change with --only)
  const h = createHash('sha1');
  for (const f of evidenceFiles(root).sort()) h.update(`${f}\n${readFileSync(path.join(root, f))}\n`);
  const key = h.digest('hex');
  const totals = catalog && project.targets !== undefined;
  if (!scored && !totals) return key;
  const { evidence, diags: found } = await readEvidence(root, ctx, loaded);
  for (const d of found.list) diags.add(d);
  if (found.errorCount > 0) return undefined;
  if (totals) targetsFromEvidence(project, evidence, ctx, diags);
  let failed = false;
  for (const r of project.results) {
    if (evidenceItems(r.checklistRef).length === 0) continue;
    const applied = applyEvidence(r.checklistRef, r, evidence.records, evidence.calendar, ctx.project?.data.evidence);
    for (const d of applied.details.filter((x) => x.problem)) {
      diags.error(r.file, { line: 1, column: 1 }, 'evidence-period-empty', `条目 ${d.no}：${d.problem}。请把考评期的证据放进 evidence/，或检查结果的 period。`);
      failed = true;
    }
    r.scores = applied.scores;
    r.evidence = applied.details.map((d) => ({ no: d.no, figure: d.figure, how: d.how }));
  }
  return failed ? undefined : key;
}

/**
 * The targets the project itself answers: standard_coverage is the catalog's category coverage
 * (categories with a current standard ÷ ten), implementation_rate the share of assessed items that
 * trace a standard and were met in full.
 */
function coverageTarget(project: Project, ctx: ReturnType<typeof checkProject>, diags: Diagnostics): void {
  const t = project.targets;
  if (t?.standard_coverage !== undefined) {
    const [row] = targetRowsFrom({ standard_coverage: t.standard_coverage }, { standard_coverage: { num: coveredCategories(project).length, den: CATEGORIES.length } });
    if (row?.met === false) diags.warn('project.yaml', ctx.project?.src.valueAt(['targets', 'standard_coverage']), 'target-missed', `标准覆盖率（有现行标准的类别，含采用的标准）${row.figure}，未达到目标 ${t.standard_coverage}%。`);
  }
  if (t?.implementation_rate !== undefined) {
    const [row] = targetRowsFrom({ implementation_rate: t.implementation_rate }, { implementation_rate: implementationRate(project) });
    if (row?.met === false) diags.warn('project.yaml', ctx.project?.src.valueAt(['targets', 'implementation_rate']), 'target-missed', `标准实施率（考评中对照标准的条目全部达到的比例）${row.figure}，未达到目标 ${t.implementation_rate}%。`);
  }
}

/** The catalog's 目标对照: the latest year with evidence; a warning for each target it misses. */
function targetsFromEvidence(project: Project, evidence: CheckedEvidence, ctx: ReturnType<typeof checkProject>, diags: Diagnostics): void {
  const r = evidence.records;
  const days = [...r.evaluations.map((e) => e.day), ...r.cases.map((c) => c.decided ?? c.accepted), ...r.complaints.map((c) => c.received)];
  if (days.length === 0) return;
  const year = String(yearOf(days.reduce((a, b) => Math.max(a, b))));
  const figures = computeFigures(r, evidence.calendar, ctx.project?.data.evidence, year);
  project.evidenceTotals = { periodLabel: figures.range.period.label, rates: targetRates(figures.total) };
  const src = ctx.project?.src;
  for (const t of targetRowsFrom(project.targets, project.evidenceTotals.rates)) {
    if (t.met === false) diags.warn('project.yaml', src?.valueAt(['targets', t.key]), 'target-missed', `${figures.range.period.label}${t.label} ${t.figure}，未达到目标 ${t.target}%。`);
  }
}

function jobsFor(project: Project, book: FontBook, templates: Map<string, TemplateSource>, formats: Format[], only: OutputKind[], diags: Diagnostics): { rctx: RenderContext; jobs: Job[] } {
  const rctx: RenderContext = { project, book, html: new HtmlRenderer(templates), formats: new Set(formats), diags };
  return { rctx, jobs: KINDS.filter((k) => only.includes(k.kind)).flatMap((k) => k.jobs(rctx)) };
}

/**
 * A render worker's preparation from the main thread's model (a structured clone): nothing is
 * loaded or checked again, only fonts and templates are opened in this thread.
 */
export async function prepareFromModel(project: Project, formats: Format[], only: OutputKind[]): Promise<Prepared> {
  const diags = new Diagnostics();
  const book = loadFontBook(project.fonts ?? {}, project.root);
  const { rctx, jobs } = jobsFor(project, book, await loadTemplates(project.root), formats, only, diags);
  return { root: project.root, hashes: new Map(), diags, project, rctx, jobs, globalKey: '', dropped: [] };
}

/**
 * Each output's key: changes whenever anything it is made from changes. Outputs made from the same
 * sources (an item's poster, guide and part) share a key, computed once.
 */
export function jobKeys(jobs: readonly Job[], prep: Prepared): Map<string, string> {
  const bySig = new Map<string, string>();
  const groupDigests = new Map<readonly string[], string>();
  const groupIds = new Map<readonly string[], number>();
  const line = (d: string): string => `${d} ${prep.hashes.get(d) ?? 'missing'}\n`;
  const lines = (deps: readonly string[]): string => [...deps].sort().map(line).join('');
  // one-shot hashes: thousands of small ones, where a Hash object each costs more than the hashing
  const compute = (deps: Job['deps']): string => {
    if (!deps) return hash('sha1', prep.globalKey + lines([...prep.hashes.keys()]));
    const files: string[] = [];
    let groups = '';
    for (const d of deps) {
      if (typeof d === 'string') {
        files.push(d);
        continue;
      }
      // a shared list (the navigation's sources) is hashed once for all the jobs that name it
      let digest = groupDigests.get(d);
      if (!digest) groupDigests.set(d, (digest = hash('sha1', lines(d))));
      groups += `group ${digest}\n`;
    }
    if (files.length > 1) files.sort();
    let text = prep.globalKey;
    for (const f of files) text += line(f);
    return hash('sha1', text + groups);
  };
  const sigOf = (deps: Job['deps']): string => {
    if (!deps) return '*';
    if (deps.length === 1 && typeof deps[0] === 'string') return deps[0];
    let sig = '';
    for (const d of deps) {
      if (typeof d === 'string') sig += `${d}\n`;
      else {
        let id = groupIds.get(d);
        if (id === undefined) groupIds.set(d, (id = groupIds.size));
        sig += `#${id}\n`;
      }
    }
    return sig;
  };
  const keys = new Map<string, string>();
  for (const job of jobs) {
    const sig = sigOf(job.deps);
    let key = bySig.get(sig);
    if (key === undefined) bySig.set(sig, (key = compute(job.deps)));
    keys.set(job.path, key);
  }
  return keys;
}

function fontBook(project: Project, diags: Diagnostics): FontBook | undefined {
  try {
    return loadFontBook(project.fonts ?? {}, project.root);
  } catch (e) {
    if (!(e instanceof FontError)) throw e;
    diags.error('project.yaml', undefined, 'font-invalid', `${e.message}（fonts.${e.role}）。请改正 project.yaml 中的 fonts 设置，或删除它以使用内置字体。`);
    return undefined;
  }
}
