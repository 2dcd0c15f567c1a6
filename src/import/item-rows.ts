import type { Diagnostics } from '../diagnostics.js';
import { cellRef, type Sheet, type Workbook } from '../load/sheet-source.js';
import type { ItemData } from '../model/data.js';
import {
  clean, halfWidthDigits, parseChannel, parseCount, parseFaq, parseFlag, parseLevel, parseServiceObject, parseStep, parseType,
  parseUnit, splitBasis, splitInline, splitList, unitInCount,
} from './cells.js';
import { itemFieldOf, materialFieldOf, type ItemField, type MaterialField } from './columns.js';

/** A mapping file (`--map map.yaml`), or what was detected (`--print-map`). */
export interface ImportMap {
  items_sheet?: string;
  materials_sheet?: string;
  /** Header → field; `platform` keeps the column verbatim, `ignore` leaves it out on purpose. */
  columns?: Record<string, ItemField>;
  materials_columns?: Record<string, MaterialField>;
  /** 实施主体 name → department id of project.yaml. */
  departments?: Record<string, string>;
}

type Material = ItemData['materials'][number];

/**
 * What one row of the sheet says about an item: only the fields whose cells were filled, so a
 * merge into an existing file touches nothing else.
 */
export interface ItemRow {
  sheet: string;
  /** 0-based row in the sheet. */
  row: number;
  patch: Partial<ItemData>;
  /** 实施主体 as written, to match or create a department. */
  implementer?: string;
  refused: boolean;
}

interface Columns<F> { header: number; fields: (F | 'platform' | 'ignore' | undefined)[]; headers: string[] }

const MIN_HEADERS = 3;

/** The row among the first ten that names the most known columns (exports often put a title row above). */
function findHeader<F>(sheet: Sheet, fieldOf: (h: string) => F | undefined, given?: Record<string, F | 'platform' | 'ignore'>): Columns<F> | undefined {
  let best: Columns<F> | undefined;
  let bestCount = 0;
  for (let r = 0; r < Math.min(10, sheet.rows.length); r++) {
    const cells = sheet.rows[r] ?? [];
    const headers = Array.from(cells, (c) => (c && !c.merged ? c.text.trim() : ''));
    const fields = headers.map((h) => (h ? (given?.[h] ?? fieldOf(h)) : undefined));
    const count = fields.filter((f) => f !== undefined && f !== 'platform' && f !== 'ignore').length;
    if (count > bestCount) {
      best = { header: r, fields, headers };
      bestCount = count;
    }
  }
  return bestCount >= MIN_HEADERS ? best : undefined;
}

export interface SheetsFound {
  items?: { sheet: Sheet; cols: Columns<ItemField> };
  materials?: { sheet: Sheet; cols: Columns<MaterialField> };
}

/** The items sheet (most known item columns, a 事项名称 among them) and a materials sheet keyed by 实施编码 or 事项编码. */
export function findSheets(wb: Workbook, map: ImportMap): SheetsFound {
  const found: SheetsFound = {};
  let bestItems = 0;
  for (const sheet of wb.sheets) {
    if (map.items_sheet !== undefined && sheet.name !== map.items_sheet) continue;
    const cols = findHeader(sheet, itemFieldOf, map.columns);
    const n = cols?.fields.filter((f) => f && f !== 'platform' && f !== 'ignore').length ?? 0;
    if (cols && cols.fields.includes('name') && n > bestItems) {
      found.items = { sheet, cols };
      bestItems = n;
    }
  }
  for (const sheet of wb.sheets) {
    if (sheet === found.items?.sheet) continue;
    if (map.materials_sheet !== undefined && sheet.name !== map.materials_sheet) continue;
    const cols = findHeader(sheet, materialFieldOf, map.materials_columns as Record<string, MaterialField> | undefined);
    if (cols && cols.fields.includes('name') && (cols.fields.includes('implementation_code') || cols.fields.includes('item_code'))) {
      found.materials = { sheet, cols };
      break;
    }
  }
  return found;
}

/** The map as detected, for `--print-map`: every header with its field, unknown ones as `platform`. */
export function detectedMap(found: SheetsFound): ImportMap {
  const map: ImportMap = {};
  if (found.items) {
    map.items_sheet = found.items.sheet.name;
    map.columns = Object.fromEntries(found.items.cols.headers.map((h, i) => [h, found.items!.cols.fields[i] ?? 'platform'] as const).filter(([h]) => h));
  }
  if (found.materials) {
    map.materials_sheet = found.materials.sheet.name;
    map.materials_columns = Object.fromEntries(found.materials.cols.headers.map((h, i) => [h, (found.materials!.cols.fields[i] ?? 'ignore') as MaterialField] as const).filter(([h]) => h));
  }
  return map;
}

class RowReader {
  refused = false;
  constructor(readonly file: string, readonly sheet: Sheet, readonly row: number, readonly diags: Diagnostics) {}

  at(col: number): { line: number; column: number } {
    return { line: this.row + 1, column: col + 1 };
  }

  error(col: number, rule: string, message: string): void {
    this.refused = true;
    this.diags.add({ file: this.file, ...this.at(col), cell: cellRef(this.sheet.name, this.row, col), severity: 'error', rule, message });
  }

  warn(col: number, rule: string, message: string): void {
    this.diags.add({ file: this.file, ...this.at(col), cell: cellRef(this.sheet.name, this.row, col), severity: 'warning', rule, message });
  }
}

function isBlankRow(cells: Sheet['rows'][number]): boolean {
  return !cells || cells.every((c) => !c || c.merged || !clean(c.text));
}

/** Reads every item row of the items sheet; problems are diagnostics at their cells, the row is then refused. */
export function readItemRows(file: string, found: Required<Pick<SheetsFound, 'items'>> & SheetsFound, map: ImportMap, diags: Diagnostics): ItemRow[] {
  const { sheet, cols } = found.items;
  const out: ItemRow[] = [];
  const col = (f: ItemField): number => cols.fields.indexOf(f);
  const materialsBy = found.materials ? readMaterialRows(file, found.materials, diags) : undefined;
  const usedMaterialKeys = new Set<string>();
  for (const [i, h] of cols.headers.entries()) {
    if (h && cols.fields[i] === 'ignore' && map.columns?.[h] === undefined) {
      diags.add({ file, line: cols.header + 1, column: i + 1, cell: cellRef(sheet.name, cols.header, i), severity: 'warning', rule: 'import-ignored-column', message: `列“${h}”是导出表的行号，不导入。需要保留时请在映射文件（--map）中写 ${h}: platform。` });
    }
  }
  const unknown = cols.headers.map((h, i) => (h && cols.fields[i] === undefined ? i : -1)).filter((i) => i >= 0);
  for (const i of unknown) {
    diags.add({
      file, line: cols.header + 1, column: i + 1, cell: cellRef(sheet.name, cols.header, i), severity: 'warning', rule: 'import-unknown-column',
      message: `列“${cols.headers[i]}”没有对应的事项字段，原文保存在各事项的 platform 中。如果它对应某个字段，请在映射文件（--map）中写明；不需要时写 ignore。`,
    });
  }
  for (let r = cols.header + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r];
    if (isBlankRow(cells)) continue;
    const rr = new RowReader(file, sheet, r, diags);
    const patch: Partial<ItemData> & Record<string, unknown> = {};
    const tl: Partial<ItemData['time_limit']> = {};
    const fee: Partial<ItemData['fee']> = {};
    const online: NonNullable<ItemData['online']> = {};
    const implementer: Partial<NonNullable<ItemData['implementer']>> = {};
    const platform: Record<string, string> = {};
    let legalUnit: string | undefined, promisedUnit: string | undefined;
    let implementerName: string | undefined;
    cols.fields.forEach((field, c) => {
      const cell = cells![c];
      const text = clean(cell?.text);
      if (!text || field === 'ignore') return;
      const flag = (name: string): boolean | undefined => {
        const v = parseFlag(text);
        if (v === undefined) rr.error(c, 'import-bad-flag', `${name}“${text}”看不出是或否。请填“是”或“否”。`);
        return v;
      };
      const count = (name: string): number | undefined => {
        const v = parseCount(text);
        if (v === undefined) rr.error(c, 'import-bad-number', `${name}“${text}”不是整数。请填阿拉伯数字，如 20（即办填 0）。`);
        return v;
      };
      switch (field) {
        case undefined: case 'platform': platform[cols.headers[c]!] = text; break;
        case 'code': case 'base_code': case 'implementation_code': patch[field] = halfWidthDigits(text).replace(/\s+/g, ''); break;
        case 'name': case 'result': case 'location': case 'hours': case 'window': case 'commitment': case 'cross_region': case 'materials_note':
          patch[field] = text; break;
        case 'phone': case 'supervision_phone': patch[field] = halfWidthDigits(text).replace(/[－—]/g, '-'); break;
        case 'online_url': patch.online_url = text; break;
        case 'department': patch.department = text; break;
        case 'type': {
          const t = parseType(text);
          if (t) patch.type = t;
          else rr.error(c, 'import-bad-code', `事项类型“${text}”不在 GB/T 39046 的代码集中。请填代码或名称，如 01 或 行政许可（02 行政处罚 … 10 其他行政权力，20 公共服务）。`);
          break;
        }
        case 'level': {
          const l = parseLevel(text);
          if (l) patch.level = l;
          else rr.error(c, 'import-bad-code', `行使层级“${text}”无法识别。请填国家级、省级、市级、县级、镇（乡、街道）级或村（社区）级。`);
          break;
        }
        case 'basis': patch.basis = splitBasis(text); break;
        case 'conditions': patch.conditions = splitList(text); break;
        case 'process': patch.process = splitList(text).map(parseStep); break;
        case 'implementer': implementer.name = text; implementerName = text; break;
        case 'credit_code': implementer.credit_code = halfWidthDigits(text).replace(/\s+/g, '').toUpperCase(); break;
        case 'legal_days': tl.legal_days = count('法定办结时限'); legalUnit ??= unitInCount(text); break;
        case 'promised_days': tl.promised_days = count('承诺办结时限'); promisedUnit ??= unitInCount(text); break;
        case 'legal_unit': case 'promised_unit': {
          const u = parseUnit(text);
          if (!u) rr.error(c, 'import-bad-unit', `时限单位“${text}”无法识别。请填工作日、自然日或小时。`);
          if (field === 'legal_unit') legalUnit = u; else promisedUnit = u;
          break;
        }
        case 'legal_note': tl.legal_note = text; break;
        case 'promised_note': tl.promised_note = text; break;
        case 'time_note': tl.note = text; break;
        case 'charged': fee.charged = flag('是否收费'); break;
        case 'fee_standard': fee.standard = text; break;
        case 'fee_basis': fee.basis = text; break;
        case 'service_objects': {
          const vals = splitInline(text).map((s) => [s, parseServiceObject(s)] as const);
          const bad = vals.filter(([, v]) => !v).map(([s]) => s);
          if (bad.length) rr.error(c, 'import-bad-code', `服务对象“${bad.join('、')}”无法识别。可填：自然人、企业法人、事业法人、社会组织法人、行政机关、其他组织。`);
          else patch.service_objects = [...new Set(vals.map(([, v]) => v!))];
          break;
        }
        case 'channels': {
          const vals = splitInline(text).map((s) => [s, parseChannel(s)] as const);
          const bad = vals.filter(([, v]) => !v).map(([s]) => s);
          if (bad.length) rr.error(c, 'import-bad-code', `办理形式“${bad.join('、')}”无法识别。可填：窗口办理、电脑端网上办理、移动端网上申请、快递申请、其他。`);
          else patch.channels = [...new Set(vals.map(([, v]) => v!))];
          break;
        }
        case 'faq': {
          const faq = parseFaq(text);
          if (faq) patch.faq = faq;
          else rr.error(c, 'import-bad-faq', '常见问题应写成“问：……答：……”，多条可编号或分行。请改正这一格。');
          break;
        }
        case 'online_handled': online.handled = flag('是否网办'); break;
        case 'online_appointment': online.appointment = flag('是否支持预约办理'); break;
        case 'online_payment': online.payment = flag('是否支持网上支付'); break;
        case 'online_delivery': online.delivery = flag('是否支持物流快递'); break;
        case 'co_departments': patch.co_departments = [...new Set(splitInline(text))]; break;
        case 'intermediary_services': patch.intermediary_services = splitList(text); break;
        case 'visits': patch.visits = count('到办事现场次数'); break;
        case 'materials': patch.materials = splitList(text).map(inlineMaterial); break;
      }
    });
    if (legalUnit && promisedUnit && legalUnit !== promisedUnit) {
      rr.error(col('promised_unit') >= 0 ? col('promised_unit') : col('promised_days'), 'import-unit-mismatch', `法定办结时限以${legalUnit}计，承诺办结时限以${promisedUnit}计。normkit 的两个时限用同一单位，请换算成同一单位。`);
    }
    const unit = legalUnit ?? promisedUnit;
    if (unit) tl.unit = unit as ItemData['time_limit']['unit'];
    if (Object.keys(tl).length) patch.time_limit = tl as ItemData['time_limit'];
    if (Object.keys(fee).length) patch.fee = fee as ItemData['fee'];
    if (Object.keys(online).length) patch.online = online;
    if (Object.keys(implementer).length) {
      if (!implementer.name) rr.error(col('credit_code'), 'import-missing-value', '有统一社会信用代码却没有实施主体名称。请填写实施主体。');
      else patch.implementer = implementer as NonNullable<ItemData['implementer']>;
    }
    if (Object.keys(platform).length) patch.platform = platform;
    if (!patch.name) rr.error(Math.max(0, col('name')), 'import-missing-value', '事项名称为空。请填写事项名称；整行不需要时请删除该行。');

    if (materialsBy) {
      const key = [patch.implementation_code, patch.code].find((k) => k !== undefined && materialsBy.has(k));
      const mats = key !== undefined ? materialsBy.get(key) : undefined;
      if (mats) {
        usedMaterialKeys.add(key!);
        if (mats.refused) rr.refused = true;
        if (patch.materials && mats.list.length) {
          rr.warn(col('materials'), 'import-materials-twice', '本行的申请材料格和材料表都列了材料，按材料表导入。请只保留一处。');
        }
        if (mats.list.length) patch.materials = mats.list;
      }
    }
    out.push({ sheet: sheet.name, row: r, patch, implementer: implementerName, refused: rr.refused });
  }
  if (materialsBy && found.materials) {
    for (const [key, m] of materialsBy) {
      if (usedMaterialKeys.has(key)) continue;
      diags.add({
        file, line: m.row + 1, column: m.keyCol + 1, cell: cellRef(found.materials.sheet.name, m.row, m.keyCol), severity: 'error', rule: 'import-orphan-material',
        message: `材料表中编码“${key}”的 ${m.list.length} 项材料找不到对应的事项（事项表中没有这个实施编码）。请核对编码。`,
      });
    }
  }
  return out;
}

/** "营业执照（原件1份，复印件1份）" written in one cell of the items sheet. */
function inlineMaterial(entry: string): Material {
  const m = /^([\s\S]+?)[（(]([^（()）]*(?:原件|复印件|份)[^（()）]*)[）)]$/.exec(entry);
  if (!m) return { name: entry };
  const spec = halfWidthDigits(m[2]!);
  const mat: Material = { name: m[1]!.trim() };
  const o = /原件\s*(\d+)\s*份/.exec(spec);
  const p = /复印件\s*(\d+)\s*份/.exec(spec);
  if (o) mat.originals = Number(o[1]);
  if (p) mat.photocopies = Number(p[1]);
  if (!o && !p) return { name: entry };
  return mat;
}

interface MaterialGroup { list: Material[]; row: number; keyCol: number; refused: boolean }

/** The materials sheet grouped by the item's 实施编码 (or 事项编码), in sheet order. */
function readMaterialRows(file: string, found: NonNullable<SheetsFound['materials']>, diags: Diagnostics): Map<string, MaterialGroup> {
  const { sheet, cols } = found;
  const by = new Map<string, MaterialGroup>();
  const keyCol = cols.fields.indexOf('implementation_code') >= 0 ? cols.fields.indexOf('implementation_code') : cols.fields.indexOf('item_code');
  cols.headers.forEach((h, i) => {
    if (h && cols.fields[i] === undefined) {
      diags.add({
        file, line: cols.header + 1, column: i + 1, cell: cellRef(sheet.name, cols.header, i), severity: 'warning', rule: 'import-unknown-column',
        message: `材料表的列“${h}”没有对应的材料字段，未导入。需要保留时请在映射文件（--map）的 materials_columns 中把它映射到 note 等字段；不需要时写 ignore。`,
      });
    }
  });
  let last: string | undefined;
  for (let r = cols.header + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r];
    if (isBlankRow(cells)) continue;
    const rr = new RowReader(file, sheet, r, diags);
    // a blank key under a filled one continues the same item (merged cells, or left blank by hand)
    const own = [keyCol, cols.fields.indexOf('item_code')].map((c) => (c >= 0 ? clean(cells![c]?.text) : undefined)).find(Boolean);
    const key = own ? halfWidthDigits(own).replace(/\s+/g, '') : last;
    if (!key) {
      rr.error(keyCol, 'import-missing-value', '材料行没有实施编码，不知道属于哪个事项。请填写该事项的实施编码。');
      continue;
    }
    last = key;
    const mat: Partial<Material> = {};
    cols.fields.forEach((field, c) => {
      const text = clean(cells![c]?.text);
      if (!text || field === undefined || field === 'ignore' || field === 'implementation_code' || field === 'item_code') return;
      const n = (): number | undefined => {
        const v = parseCount(text.replace(/份$/, ''));
        if (v === undefined) rr.error(c, 'import-bad-number', `“${text}”不是整数份数。请填阿拉伯数字，如 1；不需要时填 0。`);
        return v;
      };
      switch (field) {
        case 'name': case 'source': case 'note': case 'filling_guide': mat[field] = text; break;
        case 'originals': mat.originals = n(); break;
        case 'photocopies': mat.photocopies = n(); break;
        case 'copies': { const v = n(); if (v !== undefined && v < 1) rr.error(c, 'import-bad-number', '份数至少为 1。'); else mat.copies = v; break; }
        case 'required': {
          const v = parseFlag(text);
          if (v === undefined) rr.error(c, 'import-bad-flag', `是否必备“${text}”看不出是或否。请填“是”或“否”（容缺受理的材料填“否”）。`);
          mat.required = v;
          break;
        }
        case 'form': {
          const f = text.replace(/\s+/g, '').replace('原件和复印件', '原件及复印件').replace('电子材料', '电子件');
          if (['原件', '复印件', '电子件', '原件及复印件'].includes(f)) mat.form = f as Material['form'];
          else rr.error(c, 'import-bad-code', `材料形式“${text}”无法识别。请填原件、复印件、电子件或原件及复印件。`);
          break;
        }
      }
    });
    if (!mat.name) rr.error(cols.fields.indexOf('name'), 'import-missing-value', '材料名称为空。请填写材料名称，或删除这一行。');
    const g = by.get(key) ?? { list: [], row: r, keyCol, refused: false };
    if (mat.name) g.list.push(mat as Material);
    if (rr.refused) g.refused = true;
    by.set(key, g);
  }
  return by;
}
