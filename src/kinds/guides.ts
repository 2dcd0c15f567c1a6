import { PARTS_DIR, type Job, type JobInputs, type KindModule } from '../pipeline/kind.js';
import { encodePart } from '../render/pdf/assemble/part.js';
import { MemorySink } from '../render/pdf/assemble/pdf-writer.js';
import { assembleBookletPdf, type GuideParts } from '../render/pdf/booklet-pdf.js';
import { renderBookletDocx, renderGuideDocx } from '../render/docx/guide-docx.js';
import { assembleGuidePdf, renderGuidePart } from '../render/pdf/guide-pdf.js';
import { centreBookletView, departmentBookletView, departmentPageView, departmentsIndexView, guideHead, guideView, type BookletView } from '../views/guide-view.js';
import type { Item, Project } from '../model/project.js';
import { deps, navFor } from './site.js';

/**
 * 办事指南: one guide per item (HTML and A4 PDF), a booklet per department and one for the whole
 * centre (PDF), and the department pages that link every item's poster and guide.
 */
export const guidesKind: KindModule = {
  kind: 'guides',
  jobs: (ctx) => {
    const { project } = ctx;
    const jobs: Job[] = [];
    if (project.items.length === 0) return jobs;
    const html = ctx.formats.has('html');
    const pdf = ctx.formats.has('pdf');
    // HTML pages also carry the site navigation, which shows the checklists when there are any
    const navDeps = deps.checklists(project);
    for (const item of project.items) {
      if (html) {
        jobs.push({
          kind: 'guides',
          path: `html/guides/${item.slug}.html`,
          deps: [item.file, navDeps],
          render: async () => ctx.html.page('guide', {
            ...guideView(project, item),
            pdfHref: pdf ? `../../pdf/guides/${item.slug}.pdf` : undefined,
            posterHref: `../posters/${item.slug}.html`,
            departmentHref: `../departments/${item.department.slug}.html`,
            nav: navFor(project, '../'),
          }, { title: `${item.name}办事指南`, root: '../', pageSize: 'A4', bodyClass: 'page-guide' }),
        });
      }
      if (pdf) {
        // laid out once as a part; the guide and both booklets are assembled from it
        const part = partPath(item.slug);
        jobs.push({ kind: 'guides', path: part, deps: [item.file], render: async () => encodePart(renderGuidePart(guideView(project, item), ctx.book)) });
        jobs.push({
          kind: 'guides',
          path: `pdf/guides/${item.slug}.pdf`,
          deps: [item.file],
          needs: [part],
          render: async (inputs) => assembleGuidePdf(await inputs.part(part), guideHead(project, item), ctx.book),
        });
      }
    }
    if (pdf) {
      for (const dep of project.departments) {
        if (dep.items.length === 0) continue;
        const path = `pdf/guides/departments/${dep.slug}.pdf`;
        jobs.push({
          kind: 'guides',
          path,
          index: indexPath(path),
          deps: dep.items.map((i) => i.file),
          needs: dep.items.map((i) => partPath(i.slug)),
          render: async (inputs) => {
            const sink = new MemorySink();
            await withParts(inputs, path, (parts) => assembleBookletPdf(departmentBookletView(project, dep), ctx.book, parts, sink));
            return sink.result();
          },
        });
      }
      const path = 'pdf/guides/all.pdf';
      jobs.push({
        kind: 'guides',
        path,
        index: indexPath(path),
        deps: deps.items(project),
        needs: project.items.map((i) => partPath(i.slug)),
        render: async (inputs) => {
          const sink = new MemorySink();
          await withParts(inputs, path, (parts) => assembleBookletPdf(centreBookletView(project), ctx.book, parts, sink));
          return sink.result();
        },
        stream: (sink, inputs) => withParts(inputs, path, (parts) => assembleBookletPdf(centreBookletView(project), ctx.book, parts, sink)),
      });
    }
    if (ctx.formats.has('docx')) {
      for (const item of project.items) {
        jobs.push({ kind: 'guides', path: `docx/guides/${item.slug}.docx`, deps: [item.file], render: () => renderGuideDocx(guideView(project, item), ctx.book) });
      }
      const booklet = (path: string, items: Item[], view: () => BookletView): Job => ({
        kind: 'guides',
        path,
        deps: items.map((i) => i.file),
        // with PDF output, the 目录 shows the page numbers of the PDF booklet, from the guides' parts
        needs: pdf ? items.map((i) => partPath(i.slug)) : undefined,
        render: async (inputs) => {
          const v = view();
          return renderBookletDocx(v, guideViews(project, items), pdf ? await bookletPages(v, inputs) : new Map(), ctx.book);
        },
      });
      // a Word booklet is built whole in memory (the PDF one is streamed from parts): past a size
      // that no office would edit as one file, it is left to the PDF, and said so
      const fits = (path: string, items: Item[], what: string): boolean => {
        if (items.length <= MAX_DOCX_BOOKLET_ITEMS) return true;
        ctx.diags.warn('project.yaml', undefined, 'docx-booklet-too-large',
          `${what}有 ${items.length} 个事项，超过 Word 汇编的上限 ${MAX_DOCX_BOOKLET_ITEMS} 个，未生成 ${path}。请使用 PDF 版汇编，或各事项的 Word 办事指南。`);
        return false;
      };
      for (const dep of project.departments) {
        const path = `docx/guides/departments/${dep.slug}.docx`;
        if (dep.items.length && fits(path, dep.items, `${dep.name}办事指南汇编`)) jobs.push(booklet(path, dep.items, () => departmentBookletView(project, dep)));
      }
      if (fits('docx/guides/all.docx', project.items, '全中心办事指南汇编')) jobs.push(booklet('docx/guides/all.docx', project.items, () => centreBookletView(project)));
    }
    if (html) {
      jobs.push({
        kind: 'guides',
        path: 'html/departments.html',
        deps: [...deps.items(project), navDeps],
        render: async () => ctx.html.page('departments', { ...departmentsIndexView(project, pdf), nav: navFor(project, '') }, { title: `${project.organization}办事指南与公示`, root: '', pageSize: 'A4', bodyClass: 'page-departments' }),
      });
      for (const dep of project.departments) {
        jobs.push({
          kind: 'guides',
          path: `html/departments/${dep.slug}.html`,
          deps: [...dep.items.map((i) => i.file), navDeps],
          render: async () => ctx.html.page('department', { ...departmentPageView(project, dep, pdf), nav: navFor(project, '../') }, { title: `${dep.name}办事指南与公示`, root: '../', pageSize: 'A4', bodyClass: 'page-department' }),
        });
      }
    }
    return jobs;
  },
};

/** Items in one Word booklet at most (a guide is some 3 pages: about 1,500 pages, tens of MB of XML). */
export const MAX_DOCX_BOOKLET_ITEMS = 500;

function guideViews(project: Project, items: Item[]): Map<string, ReturnType<typeof guideView>> {
  return new Map(items.map((i) => [i.slug, guideView(project, i)]));
}

/** Where each guide (and each department's first) starts in the PDF booklet: its body pages count from 1. */
async function bookletPages(view: BookletView, inputs: JobInputs): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  let start = 0;
  for (const g of view.groups) {
    if (view.grouped) labels.set(`group:${g.name}`, String(start + 1));
    for (const e of g.guides) {
      labels.set(e.slug, String(start + 1));
      start += (await inputs.part(partPath(e.slug))).pages.length;
    }
  }
  return labels;
}

const partPath = (slug: string): string => `${PARTS_DIR}/guides/${slug}.nkp`;

const indexPath = (path: string): string => `${PARTS_DIR}/booklets/${path}.nkx`;

/** Items' parts for a booklet at `path`, with the previous build's booklet when it can lend pages. */
async function withParts(inputs: JobInputs, path: string, use: (parts: GuideParts) => Promise<void>): Promise<void> {
  const earlier = inputs.earlier?.(path, indexPath(path));
  const { changed, previousPart } = inputs;
  try {
    await use({
      part: (slug) => inputs.part(partPath(slug)),
      earlier: earlier && changed && previousPart
        ? { doc: earlier.doc, index: earlier.index, changed: (slug) => changed(partPath(slug)), previousPart: (slug) => previousPart(partPath(slug)) }
        : undefined,
      saveIndex: inputs.saveIndex,
    });
  } finally {
    earlier?.close();
  }
}
