import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkProject } from '../check/check-project.js';
import type { Checked, RuleContext } from '../check/context.js';
import { resultRules } from '../check/rules/results.js';
import { checkSchema } from '../check/schemas.js';
import type { Diagnostic } from '../diagnostics.js';
import { formatJson, formatText } from '../diagnostics-format.js';
import { loadProject } from '../load/project-loader.js';
import { readSourceText } from '../load/read-text.js';
import { parseYamlSource } from '../load/yaml-source.js';
import type { ChecklistData, ResultData } from '../model/data.js';
import { formatCents, type Cents } from '../scoring/decimal.js';
import { resolveProject } from '../model/project.js';
import { parsePeriod } from '../scoring/period.js';
import { scoreResult, toJson, type ScoreReport } from '../scoring/score.js';
import { flattenParts } from '../scoring/weighted.js';
import { rankingView } from '../views/report-view.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { applyEvidence } from '../evidence/apply.js';
import { evidenceItems, type EvidenceScore } from '../evidence/measures.js';
import { readEvidence } from '../check/evidence-input.js';

export const scoreHelp = `normkit score <result.yaml|filled.xlsx> [--json] [--project DIR]
normkit score --ranking <checklist-id> [--period 2024Q3] [--json] [--project DIR]
  计算一份考评结果（results/**/*.yaml，或 normkit checklist export 导出后填好的 .xlsx）的得分和等次。
  先检查这份结果及其考评标准；有错误时列出错误并以 1 退出（项目中其他文件的问题不影响计分）。
  考评标准中按证据计分的条目（evidence:）不手填：由项目 evidence/ 中考评期的记录算出，得分旁列出所依据的数字。
  --json            输出一个 JSON 对象（checklist、subject、total、max、rating、vetoed、vetoes、sections 等）
  --ranking ID      列出考评标准 ID 的全部结果按考评期分别排名（此时不指定结果文件）
  --period P        与 --ranking 一起用：只列考评期 P（年度 2024、季度 2024Q3 或月份 2024-07）
  --project DIR     项目文件夹（默认：从结果文件所在文件夹向上查找最近的 project.yaml；--ranking 时为 ./standards 或当前文件夹）
`;

export async function scoreCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, project: { type: 'string' }, ranking: { type: 'string' }, period: { type: 'string' } },
  });
  if (values.period !== undefined && values.ranking === undefined) throw new UsageError('--period 只能与 --ranking 一起使用，例如 normkit score --ranking township-dual-appraisal --period 2024。');
  if (values.ranking !== undefined) {
    if (positionals.length > 0) throw new UsageError('--ranking 不接受结果文件：它列出该考评标准的全部结果。');
    return rankingCommand(values.ranking, values.period, values.json!, values.project, io);
  }
  if (positionals.length === 0) throw new UsageError('请指定一份考评结果文件，例如 normkit score results/2024-dongcheng-center.yaml。');
  if (positionals.length > 1) throw new UsageError('score 只接受一份考评结果文件。');

  const resultArg = positionals[0]!;
  const resultAbs = path.resolve(resultArg);
  const info = await stat(resultAbs).catch(() => undefined);
  if (!info) throw new UsageError(`找不到考评结果文件 ${resultArg}。`);
  if (!info.isFile()) throw new UsageError(`${resultArg} 不是文件。请指定一份考评结果（.yaml）。`);

  const projectDir = values.project !== undefined ? path.resolve(values.project) : findProjectDir(path.dirname(resultAbs));
  if (values.project !== undefined && existsSync(projectDir) && !existsSync(path.join(projectDir, 'project.yaml'))) {
    throw new UsageError(`${values.project} 中没有 project.yaml，不是 normkit 项目文件夹。`);
  }

  const loaded = await loadProject(projectDir);
  const ctx = checkProject(loaded);
  const diags = loaded.diagnostics;

  // The result's name as diagnostics use it: relative to the project (symlinked folders resolved,
  // the file name kept), or absolute when the file lies outside the project.
  const fileKey = path.join(await realpath(path.dirname(resultAbs)), path.basename(resultAbs));
  const inside = path.relative(loaded.root, fileKey);
  const file = !inside.startsWith('..') && !path.isAbsolute(inside) ? inside.split(path.sep).join('/') : fileKey.split(path.sep).join('/');

  let checked: Checked<ResultData> | undefined;
  if (/\.xlsx$/i.test(resultAbs)) {
    // a filled checklist workbook: read into the same result YAML `import result` writes, then checked as one
    const { workbookResultText } = await import('./import-result.js');
    const text = await workbookResultText(resultAbs, file, ctx, diags);
    if (text !== undefined) checked = checkResultText(text, file, ctx);
  } else if (loaded.files.some((f) => f.kind === 'result' && f.file === file)) {
    checked = ctx.results.find((r) => r.src.file === file);
  } else {
    checked = await checkOutsideResult(resultAbs, file, ctx);
  }

  // Only problems of this result and of the checklist it names block scoring.
  const checklistId = checked?.data.checklist ?? rawChecklistId(loaded.results.find((r) => r.file === file)?.data);
  const checklistFiles = new Set(
    loaded.checklists.filter((c) => checklistId !== undefined && rawId(c.data) === checklistId).map((c) => c.file),
  );
  const blocking = diags.list.filter((d) => d.severity === 'error' && (d.file === file || checklistFiles.has(d.file)));
  if (blocking.length > 0 || !checked) {
    const list: Diagnostic[] = blocking.length > 0 ? blocking : [{ file, line: 1, column: 1, severity: 'error', rule: 'file-unreadable', message: '无法读取这份考评结果。' }];
    io.err(values.json ? formatJson(list) : formatText(list, { root: loaded.root }));
    return EXIT_INPUT;
  }

  // Same choice as the result rules: the last checklist with this id (a duplicate is an error above).
  const checklist = [...ctx.checklists].reverse().find((c) => c.data.id === checked.data.checklist)?.data as ChecklistData;
  // items scored from evidence: computed from the period's records, never typed
  let data = checked.data;
  let details: EvidenceScore[] = [];
  if (evidenceItems(checklist).length > 0) {
    const { evidence, diags: ed } = await readEvidence(loaded.root, ctx, loaded);
    const errors = ed.list.filter((d) => d.severity === 'error');
    if (errors.length) {
      io.err(values.json ? formatJson(errors) : formatText(errors, { root: loaded.root }));
      return EXIT_INPUT;
    }
    const applied = applyEvidence(checklist, data, evidence.records, evidence.calendar, ctx.project?.data.evidence);
    const empty = applied.details.filter((d) => d.problem);
    if (empty.length) {
      const list: Diagnostic[] = empty.map((d) => ({ file, line: 1, column: 1, severity: 'error', rule: 'evidence-period-empty', message: `条目 ${d.no}：${d.problem}。请把考评期的证据放进 evidence/，或检查结果的 period。` }));
      io.err(values.json ? formatJson(list) : formatText(list, { root: loaded.root }));
      return EXIT_INPUT;
    }
    data = { ...data, scores: applied.scores };
    details = applied.details;
  }
  const report = scoreResult(checklist, data);
  io.out(values.json
    ? JSON.stringify({ ...toJson(report), ...(details.length ? { evidence: details.map((d) => ({ no: d.no, metric: d.metric, label: d.label, value: d.value, figure: d.figure, how: d.how })) } : {}) }, null, 2) + '\n'
    : formatReport(report, details));
  return EXIT_OK;
}

/** `--ranking`: every result of one checklist ranked per period (the rankings of the build). */
async function rankingCommand(id: string, period: string | undefined, json: boolean, project: string | undefined, io: CliIO): Promise<number> {
  if (period !== undefined && !parsePeriod(period)) throw new UsageError(`考评期“${period}”写法不对。请写年度（2024）、季度（2024Q3）或月份（2024-07）。`);
  const dir = project !== undefined ? path.resolve(project) : existsSync(path.resolve('standards', 'project.yaml')) ? path.resolve('standards') : process.cwd();
  if (!existsSync(path.join(dir, 'project.yaml'))) throw new UsageError(`${project ?? dir} 中没有 project.yaml，不是 normkit 项目文件夹。请用 --project 指定。`);
  const loaded = await loadProject(dir);
  const ctx = checkProject(loaded);
  const errors = loaded.diagnostics.list.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    io.err(json ? formatJson(errors) : formatText(errors, { root: loaded.root }));
    return EXIT_INPUT;
  }
  const model = resolveProject(ctx, loaded.root);
  const cl = model.checklists.find((c) => c.id === id);
  if (!cl) throw new UsageError(`项目中没有考评标准“${id}”。可选：${model.checklists.map((c) => c.id).join(' | ')}。`);
  const view = rankingView(model, cl, period);
  if (json) {
    io.out(JSON.stringify({
      checklist: cl.id,
      periods: view.periods.map((p) => ({
        period: p.key, label: p.label,
        rows: p.rows.map((r) => ({ rank: r.rank, subject: r.subject, total: Number(r.total), verdict: r.verdict, vetoed: r.vetoed, assessed: r.assessed, result: r.reportSlug })),
      })),
      ...(view.register ? { register: { as_of: view.register.asOf, valid_years: view.register.validYears, rows: view.register.rows.map((r) => ({ subject: r.subject, rating: r.rating, assessed: r.assessed, valid_until: r.validUntil, status: r.status, revoked: r.revoked, note: r.note })) } } : {}),
    }, null, 2) + '\n');
    return EXIT_OK;
  }
  const out = [`${cl.title} 考评结果汇总`];
  if (view.periods.length === 0) out.push(period ? `考评期 ${period} 没有考评结果。` : '还没有考评结果。');
  for (const p of view.periods) {
    out.push('', `考评期：${p.label}`);
    const w = Math.max(...p.rows.map((r) => width(r.subject)));
    for (const r of p.rows) out.push(`  ${String(r.rank).padStart(2)}  ${pad(r.subject, w)}  ${r.total.padStart(6)}  ${r.verdict}`);
  }
  if (view.register) {
    out.push('', `评定登记表（有效期 ${view.register.validYears} 年，截至 ${view.register.asOf}）`);
    for (const r of view.register.rows) out.push(`  ${r.subject}  ${r.rating}  有效期至 ${r.validUntil}  ${r.status}${r.note ? `  ${r.note}` : ''}`);
  }
  io.out(out.join('\n') + '\n');
  return EXIT_OK;
}

/** The nearest folder at or above `start` that holds a project.yaml. */
function findProjectDir(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'project.yaml'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new UsageError(`找不到项目：${start} 及其上级文件夹中都没有 project.yaml。请用 --project 指定项目文件夹。`);
}

/** A result outside the project's results/ folder: read, schema-check and rule-check it on its own. */
async function checkOutsideResult(abs: string, file: string, ctx: RuleContext): Promise<Checked<ResultData> | undefined> {
  const text = readSourceText(abs, file, ctx.diags);
  if (text === undefined) return undefined;
  return checkResultText(text, file, ctx);
}

function checkResultText(text: string, file: string, ctx: RuleContext): Checked<ResultData> | undefined {
  const src = parseYamlSource(text, file, ctx.diags);
  if (!src || !checkSchema('result', src, ctx.diags)) return undefined;
  const checked: Checked<ResultData> = { src, data: src.data as ResultData };
  resultRules({ ...ctx, results: [checked] });
  return checked;
}

function rawId(data: unknown): unknown {
  return data && typeof data === 'object' ? (data as { id?: unknown }).id : undefined;
}

function rawChecklistId(data: unknown): string | undefined {
  const id = data && typeof data === 'object' ? (data as { checklist?: unknown }).checklist : undefined;
  return typeof id === 'string' ? id : undefined;
}

// ── text output ────────────────────────────────────────────────────────────

/** Terminal columns: CJK and full-width characters take two. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) || ch.codePointAt(0)! > 0xffff ? 2 : 1;
  return w;
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

const f = (c: Cents | null): string => (c === null ? '—' : formatCents(c));
const signed = (c: Cents): string => (c > 0 ? `+${formatCents(c)}` : formatCents(c));

/** A readable Chinese summary of a report. */
export function formatReport(r: ScoreReport, evidence: EvidenceScore[] = []): string {
  const award = r.checklist.mode === 'award';
  const out: string[] = [];
  out.push(r.checklist.title);
  out.push(`考评对象：${r.subject}`);
  out.push(`考评日期：${r.assessed}`);
  if (r.assessors.length) out.push(`考评人员：${r.assessors.join('、')}`);
  out.push('');

  const rows: [string, string][] = r.sections.map((s) => [s.title, award ? `${f(s.score)} / ${f(s.max)}` : signed(s.score ?? 0)]);
  const compRows: [string, string][] = r.components.map((c) => [c.name, `${f(c.score)} / ${f(c.max)}`]);
  const w = Math.max(0, ...[...rows, ...compRows].map(([t]) => width(t)));
  if (r.parts.length) {
    out.push('各部分得分：');
    for (const { part, depth } of flattenParts(r.parts)) out.push(`  ${'  '.repeat(depth)}${part.formula}`);
    out.push('');
  }
  out.push(award ? '分类得分：' : r.base === null ? '分类扣加分：' : `分类扣加分（基础分 ${f(r.base)}）：`);
  for (const [t, v] of rows) out.push(`  ${pad(t, w)}  ${v}`);
  if (compRows.length) {
    out.push('其他计分部分：');
    for (const [t, v] of compRows) out.push(`  ${pad(t, w)}  ${v}`);
  }

  const notable = r.items.filter((i) => (award ? i.score !== i.max || i.vetoFailed : (i.count ?? 0) > 0 || i.vetoFailed));
  if (notable.length) {
    out.push(award ? '失分条目：' : '扣加分条目：');
    for (const i of notable) {
      const how = award
        ? `${f(i.score)} / ${f(i.max)}${i.level ? `（${i.level}）` : ''}${i.findings !== null ? `（发现 ${i.findings} 处）` : ''}${i.vetoFailed ? '（一票否决项未通过）' : ''}`
        : i.vetoFailed ? '一票否决项未通过'
        : `${i.count} 次${i.level ? `（${i.level}）` : ''} × ${signed(i.perOccurrence ?? 0)}${i.exempt ? `，免扣 ${i.exempt} 次（${i.exemptReason ?? ''}）` : ''} = ${signed(i.score ?? 0)}`;
      const self = i.selfScore !== null ? `  自评 ${award ? f(i.selfScore) : signed(i.selfScore)}` : '';
      out.push(`  第 ${i.no} 项  ${how}${self}  ${i.text}`);
    }
  }
  if (evidence.length) {
    out.push('按证据计分：');
    for (const e of evidence) {
      const i = r.items.find((x) => x.no === e.no);
      const pts = !i ? '' : i.vetoFailed ? '一票否决项未通过' : i.max !== null ? `${f(i.score)} / ${f(i.max)}` : signed(i.score ?? 0);
      out.push(`  第 ${e.no} 项  ${e.figure}  → ${pts}（${e.how}）`);
    }
  }
  out.push('');
  out.push(award || r.base === null ? `总分：${f(r.total)} / ${f(r.max)}` : `总分：${f(r.total)}（基础分 ${f(r.base)}，${signed(r.itemsTotal)}）`);
  const computed = r.appeal?.originalTotal ?? r.total;
  if (r.rawTotal !== computed) out.push(`（加减分合计 ${f(r.rawTotal)}，按${computed === r.floor ? '最低分' : '最高分'} ${f(computed)} 计）`);
  if (r.appeal) out.push(`复核：${r.appeal.date}，${r.appeal.decision}${r.appeal.revised !== null ? `，复核后 ${f(r.appeal.revised)}（原 ${f(r.appeal.originalTotal)}）` : '，维持原得分'}`);
  for (const e of r.escalations) out.push(`${e.name}：${e.count} 次${e.sanction ? ` → ${e.sanction}` : ''}`);
  const effect = r.vetoEffect === 'lowest' ? `，评为${r.rating ?? '最低等次'}` : r.vetoEffect === 'last' ? '，列为最差' : '';
  if (r.vetoed) out.push(`等次：一票否决（条目 ${r.vetoes.join('、')}）${effect}`);
  else out.push(`等次：${r.rating ?? (r.rated ? '未达到任何等次' : '不设等次（按总分排名）')}`);
  return out.join('\n') + '\n';
}
