import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkProject } from '../check/check-project.js';
import { calendarGapMessage } from '../check/rules/evidence.js';
import type { Diagnostic } from '../diagnostics.js';
import { formatJson, formatText } from '../diagnostics-format.js';
import { CalendarGap } from '../evidence/calendar.js';
import { dayNumber, isoOf, yearOf } from '../evidence/dates.js';
import { CONDITIONS, computeFigures, periodRange, type EvidenceFigures, type GroupFigures } from '../evidence/figures.js';
import { targetRows } from '../evidence/measures.js';
import { percent, type Rate } from '../evidence/rates.js';
import { loadProject } from '../load/project-loader.js';
import { CATEGORY_ORDER } from '../model/domain.js';
import { resolveProject } from '../model/project.js';
import { implementationRate } from '../scoring/implementation.js';
import { loadTemplates } from '../load/templates.js';
import { HtmlRenderer } from '../render/html/renderer.js';
import { renderEvidencePdf } from '../render/pdf/evidence-pdf.js';
import { loadFontBook } from '../typography/fonts.js';
import { evidenceView, publicEvaluationView } from '../views/evidence-view.js';
import { readEvidence } from '../check/evidence-input.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

export const evidenceHelp = `normkit evidence [dir] [--period 2025|2025Q3|2025-10] [--as-of 2025-12-31] [--json] [--out DIR] [--format html,pdf] [--no-files]
  从日常证据（evidence/evaluations、evidence/cases、evidence/complaints 下的 .csv 或 .yaml）计算一个统计期的
  好评率、差评率、满意率、评价率、按时办结率、现场办结率、差评回访率，列出差评整改台账、超期办件和超期答复的投诉，
  与 project.yaml 的 targets 对照；写出 HTML 和 PDF 通报。时限按工作日计算（国务院节假日安排和调休，
  另可在 calendar/<年份>.yaml 中补充）。
  --period P     统计期：年度 2025、季度 2025Q3 或月份 2025-10（默认：证据中最近日期所在的年度）
  --as-of D      以这一天判断未完成事项是否超期（默认：统计期的最后一天）
  --json         输出一个 JSON 对象
  --out DIR      通报写入的文件夹（默认 ./evidence-report）：<统计期>.html、<统计期>.pdf 和对外的评价公示 <统计期>-public.html
  --format F     html、pdf 或 html,pdf（默认两者）
  --no-files     只输出统计，不写文件
`;

const pct = (r: Rate): number | null => percent(r);

function groupJson(g: GroupFigures): Record<string, unknown> {
  return {
    key: g.key, label: g.label, evaluations: g.evaluations, excluded: g.excluded, good: g.good, basic: g.basic, bad: g.bad,
    good_rate: pct(g.goodRate), bad_rate: pct(g.badRate), satisfaction_rate: pct(g.satisfactionRate),
    cases: g.cases, rated_cases: g.ratedCases, evaluation_rate: pct(g.evaluationRate), on_time: g.onTime, on_time_rate: pct(g.onTimeRate),
    on_site: g.onSite, on_site_rate: pct(g.onSiteRate), overdue_cases: g.overdueCases,
    complaints: g.complaints, valid_complaints: g.validComplaints, overdue_complaints: g.overdueComplaints,
    bad_reviews: g.badReviews, revisited: g.revisited, revisit_rate: pct(g.revisitRate), overdue_bad_reviews: g.overdueBadReviews,
  };
}

export function figuresJson(f: EvidenceFigures, targets: ReturnType<typeof targetRows>): Record<string, unknown> {
  const d = (x: number | undefined): string | null => (x === undefined ? null : isoOf(x));
  return {
    period: f.range.period.key, label: f.range.period.label, as_of: isoOf(f.asOf),
    total: groupJson(f.total),
    targets: targets.map((t) => ({ key: t.key, label: t.label, target: t.target, figure: t.figure, met: t.met })),
    by_window: f.byWindow.map(groupJson), by_department: f.byDepartment.map(groupJson), by_item: f.byItem.map(groupJson), by_month: f.byMonth.map(groupJson),
    ledger: f.ledger.map((l) => ({
      case_no: l.ev.caseNo, rated: d(l.ev.day), level: l.ev.level, window: l.ev.window, class: l.ev.bad!.class,
      due: { file: d(l.due.file), contact: d(l.due.contact), rectify: d(l.due.rectify), revisit: d(l.due.revisit) },
      done: { file: d(l.ev.bad!.filed), contact: d(l.ev.bad!.contacted), rectify: d(l.ev.bad!.rectified), revisit: d(l.ev.bad!.revisited) },
      state: { file: l.file, contact: l.contact, rectify: l.rectify, revisit: l.revisit }, overdue: l.overdue, at: `${l.ev.at.file}:${l.ev.at.line}`,
    })),
    overdue_cases: f.overdueCases.map((o) => ({
      case_no: o.c.caseNo, item: o.c.item, window: o.c.window, accepted: d(o.c.accepted), due: d(o.due.due), decided: d(o.c.decided), delivered: d(o.c.delivered),
      days_over: o.daysOver, conditions: o.conditions, condition_text: o.conditions.map((c) => CONDITIONS[c]), at: `${o.c.at.file}:${o.c.at.line}`,
    })),
    overdue_complaints: f.overdueComplaints.map((o) => ({ no: o.c.no, received: d(o.c.received), due: d(o.due), replied: d(o.c.replied), days_over: o.daysOver, at: `${o.c.at.file}:${o.c.at.line}` })),
    excluded: f.excluded.map((e) => ({ case_no: e.caseNo, rated: d(e.day), level: e.level, kind: e.excluded!.kind, reason: e.excluded!.reason, reviewer: e.excluded!.reviewer })),
    waiting_for_supplement: f.waiting,
  };
}

function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export async function evidenceCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      period: { type: 'string' }, 'as-of': { type: 'string' }, json: { type: 'boolean', default: false },
      out: { type: 'string' }, format: { type: 'string' }, 'no-files': { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw new UsageError('evidence 只接受一个项目文件夹。');
  if (values.period !== undefined && !periodRange(values.period)) throw new UsageError(`统计期“${values.period}”写法不对。请写年度（2025）、季度（2025Q3）或月份（2025-10）。`);
  const asOf = values['as-of'] === undefined ? undefined : dayNumber(values['as-of']);
  if (values['as-of'] !== undefined && asOf === undefined) throw new UsageError(`--as-of “${values['as-of']}”不是日期。请写成 2025-12-31。`);
  const formats = new Set((values.format ?? 'html,pdf').split(',').map((s) => s.trim()).filter(Boolean));
  for (const f of formats) if (f !== 'html' && f !== 'pdf') throw new UsageError(`--format 只能是 html、pdf 或 html,pdf，不是“${f}”。`);

  const loaded = await loadProject(resolveProjectDir(positionals[0]));
  const ctx = checkProject(loaded);
  const show = (list: Diagnostic[]): void => io.err(values.json ? formatJson(list) : formatText(list, { root: loaded.root }));
  // the evidence needs the project and its items; other sources' problems are validate's business
  const blocking = loaded.diagnostics.list.filter((d) => d.severity === 'error' && (d.file === 'project.yaml' || d.file.startsWith('items/')));
  if (blocking.length || !ctx.project) {
    show(blocking);
    return EXIT_INPUT;
  }
  const { evidence, diags } = await readEvidence(loaded.root, ctx, loaded);
  if (diags.errorCount > 0) {
    show(diags.sorted());
    return EXIT_INPUT;
  }
  const project = ctx.project.data;
  const r = evidence.records;
  const days = [...r.evaluations.map((e) => e.day), ...r.cases.map((c) => c.decided ?? c.accepted), ...r.complaints.map((c) => c.received)];
  if (days.length === 0 && values.period === undefined) {
    io.err('normkit evidence: 项目中还没有证据。请把好差评、办件和投诉导出表放进 evidence/evaluations、evidence/cases、evidence/complaints。\n');
    return EXIT_INPUT;
  }
  const period = values.period ?? String(yearOf(Math.max(...days)));
  let figures: EvidenceFigures;
  try {
    figures = computeFigures(r, evidence.calendar, project.evidence, period, {
      asOf, departmentName: (id) => project.departments.find((d) => d.id === id)?.name ?? id,
      itemName: (code) => ctx.items.find((i) => i.data.code === code)?.data.name ?? code,
    });
  } catch (e) {
    if (!(e instanceof CalendarGap)) throw e;
    throw new UsageError(`--as-of 落在工作日历之外：${calendarGapMessage(e.year, evidence.calendar)}`);
  }
  const covered = new Set([
    ...ctx.standards.filter((s) => s.data.status === 'current').map((s) => s.data.category),
    ...(project.adopted ?? []).filter((a) => (a.status ?? 'current') === 'current').map((a) => a.category),
  ]);
  const coverage = { num: covered.size, den: CATEGORY_ORDER.length };
  // 标准实施率 comes from the assessments: only when the rest of the project is sound enough to score
  const implementation = loaded.diagnostics.errorCount === 0 ? implementationRate(resolveProject(ctx, loaded.root)) : undefined;
  const targets = targetRows(project.targets, figures.total, { standard_coverage: coverage, ...(implementation ? { implementation_rate: implementation } : {}) });
  const warnings: Diagnostic[] = [...diags.sorted()];
  const at = ctx.project.src;
  for (const t of targets) {
    if (t.met === false) warnings.push({ file: 'project.yaml', ...at.valueAt(['targets', t.key]), severity: 'warning', rule: 'target-missed', message: `${figures.range.period.label}${t.label} ${t.figure}，未达到目标 ${t.target}%。` });
  }
  if (warnings.length && !values.json) show(warnings);

  const years = [...new Set([yearOf(figures.range.from), yearOf(figures.range.to)])];
  const calendarNote = `工作日依据：${years.map((y) => `${y}年 ${evidence.calendar.sourceOf(y) ?? '（未知）'}`).join('；')}。`;
  const viewInput = { organization: project.organization, date: project.date ?? isoOf(figures.asOf), targets: project.targets, departmentName: (id: string) => project.departments.find((d) => d.id === id)?.name ?? id, calendarNote, coverage, implementation };
  const view = evidenceView(figures, viewInput);

  if (values.json) io.out(JSON.stringify(figuresJson(figures, targets), null, 2) + '\n');
  else io.out(summaryText(view));

  if (!values['no-files']) {
    const dir = path.resolve(values.out ?? 'evidence-report');
    mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    if (formats.has('html')) {
      const html = new HtmlRenderer(await loadTemplates(loaded.root));
      writeAtomic(path.join(dir, `${period}.html`), html.run('evidence', view));
      // the public 评价公示 page: figures and rectification status only, no names
      writeAtomic(path.join(dir, `${period}-public.html`), html.run('evidence-public', publicEvaluationView(figures, viewInput)));
      written.push(`${period}.html`, `${period}-public.html`);
    }
    if (formats.has('pdf')) {
      writeAtomic(path.join(dir, `${period}.pdf`), await renderEvidencePdf(view, loadFontBook(project.fonts ?? {}, loaded.root)));
      written.push(`${period}.pdf`);
    }
    io.err(`✓ 评价与效能通报：${path.join(values.out ?? 'evidence-report', written[0] ?? '')}${written.length > 1 ? `、${written.slice(1).join('、')}` : ''}\n`);
  }
  return EXIT_OK;
}

function summaryText(view: ReturnType<typeof evidenceView>): string {
  const out = [`${view.title}${view.subtitle}`, view.asOfText, ''];
  for (const s of view.summary) out.push(`  ${s.label}  ${s.value}${s.target ? `  目标 ${s.target}${s.met === false ? '  未达到' : s.met ? '  达到' : ''}` : ''}`);
  const list = (t: { caption: string; rows: { cells: string[] }[]; empty: string }, pick: (c: string[]) => string): void => {
    out.push('', `${t.caption}：${t.rows.length ? `${t.rows.length} 条` : t.empty}`);
    for (const r of t.rows.slice(0, 20)) out.push(`  ${pick(r.cells)}`);
    if (t.rows.length > 20) out.push(`  ……另有 ${t.rows.length - 20} 条，见通报`);
  };
  list(view.ranking, (c) => `${c[0]}. ${c[1]}  满意率 ${c[3]}  按时办结率 ${c[6]}  超期 ${c[7]}`);
  list(view.ledger, (c) => `${c[0]}  ${c[1]}  ${c[3]}  ${c[5]}  联系 ${c[7]}  整改 ${c[8]}  回访 ${c[9]}`);
  list(view.overdueCases, (c) => `${c[0]}  ${c[1]}  应办结 ${c[5]}  ${c[6]}${c[8] === '—' ? '' : `  超期 ${c[8]} 个工作日`}  ${c[9]}`);
  list(view.overdueComplaints, (c) => `${c[0]}  应答复 ${c[5]}  ${c[6]}  超期 ${c[7]} 个工作日`);
  return out.join('\n') + '\n';
}
