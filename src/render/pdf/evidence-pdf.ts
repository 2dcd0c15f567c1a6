import type { FontBook } from '../../typography/fonts.js';
import type { EvidenceTable, EvidenceView } from '../../views/evidence-view.js';
import { drawBarChart } from './bar-chart.js';
import { createPdf, finishPdf } from './document.js';
import { Flow, type TextStyle } from './flow.js';
import { frameFor, MM, PageNumberer } from './page-frame.js';
import { drawTable } from './table.js';

const RED = '#b3261e';
const TITLE: TextStyle = { role: 'heading', size: 16, leading: 1.6, align: 'center' };
const H2: TextStyle = { role: 'heading', size: 12, leading: 1.8, align: 'left' };
const SMALL: TextStyle = { role: 'body', size: 9, leading: 1.6, align: 'left', color: '#444' };
const CELL = 8.5;

function table(flow: Flow, no: string, t: EvidenceTable): void {
  flow.ensure(60);
  flow.text(`${no}、${t.caption}`, H2, { keepTogether: true });
  if (t.rows.length === 0) {
    flow.text(t.empty, SMALL);
    flow.space(3 * MM);
    return;
  }
  drawTable(flow, {
    columns: t.headers.map((h, i) => ({ header: h, flex: t.widths?.[i] ?? 1, align: 'center' as const })),
    rows: t.rows.map((r) => ({ cells: r.cells, ...(r.alert ? { color: RED } : {}) })),
    size: CELL,
    headerFill: '#e8edf3',
  });
  flow.space(4 * MM);
}

/** The period's 评价与效能通报 on A4 landscape (the ledgers are wide): summary, charts, tables. */
export function renderEvidencePdf(view: EvidenceView, book: FontBook): Promise<Buffer> {
  const doc = createPdf(book, view.meta, 'A4', true);
  const frame = frameFor('A4', true, { top: 18, bottom: 16, left: 18, right: 18 });
  const numberer = new PageNumberer(view.title);
  numberer.begin('arabic', 0);
  const flow = new Flow(doc, book, frame, false, { decorate: (d, i) => numberer.decorate(d, i, frame) });
  flow.newPage();
  if (!flow.dry) doc.outline.addItem(`${view.title}${view.subtitle}`);
  flow.text(view.title, TITLE);
  flow.text(view.subtitle, { ...TITLE, size: 12 });
  flow.text(view.asOfText, { ...SMALL, align: 'center' });
  flow.space(3 * MM);
  flow.text('一、主要指标', H2);
  drawTable(flow, {
    columns: [{ header: '指标', flex: 1.2 }, { header: '本期', flex: 2, align: 'center' }, { header: '目标', flex: 0.8, align: 'center' }, { header: '是否达到', flex: 0.8, align: 'center' }],
    rows: view.summary.map((s) => ({ cells: [s.label, s.value, s.target ?? '—', s.met === undefined ? '—' : s.met === null ? '无数据' : s.met ? '达到' : '未达到'], ...(s.alert ? { color: RED } : {}) })),
    size: 9.5,
    headerFill: '#e8edf3',
  });
  for (const m of view.missed) flow.text(`▲ ${m}`, { ...SMALL, color: RED });
  flow.space(4 * MM);
  for (const c of view.charts) {
    flow.ensure(c.height * Math.min(1, flow.contentWidth / c.width) + 20);
    flow.text(c.caption.split('：')[0]!, { ...H2, size: 10.5 });
    drawBarChart(flow, c);
    flow.space(3 * MM);
  }
  const numerals = ['二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];
  let n = 0;
  table(flow, numerals[n++]!, view.ranking);
  for (const d of view.departments) table(flow, numerals[n++] ?? String(n + 1), d.table);
  table(flow, numerals[n++] ?? String(n + 1), view.ledger);
  table(flow, numerals[n++] ?? String(n + 1), view.overdueCases);
  table(flow, numerals[n++] ?? String(n + 1), view.overdueComplaints);
  table(flow, numerals[n++] ?? String(n + 1), view.excluded);
  flow.text('说明', H2);
  for (const note of view.notes) flow.text(note, { ...SMALL, firstLine: 2 });
  return finishPdf(doc);
}
