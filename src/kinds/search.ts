import { PARTS_DIR, type Job, type JobInputs, type KindModule } from '../pipeline/kind.js';
import type { Project } from '../model/project.js';
import {
  buildPostings, decodeKeyIndex, docPath, patchShards, docScript, META_PATH, metaScript, shardCount, shardPath, shardScripts, type KeyIndex,
} from '../render/search/search-index.js';
import { itemDoc, standardDoc, type SearchDoc } from '../views/search-view.js';
import { deps, navFor } from './site.js';

/** Every shard of the index, made in one job (a part), then written out one file each. */
const POSTINGS = `${PARTS_DIR}/search/postings.json`;
/** Each document's keys as this build made them, so the next one makes only the changed documents' again. */
const POSTINGS_INDEX = `${PARTS_DIR}/search/postings.nkx`;

/**
 * The site's search (html/search.html) and its index, as scripts so it works from file://: one
 * document file per item and standard (re-rendered only when its source changes), and the
 * postings in shards by key. The shards come from one part, which any change to the items or
 * standards makes again: after a few edits by patching the last build's shards that hold keys the
 * edited documents gained or lost, else from every document (the keys of unchanged ones read from
 * the last build's index).
 */
export const searchKind: KindModule = {
  kind: 'search',
  jobs: (ctx) => {
    const { project } = ctx;
    if (!ctx.formats.has('html')) return [];
    const jobs: Job[] = [];
    const sources = [...deps.items(project), ...deps.standards(project)];
    jobs.push({
      kind: 'search',
      path: 'html/search.html',
      deps: [deps.checklists(project)],
      render: async () => ctx.html.page('search', { nav: { ...navFor(project, ''), searchPage: true }, organization: project.organization },
        { title: `搜索 — ${project.organization}`, root: '', pageSize: 'A4', bodyClass: 'page-search' }),
    });
    const count = project.items.length + project.standards.length;
    const shards = shardCount(count);
    jobs.push({ kind: 'search', path: META_PATH, deps: [sources], render: async () => metaScript({ shards, docs: count }) });
    for (let id = 0; id < count; id++) {
      jobs.push({ kind: 'search', path: docPath(id), deps: [sourceOf(project, id)], render: async () => docScript(id, docOf(project, id)) });
    }
    jobs.push({ kind: 'search', path: POSTINGS, index: POSTINGS_INDEX, deps: [sources], render: (inputs) => postingsPart(project, count, inputs) });
    for (let n = 0; n < shards; n++) {
      jobs.push({ kind: 'search', path: shardPath(n), deps: [sources], needs: [POSTINGS], render: async (inputs) => (await shardsOf(project, inputs))[n] });
    }
    return jobs;
  },
};

/** Documents are numbered items first (by code), then standards (as the catalog lists them). */
function docOf(project: Project, id: number): SearchDoc {
  const n = project.items.length;
  return id < n ? itemDoc(project.items[id]!) : standardDoc(project.standards[id - n]!);
}

function sourceOf(project: Project, id: number): string {
  const n = project.items.length;
  return id < n ? project.items[id]!.file : project.standards[id - n]!.file;
}

async function postingsPart(project: Project, count: number, inputs: JobInputs): Promise<string> {
  let saved: KeyIndex | undefined;
  let scripts: string[] | undefined;
  const earlier = inputs.earlier?.(POSTINGS, POSTINGS_INDEX);
  if (earlier) {
    try {
      saved = decodeKeyIndex(earlier.index);
      const last: unknown = JSON.parse(Buffer.from(earlier.doc.read(0, earlier.doc.size)).toString('utf8'));
      if (Array.isArray(last) && last.every((s) => typeof s === 'string')) scripts = last;
    } catch {
      // a damaged part is made again from the sources
    } finally {
      earlier.close();
    }
  }
  // a document whose file did not change (its source, or which source has its number) keeps its keys
  const { changed } = inputs;
  if (saved && scripts && changed) {
    const ids: number[] = [];
    for (let id = 0; id < count; id++) if (changed(docPath(id))) ids.push(id);
    const patched = patchShards(count, (id) => docOf(project, id), saved, scripts, ids);
    if (patched) {
      await inputs.saveIndex?.(patched.index);
      return JSON.stringify(patched.scripts);
    }
  }
  const { postings, index } = buildPostings(count, (id) => docOf(project, id), saved, changed && ((id) => !changed(docPath(id))));
  await inputs.saveIndex?.(index);
  return JSON.stringify(shardScripts(postings));
}

/** The shards' scripts, read once per build and thread from the postings part (every shard job needs them). */
const shardTexts = new WeakMap<Project, Promise<string[]>>();
function shardsOf(project: Project, inputs: JobInputs): Promise<string[]> {
  let p = shardTexts.get(project);
  if (!p) {
    p = inputs.bytes(POSTINGS).then((b) => JSON.parse(Buffer.from(b).toString('utf8')) as string[]);
    shardTexts.set(project, p);
  }
  return p;
}
