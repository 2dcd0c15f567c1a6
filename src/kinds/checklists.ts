import type { Job, KindModule, RenderContext } from '../pipeline/kind.js';
import type { Checklist, Result } from '../model/project.js';
import { renderChecklistDocx, renderRankingDocx, renderReportDocx } from '../render/docx/checklist-docx.js';
import { renderChecklistPdf } from '../render/pdf/checklist-pdf.js';
import { checklistWorkbook, UnsupportedWorkbook } from '../render/xlsx/checklist-workbook.js';
import { renderRankingPdf, renderReportPdf } from '../render/pdf/report-pdf.js';
import { ScoreInputError } from '../scoring/score.js';
import { checklistView } from '../views/checklist-view.js';
import { checklistIndexView, rankingView, reportView, resultsOf } from '../views/report-view.js';
import { navFor } from './site.js';

/**
 * Assessment outputs: a blank form per checklist, a score report per result, a ranking per
 * checklist that has results, and html/checklists/index.html linking them all.
 */
export const checklistsKind: KindModule = {
  kind: 'checklists',
  jobs: (ctx) => {
    const { project } = ctx;
    if (project.checklists.length === 0) return [];
    const jobs: Job[] = [];
    for (const cl of project.checklists) {
      jobs.push(...formJobs(ctx, cl));
      if (resultsOf(project, cl).length) jobs.push(...rankingJobs(ctx, cl));
    }
    for (const r of project.results) jobs.push(...reportJobs(ctx, r));
    if (ctx.formats.has('html')) {
      jobs.push({
        kind: 'checklists',
        path: 'html/checklists/index.html',
        deps: [...project.checklists.map((c) => c.file), ...project.results.map((r) => r.file)],
        render: scored(ctx, undefined, async () => ctx.html.page('checklists', { ...checklistIndexView(project), nav: navFor(project, '../') },
          { title: `${project.organization}考评表`, root: '../', pageSize: 'A4 landscape', bodyClass: 'page-checklists' })),
      });
    }
    return jobs;
  },
};

/** Results that the checks let through are scoreable; should scoring still refuse one, say so instead of crashing. */
function scored<T>(ctx: RenderContext, file: string | undefined, render: () => Promise<T>): () => Promise<T | undefined> {
  return async () => {
    try {
      return await render();
    } catch (e) {
      if (!(e instanceof ScoreInputError)) throw e;
      ctx.diags.error(file ?? 'results/', undefined, 'score-input', `无法计分：${e.message}请改正考评结果。`);
      return undefined;
    }
  };
}

function formJobs(ctx: RenderContext, cl: Checklist): Job[] {
  const { project } = ctx;
  const jobs: Job[] = [];
  const deps = [cl.file];
  if (ctx.formats.has('html')) {
    const hasResults = resultsOf(project, cl).length > 0;
    jobs.push({
      kind: 'checklists',
      path: `html/checklists/${cl.slug}.html`,
      deps: [cl.file, ...resultsOf(project, cl).map((r) => r.file)],
      render: async () => ctx.html.page('checklist', {
        ...checklistView(project, cl),
        nav: navFor(project, '../'),
        pdfHref: `../../pdf/checklists/${cl.slug}.pdf`,
        rankingHref: hasResults ? `${cl.slug}-ranking.html` : undefined,
      }, { title: cl.title, root: '../', pageSize: 'A4 landscape', bodyClass: 'page-checklist' }),
    });
  }
  if (ctx.formats.has('pdf')) {
    jobs.push({ kind: 'checklists', path: `pdf/checklists/${cl.slug}.pdf`, deps, render: () => renderChecklistPdf(checklistView(project, cl), ctx.book) });
  }
  if (ctx.formats.has('docx')) {
    jobs.push({ kind: 'checklists', path: `docx/checklists/${cl.slug}.docx`, deps, render: () => renderChecklistDocx(checklistView(project, cl), ctx.book) });
  }
  if (ctx.formats.has('xlsx')) {
    // the fillable form, as `normkit checklist export` writes it; `normkit score filled.xlsx` reads it back
    jobs.push({
      kind: 'checklists',
      path: `xlsx/checklists/${cl.slug}.xlsx`,
      deps,
      render: async () => {
        try {
          return (await checklistWorkbook(checklistView(project, cl), cl)).bytes;
        } catch (e) {
          if (!(e instanceof UnsupportedWorkbook)) throw e;
          ctx.diags.warn(cl.file, { line: 1, column: 1 }, 'checklist-workbook-unsupported', `${e.message}打印版 PDF 和 Word 版照常生成。`);
          return undefined;
        }
      },
    });
  }
  return jobs;
}

function rankingJobs(ctx: RenderContext, cl: Checklist): Job[] {
  const { project } = ctx;
  const jobs: Job[] = [];
  const deps = [cl.file, ...resultsOf(project, cl).map((r) => r.file)];
  const slug = `${cl.slug}-ranking`;
  if (ctx.formats.has('html')) {
    jobs.push({
      kind: 'checklists',
      path: `html/checklists/${slug}.html`,
      deps,
      render: scored(ctx, cl.file, async () => ctx.html.page('ranking', {
        ...rankingView(project, cl), nav: navFor(project, '../'), formHref: `${cl.slug}.html`, pdfHref: `../../pdf/checklists/${slug}.pdf`,
      }, { title: `${cl.title}考评结果汇总`, root: '../', pageSize: 'A4 landscape', bodyClass: 'page-ranking' })),
    });
  }
  if (ctx.formats.has('pdf')) {
    jobs.push({ kind: 'checklists', path: `pdf/checklists/${slug}.pdf`, deps, render: scored(ctx, cl.file, () => renderRankingPdf(rankingView(project, cl), ctx.book)) });
  }
  if (ctx.formats.has('docx')) {
    jobs.push({ kind: 'checklists', path: `docx/checklists/${slug}.docx`, deps, render: scored(ctx, cl.file, () => renderRankingDocx(rankingView(project, cl), ctx.book)) });
  }
  return jobs;
}

function reportJobs(ctx: RenderContext, r: Result): Job[] {
  const { project } = ctx;
  const jobs: Job[] = [];
  const deps = [r.file, r.checklistRef.file];
  if (ctx.formats.has('html')) {
    jobs.push({
      kind: 'checklists',
      path: `html/reports/${r.slug}.html`,
      deps,
      render: scored(ctx, r.file, async () => ctx.html.page('report', {
        ...reportView(project, r),
        nav: navFor(project, '../'),
        pdfHref: `../../pdf/reports/${r.slug}.pdf`,
        formHref: `../checklists/${r.checklistRef.slug}.html`,
        rankingHref: `../checklists/${r.checklistRef.slug}-ranking.html`,
      }, { title: `${r.subject} ${r.checklistRef.title}考评结果`, root: '../', pageSize: 'A4 landscape', bodyClass: 'page-report' })),
    });
  }
  if (ctx.formats.has('pdf')) {
    jobs.push({ kind: 'checklists', path: `pdf/reports/${r.slug}.pdf`, deps, render: scored(ctx, r.file, () => renderReportPdf(reportView(project, r), ctx.book)) });
  }
  if (ctx.formats.has('docx')) {
    jobs.push({ kind: 'checklists', path: `docx/reports/${r.slug}.docx`, deps, render: scored(ctx, r.file, () => renderReportDocx(reportView(project, r), ctx.book)) });
  }
  return jobs;
}
