import type { Job, KindModule, RenderContext } from '../pipeline/kind.js';
import type { Item } from '../model/project.js';
import { fitPoster, POSTER_SIZES, renderPosterPdf, type PosterFit } from '../render/pdf/poster-pdf.js';
import { posterView, type PosterView } from '../views/poster-view.js';
import { deps as sources, navFor } from './site.js';

/**
 * 上墙公示: one single-page poster per item, on the project's poster paper (default A3). A poster that
 * does not fit at the smallest type is reported (`poster-overflow`) and not produced — by the PDF job,
 * or by the HTML job when no PDF is built, so the report comes once even when PDFs render in workers.
 */
export const postersKind: KindModule = {
  kind: 'posters',
  jobs: (ctx) => {
    const jobs: Job[] = [];
    const pdf = ctx.formats.has('pdf');
    const navDeps = sources.checklists(ctx.project);
    // an item's HTML and PDF jobs run one after the other and both need its view and fit (a handful
    // of dry layouts): the last item's are kept
    let last: { item: Item; view: PosterView; fit: PosterFit } | undefined;
    const fitted = (item: Item): { view: PosterView; fit: PosterFit } => {
      if (last?.item !== item) {
        const view = posterView(ctx.project, item);
        last = { item, view, fit: fitPoster(view, ctx.book) };
      }
      return last;
    };
    for (const item of ctx.project.items) {
      const deps = [item.file];
      const htmlDeps = [item.file, navDeps];
      if (ctx.formats.has('html')) {
        jobs.push({
          kind: 'posters',
          path: `html/posters/${item.slug}.html`,
          deps: htmlDeps,
          render: async () => {
            const { view, fit } = fitted(item);
            if (!fit.ok) {
              if (!pdf) reportOverflow(ctx, item, view, fit);
              return undefined;
            }
            return ctx.html.page('poster', {
              ...view,
              bodyPt: fit.size * view.scale,
              pdfHref: pdf ? `../../pdf/posters/${item.slug}.pdf` : undefined,
              guideHref: `../guides/${item.slug}.html`,
              departmentHref: `../departments/${item.department.slug}.html`,
              nav: navFor(ctx.project, '../'),
            }, { title: `${item.name}（上墙公示）`, root: '../', pageSize: `${view.paper} portrait`, bodyClass: `page-poster paper-${view.paper}` });
          },
        });
      }
      if (pdf) {
        jobs.push({
          kind: 'posters',
          path: `pdf/posters/${item.slug}.pdf`,
          deps,
          render: async () => {
            const { view, fit: known } = fitted(item);
            const { pdf: data, fit } = await renderPosterPdf(view, ctx.book, known);
            if (!fit.ok) reportOverflow(ctx, item, view, fit);
            return data;
          },
        });
      }
    }
    return jobs;
  },
};

function reportOverflow(ctx: RenderContext, item: Item, view: PosterView, fit: Extract<PosterFit, { ok: false }>): void {
  const pct = Math.max(1, Math.round(fit.over * 100));
  ctx.diags.error(item.file, undefined, 'poster-overflow',
    `事项“${item.name}”（${item.code}）的上墙公示在最小字号 ${POSTER_SIZES.floor} pt 下仍超出一页 ${view.paper} 约 ${pct}%，未生成公示：${fit.parts.join('、')}内容过长。`
    + '请精简这些内容（如合并同类材料、缩短流程说明；详细解释可放入办事指南的常见问题）。公示只印一页，文字不会被截断或转到第二页。');
}
