import type { FontBook } from '../../typography/fonts.js';
import type { CatalogRow, CatalogView, ExpectedRow } from '../../views/catalog-view.js';
import type { TraceabilityView } from '../../views/traceability-view.js';
import { createPdf, finishPdf } from './document.js';
import { drawDiagram } from './diagram.js';
import { Flow, type TextStyle } from './flow.js';
import { frameFor, PageNumberer } from './page-frame.js';
import { drawTable, type Row } from './table.js';

const H1: TextStyle = { role: 'title', size: 20, leading: 1.5, align: 'center' };
const H2: TextStyle = { role: 'heading', size: 13, leading: 1.8, align: 'left' };
const TEXT: TextStyle = { role: 'body', size: 10.5, leading: 1.7, firstLine: 2 };

/** The catalog on A4 landscape pages: diagram, detail table (header repeated), statistics, notes. */
export async function renderCatalogPdf(view: CatalogView, book: FontBook, extra?: (flow: Flow) => void): Promise<Buffer> {
  const doc = createPdf(book, view.meta, 'A4', true);
  const frame = frameFor('A4', true, { top: 22, bottom: 18, left: 20, right: 20 });
  const numberer = new PageNumberer(view.title);
  numberer.begin('arabic', 0);
  const flow = new Flow(doc, book, frame, false, { decorate: (d, i) => numberer.decorate(d, i, frame) });

  flow.newPage();
  flow.text(view.title, H1);
  flow.text(`共 ${view.total} 项标准${view.adoptedCount ? `，采用标准 ${view.adoptedCount} 项` : ''}　版本日期 ${view.date}`, { role: 'body', size: 10.5, align: 'center' });
  flow.space(8);
  doc.outline.addItem('一、标准体系结构图');
  flow.text('一、标准体系结构图', H2);
  drawDiagram(flow, view.diagram);
  flow.text(`图1　${view.organization}标准体系结构图`, { role: 'heading', size: 10.5, align: 'center' });

  flow.newPage();
  doc.outline.addItem('二、标准明细表');
  flow.text('二、标准明细表', H2);
  const rows: Row[] = [];
  for (const g of view.groups) {
    rows.push({ cells: [`${g.code}00　${g.system}`], span: true, fill: '#eef2f7', role: 'heading' });
    for (const c of g.categories) for (const r of c.rows) {
      rows.push({
        cells: [String(r.seq), r.tableNo, r.code, r.title, r.level, r.category, statusCell(r), r.issued, r.effective, r.changes ? `${r.replaces}（${r.changes}）` : r.replaces, r.owner],
        color: r.status === 'current' ? undefined : '#555',
        fill: r.status === 'superseded' || r.status === 'withdrawn' ? '#f4f4f4' : r.status === 'draft' || r.status === 'planned' ? '#fffbe6' : undefined,
      });
    }
  }
  drawTable(flow, {
    columns: [
      { header: '序号', width: 30, align: 'center' }, { header: '体系表编号', width: 44, align: 'center' },
      { header: '标准编号', flex: 14 }, { header: '标准名称', flex: 22 }, { header: '级别', width: 48, align: 'center' }, { header: '类别', flex: 10, align: 'center' },
      { header: '状态', flex: 10, align: 'center' }, { header: '发布日期', width: 60, align: 'center' }, { header: '实施日期', width: 60, align: 'center' },
      { header: '代替标准', flex: 13 }, { header: '归口部门', flex: 8, align: 'center' },
    ],
    rows,
    size: 9,
    headerFill: '#dfe6ef',
  });

  flow.space(14);
  flow.ensure(120);
  doc.outline.addItem('三、标准统计表');
  flow.text('三、标准统计表', H2);
  const s = view.stats;
  const e = s.expected;
  const expectedRow = (r: ExpectedRow, role?: 'heading'): Row => ({ cells: [r.label, String(r.expected), String(r.existing), r.ratio], role, fill: role ? '#eef2f7' : undefined });
  drawTable(flow, {
    caption: '表1　标准统计表',
    columns: [
      { header: '统计对象', flex: 30 }, { header: '应有数（个）', flex: 12, align: 'center' },
      { header: '现有数（个）', flex: 12, align: 'center' }, { header: '现有数÷应有数', flex: 16, align: 'center' },
    ],
    rows: [
      { cells: ['按标准级别'], span: true, role: 'heading', fill: '#f3f6fa' },
      ...e.byLevel.map((r) => expectedRow(r)),
      { cells: ['按子体系'], span: true, role: 'heading', fill: '#f3f6fa' },
      ...e.bySystem.map((r) => expectedRow(r)),
      expectedRow(e.total, 'heading'),
    ],
    size: 9,
    headerFill: '#dfe6ef',
  });
  flow.space(4);
  flow.text(e.explanation, TEXT);
  flow.space(8);
  drawTable(flow, {
    caption: '表2　标准按类别和状态统计',
    columns: [
      { header: '子体系', flex: 16 },
      ...s.categories.map((c) => ({ header: c.replace('标准', ''), flex: 5, align: 'center' as const })),
      ...s.statuses.map((st) => ({ header: st.name, flex: 5, align: 'center' as const })),
      { header: '合计', flex: 5, align: 'center' },
    ],
    rows: [
      ...s.rows.map((r) => ({ cells: [r.system, ...r.byCategory.map(String), ...r.byStatus.map(String), String(r.total)] })),
      { cells: ['合计', ...s.totals.byCategory.map(String), ...s.totals.byStatus.map(String), String(s.totals.total)], role: 'heading' as const, fill: '#eef2f7' },
    ],
    size: 9,
    headerFill: '#dfe6ef',
  });
  flow.space(6);
  flow.text(`类别覆盖率：${s.covered} / 10 = ${(s.coverage * 100).toFixed(1)}%（有现行标准（含采用标准）的类别数 ÷ 十类）。${s.uncovered.length ? `尚缺现行标准的类别：${s.uncovered.join('、')}。` : ''}`, TEXT);

  if (s.targets.length) {
    flow.space(6);
    flow.ensure(60);
    flow.text(`目标对照${s.targetsPeriod ? `（证据：${s.targetsPeriod}）` : ''}`, TEXT);
    drawTable(flow, {
      columns: [{ header: '指标', flex: 3 }, { header: '目标', flex: 2, align: 'center' }, { header: '实际', flex: 4, align: 'center' }, { header: '是否达到', flex: 2, align: 'center' }],
      rows: s.targets.map((t) => ({ cells: [t.label, t.target, t.figure, t.met], ...(t.missed ? { color: '#b3261e' } : {}) })),
      size: 9,
      headerFill: '#dfe6ef',
    });
  }

  extra?.(flow);

  if (view.notes.length) {
    flow.space(10);
    flow.ensure(80);
    const heading = extra ? '五、编制说明' : '四、编制说明';
    doc.outline.addItem(heading);
    flow.text(heading, H2);
    view.notes.forEach((n, i) => flow.text(`${i + 1}．${n}`, TEXT));
  }
  return finishPdf(doc);
}

function statusCell(r: CatalogRow): string {
  if (r.kind === 'adopted') return `${r.statusName}（${r.adoption}）`;
  return r.replacedBy ? `${r.statusName}（被${r.replacedBy}代替）` : r.statusName;
}

/** 四、标准实施检查对照: drawn through the `extra` hook after the statistics. */
export function drawTraceability(flow: Flow, t: TraceabilityView): void {
  flow.space(14);
  flow.ensure(120);
  if (!flow.dry) flow.doc.outline.addItem(t.heading);
  flow.text(t.heading, H2);
  flow.text(t.summary, TEXT);
  flow.space(4);
  if (t.rows.length === 0) flow.text(t.empty, TEXT);
  else drawTable(flow, {
    columns: [
      { header: '标准编号', flex: 13 }, { header: '标准名称', flex: 20 }, { header: '状态', width: 44, align: 'center' },
      { header: '检查该标准的考评项目', flex: 40 }, { header: '项数', width: 36, align: 'center' },
    ],
    rows: t.rows.map((r) => ({
      cells: [r.code, r.title, r.statusName, [...r.checklists.map((c) => `${c.title}：${c.nos}`), ...(r.warning ? [r.warning] : [])].join('\n'), String(r.count)],
      color: r.status === 'current' ? undefined : '#555',
      fill: r.warning ? '#fffbe6' : undefined,
    })),
    size: 9,
    headerFill: '#dfe6ef',
  });
  flow.space(6);
  flow.text(t.unchecked.length
    ? `尚无考评项目检查的现行标准（${t.unchecked.length}项）：${t.unchecked.map((u) => `${u.code}《${u.title}》`).join('、')}。`
    : '每项现行标准都已有考评项目检查。', TEXT);
}
