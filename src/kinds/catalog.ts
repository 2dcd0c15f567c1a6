import type { KindModule } from '../pipeline/kind.js';
import { drawTraceability, renderCatalogPdf } from '../render/pdf/catalog-pdf.js';
import { catalogView } from '../views/catalog-view.js';
import { traceabilityView } from '../views/traceability-view.js';
import { deps, navFor } from './site.js';

export const catalogKind: KindModule = {
  kind: 'catalog',
  jobs: (ctx) => {
    const { project } = ctx;
    const view = (): ReturnType<typeof catalogView> => catalogView(project);
    const jobs = [];
    const sources = [...deps.standards(project), ...deps.checklists(project)];
    if (ctx.formats.has('html')) {
      jobs.push({
        kind: 'catalog' as const,
        path: 'html/index.html',
        deps: sources,
        render: async () => {
          const traceability = traceabilityView(project);
          return ctx.html.page('catalog', { ...view(), nav: navFor(project, ''), pdfHref: '../pdf/catalog.pdf', traceability, notesHeading: traceability ? '五、编制说明' : '四、编制说明' }, { title: `${project.organization}标准体系表`, root: '', pageSize: 'A4 landscape', bodyClass: 'page-catalog' });
        },
      });
    }
    if (ctx.formats.has('pdf')) {
      jobs.push({ kind: 'catalog' as const, path: 'pdf/catalog.pdf', deps: sources, render: () => {
        const traceability = traceabilityView(project);
        return renderCatalogPdf(view(), ctx.book, traceability && ((flow) => drawTraceability(flow, traceability)));
      } });
    }
    return jobs;
  },
};
