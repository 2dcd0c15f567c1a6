import { isoOf } from '../evidence/dates.js';
import { CONDITIONS, type EvidenceFigures, type GroupFigures, type StepState } from '../evidence/figures.js';
import { targetRows } from '../evidence/measures.js';
import { percent, percentText, type Rate } from '../evidence/rates.js';
import type { TargetsData } from '../model/evidence.js';
import type { BarChart, ChartBar } from './report-view.js';

/**
 * The evidence report of one period (评价与效能通报): figures against targets, the window ranking,
 * the monthly summary per department, the 差评整改台账 and the overdue lists. Both renderers draw
 * this view; all arithmetic happened in src/evidence.
 */

export interface EvidenceTable { caption: string; headers: string[]; rows: { cells: string[]; alert?: boolean }[]; empty: string; widths?: number[] }

export interface EvidenceView {
  title: string;
  subtitle: string;
  organization: string;
  periodLabel: string;
  asOfText: string;
  calendarNote: string;
  summary: { label: string; value: string; target?: string; met?: boolean | null; alert?: boolean }[];
  /** Missed targets, one sentence each (also reported as warnings). */
  missed: string[];
  charts: BarChart[];
  ranking: EvidenceTable;
  departments: { name: string; table: EvidenceTable }[];
  ledger: EvidenceTable;
  overdueCases: EvidenceTable;
  overdueComplaints: EvidenceTable;
  excluded: EvidenceTable;
  notes: string[];
  meta: { title: string; author: string; subject: string; keywords: string; date: string };
}

export interface EvidenceViewInput {
  organization: string;
  date: string;
  targets?: TargetsData;
  departmentName: (id: string) => string;
  calendarNote: string;
  /** 标准覆盖率 as the catalog counts it (categories with a current standard, own or adopted, ÷ ten). */
  coverage?: Rate;
  /** 标准实施率 from the assessments (see implementationRate). */
  implementation?: Rate;
}

const LEVEL_TEXT = ['', '非常满意', '满意', '基本满意', '不满意', '非常不满意'];
const STATE_TEXT: Record<StepState, string> = { ok: '按时', late: '逾期完成', open: '未到期', overdue: '已超期', 'n/a': '—' };

const dateText = (d: number | undefined): string => (d === undefined ? '—' : isoOf(d));
const step = (due: number | undefined, done: number | undefined, s: StepState): string =>
  due === undefined && done === undefined ? '—' : `${dateText(done)}${due !== undefined ? `（限 ${isoOf(due).slice(5)}）` : ''}${s === 'late' || s === 'overdue' ? ` ${STATE_TEXT[s]}` : ''}`;

function rateCell(r: Rate): string {
  return r.den === 0 ? '—' : percentText(r);
}

/** Horizontal bars of a rate per label on a 0–100 % axis (the rate per month, per window). */
export function rateChart(caption: string, rows: { label: string; rate: Rate }[], target?: number): BarChart {
  const f = 9;
  const rowH = 18, barH = 11, top = 24, width = 480, valueW = 62;
  const labelW = Math.max(4, ...rows.map((r) => [...r.label].length)) * f + 8;
  const x0 = labelW + 10;
  const plotW = width - x0 - valueW;
  const bars: ChartBar[] = rows.map((r, i) => {
    const p = percent(r.rate) ?? 0;
    const y = top + i * rowH + (rowH - barH) / 2;
    const w = (p / 100) * plotW;
    const low = target !== undefined && r.rate.den > 0 && p < target;
    return {
      label: r.label, labelX: labelW, y, h: barH, x: x0, w, color: low ? '#c0504d' : '#2f6db5', track: { x: x0, w: plotW },
      value: rateCell(r.rate), valueX: x0 + plotW + 6, baseline: y + barH / 2 + f * 0.36,
    };
  });
  const bottom = top + rows.length * rowH;
  const ticks = [0, 25, 50, 75, 100].map((t) => ({ x: x0 + (t / 100) * plotW, label: `${t}%` }));
  const legend: BarChart['legend'] = [{ x: x0, y: 4, color: '#2f6db5', label: target !== undefined ? `达到目标 ${target}%` : '比率', textX: x0 + 14, baseline: 9 + f * 0.36 }];
  if (target !== undefined) legend.push({ x: x0 + 110, y: 4, color: '#c0504d', label: '未达到目标', textX: x0 + 124, baseline: 9 + f * 0.36 });
  return {
    width, height: bottom + 22, fontSize: f, bars, axis: { x: x0, y1: top - 4, y2: bottom + 2 }, ticks, tickY: bottom + 6, tickBaseline: bottom + 6 + f, legend,
    caption: `${caption}：${rows.map((r) => `${r.label} ${rateCell(r.rate)}`).join('；')}`,
  };
}

function monthRow(g: GroupFigures): { cells: string[]; alert?: boolean } {
  return {
    cells: [g.label, String(g.evaluations), rateCell(g.satisfactionRate), rateCell(g.goodRate), String(g.bad), String(g.cases), rateCell(g.evaluationRate), rateCell(g.onTimeRate), String(g.overdueCases), String(g.validComplaints)],
    alert: g.overdueCases > 0 || g.overdueBadReviews > 0,
  };
}

const MONTH_HEADERS = ['月份', '评价数', '满意率', '好评率', '差评', '办结件', '评价率', '按时办结率', '超期件', '有效投诉'];

export function evidenceView(f: EvidenceFigures, input: EvidenceViewInput): EvidenceView {
  const t = f.total;
  const label = f.range.period.label;
  const targets = targetRows(input.targets, t, { ...(input.coverage ? { standard_coverage: input.coverage } : {}), ...(input.implementation ? { implementation_rate: input.implementation } : {}) });
  const targetOf = new Map(targets.map((r) => [r.label, r]));
  const line = (labelText: string, r: Rate | number, alert = false): EvidenceView['summary'][number] => {
    const tr = targetOf.get(labelText);
    const value = typeof r === 'number' ? `${r} 件` : r.den === 0 ? '—' : `${percentText(r)}（${r.num}/${r.den}）`;
    return { label: labelText, value, ...(tr ? { target: `${tr.target}%`, met: tr.met } : {}), alert: alert || tr?.met === false };
  };
  const summary = [
    line('满意率', t.satisfactionRate), line('好评率', t.goodRate), line('差评率', t.badRate), line('评价率', t.evaluationRate),
    line('按时办结率', t.onTimeRate), line('现场办结率', t.onSiteRate), line('差评回访率', t.revisitRate),
    line('超期办件', t.overdueCases, t.overdueCases > 0), line('差评整改超期', t.overdueBadReviews, t.overdueBadReviews > 0),
    line('投诉答复超期', t.overdueComplaints, t.overdueComplaints > 0), line('有效投诉', t.validComplaints),
  ];
  for (const tr of targets) if (!summary.some((s) => s.label === tr.label)) summary.push({ label: tr.label, value: tr.figure, target: `${tr.target}%`, met: tr.met });
  const missed = targets.filter((r) => r.met === false).map((r) => `${r.label} ${r.figure}，未达到目标 ${r.target}%。`);

  const ranked = [...f.byWindow].sort((a, b) =>
    (percent(b.satisfactionRate) ?? -1) - (percent(a.satisfactionRate) ?? -1) || (percent(b.onTimeRate) ?? -1) - (percent(a.onTimeRate) ?? -1)
    || a.overdueCases - b.overdueCases || a.key.localeCompare(b.key));
  const rankRows = ranked.map((g, i) => ({
    cells: [String(i + 1), g.label, String(g.evaluations), rateCell(g.satisfactionRate), String(g.bad), String(g.cases), rateCell(g.onTimeRate), String(g.overdueCases), String(g.validComplaints)],
    alert: g.overdueCases > 0,
  }));

  const satisfactionTarget = input.targets?.satisfaction_rate;
  const charts = [
    rateChart(`${label}各月满意率`, f.byMonth.map((g) => ({ label: g.label.replace(/^\d+年/, ''), rate: g.satisfactionRate })), satisfactionTarget),
    rateChart(`${label}各窗口按时办结率`, ranked.map((g) => ({ label: g.label, rate: g.onTimeRate })), input.targets?.on_time_rate),
  ].filter((c) => c.bars.length > 0);

  const ledgerRows = f.ledger.map((l) => {
    const b = l.ev.bad!;
    return {
      cells: [
        isoOf(l.ev.day), l.ev.caseNo, l.ev.window || '—', LEVEL_TEXT[l.ev.level]!, l.ev.comment || '—', b.class,
        step(l.due.file, b.filed, l.file), step(l.due.contact, b.contacted, l.contact), step(l.due.rectify, b.rectified, l.rectify),
        step(l.due.revisit, b.revisited, l.revisit), [b.handler, b.measures].filter(Boolean).join('：') || '—',
      ],
      alert: l.overdue,
    };
  });
  const caseRows = f.overdueCases.map((o) => ({
    cells: [
      o.c.caseNo, o.c.itemName, o.c.window || '—', isoOf(o.c.accepted),
      `${o.c.promisedDays}${o.c.unit === '工作日' ? '个工作日' : o.c.unit === '自然日' ? '日' : '小时'}${o.due.stoppedDays ? `，中止 ${o.due.stoppedDays} 日` : ''}${o.due.extensionDays ? `，延长 ${o.due.extensionDays} 日` : ''}`,
      o.c.refused || o.due.due === undefined ? '—' : isoOf(o.due.due), o.c.refused ? '不予受理' : o.c.decided === undefined ? '未办结' : isoOf(o.c.decided), o.c.delivered === undefined ? '—' : isoOf(o.c.delivered),
      o.daysOver ? String(o.daysOver) : '—', o.conditions.map((c) => CONDITIONS[c]).join('；'),
    ],
    alert: true,
  }));
  const complaintRows = f.overdueComplaints.map((o) => ({
    cells: [o.c.no, o.c.channel || '—', isoOf(o.c.received), o.c.target || o.c.window || '—', o.c.category || '—', isoOf(o.due), o.c.replied === undefined ? '未答复' : isoOf(o.c.replied), String(o.daysOver), o.c.finding || '—'],
    alert: true,
  }));
  const excludedRows = f.excluded.map((e) => ({ cells: [isoOf(e.day), e.caseNo, e.window || '—', LEVEL_TEXT[e.level]!, e.excluded!.kind, e.excluded!.reason, e.excluded!.reviewer, dateText(e.excluded!.reviewed)] }));

  const title = `${input.organization}政务服务评价与效能通报`;
  return {
    title,
    subtitle: `（${label}）`,
    organization: input.organization,
    periodLabel: label,
    asOfText: `统计截至 ${isoOf(f.asOf)}`,
    calendarNote: input.calendarNote,
    summary,
    missed,
    charts,
    ranking: { caption: '窗口排名（按满意率，其次按时办结率）', headers: ['名次', '窗口', '评价数', '满意率', '差评', '办结件', '按时办结率', '超期件', '有效投诉'], rows: rankRows, empty: '本期没有窗口数据。', widths: [0.6, 1.6, 1, 1.2, 0.8, 1, 1.2, 0.9, 1] },
    departments: f.byDepartment.map((d) => ({
      name: input.departmentName(d.key),
      table: { caption: `${input.departmentName(d.key)}月度汇总`, headers: MONTH_HEADERS, rows: [...(f.byDepartmentMonth.get(d.key) ?? []).map(monthRow), { cells: ['合计', ...monthRow(d).cells.slice(1)] }], empty: '本期没有数据。' },
    })),
    ledger: { caption: '差评整改台账', headers: ['评价日期', '办件编号', '窗口', '满意度', '文字评价', '类别', '建档', '联系', '整改', '回访', '责任人与措施'], rows: ledgerRows, empty: '本期没有差评。', widths: [1.1, 1.6, 0.8, 1.15, 1.6, 0.7, 1.4, 1.4, 1.4, 1.4, 1.75] },
    overdueCases: { caption: '超期办件清单', headers: ['办件编号', '事项', '窗口', '受理日期', '承诺时限', '应办结日期', '办结日期', '送达日期', '超期工作日', '超时情形'], rows: caseRows, empty: '本期没有超期办件。', widths: [1.6, 1.8, 0.8, 1.1, 1.5, 1.1, 1.1, 1.1, 1.1, 2.2] },
    overdueComplaints: { caption: '投诉答复超期清单', headers: ['投诉编号', '渠道', '受理日期', '投诉对象', '类别', '应答复日期', '答复日期', '超期工作日', '核查结果'], rows: complaintRows, empty: '本期没有答复超期的投诉。' },
    excluded: { caption: '经复核不予采纳的评价（不计入任何比率）', headers: ['评价日期', '办件编号', '窗口', '满意度', '核实结果', '核实说明', '复核人', '复核日期'], rows: excludedRows, empty: '本期没有不予采纳的评价。', widths: [1.1, 1.6, 0.8, 1, 0.8, 3, 1.4, 1.1] },
    notes: [
      '满意率＝（非常满意＋满意＋基本满意）÷有效评价；好评率＝（非常满意＋满意）÷有效评价；差评为不满意、非常不满意。经复核属恶意或误操作、不予采纳的评价不计入任何比率。',
      '评价率＝本期办结件中有有效评价的件数÷本期办结件；按时办结率＝在承诺时限内办结且按时送达的件数÷本期办结件。',
      '时限按工作日计算，受理（或补齐材料）当日不计；补正材料的，从补齐材料之日起重新计算；听证、招标、拍卖、检验、检测、勘测、检疫、鉴定、专家评审等所需时间不计入。',
      `差评按“2、5、15”办理：2个工作日内联系评价人，简单事项5个工作日、复杂事项15个工作日内整改反馈，整改后5个工作日内回访。${input.calendarNote}`,
    ],
    meta: { title: `${title}${label}`, author: input.organization, subject: '评价与效能通报', keywords: `好差评,按时办结率,差评整改台账,${f.range.period.key}`, date: input.date },
  };
}

/** 评价公示: what the centre posts for the public — no rater, staff or comment, case numbers masked. */
export interface PublicEvaluationView {
  title: string;
  periodLabel: string;
  asOfText: string;
  totals: { label: string; value: string }[];
  windows: EvidenceTable;
  bad: EvidenceTable;
  note: string;
}

const mask = (no: string): string => (no.length > 8 ? `${no.slice(0, 6)}${'*'.repeat(no.length - 10)}${no.slice(-4)}` : no);

export function publicEvaluationView(f: EvidenceFigures, input: EvidenceViewInput): PublicEvaluationView {
  const t = f.total;
  const rectified = (l: EvidenceFigures['ledger'][number]): string => {
    const b = l.ev.bad!;
    if (b.class === '解释说明') return b.contacted !== undefined ? '已解释说明' : '核实中';
    return b.rectified !== undefined ? (b.revisited !== undefined ? '已整改，已回访' : '已整改') : '整改中';
  };
  return {
    title: `${input.organization}“好差评”评价公示`,
    periodLabel: f.range.period.label,
    asOfText: `统计截至 ${isoOf(f.asOf)}`,
    totals: [
      { label: '有效评价', value: `${t.evaluations} 件` },
      { label: '非常满意、满意', value: `${t.good} 件` },
      { label: '基本满意', value: `${t.basic} 件` },
      { label: '不满意、非常不满意（差评）', value: `${t.bad} 件` },
      { label: '满意率', value: rateCell(t.satisfactionRate) },
      { label: '差评整改率', value: t.badReviews ? percentText({ num: f.ledger.filter((l) => l.ev.bad!.rectified !== undefined || (l.ev.bad!.class === '解释说明' && l.ev.bad!.contacted !== undefined)).length, den: t.badReviews }) : '—' },
    ],
    windows: {
      caption: '各窗口评价情况', headers: ['窗口', '有效评价', '满意率', '差评'],
      rows: f.byWindow.filter((g) => g.evaluations > 0).map((g) => ({ cells: [g.label, String(g.evaluations), rateCell(g.satisfactionRate), String(g.bad)] })),
      empty: '本期没有评价。',
    },
    bad: {
      caption: '差评整改情况', headers: ['评价日期', '办件编号', '窗口', '整改情况'],
      rows: f.ledger.map((l) => ({ cells: [isoOf(l.ev.day), mask(l.ev.caseNo), l.ev.window || '—', rectified(l)] })),
      empty: '本期没有差评。',
    },
    note: `经核实属恶意评价或误操作的 ${f.excluded.length} 件评价不予采纳，未计入。欢迎通过办事大厅评价器、网上和移动端、“12345”热线对我们的服务作出评价。`,
  };
}
