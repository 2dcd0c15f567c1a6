import type { Position } from '../diagnostics.js';

/** Maps character offsets of a text to 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  range(start: number, end: number): Position {
    const s = this.at(start);
    const e = this.at(Math.max(start, end));
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }
}
