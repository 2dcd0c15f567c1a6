import type { FontBook } from '../../typography/fonts.js';
import { VETO_MARK } from '../../views/checklist-view.js';
import type { RankingView, ReportView } from '../../views/report-view.js';
import { drawBarChart } from './bar-chart.js';
import { drawFooter, drawFormTable, drawPartsTable, footerHeight, FORM, layoutForm, type FormLayout } from './checklist-pdf.js';
import { finishPdf } from './document.js';
import type { Flow, TextStyle } from './flow.js';
import { drawTable } from './table.js';

const RED = '#b3261e';

/** “label：value” pairs on one line, spread across the frame. */
function infoLine(flow: Flow, pairs: [string, string][]): void {
  const size = 10.5;
  const text = pairs.map(([k, v]) => `${k}：${v}`);
  const widths = text.map((t) => flow.measure(t, 'body', size));
  const total = widths.reduce((s, w) => s + w, 0);
  if (total + (pairs.length - 1) * 2 * size > flow.contentWidth) {
    for (const t of text) flow.text(t, { role: 'body', size, leading: 1.7, align: 'left' });
    return;
  }
  const lh = size * 1.9;
  flow.ensure(lh);
  if (!flow.dry) {
    const gap = (flow.contentWidth - total) / Math.max(1, pairs.length - 1);
    let x = flow.frame.left;
    text.forEach((t, i) => {
      flow.drawLine(t, { role: 'body', size, leading: 1.9, align: 'left' }, true, true, x, flow.y);
      x += widths[i]! + gap;
    });
  }
  flow.y += lh;
}

/** The boxed result: total, rating or 一票否决 with the failed items. */
function summaryBox(flow: Flow, view: ReportView): void {
  const pad = 8;
  const big: TextStyle = { role: 'heading', size: 14, leading: 1.6, align: 'left', width: flow.contentWidth - 2 * pad };
  const small: TextStyle = { role: 'body', size: 10, leading: 1.6, align: 'left', width: flow.contentWidth - 2 * pad };
  const headline = `总分：${view.total} 分${view.max ? `（满分 ${view.max} 分）` : view.base ? `（基础分 ${view.base} 分）` : ''}　　评定结果：${view.verdict}`;
  const lines = view.vetoItems.map((v) => `${VETO_MARK}第${v.no}项　${v.text}　——未通过，一票否决，${view.vetoConsequence}。`);
  const h = 2 * pad + flow.lineHeight(big) + [...lines, ...view.summaryLines].reduce((s, l) => s + flow.heightOf(l, small), 0);
  flow.ensure(h);
  const top = flow.y;
  if (!flow.dry) {
    flow.doc.save().lineWidth(view.vetoed ? 1.4 : 0.8).rect(flow.frame.left, top, flow.contentWidth, h)
      .fillAndStroke(view.vetoed ? '#fdecea' : '#f3f6fa', view.vetoed ? RED : '#333').restore();
  }
  flow.y += pad;
  flow.text(headline, { ...big, color: view.vetoed ? RED : '#000' }, { x: flow.frame.left + pad });
  for (const l of lines) flow.text(l, { ...small, color: RED }, { x: flow.frame.left + pad });
  for (const l of view.summaryLines) flow.text(l, small, { x: flow.frame.left + pad });
  flow.y = top + h;
}

/** Lays out one score report; exposed so tests can inspect the layout. */
export function layoutReportPdf(view: ReportView, book: FontBook): FormLayout {
  return layoutForm(book, view.meta, `${view.subject} ${view.title}${view.subtitle}`, (flow) => {
    flow.newPage();
    if (!flow.dry) flow.doc.outline.addItem(`${view.subject} ${view.subtitle}`);
    flow.text(view.title, FORM.title);
    flow.text(view.subtitle, { ...FORM.heading, size: 13, align: 'center' });
    infoLine(flow, [['被考评单位', view.subject], ['考评期', view.periodLabel], ['考评日期', view.assessedText], ['考评人员', view.assessors || '—']]);
    flow.space(4);
    summaryBox(flow, view);
    flow.space(8);
    if (view.parts) {
      flow.text('一、各部分得分', FORM.heading, { keepTogether: true });
      drawPartsTable(flow, view.parts);
      flow.space(4);
      for (const f of view.formulas) flow.text(f, { ...FORM.text, size: 10 });
      flow.space(8);
      flow.ensure(160);
      flow.text('二、考评记录', FORM.heading);
    } else {
      flow.text(view.mode === 'award' ? '一、各类别得分' : '一、各类别扣（加）分', FORM.heading, { keepTogether: true });
      drawBarChart(flow, view.chart);
      flow.space(8);
      flow.ensure(160);
      flow.text('二、逐项得分', FORM.heading);
    }
    const rows = drawFormTable(flow, view.table, {
      wide: view.mode === 'award' ? { self: 78, score: 78 } : { selfDelta: 86 },
      reserveAfter: footerHeight(flow, view.notes, view.signatures),
    });
    drawFooter(flow, view.notes, view.signatures);
    return rows;
  });
}

export async function renderReportPdf(view: ReportView, book: FontBook): Promise<Buffer> {
  return finishPdf(layoutReportPdf(view, book).doc);
}

/** The ranking of every subject assessed against one checklist. */
export function layoutRankingPdf(view: RankingView, book: FontBook): FormLayout {
  return layoutForm(book, view.meta, `${view.title}${view.subtitle}`, (flow) => {
    flow.newPage();
    if (!flow.dry) flow.doc.outline.addItem(`${view.title}${view.subtitle}`);
    flow.text(view.title, FORM.title);
    flow.text(view.subtitle, { ...FORM.heading, size: 13, align: 'center' });
    const notes = [view.ratingsText, ...view.notes].filter(Boolean);
    const rows: ReturnType<typeof drawTable> = [];
    view.periods.forEach((period, i) => {
      if (i > 0) flow.space(10);
      flow.text(`考评期：${period.label}　共 ${period.rows.length} 个被考评对象　${period.tally.map((t) => `${t.label} ${t.count} 个`).join('，')}`, i === 0 ? FORM.subtitle : { ...FORM.subtitle, role: 'heading' }, { keepTogether: true });
      flow.space(6);
      rows.push(...drawTable(flow, {
        columns: [
          { header: '名次', width: 40, align: 'center' },
          { header: '被考评单位', flex: 8 },
          { header: '考评日期', width: 80, align: 'center' },
          { header: '考评人员', flex: 4, align: 'center' },
          { header: view.max ? `总分（满分${view.max}）` : '总分', width: 90, align: 'center' },
          { header: '评定结果', flex: 5, align: 'center' },
        ],
        rows: period.rows.map((r) => ({
          cells: [String(r.rank), r.subject, r.assessed, r.assessors, r.total, r.verdict],
          fill: r.vetoed ? '#fdecea' : undefined,
          color: r.vetoed ? RED : undefined,
        })),
        size: 10.5,
        headerFill: '#e4e9f0',
        leading: 1.5,
        reserveAfter: i === view.periods.length - 1 && !view.register ? footerHeight(flow, notes, view.signatures) : 0,
      }));
    });
    if (view.register) {
      flow.space(10);
      flow.text(`评定登记表（有效期${view.register.validYears}年，截至${view.register.asOf}）`, { ...FORM.subtitle, role: 'heading' }, { keepTogether: true });
      flow.space(6);
      drawTable(flow, {
        columns: [
          { header: '被考评单位', flex: 8 },
          { header: '当前等次', width: 80, align: 'center' },
          { header: '考评日期', width: 80, align: 'center' },
          { header: '有效期至', width: 80, align: 'center' },
          { header: '状态', flex: 5, align: 'center' },
          { header: '撤销情况', flex: 7 },
        ],
        rows: view.register.rows.map((r) => ({ cells: [r.subject, r.rating, r.assessed, r.validUntil, r.status, r.note], color: r.revoked ? RED : undefined })),
        size: 10.5,
        headerFill: '#e4e9f0',
        leading: 1.5,
        reserveAfter: footerHeight(flow, notes, view.signatures),
      });
    }
    drawFooter(flow, notes, view.signatures);
    return rows;
  });
}

export async function renderRankingPdf(view: RankingView, book: FontBook): Promise<Buffer> {
  return finishPdf(layoutRankingPdf(view, book).doc);
}
