import type { Diagnostics } from '../diagnostics.js';
import type { Project } from '../model/project.js';
import type { HtmlRenderer } from '../render/html/renderer.js';
import type { EarlierDocument } from '../render/pdf/assemble/earlier.js';
import type { PdfPart } from '../render/pdf/assemble/part.js';
import type { Sink } from '../render/pdf/assemble/pdf-writer.js';
import type { FontBook } from '../typography/fonts.js';

export type OutputKind = 'catalog' | 'standards' | 'posters' | 'guides' | 'checklists' | 'search';
export const OUTPUT_KINDS: OutputKind[] = ['catalog', 'standards', 'posters', 'guides', 'checklists', 'search'];
export type Format = 'html' | 'pdf' | 'docx' | 'xlsx';
export const FORMATS: Format[] = ['html', 'pdf', 'docx', 'xlsx'];

/** The format an output path is in (html/…, docx/…, xlsx/…, else pdf/ and the build's own parts). */
export const formatOf = (p: string): Format => (p.startsWith('html/') ? 'html' : p.startsWith('docx/') ? 'docx' : p.startsWith('xlsx/') ? 'xlsx' : 'pdf');

export interface RenderContext {
  project: Project;
  book: FontBook;
  html: HtmlRenderer;
  formats: Set<Format>;
  /** Render-time problems (an overlong poster, a missing glyph) are reported here, never thrown. */
  diags: Diagnostics;
}

/** One output file: its path under the output folder and how to make it. */
export interface Job {
  kind: OutputKind;
  path: string;
  /**
   * Source files (relative to the project) this output is made from, for incremental rebuilds.
   * project.yaml, templates, fonts and normkit itself count for every job; omitted = every source.
   * A nested list is shared by many jobs (the site navigation's sources), not copied into each.
   */
  deps?: (string | readonly string[])[];
  /**
   * Outputs of other jobs this one is assembled from (page parts under PARTS_DIR); it renders after
   * them and reads them through `inputs`.
   */
  needs?: string[];
  /**
   * An index the job saves next to its output (under PARTS_DIR) through `inputs.saveIndex`, so the
   * next build can reuse what did not change (a booklet's pages).
   */
  index?: string;
  render: (inputs: JobInputs) => Promise<string | Uint8Array | undefined>;
  /**
   * For very large documents (the whole-centre booklet): writes page by page into `out` instead of
   * returning the bytes, so the document is never held in memory. Used instead of `render`.
   */
  stream?: (sink: Sink, inputs: JobInputs) => Promise<void>;
}

/** Intermediate outputs (laid-out page parts) live here in the output folder, for reuse by later builds. */
export const PARTS_DIR = '.parts';

/** How a job reads the parts it `needs` (the build decides where they are). */
export interface JobInputs {
  part(path: string): Promise<PdfPart>;
  /** The bytes of a part that is not a PDF part (the search postings), read as `part` reads. */
  bytes(path: string): Promise<Uint8Array>;
  /**
   * In an incremental build: the previous build's output at `path` with the index saved beside it,
   * when both are as that build left them. The caller closes it.
   */
  earlier?(path: string, index: string): EarlierOutput | undefined;
  /** In an incremental build: whether a part differs from the previous build's. */
  changed?(path: string): boolean;
  /** In an incremental build: the previous build's version of a part, if it is still there. */
  previousPart?(path: string): Promise<PdfPart | undefined>;
  /** Saves the job's `index` (given to jobs that have one). */
  saveIndex?(data: Uint8Array): Promise<void>;
}

export interface EarlierOutput {
  doc: EarlierDocument;
  index: Uint8Array;
  close(): void;
}

/** An output kind turns the model into jobs; each job builds a view and renders it. */
export interface KindModule {
  kind: OutputKind;
  jobs: (ctx: RenderContext) => Job[];
}
