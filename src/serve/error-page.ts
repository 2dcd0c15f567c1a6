import { compareDiagnostics, type Diagnostic } from '../diagnostics.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** `file:line:col` as the CLI prints it; just the file when the problem has no position. */
export function where(d: Diagnostic): string {
  return d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
}

/** One diagnostic as a line of plain text: `file:line:col  rule  message`. */
export function diagnosticLine(d: Diagnostic): string {
  return `${where(d)}  ${d.rule}  ${d.message}`;
}

function items(list: Diagnostic[]): string {
  return list
    .map((d) => `<li class="diag diag-${escapeHtml(d.severity)}"><code class="where">${escapeHtml(where(d))}</code>  <code class="rule">${escapeHtml(d.rule)}</code>  <span class="message">${escapeHtml(d.message)}</span></li>`)
    .join('\n');
}

/**
 * The page the preview shows instead of the site while the project has errors: every diagnostic,
 * errors first, each value escaped. Self-contained (inline style) so it needs none of the site's files.
 */
export function errorPage(diagnostics: Diagnostic[], opts: { projectDir: string }): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const errors = sorted.filter((d) => d.severity === 'error');
  const warnings = sorted.filter((d) => d.severity !== 'error');
  const sections = [
    errors.length ? `<h2>错误（${errors.length}）</h2>\n<ul class="diags">\n${items(errors)}\n</ul>` : '',
    warnings.length ? `<h2>警告（${warnings.length}）</h2>\n<ul class="diags">\n${items(warnings)}\n</ul>` : '',
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>构建失败 · normkit 预览</title>
<style>
body { margin: 0; background: #fdf3f2; color: #1a1a1a; font-family: "Noto Sans SC", "Source Han Sans SC", sans-serif; line-height: 1.6; }
main { max-width: 70rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff; border-top: 6px solid #b3261e; }
h1 { color: #8c1d18; margin-top: 0; }
.diags { list-style: none; padding: 0; }
.diag { white-space: pre-wrap; font-family: ui-monospace, "Noto Sans Mono CJK SC", monospace; font-size: 14px; padding: .35rem .5rem; border-bottom: 1px solid #eee; }
.diag-error .where { color: #8c1d18; }
.diag-warning .where { color: #6b4e00; }
.rule { color: #555; }
</style>
</head>
<body>
<main>
<h1>构建失败：项目中有 ${errors.length} 个错误</h1>
<p>项目 <code>${escapeHtml(opts.projectDir)}</code> 未能生成预览。改正下列问题并保存后，页面会自动刷新。</p>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

/** A small page for a path that does not exist (or is refused). */
export function messagePage(title: string, message: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} · normkit 预览</title>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<p><a href="/index.html">返回标准体系表</a></p>
</main>
</body>
</html>
`;
}
