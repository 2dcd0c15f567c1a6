/**
 * The GB/T 39046 column names of a platform export and the variants offices meet, each tied to
 * one item field. The same table drives the import's header detection and the export's headers,
 * so an export reads back as it was written.
 */

/** What a column holds. `platform` keeps the cell verbatim under its header; `ignore` drops it on purpose. */
export type ItemField =
  | 'code' | 'name' | 'base_code' | 'implementation_code' | 'type' | 'basis' | 'level'
  | 'implementer' | 'credit_code' | 'department'
  | 'legal_days' | 'legal_unit' | 'legal_note' | 'promised_days' | 'promised_unit' | 'promised_note' | 'time_note'
  | 'conditions' | 'process' | 'result' | 'charged' | 'fee_standard' | 'fee_basis'
  | 'service_objects' | 'channels' | 'location' | 'hours' | 'phone' | 'supervision_phone' | 'faq'
  | 'online_handled' | 'online_url' | 'online_appointment' | 'online_payment' | 'online_delivery'
  | 'co_departments' | 'intermediary_services' | 'cross_region' | 'visits' | 'window' | 'commitment'
  | 'materials' | 'materials_note'
  | 'platform' | 'ignore';

export type MaterialField =
  | 'implementation_code' | 'item_code' | 'name' | 'source' | 'originals' | 'photocopies' | 'required'
  | 'note' | 'filling_guide' | 'form' | 'copies' | 'ignore';

/** Canonical header first (the export writes it), then variants. */
export const ITEM_COLUMNS: [ItemField, string[]][] = [
  ['code', ['事项编码', '本地事项编码', '目录编码']],
  ['name', ['事项名称', '项目名称', '事项名', '实施清单名称']],
  ['base_code', ['基本编码', '事项基本编码', '基本目录编码']],
  ['implementation_code', ['实施编码', '事项实施编码', '实施清单编码']],
  ['type', ['事项类型', '事项类别', '权力类型']],
  ['basis', ['设定依据', '设立依据', '法律依据', '实施依据']],
  ['level', ['行使层级', '行使层级名称']],
  ['implementer', ['实施主体', '实施主体名称', '实施机构', '实施部门']],
  ['credit_code', ['实施主体统一社会信用代码', '实施主体编码', '统一社会信用代码', '实施机构统一社会信用代码']],
  ['department', ['部门编号', '部门代号']],
  ['legal_days', ['法定办结时限', '法定时限']],
  ['legal_unit', ['法定办结时限单位', '法定时限单位']],
  ['legal_note', ['法定办结时限说明', '法定时限说明']],
  ['promised_days', ['承诺办结时限', '承诺时限']],
  ['promised_unit', ['承诺办结时限单位', '承诺时限单位']],
  ['promised_note', ['承诺办结时限说明', '承诺时限说明']],
  ['time_note', ['办结时限说明', '时限说明']],
  ['conditions', ['受理条件', '申请条件', '办理条件']],
  ['process', ['办理流程', '办事流程', '办理程序']],
  ['result', ['结果名称', '办理结果', '审批结果名称', '结果证照名称']],
  ['charged', ['是否收费']],
  ['fee_standard', ['收费标准', '收费项目及标准']],
  ['fee_basis', ['收费依据']],
  ['service_objects', ['服务对象', '面向对象']],
  ['channels', ['办理形式', '办理方式']],
  ['location', ['办理地点', '受理地点']],
  ['hours', ['办理时间', '受理时间']],
  ['phone', ['咨询电话', '咨询方式']],
  ['supervision_phone', ['监督电话', '监督投诉电话', '投诉电话', '监督投诉方式']],
  ['faq', ['常见问题', '常见问题解答']],
  ['online_handled', ['是否网办', '是否支持网上办理', '是否网上办理']],
  ['online_url', ['网办地址', '网上办理地址', '在线办理地址']],
  ['online_appointment', ['是否支持预约办理', '是否预约', '是否支持预约']],
  ['online_payment', ['是否支持网上支付', '是否网上支付']],
  ['online_delivery', ['是否支持物流快递', '是否物流快递', '是否快递']],
  ['co_departments', ['共同实施部门', '联办机构', '联办部门']],
  ['intermediary_services', ['中介服务', '中介服务事项']],
  ['cross_region', ['通办范围']],
  ['visits', ['到办事现场次数', '到现场次数', '跑动次数']],
  ['window', ['办理窗口', '受理窗口']],
  ['commitment', ['服务承诺']],
  ['materials', ['申请材料', '所需材料', '申报材料', '材料目录']],
  ['materials_note', ['材料说明']],
  // row numbers of the export: left out, and said so
  ['ignore', ['序号', '行号']],
];

export const MATERIAL_COLUMNS: [MaterialField, string[]][] = [
  ['implementation_code', ['实施编码', '事项实施编码']],
  ['item_code', ['事项编码']],
  ['name', ['材料名称', '申请材料名称']],
  ['source', ['出具机构', '来源渠道', '材料来源', '出具单位']],
  ['originals', ['原件份数', '原件数']],
  ['photocopies', ['复印件份数', '复印件数']],
  ['copies', ['份数', '纸质材料份数']],
  ['form', ['材料形式', '材料类型']],
  ['required', ['是否必备', '是否必备材料', '必要性', '是否必须']],
  ['note', ['使用说明', '备注', '材料说明']],
  ['filling_guide', ['填报须知', '填写说明']],
];

const ITEM_HEADERS = new Map<string, ItemField>(ITEM_COLUMNS.flatMap(([f, names]) => names.map((n) => [normalizeHeader(n), f] as const)));
const MATERIAL_HEADERS = new Map<string, MaterialField>(MATERIAL_COLUMNS.flatMap(([f, names]) => names.map((n) => [normalizeHeader(n), f] as const)));

/** Header text as compared: no spaces or line breaks, no required-marks (*, ★, （必填）), half-width brackets. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/[\s\u3000]+/g, '')
    .replace(/[（(](必填|选填|必选|可选)[）)]/g, '')
    .replace(/^[*＊★]+|[*＊★]+$/g, '')
    .replace(/（/g, '(').replace(/）/g, ')')
    .replace(/\(.*\)$/, '');
}

export function itemFieldOf(header: string): ItemField | undefined {
  return ITEM_HEADERS.get(normalizeHeader(header));
}

export function materialFieldOf(header: string): MaterialField | undefined {
  return MATERIAL_HEADERS.get(normalizeHeader(header));
}

export const ITEM_FIELDS = new Set<string>([...ITEM_COLUMNS.map(([f]) => f), 'platform', 'ignore']);
export const MATERIAL_FIELDS = new Set<string>([...MATERIAL_COLUMNS.map(([f]) => f), 'ignore']);

/** The export's header of a field: the first, canonical name. */
export function itemHeader(f: ItemField): string {
  return ITEM_COLUMNS.find(([k]) => k === f)![1][0]!;
}

export function materialHeader(f: MaterialField): string {
  return MATERIAL_COLUMNS.find(([k]) => k === f)![1][0]!;
}
