import { copyFile, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkProject } from '../check/check-project.js';
import type { Diagnostics } from '../diagnostics.js';
import { loadProject } from '../load/project-loader.js';
import { loadTemplates } from '../load/templates.js';
import { resolveProject, type Project } from '../model/project.js';
import { TEMPLATE_DIR } from '../paths.js';
import { HtmlRenderer, TemplateError } from '../render/html/renderer.js';
import { FontError, loadFontBook, type FontBook } from '../typography/fonts.js';
import { VERSION } from '../version.js';
import { StagedOutput } from '../write/output.js';
import { OUTPUT_KINDS, type Format, type Job, type OutputKind, type RenderContext } from './kind.js';
import { KINDS } from './kinds.js';

export interface BuildOptions {
  projectDir: string;
  outDir: string;
  formats?: Format[];
  only?: OutputKind[];
  onProgress?: (kind: OutputKind, done: number, total: number) => void;
}

export interface KindStats { documents: number; bytes: number; pages?: number }

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostics;
  files: string[];
  stats: Partial<Record<OutputKind | 'assets', KindStats>>;
  project?: Project;
}

export const MANIFEST = 'normkit-build.json';

/** Refused before anything is written: an output folder that would swallow the project or someone's files. */
export class OutputFolderError extends Error {}

/** load → check → model → render → write; writes nothing unless every step succeeded. */
export async function build(opts: BuildOptions): Promise<BuildResult> {
  const formats = new Set<Format>(opts.formats ?? ['html', 'pdf']);
  const only = new Set<OutputKind>(opts.only ?? OUTPUT_KINDS);
  const loaded = await loadProject(opts.projectDir);
  const diags = loaded.diagnostics;
  const ctx = checkProject(loaded);
  const result: BuildResult = { ok: false, diagnostics: diags, files: [], stats: {} };
  if (diags.errorCount > 0) return result;

  const outDir = path.resolve(opts.outDir);
  await guardOutputFolder(outDir, loaded.root);

  const project = resolveProject(ctx, loaded.root);
  result.project = project;
  const book = fontBook(project, diags);
  const templates = await loadTemplates(loaded.root);
  if (!book || !HtmlRenderer.check(templates, diags)) return result;
  const rctx: RenderContext = { project, book, html: new HtmlRenderer(templates), formats, diags };

  const jobs: Job[] = KINDS.filter((k) => only.has(k.kind)).flatMap((k) => k.jobs(rctx));
  const out = new StagedOutput(outDir);
  await out.open();
  try {
    const totals = new Map<OutputKind, number>();
    for (const j of jobs) totals.set(j.kind, (totals.get(j.kind) ?? 0) + 1);
    const done = new Map<OutputKind, number>();
    for (const job of jobs) {
      let data: string | Uint8Array | undefined;
      try {
        data = await job.render();
      } catch (e) {
        if (e instanceof TemplateError) {
          diags.error(e.file, e.line ? { line: e.line, column: 1 } : undefined, 'template-render', e.message);
          continue;
        }
        throw e;
      }
      const n = (done.get(job.kind) ?? 0) + 1;
      done.set(job.kind, n);
      opts.onProgress?.(job.kind, n, totals.get(job.kind)!);
      if (data === undefined) continue;
      await out.write(job.path, data);
      const st = (result.stats[job.kind] ??= { documents: 0, bytes: 0 });
      st.documents++;
      st.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    }
    if (diags.errorCount > 0) {
      await out.abort();
      return result;
    }
    if (formats.has('html')) result.stats.assets = await writeAssets(out, book);
    await out.write(MANIFEST, JSON.stringify({ normkit: VERSION, project: project.organization, files: out.files }, null, 2) + '\n');
    result.files = out.files;
    await out.commit();
    result.ok = true;
    return result;
  } catch (e) {
    await out.abort();
    throw e;
  }
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

/** Stylesheet and the same font files the PDFs use, so pages work from file:// with no network. */
async function writeAssets(out: StagedOutput, book: FontBook): Promise<KindStats> {
  let bytes = 0;
  const assets = path.join(TEMPLATE_DIR, 'assets');
  for (const name of (await readdir(assets)).sort()) {
    const data = await readFile(path.join(assets, name));
    await out.write(`html/assets/${name}`, data);
    bytes += data.byteLength;
  }
  for (const role of ['body', 'heading'] as const) {
    const target = out.resolve(`html/assets/fonts/${role}.ttf`);
    await out.write(`html/assets/fonts/${role}.ttf`, '');
    await copyFile(book[role].file, target);
    bytes += (await stat(target)).size;
  }
  return { documents: 0, bytes };
}

async function guardOutputFolder(outDir: string, projectRoot: string): Promise<void> {
  const rel = path.relative(outDir, projectRoot);
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
  if (visible.length > 0 && !visible.includes(MANIFEST)) {
    throw new OutputFolderError(`输出文件夹 ${outDir} 不是空的，也不是 normkit 生成的（没有 ${MANIFEST}）。为免覆盖其他文件，请选择空文件夹或 normkit 的输出文件夹。`);
  }
}
