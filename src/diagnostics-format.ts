import type { Diagnostic } from './diagnostics.js';
import { compareDiagnostics } from './diagnostics.js';

/**
 * Text for a terminal: control characters (from file names, or values quoted in a message) are
 * shown as \xNN, so an ESC sequence in a name cannot recolour, move or clear the terminal.
 * Bidirectional overrides are shown too, so a name cannot display reversed.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const cp = c.codePointAt(0)!;
    return cp < 0x100 ? `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${cp.toString(16).toUpperCase()}`;
  });
}

/** Compiler-style text, grouped by file: `path:line:col  error  message  rule-id`. */
export function formatText(list: Diagnostic[], opts: { root?: string } = {}): string {
  const sorted = [...list].sort(compareDiagnostics);
  const out: string[] = [];
  let file: string | undefined;
  for (const d of sorted) {
    if (d.file !== file) {
      if (file !== undefined) out.push('');
      file = d.file;
      out.push(printable(d.file));
    }
    const where = d.cell ? `${d.file}:${d.cell}` : d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
    out.push(printable(`  ${where}  ${d.severity === 'error' ? 'error  ' : 'warning'}  ${d.message}  ${d.rule}`));
  }
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  if (out.length) out.push('');
  out.push(summaryLine(errors, warnings, opts.root));
  return out.join('\n') + '\n';
}

export function summaryLine(errors: number, warnings: number, root?: string): string {
  const where = root ? `（${root}）` : '';
  if (errors === 0 && warnings === 0) return `✓ 没有发现问题${where}`;
  return `${errors > 0 ? '✖' : '✓'} ${errors} 个错误，${warnings} 个警告${where}`;
}

export function formatJson(list: Diagnostic[]): string {
  const rows = [...list].sort(compareDiagnostics).map((d) => ({
    file: d.file,
    line: d.line ?? null,
    column: d.column ?? null,
    endLine: d.endLine ?? null,
    endColumn: d.endColumn ?? null,
    ...(d.cell ? { cell: d.cell } : {}),
    severity: d.severity,
    rule: d.rule,
    message: d.message,
  }));
  return JSON.stringify(rows, null, 2) + '\n';
}
