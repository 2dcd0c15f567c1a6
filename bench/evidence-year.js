// A seeded synthetic year of evidence (cases, 好差评, complaints) for a project's items, with the
// figures it must give computed here, independently of src/evidence: this file has its own 2025
// calendar (typed from 国办发明电〔2024〕12号), its own day walk and its own counting.
// Used by test/evidence-year.test.ts (small year) and `npm run bench:evidence` (a county's year).

const H = (from, to) => { const out = []; for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 864e5) out.push(new Date(d).toISOString().slice(0, 10)); return out; };
/** 2025: 元旦 1-1; 春节 1-28…2-4 (1-26, 2-8 worked); 清明 4-4…4-6; 劳动节 5-1…5-5 (4-27 worked); 端午 5-31…6-2; 国庆中秋 10-1…10-8 (9-28, 10-11 worked). */
const HOLIDAYS_2025 = new Set([...H('2025-01-01', '2025-01-01'), ...H('2025-01-28', '2025-02-04'), ...H('2025-04-04', '2025-04-06'), ...H('2025-05-01', '2025-05-05'), ...H('2025-05-31', '2025-06-02'), ...H('2025-10-01', '2025-10-08')]);
const WORKED_2025 = new Set(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
/** 2026 as far as a case of late December can reach: 元旦 1-1…1-3 (1-4 worked). */
const HOLIDAYS_2026 = new Set(H('2026-01-01', '2026-01-03'));
const WORKED_2026 = new Set(['2026-01-04']);

const iso = (t) => new Date(t).toISOString().slice(0, 10);
const next = (d) => iso(Date.parse(`${d}T00:00:00Z`) + 864e5);
export function isWorkday(d) {
  if (WORKED_2025.has(d) || WORKED_2026.has(d)) return true;
  if (HOLIDAYS_2025.has(d) || HOLIDAYS_2026.has(d)) return false;
  const w = new Date(`${d}T00:00:00Z`).getUTCDay();
  return w !== 0 && w !== 6;
}
/** The n-th working day after d, skipping the days in `stops` ([from, to] inclusive). */
export function plusWorkdays(d, n, stops = []) {
  let x = d;
  for (let left = n; left > 0;) {
    x = next(x);
    if (isWorkday(x) && !stops.some(([a, b]) => a <= x && x <= b)) left--;
  }
  return x;
}
function workdaysAfter(a, b) { let n = 0; for (let x = next(a); x <= b; x = next(x)) if (isWorkday(x)) n++; return n; }

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const STAFF = ['刘敏', '李娜', '周强', '吴刚', '陈静', '杨帆', '赵磊', '黄丽', '孙伟', '马超', '朱琳', '何军'];
const CHANNELS = ['政务大厅平板电脑', '移动服务端', 'PC端', '二维码', '短信', '电话'];
const LEVEL_NAMES = ['', '非常满意', '满意', '基本满意', '不满意', '非常不满意'];
const STOP_REASONS = ['专家评审', '现场勘测', '检验检测', '听证'];
const csvCell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvRow = (cells) => cells.map((c) => csvCell(String(c ?? ''))).join(',');

/**
 * items: [{ code, window, promised }] (promised working days; 0 = 即办); returns the CSV texts and
 * the expected figures of the year 2025 (as of 2025-12-31).
 */
export function generateYear({ seed = 2025, cases = 1000, evaluationShare = 0.2, complaints = 0.006, items }) {
  const rnd = mulberry32(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const days = H('2025-01-02', '2025-12-19').filter(isWorkday);
  const caseRows = [];
  const evalRows = [];
  const complaintRows = [];
  const exp = {
    decided: 0, onTime: 0, onSite: 0, overdue: 0, rated: 0,
    evaluations: 0, excluded: 0, good: 0, basic: 0, bad: 0, badOverdue: 0, closedBad: 0, revisited: 0,
    complaints: 0, complaintsOverdue: 0, validComplaints: 0, overdueByWindow: {},
  };
  const asOf = '2025-12-31';
  for (let i = 0; i < cases; i++) {
    const item = pick(items);
    const no = `YL2025${String(i + 1).padStart(8, '0')}`;
    const accepted = pick(days);
    const staff = pick(STAFF);
    let start = accepted;
    let supplement = ['', ''];
    if (item.promised > 0 && rnd() < 0.1) { // 补正: the clock restarts when the materials are complete
      start = plusWorkdays(accepted, 1 + Math.floor(rnd() * 6));
      supplement = [accepted, start];
    }
    let stops = [];
    if (item.promised >= 10 && rnd() < 0.15) {
      const from = plusWorkdays(start, 2);
      stops = [[from, plusWorkdays(from, 2 + Math.floor(rnd() * 4))]];
    }
    let limit = item.promised;
    let ext = ['', '', ''];
    const originalDue = plusWorkdays(start, limit, stops);
    if (item.promised >= 5 && rnd() < 0.03) {
      const asked = plusWorkdays(start, Math.max(1, limit - 1), stops); // before the original due date
      ext = [asked, asked, '5'];
      limit += 5;
    }
    const due = plusWorkdays(start, limit, stops);
    const r = rnd();
    let decided = '', delivered = '', late = false;
    if (r < 0.01 && due < '2025-12-20') { late = true; } // never decided: past due by the year's end
    else if (r < 0.04) { late = true; decided = plusWorkdays(due, 1 + Math.floor(rnd() * 5)); }
    else {
      // on time: a working day in (start, due]; 即办 on the day
      const back = limit === 0 ? 0 : Math.floor(rnd() * limit);
      decided = limit === 0 ? accepted : plusWorkdays(start, limit - back, stops);
      if (decided > due) decided = due;
    }
    if (decided) delivered = decided;
    if (decided && decided > '2025-12-31') { decided = ''; delivered = ''; late = due < asOf; }
    const onSite = item.promised === 0 && decided === accepted;
    const isOverdue = late && (decided !== '' || due < asOf);
    if (decided) { exp.decided++; if (!late) exp.onTime++; if (onSite) exp.onSite++; }
    if (isOverdue) { exp.overdue++; exp.overdueByWindow[item.window] = (exp.overdueByWindow[item.window] ?? 0) + 1; }
    void originalDue;
    caseRows.push([no, item.code, item.window, staff, accepted, supplement[0], supplement[1], stops[0]?.[0] ?? '', stops[0]?.[1] ?? '', stops.length ? pick(STOP_REASONS) : '', ext[0], ext[1], ext[2], decided, delivered, onSite ? '是' : '否', '否', '']);

    // 好差评 for a share of the decided cases, rated on the day of decision or the next days
    if (decided && rnd() < evaluationShare) {
      const rated = plusWorkdays(decided, Math.floor(rnd() * 2));
      if (rated > '2025-12-31') continue;
      const x = rnd();
      const level = x < 0.8 ? 1 : x < 0.93 ? 2 : x < 0.975 ? 3 : x < 0.99 ? 4 : 5;
      const excluded = level >= 4 && rnd() < 0.2;
      const cells = [no, pick(CHANNELS), `${pick(SURNAMES)}**`, `${rated} ${String(8 + Math.floor(rnd() * 9)).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00`,
        rnd() < 0.5 ? String(level) : LEVEL_NAMES[level], level >= 4 ? pick(['等候时间太长', '告知不清楚，来回跑', '态度生硬', '系统卡顿']) : '', item.code, item.window, staff];
      let bad = ['', '', '', '', '', '', ''];
      if (excluded) {
        exp.excluded++;
        bad = ['', '', '', '', '', '', ''];
        cells.push(...bad, pick(['恶意', '误操作']), '经核实与办件无关', '区政务服务管理局');
      } else {
        exp.evaluations++;
        if (level <= 2) exp.good++; else if (level === 3) exp.basic++; else exp.bad++;
        if (level >= 4) {
          const complex = rnd() < 0.3;
          const contactDue = plusWorkdays(rated, 2), fixDue = plusWorkdays(rated, complex ? 15 : 5);
          const lateFix = rnd() < 0.1;
          const contacted = plusWorkdays(rated, rnd() < 0.5 ? 1 : 2);
          const rectified = lateFix ? plusWorkdays(fixDue, 2) : plusWorkdays(rated, complex ? 10 : 3);
          const visitDone = rnd() < 0.9;
          const revisited = visitDone ? plusWorkdays(rectified, 3) : '';
          const inYear = (d) => (d && d <= '2025-12-31' ? d : '');
          const c = inYear(contacted), f = inYear(rectified), v = f ? inYear(revisited) : '';
          const states = [
            ['file', rated, rated], ['contact', contactDue, c], ['rectify', fixDue, f],
            ...(f ? [['revisit', plusWorkdays(f, 5), v]] : []),
          ];
          const overdue = states.some(([, dueDay, done]) => (done ? done > dueDay : asOf > dueDay));
          if (overdue) exp.badOverdue++;
          if (f) { exp.closedBad++; if (v) exp.revisited++; }
          bad = [complex ? '复杂' : '简单', rated, c, f, v, staff, '已约谈窗口人员并整改'];
        }
        cells.push(...bad, '', '', '');
        if (!exp.ratedNos) exp.ratedNos = new Set();
        exp.ratedNos.add(no);
      }
      evalRows.push(cells);
    }
  }
  // rated cases among the decided ones
  const decidedNos = new Set(caseRows.filter((r) => r[13]).map((r) => r[0]));
  exp.rated = [...(exp.ratedNos ?? [])].filter((n) => decidedNos.has(n)).length;
  delete exp.ratedNos;

  const nComplaints = Math.round(cases * complaints);
  for (let i = 0; i < nComplaints; i++) {
    const received = pick(days);
    const item = pick(items);
    const due = plusWorkdays(received, 5);
    const lateReply = rnd() < 0.05;
    const replied = lateReply ? plusWorkdays(due, 1 + Math.floor(rnd() * 3)) : plusWorkdays(received, 1 + Math.floor(rnd() * 5));
    const r = replied <= '2025-12-31' ? replied : '';
    const finding = pick(['属实', '不属实', '部分属实', '不属实']);
    exp.complaints++;
    if (r ? r > due : asOf > due) exp.complaintsOverdue++;
    if (finding !== '不属实') exp.validComplaints++;
    complaintRows.push([`TS-2025-${String(i + 1).padStart(5, '0')}`, pick(['12345', '来电', '现场', '网上']), received, item.window, item.window, '', pick(['服务态度', '办事效率', '其他']), '', r, finding, '']);
  }

  const caseCsv = [csvRow(['办件编号', '事项编码', '窗口', '工作人员', '受理日期', '补正告知日期', '补正完成日期', '中止开始', '中止结束', '中止原因', '延期申请日期', '延期批准日期', '延长天数', '办结日期', '送达日期', '现场办结', '不予受理', '不予受理理由']), ...caseRows.map(csvRow)].join('\n') + '\n';
  const evalCsv = [csvRow(['办件编号', '评价渠道', '评价人', '评价时间', '满意度', '文字评价', '事项编码', '窗口', '工作人员', '差评类别', '建档日期', '联系日期', '整改日期', '回访日期', '整改责任人', '整改措施', '核实结果', '核实说明', '复核人']), ...evalRows.map(csvRow)].join('\n') + '\n';
  const complaintCsv = [csvRow(['投诉编号', '投诉渠道', '受理日期', '投诉对象', '窗口', '部门', '投诉类别', '答复时限', '答复日期', '是否属实', '回访日期']), ...complaintRows.map(csvRow)].join('\n') + '\n';
  return { caseCsv, evalCsv, complaintCsv, expected: exp };
}

/** A county's items: `n` items over five departments, promised limits as published guides give them. */
export function countyItems(n = 120) {
  const depts = [['scjg', '市场监督管理局', '3号窗口'], ['gaj', '公安局', '8号窗口'], ['rsj', '人力资源和社会保障局', '12号窗口'], ['zjj', '住房和城乡建设局', '15号窗口'], ['mzj', '民政局', '18号窗口']];
  const limits = [0, 0, 1, 3, 5, 5, 7, 10, 15, 20];
  return Array.from({ length: n }, (_, i) => {
    const [dept, , window] = depts[i % depts.length];
    return { code: `530100-${String(i + 1).padStart(4, '0')}`, name: `县级政务服务事项${i + 1}`, department: dept, window, promised: limits[i % limits.length] };
  });
}

/** Writes a project (project.yaml, items, the year's evidence) that `normkit evidence` reads. */
export async function writeYearProject(dir, year, items) {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const path = (await import('node:path')).default;
  const depts = [...new Map(items.map((i) => [i.department, i.window])).entries()];
  await mkdir(path.join(dir, 'items'), { recursive: true });
  for (const k of ['evaluations', 'cases', 'complaints']) await mkdir(path.join(dir, 'evidence', k), { recursive: true });
  await writeFile(path.join(dir, 'project.yaml'), [
    'organization: 云岭县政务服务中心', 'code_prefix: Q/YLXZW', 'date: 2026-01-10', 'departments:',
    ...depts.flatMap(([id, w]) => [`  - id: ${id}`, `    name: 云岭县${id}`, `    window: ${w}`]),
    'targets:', '  satisfaction_rate: 98', '  evaluation_rate: 95', '  on_time_rate: 100', '',
  ].join('\n'));
  for (const i of items) {
    await writeFile(path.join(dir, 'items', `${i.code}.yaml`), [
      `code: "${i.code}"`, `name: ${i.name}`, 'basis: [《政务服务事项实施清单》]', 'conditions: [符合法定条件]', 'process:', '  - step: 受理', '  - step: 办结',
      'materials:', '  - name: 申请表', 'time_limit:', `  legal_days: ${Math.max(20, i.promised)}`, `  promised_days: ${i.promised}`, 'fee: { charged: false }',
      'result: 办理结果', `department: ${i.department}`, 'type: 公共服务', '',
    ].join('\n'));
  }
  await writeFile(path.join(dir, 'evidence/cases/2025.csv'), year.caseCsv);
  await writeFile(path.join(dir, 'evidence/evaluations/2025.csv'), year.evalCsv);
  await writeFile(path.join(dir, 'evidence/complaints/2025.csv'), year.complaintCsv);
}
