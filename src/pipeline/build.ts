import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { readdir, readFile, stat, copyFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Diagnostic, Diagnostics } from '../diagnostics.js';
import type { Project } from '../model/project.js';
import { TEMPLATE_DIR } from '../paths.js';
import type { FontBook } from '../typography/fonts.js';
import { lockOutput } from '../write/lock.js';
import { StagedOutput } from '../write/output.js';
import { formatOf, OUTPUT_KINDS, PARTS_DIR, type Format, type Job, type OutputKind } from './kind.js';
import { collectGarbage } from './collect-garbage.js';
import { Stopwatch } from './stopwatch.js';
import { formatManifest, MANIFEST, parseManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { openModel, openPool, poolWorthwhile, shareModel } from './pool.js';
import { stagedInputs } from './job-inputs.js';
import { jobKeys, prepare, type Prepared } from './prepare.js';
import { FileStamps } from '../load/file-stamps.js';
import { ParseCache } from '../load/parse-cache.js';
import { byteSize, renderJob } from './render-job.js';
import { siteCharacters, webFonts } from './web-fonts.js';
import { readBounded } from '../load/bounded-read.js';
import { locateDiagnostics } from '../load/locate.js';

/** Far above the manifest of a province (a row is about 80 bytes). */
const MAX_MANIFEST_BYTES = 512 * 2 ** 20;

export interface BuildOptions {
  /** Build every valid source even when others have errors; theirs keep their last output (stale). */
  keepGoing?: boolean;
  projectDir: string;
  outDir: string;
  formats?: Format[];
  only?: OutputKind[];
  /** Rebuild everything, ignoring the previous build's manifest. */
  force?: boolean;
  /** Worker threads for PDF rendering: a number, or 0 to render in this thread. Default: automatic. */
  workers?: number;
  onProgress?: (kind: OutputKind, done: number, total: number) => void;
  /** Aborting stops the build before it commits; the previous output stays as it was. */
  signal?: AbortSignal;
  /** Any warning fails the build, the poster digests included (for offices that review every one). */
  strict?: boolean;
}

/** The build was stopped (Ctrl-C, SIGTERM) before it replaced the output. */
export class BuildInterrupted extends Error {}

export interface KindStats { documents: number; bytes: number; rendered: number }

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostics;
  files: string[];
  stats: Partial<Record<OutputKind | 'assets', KindStats>>;
  /** Outputs rendered in this build (the rest were carried over unchanged). */
  rendered: string[];
  /** Seconds spent loading and checking, rendering, and writing (for the benchmark). */
  timings: { prepare: number; render: number; commit: number; steps: [string, number][] };
  project?: Project;
  /** With keepGoing: source files left out for their errors, and the previous outputs kept for them. */
  dropped: string[];
  stale: string[];
}

export { MANIFEST } from './manifest.js';
/** The previous build's parsed sources, by content hash, in shards (see ParseCache). */
const PARSE_CACHE = Array.from({ length: ParseCache.SHARDS }, (_, i) => `${PARTS_DIR}/parse-cache/${i.toString(16)}.bin`);
/** What each source held when this build read it (see FileStamps). */
const FILE_STAMPS = `${PARTS_DIR}/files.bin`;

/** Refused before anything is written: an output folder that would swallow the project or someone's files. */
export class OutputFolderError extends Error {}

/** load → check → model → render → write; the output folder changes only when everything succeeded. */
export async function build(opts: BuildOptions): Promise<BuildResult> {
  const formats = opts.formats ?? ['html', 'pdf'];
  const only = opts.only ?? OUTPUT_KINDS;
  const outDir = path.resolve(opts.outDir);
  const t0 = performance.now();
  const clock = new Stopwatch();
  const cache = ParseCache.from(PARSE_CACHE.map((f) => (opts.force ? undefined : readOptional(path.join(outDir, f)))));
  const stamps = FileStamps.from(opts.force ? undefined : readOptional(path.join(outDir, FILE_STAMPS)));
  clock.lap('read parse cache');
  const prep = await prepare(opts.projectDir, formats, only, cache, clock, stamps, opts.keepGoing);
  const t1 = performance.now();
  const diags = prep.diags;
  const result: BuildResult = { ok: false, diagnostics: diags, files: [], stats: {}, rendered: [], project: prep.project, dropped: prep.dropped, stale: [], timings: { prepare: (t1 - t0) / 1000, render: 0, commit: 0, steps: clock.steps } };
  // with --keep-going the errors of the left-out sources are known already; any new one stops the build
  const inputErrors = diags.errorCount;
  if ((inputErrors > 0 && !prep.dropped.length) || !prep.rctx) return result;
  await guardOutputFolder(outDir, prep.root);

  const lock = await lockOutput(outDir);
  const out = new StagedOutput(outDir);
  const stopIfAborted = (): void => {
    if (opts.signal?.aborted) throw new BuildInterrupted('构建已中止。');
  };
  try {
    // first finishes a commit a killed build left, so the manifest read next describes the output as it is
    await out.open();
    clock.lap('open output');
    // bounded and regular files only: an output folder from elsewhere may hold a FIFO by that name
    const previousText = (() => { try { return readBounded(path.join(outDir, MANIFEST), MAX_MANIFEST_BYTES).bytes.toString('utf8'); } catch { return undefined; } })();
    const previous = parseManifest(previousText);
    const reusable = (p: string): string | undefined => (opts.force ? undefined : previous?.get(p)?.key);
    const keys = jobKeys(prep.jobs, prep);
    clock.lap('manifest and keys');
    // written first and let go: a county's parses are ten megabytes; only shards that changed are written
    const changedShards = new Set(cache.changedShards());
    for (const [i, f] of PARSE_CACHE.entries()) if (changedShards.has(i) || !out.has(f)) await out.write(f, cache.toBuffer(i));
    if (stamps.changed || !out.has(FILE_STAMPS)) await out.write(FILE_STAMPS, stamps.toBuffer());
    cache.clear();
    clock.lap('write parse cache');
    const todo: Job[] = [];
    // page parts are the build's own intermediate files: not documents, not listed
    const internal = (p: string): boolean => p.startsWith(`${PARTS_DIR}/`);
    const count = (kind: OutputKind | 'assets', bytes: number, rendered: boolean): void => {
      const st = (result.stats[kind] ??= { documents: 0, bytes: 0, rendered: 0 });
      st.documents++;
      st.bytes += bytes;
      if (rendered) st.rendered++;
    };
    // unchanged outputs stay where they are (a county has tens of thousands);
    // sizes for the statistics come from the last manifest, not a stat for each file
    const sizes = new Map<string, number>();
    const keptSize = (p: string, size = previous?.get(p)?.size): number => {
      const n = size ?? statSync(out.previous(p)).size;
      sizes.set(p, n);
      return n;
    };
    // the last manifest's entries of outputs kept as they are: they go into the new manifest as they were
    const kept = new Map<string, ManifestEntry>();
    // (callbacks, not loops: a loop's last job would stay referenced from this frame, and with it the model)
    prep.jobs.forEach((job) => {
      const last = opts.force ? undefined : previous?.get(job.path);
      if (last && last.key === keys.get(job.path) && out.has(job.path)) {
        if (last.size === undefined) last.size = keptSize(job.path);
        kept.set(job.path, last);
        // what its rendering warned about still holds: an unchanged build tells the same as a full one
        for (const w of last.warnings ?? []) diags.add(w);
        if (!internal(job.path)) count(job.kind, last.size, false);
      } else todo.push(job);
    });
    clock.lap('keep unchanged');
    const totals = new Map<OutputKind, number>();
    // page parts (.parts/) are not documents: the progress counts what the summary counts
    todo.forEach((j) => { if (!internal(j.path)) totals.set(j.kind, (totals.get(j.kind) ?? 0) + 1); });
    const done = new Map<OutputKind, number>();
    const progress = (kind: OutputKind): void => {
      const n = (done.get(kind) ?? 0) + 1;
      done.set(kind, n);
      opts.onProgress?.(kind, n, totals.get(kind)!);
    };
    const produced = new Set<string>();
    const indexOf = new Map(prep.jobs.flatMap((j) => (j.index ? [[j.path, j.index] as const] : [])));
    const warningsOf = new Map<string, Diagnostic[]>();
    const finished = (p: string, kind: OutputKind, bytes: number | undefined, indexBytes: number | undefined, raised: Diagnostic[]): void => {
      if (!internal(p)) progress(kind);
      if (bytes === undefined) return;
      const warnings = raised.filter((d) => d.severity === 'warning');
      if (warnings.length) warningsOf.set(p, warnings);
      const index = indexOf.get(p);
      if (index && indexBytes !== undefined) {
        produced.add(index);
        sizes.set(index, indexBytes);
      }
      produced.add(p);
      sizes.set(p, bytes);
      if (internal(p)) return;
      result.rendered.push(p);
      count(kind, bytes, true);
    };

    // Worth a pool when there is much layout to do (PDFs, page parts); then every job goes to it,
    // HTML included, so this thread only coordinates and its memory stays that of the model.
    // Jobs assembled from parts wait for the parts.
    const heavy = (j: Job): boolean => j.path.endsWith('.pdf') || j.path.endsWith('.docx') || j.path.startsWith(`${PARTS_DIR}/`);
    const workers = opts.workers ?? (poolWorthwhile(todo.reduce((n, j) => n + (heavy(j) ? 1 : 0), 0)) ? Math.min(4, availableParallelism()) : 0);
    const book = prep.rctx.book;
    const inputs = stagedInputs(out.staging, outDir, previous && !opts.force ? { manifest: previous, keys, has: (p) => out.has(p) } : undefined);
    // the biggest assemblies (booklets) start first so they do not finish last
    const phases = [todo.filter((j) => !j.needs), todo.filter((j) => j.needs).sort((a, b) => b.needs!.length - a.needs!.length)];
    // with a pool, this thread needs only where each output goes: the jobs themselves can go
    const records = prep.jobs.map((j) => ({ path: j.path, kind: j.kind }));
    const phasePaths = phases.map((ph) => ph.map((j) => j.path));
    // The site's font slices depend only on the sources' characters: they are cut while the pages
    // render (this thread is otherwise idle), not after, when one core would wait for the other.
    // Assets and slices are keyed by their own content: an unchanged one stays as it is.
    const keepAsset = (p: string, key: string): boolean => !opts.force && previous?.get(p)?.key === key && out.has(p);
    const fonts = formats.includes('html') ? webFonts(book, siteCharacters(result.project!)) : undefined;
    const cut = new Map((fonts?.slices ?? []).filter((s) => !keepAsset(s.path, s.key)).map((s) => [s.path, s.make()] as const));
    for (const p of cut.values()) p.catch(() => undefined); // observed when written; a failed build drops them
    // With a pool, the workers read the model from one shared copy, and this thread lets go of its
    // own (and of the jobs, which hold it) before they start, until they are done: at 10,000 items
    // the model is some sixty megabytes.
    const model = workers > 0 ? letGoOfModel(prep, result, [todo, ...phases]) : undefined;
    if (model) {
      // after a turn of the event loop, so no value of this function's still holds the model
      await new Promise(setImmediate);
      collectGarbage();
    }
    const pool = model ? openPool({ model, formats, only, staging: out.staging, outDir, workers, signal: opts.signal }) : undefined;
    try {
      for (const [i, phase] of phases.entries()) {
        const pooled = pool
          ? pool.run(phasePaths[i]!, (r) => {
            for (const d of r.diagnostics) diags.add(d);
            finished(r.path, r.kind, r.bytes < 0 ? undefined : r.bytes, r.indexBytes, r.diagnostics);
          })
          : Promise.resolve();
        // a failure here must not leave the pooled promise unobserved
        pooled.catch(() => undefined);
        for (const job of pool ? [] : phase) {
          stopIfAborted();
          const o = await renderJob(job, prep, inputs, out.resolve(job.path), job.index && out.resolve(job.index));
          if (o.data !== undefined) await out.write(job.path, o.data);
          finished(job.path, job.kind, o.streamed ?? (o.data === undefined ? undefined : byteSize(o.data)), o.indexBytes, o.diagnostics);
        }
        await pooled;
        stopIfAborted();
      }
    } finally {
      await pool?.destroy();
      if (model) prep.project = result.project = openModel(model);
    }
    const t2 = performance.now();
    clock.lap('render');
    result.timings.render = (t2 - t1) / 1000;
    stopIfAborted();
    locateDiagnostics(prep.root, diags.list);

    if (diags.errorCount > inputErrors || (opts.strict && diags.warningCount > 0)) {
      await out.abort();
      return result;
    }
    stopIfAborted();
    const manifest: Manifest = new Map();
    for (const job of records) {
      const key = keys.get(job.path)!;
      const entry: ManifestEntry | undefined = produced.has(job.path) ? { key, kind: job.kind, size: sizes.get(job.path), warnings: warningsOf.get(job.path) } : kept.get(job.path);
      if (!entry) continue;
      manifest.set(job.path, entry);
      // an index stays with its output, under the same key
      const index = indexOf.get(job.path);
      if (index && (produced.has(index) || (reusable(index) === key && out.has(index)))) manifest.set(index, { key, kind: job.kind, size: sizes.get(index) ?? keptSize(index) });
    }
    if (fonts) {
      // keyed by their own bytes: an edited style sheet is copied again even when nothing else changed
      const assets = await writeAssets(out, keepAsset, keptSize);
      // font slices are keyed by their characters: a new character re-slices only its own slice
      const fontsCss = 'html/assets/fonts/fonts.css';
      const cssKey = createHash('sha256').update(fonts.css).digest('hex').slice(0, 16);
      if (opts.force || previous?.get(fontsCss)?.key !== cssKey || !out.has(fontsCss)) await out.write(fontsCss, fonts.css);
      manifest.set(fontsCss, { key: cssKey, kind: 'assets', size: byteSize(fonts.css) });
      for (const slice of fonts.slices) {
        const made = cut.get(slice.path);
        const data = made && await made;
        if (data) await out.write(slice.path, data);
        const size = data ? data.byteLength : keptSize(slice.path);
        manifest.set(slice.path, { key: slice.key, kind: 'assets', size });
        assets.stats.bytes += size;
      }
      result.stats.assets = assets.stats;
      for (const [p, { key, size }] of assets.written) manifest.set(p, { key, kind: 'assets', size });
    }
    // --only / --format build part of the site: what they do not cover stays as the last build left it
    const covered = (p: string, kind: OutputKind | 'assets'): boolean =>
      formats.includes(formatOf(p)) && (kind === 'assets' || only.includes(kind));
    for (const [p, entry] of previous ?? []) {
      if (manifest.has(p) || !out.has(p)) continue;
      if (!covered(p, entry.kind)) manifest.set(p, entry);
      // sources left out for their errors: what they made last time stays, marked stale
      else if (prep.dropped.length && !internal(p)) { manifest.set(p, entry); result.stale.push(p); }
    }
    result.stale.sort();
    const manifestText = formatManifest(manifest, result.stale);
    if (manifestText !== previousText) await out.write(MANIFEST, manifestText);
    result.files = [...[...manifest.keys()].filter((f) => !internal(f)), MANIFEST].sort();
    stopIfAborted();
    // from here on, a signal waits: committing moves only what changed
    clock.lap('assets and manifest');
    await out.commit(new Set([...manifest.keys(), MANIFEST, ...PARSE_CACHE, FILE_STAMPS]));
    result.ok = true;
    result.timings.commit = (performance.now() - t2) / 1000;
    clock.lap('commit');
    return result;
  } catch (e) {
    await out.abort();
    if (opts.signal?.aborted) throw new BuildInterrupted('构建已中止。');
    throw e;
  } finally {
    await lock.release();
  }
}

/** The model, serialized once for the workers; this thread's model, jobs and job lists are let go. */
function letGoOfModel(prep: Prepared, result: BuildResult, lists: Job[][]): SharedArrayBuffer {
  const model = shareModel(prep.project!);
  prep.jobs = [];
  for (const list of lists) list.length = 0;
  prep.project = result.project = undefined;
  prep.rctx = undefined;
  return model;
}

/** A file of the output folder, if it is a regular one (the folder may come from elsewhere: a FIFO must not hang the build). */
function readOptional(file: string): Buffer | undefined {
  try {
    return readBounded(file, MAX_MANIFEST_BYTES).bytes;
  } catch {
    return undefined;
  }
}

/** Stylesheets, so pages work from file:// with no network (the fonts come from webFonts). */
async function writeAssets(out: StagedOutput, keep: (p: string, key: string) => boolean, keptSize: (p: string) => number): Promise<{ stats: KindStats; written: Map<string, { key: string; size: number }> }> {
  let bytes = 0;
  const written = new Map<string, { key: string; size: number }>();
  const assets = path.join(TEMPLATE_DIR, 'assets');
  const sources = (await readdir(assets)).sort().map((name) => [`html/assets/${name}`, path.join(assets, name)] as const);
  for (const [p, from] of sources) {
    const key = `asset-${createHash('sha1').update(await readFile(from)).digest('hex').slice(0, 16)}`;
    let size: number;
    if (keep(p, key)) {
      size = keptSize(p);
    } else {
      const target = out.resolve(p);
      await out.ensureParent(target);
      await copyFile(from, target);
      size = (await stat(target)).size;
    }
    written.set(p, { key, size });
    bytes += size;
  }
  return { stats: { documents: 0, bytes, rendered: 0 }, written };
}

async function guardOutputFolder(outDir: string, projectRoot: string): Promise<void> {
  // through links: a symlinked --out that points at the project is the project
  const rel = path.relative(realExisting(outDir), realExisting(projectRoot));
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new OutputFolderError(`输出文件夹 ${outDir} 包含项目本身。请另选一个输出文件夹（默认 out/）。`);
  }
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new OutputFolderError(`输出路径 ${outDir} 是一个文件，不是文件夹。`);
    throw new OutputFolderError(`无法读取输出文件夹 ${outDir}（${code}）。`);
  }
  const visible = entries.filter((n) => !n.startsWith('.normkit-'));
  if (visible.length === 0) return;
  // the name alone proves nothing: the manifest must be one normkit wrote and account for every entry present
  const tops = manifestTops(readOptional(path.join(outDir, MANIFEST)));
  const stranger = tops && visible.find((n) => n !== MANIFEST && n !== PARTS_DIR && !tops.has(n));
  if (!tops || stranger) {
    const why = !tops ? `没有 normkit 写的 ${MANIFEST}` : `其中的 ${stranger} 不在 ${MANIFEST} 中`;
    throw new OutputFolderError(`输出文件夹 ${outDir} 不是空的，也不是 normkit 生成的（${why}）。为免覆盖其他文件，什么都没有改动；请选择空文件夹或 normkit 的输出文件夹。`);
  }
}

/** The real path of `p`, following links through its nearest existing ancestor. */
function realExisting(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realExisting(parent), path.basename(p));
  }
}

/** The top-level names a manifest written by any normkit version lists, or undefined if it is not one. */
function manifestTops(buf: Buffer | undefined): Set<string> | undefined {
  if (!buf) return undefined;
  try {
    const m = JSON.parse(buf.toString('utf8')) as { normkit?: unknown; outputs?: unknown };
    if (typeof m.normkit !== 'string' || !Array.isArray(m.outputs)) return undefined;
    const tops = new Set<string>();
    for (const row of m.outputs as unknown[]) {
      if (!Array.isArray(row) || typeof row[0] !== 'string') return undefined;
      tops.add(row[0].split('/')[0]!);
    }
    return tops;
  } catch {
    return undefined;
  }
}

export type { Prepared };
