import { rm, writeFile, appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEvidence } from '../src/check/rules/evidence.js';
import { Diagnostics } from '../src/diagnostics.js';
import { buildCalendar } from '../src/evidence/calendar.js';
import { dayNumber, isoOf } from '../src/evidence/dates.js';
import { caseDue } from '../src/evidence/deadlines.js';
import { computeFigures } from '../src/evidence/figures.js';
import { percentText } from '../src/evidence/rates.js';
import { loadEvidence } from '../src/load/evidence-loader.js';
import { readCsvTable } from '../src/load/evidence-tables.js';
import type { Case } from '../src/model/evidence.js';
import { cli, REPO, tempCopy, tempDir } from './helpers.js';
import { pdfPages, squash } from './pdf-text.js';

const FIX = path.join(REPO, 'test/fixtures/evidence/project');
const d = (iso: string): number => dayNumber(iso)!;
const cal = buildCalendar();

function kase(over: Partial<Case>): Case {
  return {
    at: { file: 't.csv', line: 2, column: 1 }, caseNo: 'X', item: 'I', itemName: 'I', window: 'W', staff: '', department: 'scjg',
    accepted: d('2025-09-26'), promisedDays: 5, unit: '工作日', supplements: [], stops: [], onSite: false, ...over,
  };
}

async function evidenceOf(dir: string) {
  const diags = new Diagnostics();
  const loaded = await loadEvidence(dir, diags);
  const items = [
    { code: '511400-XK-0001', name: '食品经营许可（新办）', department: 'scjg', time_limit: { legal_days: 20, promised_days: 5 } },
    { code: '511400-XK-0002', name: '建设工程规划许可', department: 'zjj', time_limit: { legal_days: 20, promised_days: 10 } },
    { code: '511400-QT-0003', name: '个体工商户设立登记', department: 'scjg', window: '2号窗口', time_limit: { legal_days: 15, promised_days: 0 } },
  ] as never[];
  const departments = [{ id: 'scjg', name: '测试市市场监督管理局', window: '3号窗口' }, { id: 'zjj', name: '测试市住房和城乡建设局', window: '8号窗口' }];
  const checked = checkEvidence(loaded, { items, departments, rules: { complaint_reply_days: 5, complaint_reply_days_by_channel: { '12345': 3 } } }, diags);
  return { checked, diags };
}

describe('working-day calendar (chinese-days + calendar/<year>.yaml)', () => {
  it('skips 国庆 2025 and counts the 调休 Sunday 9-28 and Saturday 10-11', () => {
    expect(cal.isWorkday(d('2025-09-28'))).toBe(true); // Sunday worked
    expect(cal.isWorkday(d('2025-10-03'))).toBe(false);
    expect(cal.isWorkday(d('2025-10-08'))).toBe(false);
    expect(cal.isWorkday(d('2025-10-11'))).toBe(true); // Saturday worked
    expect(cal.isWorkday(d('2025-10-12'))).toBe(false);
    // accepted Friday 9-26: 9-28, 9-29, 9-30, 10-9, 10-10 (the acceptance day is not counted)
    expect(isoOf(cal.addWorkdays(d('2025-09-26'), 5))).toBe('2025-10-10');
    expect(isoOf(cal.addWorkdays(d('2025-09-30'), 3))).toBe('2025-10-11');
    expect(cal.workdaysBetween(d('2025-09-30'), d('2025-10-13'))).toBe(4);
  });

  it('skips 春节 2025 and counts 1-26 and 2-8', () => {
    expect(isoOf(cal.addWorkdays(d('2025-01-24'), 5))).toBe('2025-02-07');
    expect(isoOf(cal.addWorkdays(d('2025-01-24'), 6))).toBe('2025-02-08');
    expect(cal.isWorkday(d('2025-01-28'))).toBe(false);
    expect(cal.isWorkday(d('2025-02-04'))).toBe(false);
  });

  it('refuses a year without a notice, and a project file covers it', () => {
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2027)).toBe(false);
    expect(() => cal.addWorkdays(d('2026-12-28'), 5)).toThrow(/2027/);
    const own = buildCalendar([{ year: 2027, holidays: [d('2027-01-01'), d('2027-01-02'), d('2027-01-03')], workdays: [] }]);
    // 12-29, 12-30, 12-31, then 1-1…1-3 off, 1-4, 1-5
    expect(isoOf(own.addWorkdays(d('2026-12-28'), 5))).toBe('2027-01-05');
  });
});

describe('case due dates', () => {
  it('restarts the clock when 补正 is completed', () => {
    const c = kase({ accepted: d('2025-09-30'), supplements: [{ requested: d('2025-09-30'), completed: d('2025-10-09') }] });
    expect(isoOf(caseDue(c, cal).due!)).toBe('2025-10-15'); // from 10-09: 10-10, 10-11 (Sat, worked), 10-13, 10-14, 10-15
    const pending = kase({ supplements: [{ requested: d('2025-09-30') }] });
    expect(caseDue(pending, cal).waiting).toBe(true);
    expect(caseDue(pending, cal).due).toBeUndefined();
  });

  it('stops the clock for expert review and adds an extension asked for in time', () => {
    const stopped = kase({ accepted: d('2025-11-03'), promisedDays: 10, stops: [{ from: d('2025-11-05'), to: d('2025-11-11'), reason: '专家评审' }] });
    const due = caseDue(stopped, cal);
    expect(isoOf(due.due!)).toBe('2025-11-24');
    expect(due.stoppedDays).toBe(5);
    const ext = kase({ accepted: d('2025-10-20'), extension: { requested: d('2025-10-24'), approved: d('2025-10-24'), days: 5 } });
    expect(isoOf(caseDue(ext, cal).due!)).toBe('2025-11-03');
    const late = kase({ accepted: d('2025-11-10'), extension: { requested: d('2025-11-18'), approved: d('2025-11-18'), days: 5 } });
    expect(caseDue(late, cal)).toMatchObject({ lateExtension: true, due: d('2025-11-17') });
  });

  it('即办 (0 days) is due the day it is accepted; 自然日 items count every day', () => {
    expect(caseDue(kase({ promisedDays: 0, accepted: d('2025-10-09') }), cal).due).toBe(d('2025-10-09'));
    expect(isoOf(caseDue(kase({ unit: '自然日', accepted: d('2025-09-30') }), cal).due!)).toBe('2025-10-05');
  });
});

describe('figures of the fixture year', () => {
  it('computes every rate, leaving the reviewed 恶意 rating out', async () => {
    const { checked, diags } = await evidenceOf(FIX);
    expect(diags.list).toEqual([]);
    const f = computeFigures(checked.records, checked.calendar, checked.rules, '2025');
    const t = f.total;
    expect({ evaluations: t.evaluations, excluded: t.excluded, good: t.good, basic: t.basic, bad: t.bad }).toEqual({ evaluations: 7, excluded: 1, good: 4, basic: 1, bad: 2 });
    expect(percentText(t.satisfactionRate)).toBe('71.43%'); // 5 of 7; with the 恶意 rating it would be 5 of 8
    expect(percentText(t.goodRate)).toBe('57.14%');
    expect(percentText(t.badRate)).toBe('28.57%');
    expect(t.evaluationRate).toEqual({ num: 7, den: 8 }); // the case whose only rating was excluded counts as unrated
    expect(t.onTimeRate).toEqual({ num: 5, den: 8 });
    expect(t.onSiteRate).toEqual({ num: 1, den: 8 });
    expect(t.revisitRate).toEqual({ num: 1, den: 2 });
    expect(f.excluded.map((e) => [e.caseNo, e.excluded!.kind, e.excluded!.reviewer])).toEqual([['CS2025100900031', '恶意', '区政务服务管理局']]);
    const w3 = f.byWindow.find((g) => g.key === '3号窗口')!;
    expect(w3.onTimeRate).toEqual({ num: 3, den: 6 });
    expect(f.byWindow.map((g) => g.key)).toEqual(['2号窗口', '3号窗口', '8号窗口']);
    // October: 非常满意, 非常不满意, 不满意 (the 恶意 one left out)
    expect(f.byMonth.find((g) => g.key === '2025-10')!.satisfactionRate).toEqual({ num: 1, den: 3 });
    expect(f.byDepartment.map((g) => [g.key, g.evaluations])).toEqual([['scjg', 6], ['zjj', 1]]);
  });

  it('lists the overdue cases with the 超时 conditions and days over', async () => {
    const { checked } = await evidenceOf(FIX);
    const f = computeFigures(checked.records, checked.calendar, checked.rules, '2025');
    expect(f.overdueCases.map((o) => [o.c.caseNo, isoOf(o.due.due!), o.conditions.join('+'), o.daysOver])).toEqual([
      ['CS2025120100003', '2025-12-15', 'no_reply', 12],
      ['CS2025111000004', '2025-11-17', 'late_extension+late', 3],
      ['CS2025012400002', '2025-02-07', 'late', 1], // 春节: due Friday 2-7, decided on the worked Saturday 2-8
      ['CS2025120800015', '2025-12-15', 'late_delivery', 1],
      ['CS2025061600009', '2025-06-23', 'refused', 0],
    ]);
    // a 10-day case decided on 11-21 is on time only because the expert review stopped the clock
    expect(f.overdueCases.some((o) => o.c.caseNo === 'CS2025110300008')).toBe(false);
  });

  it('flags the 差评 steps done late or not done in time (“2、5、15”)', async () => {
    const { checked } = await evidenceOf(FIX);
    const f = computeFigures(checked.records, checked.calendar, checked.rules, '2025');
    expect(f.ledger.map((l) => [l.ev.caseNo, l.ev.bad!.class, isoOf(l.due.contact), l.due.rectify && isoOf(l.due.rectify), l.file, l.contact, l.rectify, l.revisit, l.overdue])).toEqual([
      ['CS2025093000027', '复杂', '2025-10-17', '2025-11-05', 'ok', 'ok', 'ok', 'ok', false],
      ['CS2025102000019', '简单', '2025-11-04', '2025-11-07', 'late', 'ok', 'late', 'overdue', true],
    ]);
    expect(f.ledger.some((l) => l.ev.excluded)).toBe(false);
  });

  it('computes complaint reply deadlines per channel, over the 国庆 holiday', async () => {
    const { checked } = await evidenceOf(FIX);
    const f = computeFigures(checked.records, checked.calendar, checked.rules, '2025');
    expect(f.overdueComplaints.map((o) => [o.c.no, isoOf(o.due), o.reply, o.daysOver])).toEqual([
      ['TS-2025-0101', '2025-10-13', 'late', 1], // 12345: 3 working days
      ['TS-2025-0133', '2025-12-29', 'overdue', 2],
    ]);
    expect(f.total.validComplaints).toBe(1);
  });
});

describe('diagnostics on bad evidence rows', () => {
  it('names file, line, column and rule for each bad cell', async () => {
    const diags = new Diagnostics();
    const csv = [
      '办件编号,评价时间,满意度,事项编码,核实结果,奇怪的列',
      'A1,2025-13-01,满意,511400-XK-0001,,',
      'A2,2025-10-10,很好,511400-XK-0001,,',
      'A3,2025-10-10,2,511400-XK-9999,误操作,',
      'A4,2025-10-10,3,511400-XK-0001,,',
      'A4,2025-10-10,3,511400-XK-0001,,',
    ].join('\n');
    const table = readCsvTable(csv, 'evidence/evaluations/bad.csv', diags)!;
    checkEvidence({ tables: { evaluations: [table], cases: [], complaints: [] }, calendars: [], files: [] },
      { items: [{ code: '511400-XK-0001', department: 'scjg', time_limit: { legal_days: 1, promised_days: 1 } }] as never[], departments: [] }, diags);
    const got = diags.list.map((x) => `${x.line}:${x.column} ${x.severity} ${x.rule}`);
    expect(got).toEqual([
      '1:25 warning evidence-column-unknown',
      '2:4 error evidence-date',
      '3:15 error evidence-level',
      '4:17 error evidence-item-unknown',
      '4:32 error evidence-exclusion',
      '6:1 error evidence-duplicate',
    ]);
  });

  it('refuses a reply before the complaint, and a date in a year the calendar does not cover', async () => {
    const { dir, cleanup } = await tempCopy(FIX);
    try {
      await writeFile(path.join(dir, 'evidence/complaints/2026.yaml'), [
        '- 投诉编号: TS-2026-0001',
        '  受理日期: 2026-03-10',
        '  答复日期: 2026-03-09',
        '- 投诉编号: TS-2026-0002',
        '  受理日期: 2028-01-05',
        '',
      ].join('\n'));
      await appendFile(path.join(dir, 'evidence/cases/2025.csv'), 'CS2026122800001,511400-XK-0002,8号窗口,周强,2026-12-28,,,,,,,,,,,否,否,\n');
      await rm(path.join(dir, 'calendar/2027.yaml'));
      const { diags } = await evidenceOf(dir);
      const got = diags.list.map((x) => `${x.file}:${x.line}:${x.column} ${x.rule}`);
      expect(got).toEqual([
        'evidence/cases/2025.csv:12:40 calendar-year-missing',
        'evidence/complaints/2026.yaml:3:9 evidence-date-order',
        'evidence/complaints/2026.yaml:5:9 calendar-year-missing',
      ]);
      expect(diags.list[0]!.message).toContain('calendar/2027.yaml');
      expect(diags.list[0]!.message).toContain('2004—2026');
      // with the project's own 2027 year the case computes
      await writeFile(path.join(dir, 'calendar/2027.yaml'), await readFile(path.join(FIX, 'calendar/2027.yaml'), 'utf8'));
      const again = await evidenceOf(dir);
      expect(again.diags.list.map((x) => x.rule)).toEqual(['evidence-date-order', 'calendar-year-missing']);
      const c = again.checked.records.cases.find((x) => x.caseNo === 'CS2026122800001')!;
      // 12-29, 12-30, 12-31, (1-1…1-3 off), 1-4 … 1-8, 1-11, 1-12
      expect(isoOf(caseDue(c, again.checked.calendar).due!)).toBe('2027-01-12');
    } finally {
      await cleanup();
    }
  });
});

describe('a checklist item scored from evidence', () => {
  it('normkit score computes the rates, the deduction and the veto on overdue cases', async () => {
    const r = await cli('score', path.join(FIX, 'results/2025-center.yaml'), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { total: number; vetoed: boolean; vetoes: number[]; rating: string | null; items: { no: number; score: number | null }[]; evidence: { no: number; figure: string }[] };
    const score = (no: number) => j.items.find((i) => i.no === no)!.score;
    expect(score(1)).toBe(2.86); // 4 × 5/7
    expect(score(2)).toBe(0); // 87.50 % < 95 %
    expect(score(3)).toBe(0); // five overdue cases: veto
    expect(score(4)).toBe(0); // 2 − 2 overdue replies × 1
    expect(score(6)).toBe(1); // 3号窗口: 3 of 6 on time
    expect(j.total).toBe(12.86);
    expect(j.vetoed).toBe(true);
    expect(j.vetoes).toEqual([3]);
    expect(j.rating).toBeNull();
    expect(j.evidence.find((e) => e.no === 1)!.figure).toBe('满意率 71.43%（5/7）');
    const text = await cli('score', path.join(FIX, 'results/2025-center.yaml'));
    expect(text.out).toContain('按证据计分：');
    expect(text.out).toMatch(/第 3 项  超期办件 5 件  → 一票否决项未通过/);
    expect(text.out).toMatch(/第 1 项  满意率 71\.43%（5\/7）  → 2\.86 \/ 4（< 98%，4 × 71\.43% = 2\.86）/);
  });

  it('without overdue cases the veto passes', async () => {
    const { dir, cleanup } = await tempCopy(FIX);
    try {
      const keep = (await readFile(path.join(dir, 'evidence/cases/2025.csv'), 'utf8')).split('\n').filter((l) => !/CS2025(1201|1110|0124|1208|0616)/.test(l));
      await writeFile(path.join(dir, 'evidence/cases/2025.csv'), keep.join('\n'));
      const r = await cli('score', path.join(dir, 'results/2025-center.yaml'), '--json');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { vetoed: boolean; items: { no: number; score: number }[] };
      expect(j.vetoed).toBe(false);
      expect(j.items.find((i) => i.no === 3)!.score).toBe(2);
      expect(j.items.find((i) => i.no === 6)!.score).toBe(2); // 3 of 3 on time
    } finally {
      await cleanup();
    }
  });
});

describe('normkit evidence', () => {
  it('prints the figures as JSON and writes the 通报 as HTML and PDF with the ledgers', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const r = await cli('evidence', FIX, '--period', '2025', '--json', '--out', dir);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { total: Record<string, number>; overdue_cases: { case_no: string; days_over: number; at: string }[]; targets: { key: string; met: boolean | null }[] };
      expect(j.total.satisfaction_rate).toBe(71.43);
      expect(j.total.evaluation_rate).toBe(87.5);
      expect(j.total.on_time_rate).toBe(62.5);
      expect(j.overdue_cases[0]).toMatchObject({ case_no: 'CS2025120100003', days_over: 12, at: 'evidence/cases/2025.csv:5' });
      // 标准覆盖率 as the catalog counts it: the fixture has no standard, so 0/10
      expect(j.targets.map((t) => [t.key, t.met])).toEqual([['satisfaction_rate', false], ['evaluation_rate', false], ['on_time_rate', false], ['revisit_rate', false], ['standard_coverage', false]]);

      const html = await readFile(path.join(dir, '2025.html'), 'utf8');
      const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(text).toContain('测试市政务服务中心政务服务评价与效能通报');
      expect(text).toContain('满意率 71.43%（5/7） 98% 未达到');
      expect(text).toMatch(/CS2025102000019 3号窗口 不满意 等候时间太长 简单 2025-11-03（限 10-31） 逾期完成/);
      expect(text).toMatch(/CS2025111000004 食品经营许可（新办） 3号窗口 2025-11-10 5个工作日 2025-11-17 2025-11-20 2025-11-20 3 超过承诺办结时限才提出延期申请；超过承诺时限办结/);
      expect(text).toContain('评价人与窗口人员存在私人纠纷');
      expect(html).toContain('<svg');
      const pub = (await readFile(path.join(dir, '2025-public.html'), 'utf8')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(pub).toContain('测试市政务服务中心“好差评”评价公示');
      expect(pub).toContain('满意率 71.43%');
      expect(pub).toContain('CS2025*****0019 3号窗口 已整改');
      expect(pub).not.toContain('刘敏'); // no staff, raters or comments on the public page
      expect(pub).not.toContain('等候时间太长');

      const pages = await pdfPages(await readFile(path.join(dir, '2025.pdf')));
      const all = squash(pages.join(''));
      expect(all).toContain(squash('差评整改台账'));
      expect(all).toContain('CS2025102000019');
      expect(all).toContain(squash('超期办件清单'));
      expect(all).toContain(squash('无正当理由对办事人的申请不予受理'));
      expect(all).toContain(squash('71.43%（5/7）'));
      expect(all).toContain(squash('测试市住房和城乡建设局月度汇总'));
    } finally {
      await cleanup();
    }
  });

  it('warns on each missed target, at its key in project.yaml', async () => {
    const r = await cli('evidence', FIX, '--no-files');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/project\.yaml:12:22\s+warning\s+2025年度满意率 71\.43%（5\/7），未达到目标 98%。\s+target-missed/);
    expect(r.out).toContain('按时办结率  62.50%（5/8）  目标 100%  未达到');
  });

  it('exits 1 with file:line:col on bad evidence, and 2 on a bad period', async () => {
    const { dir, cleanup } = await tempCopy(FIX);
    try {
      await appendFile(path.join(dir, 'evidence/cases/2025.csv'), 'CS2025092600011,511400-XK-0001,3号窗口,刘敏,2025-09-31,,,,,,,,,,,否,否,\n');
      const r = await cli('evidence', dir, '--no-files');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/evidence\/cases\/2025\.csv:12:40\s+error\s+受理日期“2025-09-31”不是有效日期/);
      expect(r.err).toMatch(/evidence\/cases\/2025\.csv:12:1\s+error\s+办件编号 CS2025092600011 重复（第一次出现在 evidence\/cases\/2025\.csv:2）/);
      const bad = await cli('evidence', dir, '--period', '2025Q5');
      expect(bad.code).toBe(2);
    } finally {
      await cleanup();
    }
  });
});

describe('evidence in the build and in validate', () => {
  it('the score report built from the project shows each evidence figure beside its points', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const r = await cli('build', FIX, '--out', dir, '--only', 'checklists,catalog', '--format', 'html', '--verbose');
      expect(r.code).toBe(0);
      // each missed target is a warning at its key
      expect(r.err + r.out).toMatch(/project\.yaml:12:22\s+warning\s+2025年度满意率 71\.43%（5\/7），未达到目标 98%。\s+target-missed/);
      expect(r.err + r.out).toMatch(/project\.yaml:16:22\s+warning\s+标准覆盖率（有现行标准的类别，含采用的标准）0\.00%（0\/10），未达到目标 90%。\s+target-missed/);
      const catalog = (await readFile(path.join(dir, 'html/index.html'), 'utf8')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(catalog).toContain('目标对照（证据：2025年度）');
      expect(catalog).toContain('按时办结率 100% 62.50%（5/8） 未达到');
      expect(catalog).toContain('标准覆盖率 90% 0.00%（0/10） 未达到');
      const html = (await readFile(path.join(dir, 'html/reports/2025-center.html'), 'utf8')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
        .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x3D;/g, '=');
      expect(html).toContain('按证据：满意率 71.43%（5/7），< 98%，4 × 71.43% = 2.86');
      expect(html).toContain('按证据：超期办件 5 件，5 > 0，一票否决');
      expect(html).toContain('12.86');
      const form = (await readFile(path.join(dir, 'html/checklists/window-evidence.html'), 'utf8')).replace(/<[^>]+>/g, ' ');
      expect(form).toContain('按日常证据计分（按时办结率，3号窗口）：达到100%得满分，未达到按比率计分');
    } finally {
      await cleanup();
    }
  });

  it('normkit validate reports bad evidence rows with their positions', async () => {
    const { dir, cleanup } = await tempCopy(FIX);
    try {
      await appendFile(path.join(dir, 'evidence/evaluations/2025-haocaiping.csv'), 'CS2025120800099,短信,冯**,2025-12-20 10:00,6,,511400-XK-0001,3号窗口,李娜,,,,,,,,,,\n');
      const r = await cli('validate', dir);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/evidence\/evaluations\/2025-haocaiping\.csv:12:\d+\s+error\s+满意度“6”无法识别/);
      expect(r.out).toContain('evidence-level');
    } finally {
      await cleanup();
    }
  });
});

describe('evidence tables', () => {
  it('keeps positions through quoted cells with line breaks, tab exports and YAML lists', () => {
    const diags = new Diagnostics();
    const csv = readCsvTable('办件编号,文字评价,满意度\nA1,"第一行\n第二行，""引号""",1\n\nA2,,非常满意\n', 'e.csv', diags)!;
    expect(csv.rows.map((r) => [r.line, r.cells.get('满意度')!.line, r.cells.get('满意度')!.column, r.cells.get('文字评价')!.value])).toEqual([
      [2, 3, 13, '第一行\n第二行，"引号"'],
      [5, 5, 5, ''],
    ]);
    const tsv = readCsvTable('办件编号\t满意度\nB1\t5\n', 't.csv', diags)!;
    expect(tsv.rows[0]!.cells.get('满意度')).toEqual({ value: '5', line: 2, column: 4 });
    expect(diags.list).toEqual([]);
  });
});

describe('evidence of a broken item', () => {
  it('waits for the item to be fixed instead of reporting every row', async () => {
    const { dir, cleanup } = await tempCopy(FIX);
    try {
      const f = path.join(dir, 'items/food.yaml');
      await writeFile(f, (await readFile(f, 'utf8')).replace(/^name: .*$/m, 'name: [未闭合'));
      const r = await cli('validate', dir, '--format', 'json');
      expect(r.code).toBe(1);
      const files = new Set((JSON.parse(r.out) as { file: string; severity: string }[]).filter((d) => d.severity === 'error').map((d) => d.file));
      expect([...files]).toEqual(['items/food.yaml']);
    } finally {
      await cleanup();
    }
  });
});

describe('evaluations kept as a workbook (.xlsx)', () => {
  it('give the same figures as the same rows in CSV, and a bad cell is named by sheet and cell', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const { parse } = await import('csv-parse/sync');
    const { dir, cleanup } = await tempCopy(FIX);
    try {
      const csvFile = path.join(dir, 'evidence/evaluations/2025-haocaiping.csv');
      const rows = parse(await readFile(csvFile, 'utf8'), { bom: true, relax_column_count: true }) as string[][];
      const toBook = async (cells: string[][], file: string): Promise<void> => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('评价');
        ws.addRow(['2025年度好差评评价明细（平台导出）']); // a title row above the header, as platform exports have
        ws.mergeCells('A1:F1');
        for (const r of cells) ws.addRow(r);
        await wb.xlsx.writeFile(file);
      };
      const before = (await evidenceOf(dir)).checked;
      const expected = computeFigures(before.records, before.calendar, before.rules, '2025').total;
      await rm(csvFile);
      await toBook(rows, path.join(dir, 'evidence/evaluations/2025-haocaiping.xlsx'));
      const { checked, diags } = await evidenceOf(dir);
      expect(diags.list).toEqual([]);
      const t = computeFigures(checked.records, checked.calendar, checked.rules, '2025').total;
      expect({ n: t.evaluations, s: t.satisfactionRate, g: t.goodRate, e: t.evaluationRate }).toEqual({ n: expected.evaluations, s: expected.satisfactionRate, g: expected.goodRate, e: expected.evaluationRate });

      // a date that is not one, in the workbook's third data row
      rows[3]![3] = '2025-13-01';
      await toBook(rows, path.join(dir, 'evidence/evaluations/2025-haocaiping.xlsx'));
      const r = await cli('validate', dir);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/evidence\/evaluations\/2025-haocaiping\.xlsx:评价!D5\s+error\s+.*evidence-date/);
    } finally {
      await cleanup();
    }
  });
});
