import type { Job, KindModule, RenderContext } from '../pipeline/kind.js';
import type { Item } from '../model/project.js';
import { fitPoster, type PosterFit } from '../layout/poster-fit.js';
import { POSTER_TYPE, posterMeasurer, renderPosterPdf } from '../render/pdf/poster-pdf.js';
import { posterView, type PosterView } from '../views/poster-view.js';
import { deps as sources, navFor } from './site.js';

/**
 * 上墙公示: one poster per item on the project's paper (default A3), always produced: what the fit
 * had to do past the type sizes (a wall digest, continuation sheets) is a warning (`poster-digest`,
 * `poster-enlarged`, `poster-continued`) told once per item, by the PDF job or by the HTML job when no PDF is built.
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
    const measure = posterMeasurer(ctx.book);
    const fitted = (item: Item): { view: PosterView; fit: PosterFit } => {
      if (last?.item !== item) {
        const view = posterView(ctx.project, item);
        last = { item, view, fit: fitPoster(view, measure) };
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
            if (!pdf) reportFit(ctx, item, view, fit);
            // the web page is one column of any length, as the wall digest left it
            return ctx.html.page('poster', {
              ...fit.whole,
              sheets: fit.sheets.length,
              bodyPt: fit.size * view.scale,
              titlePt: POSTER_TYPE.title * view.scale,
              pdfHref: pdf ? `../../pdf/posters/${item.slug}.pdf` : undefined,
              guideHref: `../guides/${item.slug}.html`,
              departmentHref: `../departments/${item.department.slug}.html`,
              nav: navFor(ctx.project, '../'),
            }, { title: `${item.name}（上墙公示）`, root: '../', pageSize: `${fit.whole.paper} portrait`, bodyClass: `page-poster paper-${fit.whole.paper}` });
          },
        });
      }
      if (pdf) {
        jobs.push({
          kind: 'posters',
          path: `pdf/posters/${item.slug}.pdf`,
          deps,
          render: async () => {
            const { view, fit } = fitted(item);
            reportFit(ctx, item, view, fit);
            if (fit.overflow) return new Uint8Array(); // reported as an error: the build stops before writing
            return renderPosterPdf(fit, ctx.book);
          },
        });
      }
    }
    return jobs;
  },
};

function reportFit(ctx: Pick<RenderContext, 'diags'>, item: Item, view: PosterView, fit: PosterFit): void {
  if (fit.level === 0) return;
  if (fit.overflow) {
    const o = fit.overflow;
    const what = o.part === 'commitment' ? ['服务承诺（commitment）', item.file]
      : o.part === 'entry' ? [`“${o.section ?? ''}”中的一项`, item.file]
      : o.part === 'project' ? ['每张公示都要印的单位、部门和联系方式（project.yaml 中的 organization、departments、hotlines）', 'project.yaml']
      : ['名称（每张公示都要印）', item.file];
    // one project-wide cause, one diagnostic (every item's poster would say it)
    if (o.part === 'project' && ctx.diags.list.some((d) => d.rule === 'poster-overflow' && d.file === 'project.yaml')) return;
    ctx.diags.error(what[1]!, undefined, 'poster-overflow',
      `事项“${item.name}”（${item.code}）的${what[0]}太长，在 ${view.pt.min} pt 的最小字号下一张 ${view.paper} 也放不下（续页也无法分开它）。请缩短这段文字，或在 project.yaml 的 poster.max_size 中允许更大的幅面。`);
    return;
  }
  const where = view.guideQr ? '公示上有办事指南的二维码' : '请在 project.yaml 中设置 site_url，以便公示上印出办事指南的二维码';
  // at the first field the digest cut (the one an author would shorten in `poster:`), else the item's name
  const at = [fit.fields[0] ?? 'name'];
  const warn = (rule: string, message: string): void => ctx.diags.add({ file: item.file, at, severity: 'warning', rule, message });
  if (fit.cuts.length) {
    warn('poster-digest', `事项“${item.name}”（${item.code}）的上墙公示内容较长，已按公示惯例压缩：${fit.cuts.join('；')}（标注“详见办事指南”，${where}）。办事指南保留完整内容；如需自己写公示用的简写，请在事项中加 poster: 部分。`);
  }
  if (fit.enlarged && fit.sheets.length === 1) {
    warn('poster-enlarged', `事项“${item.name}”（${item.code}）的上墙公示压缩后仍放不下一张 ${view.paper}，已按 project.yaml 的 poster.max_size 改用 ${fit.enlarged}，字号与其他公示相同。`);
  }
  if (fit.sheets.length > 1) {
    const paper = fit.whole.paper;
    const hint = fit.enlarged ? '可精简事项内容，或在事项的 poster: 部分写公示用的简写。' : '可在 project.yaml 的 poster.max_size 中允许更大的幅面（如 A2），或在事项的 poster: 部分写公示用的简写。';
    warn('poster-continued', `事项“${item.name}”（${item.code}）的上墙公示在 ${view.pt.min} pt 的最小字号下压缩后仍超过一张 ${paper}，已分为 ${fit.sheets.length} 张（每张都有相同的标题和页脚）。${hint}`);
  }
}

/**
 * What the posters' fit would report, without rendering (for validate): a poster no sheet can hold
 * is an error there too, and the digest and continuation warnings are the build's.
 */
export function checkPosters(project: RenderContext['project'], book: RenderContext['book'], diags: RenderContext['diags']): void {
  const measure = posterMeasurer(book);
  for (const item of project.items) {
    const view = posterView(project, item);
    reportFit({ diags }, item, view, fitPoster(view, measure));
  }
}
