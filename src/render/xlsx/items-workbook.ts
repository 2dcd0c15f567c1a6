import ExcelJS from 'exceljs';
import { ITEM_TYPES } from '../../import/cells.js';
import { itemHeader, materialHeader, type ItemField, type MaterialField } from '../../import/columns.js';
import type { ItemData } from '../../model/data.js';

/**
 * The project's items, as authored (a department's window and phone are not filled in), as a platform-style workbook: a 事项 sheet with the GB/T 39046 column names
 * and a 申请材料 sheet keyed by 实施编码 (or 事项编码). Lists are written the way the import
 * reads them (numbered, one per line), so importing the export changes nothing.
 */
export async function itemsWorkbook(items: ItemData[], meta: { organization: string; date: string }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.organization;
  wb.created = new Date(`${meta.date}T00:00:00Z`);
  wb.modified = wb.created;
  const ws = wb.addWorksheet('事项');
  const platformKeys = [...new Set(items.flatMap((it) => Object.keys(it.platform ?? {})))];
  ws.columns = [
    ...COLUMNS.map(([f, width]) => ({ header: itemHeader(f), key: f, width })),
    ...platformKeys.map((k) => ({ header: k, key: `platform:${k}`, width: 16 })),
  ];
  for (const it of items) {
    const row: Record<string, string | number | undefined> = {};
    for (const [f] of COLUMNS) row[f] = itemCell(it, f);
    for (const k of platformKeys) row[`platform:${k}`] = it.platform?.[k];
    ws.addRow(row);
  }
  styleSheet(ws);

  const ms = wb.addWorksheet('申请材料');
  ms.columns = MATERIAL_COLUMNS.map(([f, width]) => ({ header: materialHeader(f), key: f, width }));
  for (const it of items) {
    for (const m of it.materials) {
      ms.addRow({
        implementation_code: it.implementation_code, item_code: it.implementation_code ? undefined : it.code,
        name: m.name, source: m.source, originals: m.originals, photocopies: m.photocopies, copies: m.copies, form: m.form,
        required: m.required === false ? '否' : '是', note: m.note, filling_guide: m.filling_guide,
      });
    }
  }
  styleSheet(ms);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const COLUMNS: [ItemField, number][] = [
  ['code', 18], ['name', 28], ['base_code', 16], ['implementation_code', 34], ['type', 10], ['basis', 50], ['level', 10],
  ['implementer', 24], ['credit_code', 22], ['department', 10],
  ['legal_days', 8], ['legal_unit', 8], ['legal_note', 24], ['promised_days', 8], ['promised_unit', 8], ['promised_note', 24], ['time_note', 24],
  ['conditions', 50], ['process', 50], ['result', 20], ['charged', 8], ['fee_standard', 20], ['fee_basis', 24],
  ['service_objects', 16], ['channels', 20], ['location', 24], ['hours', 20], ['phone', 16], ['supervision_phone', 16], ['faq', 40],
  ['online_handled', 8], ['online_url', 30], ['online_appointment', 8], ['online_payment', 8], ['online_delivery', 8],
  ['co_departments', 20], ['intermediary_services', 20], ['cross_region', 10], ['visits', 8], ['window', 12], ['commitment', 30],
  ['materials_note', 24],
];

const MATERIAL_COLUMNS: [MaterialField, number][] = [
  ['implementation_code', 34], ['item_code', 18], ['name', 30], ['source', 18], ['originals', 8], ['photocopies', 8], ['copies', 8],
  ['form', 12], ['required', 8], ['note', 30], ['filling_guide', 30],
];

const yesNo = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : b ? '是' : '否');
const numbered = (list: string[] | undefined): string | undefined =>
  list?.length ? list.map((s, i) => `${i + 1}. ${s}`).join('\n') : undefined;

function itemCell(it: ItemData, f: ItemField): string | number | undefined {
  switch (f) {
    case 'code': return it.code;
    case 'name': return it.name;
    case 'base_code': return it.base_code;
    case 'implementation_code': return it.implementation_code;
    case 'type': { const code = ITEM_TYPES.find(([, n]) => n === it.type)?.[0]; return code ? `${code} ${it.type}` : it.type; }
    case 'basis': return numbered(it.basis);
    case 'level': return it.level;
    case 'implementer': return it.implementer?.name;
    case 'credit_code': return it.implementer?.credit_code;
    case 'department': return it.department;
    case 'legal_days': return it.time_limit.legal_days;
    case 'promised_days': return it.time_limit.promised_days;
    case 'legal_unit': case 'promised_unit': return it.time_limit.unit ?? '工作日';
    case 'legal_note': return it.time_limit.legal_note;
    case 'promised_note': return it.time_limit.promised_note;
    case 'time_note': return it.time_limit.note;
    case 'conditions': return numbered(it.conditions);
    case 'process': return numbered(it.process.map((p) => (p.detail ? `${p.step}：${p.detail}` : p.step)));
    case 'result': return it.result;
    case 'charged': return yesNo(it.fee.charged);
    case 'fee_standard': return it.fee.standard ?? undefined;
    case 'fee_basis': return it.fee.basis ?? undefined;
    case 'service_objects': return it.service_objects?.join('、');
    case 'channels': return it.channels?.join('、');
    case 'location': return it.location;
    case 'hours': return it.hours;
    case 'phone': return it.phone;
    case 'supervision_phone': return it.supervision_phone;
    case 'faq': return it.faq?.length ? it.faq.map((q, i) => `${i + 1}. 问：${q.q}\n答：${q.a}`).join('\n') : undefined;
    case 'online_handled': return yesNo(it.online?.handled);
    case 'online_url': return it.online_url;
    case 'online_appointment': return yesNo(it.online?.appointment);
    case 'online_payment': return yesNo(it.online?.payment);
    case 'online_delivery': return yesNo(it.online?.delivery);
    case 'co_departments': return it.co_departments?.join('、');
    case 'intermediary_services': return numbered(it.intermediary_services);
    case 'cross_region': return it.cross_region;
    case 'visits': return it.visits;
    case 'window': return it.window;
    case 'commitment': return it.commitment;
    case 'materials_note': return it.materials_note;
    default: return undefined;
  }
}

function styleSheet(ws: ExcelJS.Worksheet): void {
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.getRow(1).font = { bold: true };
  ws.eachRow((row) => {
    row.alignment = { vertical: 'top', wrapText: true };
  });
}
