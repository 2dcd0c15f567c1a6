/** Problems are collected, never thrown: each names a place, a rule and what to do (after vfile messages). */
export type Severity = 'error' | 'warning';

export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Diagnostic extends Partial<Position> {
  /** Path relative to the project folder, with forward slashes. */
  file: string;
  severity: Severity;
  rule: string;
  message: string;
  /**
   * The key path of the value it is about, when raised where positions are not at hand (while
   * rendering, after the parsed sources were let go): the build turns it into a line and column.
   */
  at?: readonly (string | number)[];
  /** A spreadsheet's place instead of line and column: `事项!D17` (line is then the row, column the column number). */
  cell?: string;
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.list.push(d);
  }

  error(file: string, pos: Partial<Position> | undefined, rule: string, message: string): void {
    this.add({ file, ...(pos ?? {}), severity: 'error', rule, message });
  }

  warn(file: string, pos: Partial<Position> | undefined, rule: string, message: string): void {
    this.add({ file, ...(pos ?? {}), severity: 'warning', rule, message });
  }

  get errorCount(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }

  get warningCount(): number {
    return this.list.filter((d) => d.severity === 'warning').length;
  }

  /** By file, then position; equal places keep the order the rules found them in (sort is stable). */
  sorted(): Diagnostic[] {
    return [...this.list].sort(compareDiagnostics);
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
