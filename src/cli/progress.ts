import path from 'node:path';
import type { BuildResult } from '../pipeline/build.js';
import type { OutputKind } from '../pipeline/kind.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics.js';
import { formatText, summaryLine } from '../diagnostics-format.js';
import type { CliIO } from './io.js';

/** `--quiet`: errors only; `--verbose`: every file written and every warning. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** Builds shorter than this show no live display on a terminal. */
export const LIVE_DELAY_MS = 500;
/** Warnings listed after a successful build without --verbose. */
export const WARNING_LIMIT = 10;

interface KindState { done: number; total: number; ended?: number }

export interface ProgressOptions {
  io: CliIO;
  verbosity: Verbosity;
  /** Milliseconds; tests may pass their own clock. */
  now?: () => number;
  delayMs?: number;
}

/**
 * Build progress per output kind. On a terminal: a block of lines (`posters 120/3554  12.3s`)
 * redrawn in place, shown once the build has run for ~0.5 s. Elsewhere (CI, a pipe, a log file):
 * one plain line per kind when it finishes. Progress goes to stderr; stdout keeps the summary.
 */
export class BuildProgress {
  private readonly kinds = new Map<OutputKind, KindState>();
  private readonly now: () => number;
  private readonly start: number;
  private readonly delay: number;
  private drawnLines = 0;
  private lastDraw = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
    this.delay = opts.delayMs ?? LIVE_DELAY_MS;
    if (this.live) {
      this.timer = setInterval(() => this.tick(), 100);
      this.timer.unref?.();
    }
  }

  private get live(): boolean {
    return this.opts.io.tty && this.opts.verbosity !== 'quiet';
  }

  /** Pass as `build({ onProgress })`. Kinds may interleave (PDFs render in worker threads). */
  readonly onProgress = (kind: OutputKind, done: number, total: number): void => {
    const t = this.now();
    const st = this.kinds.get(kind) ?? { done: 0, total };
    this.kinds.set(kind, st);
    st.done = done;
    st.total = total;
    const finished = done >= total && st.ended === undefined;
    if (finished) st.ended = t;
    if (this.opts.verbosity === 'quiet') return;
    if (!this.opts.io.tty) {
      if (finished) this.opts.io.err(`${kind}: ${total} 个文档，${seconds(t - this.start)} 秒\n`);
      return;
    }
    if (finished || t - this.lastDraw >= 80) this.tick();
  };

  /** Stops the live display; its last state stays on screen above whatever comes next. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawnLines > 0) this.draw(this.now());
  }

  private tick(): void {
    const t = this.now();
    if (this.kinds.size === 0 || (this.drawnLines === 0 && t - this.start < this.delay)) return;
    this.draw(t);
  }

  private draw(t: number): void {
    const width = Math.max(...[...this.kinds.keys()].map((k) => k.length));
    const lines = [...this.kinds].map(([kind, s]) => {
      const count = `${s.done}/${s.total}`.padStart(String(s.total).length * 2 + 1);
      return `${s.ended !== undefined ? '✓' : '…'} ${kind.padEnd(width)} ${count}  ${seconds((s.ended ?? t) - this.start)}s`;
    });
    let text = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : '';
    for (const line of lines) text += `\r\x1b[K${line}\n`;
    this.opts.io.err(text);
    this.drawnLines = lines.length;
    this.lastDraw = t;
  }
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(1);
}

export function formatBytes(n: number): string {
  if (n >= 1048576) return `${(n / 1048576).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** `✓ 已生成 58 个文件（catalog 2，standards 50）到 out，27.9 MB，4.9 秒，3 个警告` */
export function buildSummary(result: BuildResult, outDir: string, ms: number): string {
  const kinds = Object.entries(result.stats).filter(([k]) => k !== 'assets');
  const parts = kinds.map(([k, s]) => {
    const pages = (s as { pages?: number }).pages;
    return `${k} ${s!.documents}${pages ? `（${pages} 页）` : ''}`;
  });
  const bytes = Object.values(result.stats).reduce((a, s) => a + (s?.bytes ?? 0), 0);
  const documents = kinds.reduce((a, [, s]) => a + (s?.documents ?? 0), 0);
  const rendered = result.rendered?.length ?? documents;
  const reused = documents > rendered ? `，其中 ${documents - rendered} 个未变化沿用上次` : '';
  const where = path.relative(process.cwd(), outDir) || '.';
  return `✓ 已生成 ${result.files.length} 个文件（${parts.join('，')}${reused}）到 ${where}，${formatBytes(bytes)}，${seconds(ms)} 秒，${result.diagnostics.warningCount} 个警告\n`;
}

/** Warnings after a successful build: all with --verbose, else the first WARNING_LIMIT and a count. */
export function warningsText(list: Diagnostic[], verbosity: Verbosity): string {
  if (verbosity === 'quiet' || list.length === 0) return '';
  if (verbosity === 'verbose' || list.length <= WARNING_LIMIT) return formatText(list);
  const shown = [...list].sort(compareDiagnostics).slice(0, WARNING_LIMIT);
  const body = formatText(shown).replace(/[^\n]*\n$/, '');
  return `${body}  …另有 ${list.length - WARNING_LIMIT} 个警告未列出（加 --verbose 列出全部，或运行 normkit validate）\n\n${summaryLine(0, list.length)}\n`;
}

/** --verbose: every file of the output folder, marking those written in this build. */
export function filesText(result: BuildResult, outDir: string): string {
  const where = path.relative(process.cwd(), outDir) || '.';
  const rendered = new Set(result.rendered ?? result.files);
  const reusedAny = result.files.some((f) => !rendered.has(f) && /\.(html|pdf)$/.test(f));
  return result.files.map((f) => {
    const mark = reusedAny && !rendered.has(f) && /\.(html|pdf)$/.test(f) ? '沿用' : '写入';
    return `${mark} ${path.join(where, f)}\n`;
  }).join('');
}
