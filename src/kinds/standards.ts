import type { Job, KindModule } from '../pipeline/kind.js';
import { docxFonts } from '../render/docx/fonts.js';
import { renderStandardDocx } from '../render/docx/standard-docx.js';
import { renderStandardPdf, standardPageLabels } from '../render/pdf/standard-pdf.js';
import { standardView } from '../views/standard-view.js';
import { deps, navFor } from './site.js';

export const standardsKind: KindModule = {
  kind: 'standards',
  jobs: (ctx) => {
    const { project } = ctx;
    const jobs: Job[] = [];
    // A standard's page shows titles and links of the standards it cites or replaces.
    const sources = deps.standards(project);
    for (const s of project.standards) {
      if (ctx.formats.has('html')) {
        jobs.push({
          kind: 'standards',
          path: `html/standards/${s.slug}.html`,
          deps: sources,
          render: async () => ctx.html.page('standard', { ...standardView(project, s), nav: navFor(project, '../') },
            { title: `${s.code} ${s.title}`, root: '../', pageSize: 'A4', bodyClass: 'page-standard' }),
        });
      }
      if (ctx.formats.has('pdf')) {
        jobs.push({ kind: 'standards', path: `pdf/standards/${s.slug}.pdf`, deps: sources, render: () => renderStandardPdf(standardView(project, s), ctx.book) });
      }
      if (ctx.formats.has('docx')) {
        // the 目次 carries the page numbers of normkit's own PDF of the standard
        jobs.push({
          kind: 'standards',
          path: `docx/standards/${s.slug}.docx`,
          deps: sources,
          render: () => {
            const view = standardView(project, s);
            return renderStandardDocx(view, docxFonts(ctx.book), standardPageLabels(view, ctx.book));
          },
        });
      }
    }
    return jobs;
  },
};
