/**
 * The columns of each evidence table: a canonical key (used in YAML files and in messages) and the
 * headers platform exports use for it (GB/T 39046 table 9 for evaluations). Matching ignores
 * spaces and full-width brackets, so “评价时间（时分秒）” still finds 评价时间.
 */

export interface ColumnSpec {
  key: string;
  label: string;
  aliases: string[];
  required?: boolean;
  /** A list cell: several values separated by ；; | or line breaks (YAML: a list). */
  list?: boolean;
}

export const EVALUATION_COLUMNS: ColumnSpec[] = [
  { key: 'case_no', label: '办件编号', aliases: ['办件编号', '办件号', '申办流水号', '业务流水号'], required: true },
  { key: 'channel', label: '评价渠道', aliases: ['评价渠道', '渠道'] },
  { key: 'rater', label: '评价人', aliases: ['评价人', '评价人姓名'] },
  { key: 'rated_at', label: '评价时间', aliases: ['评价时间', '评价日期'], required: true },
  { key: 'level', label: '满意度', aliases: ['满意度', '评价等级', '评价结果', '满意度评价'], required: true },
  { key: 'comment', label: '文字评价', aliases: ['文字评价', '评价内容', '评价意见'] },
  { key: 'item', label: '事项编码', aliases: ['事项编码', '事项代码', '实施编码'] },
  { key: 'window', label: '窗口', aliases: ['窗口', '窗口名称', '办理窗口'] },
  { key: 'staff', label: '工作人员', aliases: ['工作人员', '窗口人员', '经办人'] },
  { key: 'department', label: '部门', aliases: ['部门', '实施主体', '部门编码'] },
  { key: 'bad_class', label: '差评类别', aliases: ['差评类别', '整改类别', '问题类别'] },
  { key: 'filed', label: '建档日期', aliases: ['建档日期', '差评建档日期'] },
  { key: 'contacted', label: '联系日期', aliases: ['联系日期', '首次联系日期', '核实联系日期'] },
  { key: 'rectified', label: '整改日期', aliases: ['整改日期', '整改完成日期', '整改反馈日期'] },
  { key: 'revisited', label: '回访日期', aliases: ['回访日期'] },
  { key: 'handler', label: '整改责任人', aliases: ['整改责任人', '责任人'] },
  { key: 'measures', label: '整改措施', aliases: ['整改措施', '整改情况'] },
  { key: 'excluded', label: '核实结果', aliases: ['核实结果', '不予采纳', '剔除'] },
  { key: 'exclusion_reason', label: '核实说明', aliases: ['核实说明', '剔除原因', '复核说明'] },
  { key: 'reviewer', label: '复核人', aliases: ['复核人', '复核单位'] },
  { key: 'reviewed', label: '复核日期', aliases: ['复核日期'] },
];

export const CASE_COLUMNS: ColumnSpec[] = [
  { key: 'case_no', label: '办件编号', aliases: ['办件编号', '办件号', '申办流水号', '业务流水号'], required: true },
  { key: 'item', label: '事项编码', aliases: ['事项编码', '事项代码', '实施编码'], required: true },
  { key: 'window', label: '窗口', aliases: ['窗口', '窗口名称', '办理窗口'] },
  { key: 'staff', label: '工作人员', aliases: ['工作人员', '受理人', '经办人'] },
  { key: 'accepted', label: '受理日期', aliases: ['受理日期', '受理时间'], required: true },
  { key: 'promised_days', label: '承诺时限', aliases: ['承诺时限', '承诺办结时限'] },
  { key: 'supplement_requested', label: '补正告知日期', aliases: ['补正告知日期', '补正告知时间', '一次性告知日期'], list: true },
  { key: 'supplement_completed', label: '补正完成日期', aliases: ['补正完成日期', '补齐材料日期', '补正材料接收日期'], list: true },
  { key: 'stop_from', label: '中止开始', aliases: ['中止开始', '特别程序开始', '暂停开始'], list: true },
  { key: 'stop_to', label: '中止结束', aliases: ['中止结束', '特别程序结束', '暂停结束'], list: true },
  { key: 'stop_reason', label: '中止原因', aliases: ['中止原因', '特别程序', '特别程序种类'], list: true },
  { key: 'extension_requested', label: '延期申请日期', aliases: ['延期申请日期'] },
  { key: 'extension_approved', label: '延期批准日期', aliases: ['延期批准日期'] },
  { key: 'extension_days', label: '延长天数', aliases: ['延长天数', '延期天数', '延长工作日'] },
  { key: 'decided', label: '办结日期', aliases: ['办结日期', '办结时间', '决定日期'] },
  { key: 'delivered', label: '送达日期', aliases: ['送达日期', '送达时间', '结果送达日期'] },
  { key: 'on_site', label: '现场办结', aliases: ['现场办结', '是否现场办结', '即办'] },
  { key: 'refused', label: '不予受理', aliases: ['不予受理', '是否不予受理'] },
  { key: 'refusal_reason', label: '不予受理理由', aliases: ['不予受理理由', '不予受理原因'] },
];

export const COMPLAINT_COLUMNS: ColumnSpec[] = [
  { key: 'no', label: '投诉编号', aliases: ['投诉编号', '工单编号', '编号'], required: true },
  { key: 'channel', label: '投诉渠道', aliases: ['投诉渠道', '来源', '渠道'] },
  { key: 'received', label: '受理日期', aliases: ['受理日期', '投诉日期', '登记日期', '受理时间'], required: true },
  { key: 'target', label: '投诉对象', aliases: ['投诉对象', '被投诉对象', '被投诉人'] },
  { key: 'window', label: '窗口', aliases: ['窗口', '被投诉窗口'] },
  { key: 'department', label: '部门', aliases: ['部门', '被投诉部门', '承办单位'] },
  { key: 'category', label: '投诉类别', aliases: ['投诉类别', '问题类别', '类别'] },
  { key: 'reply_days', label: '答复时限', aliases: ['答复时限', '办理时限'] },
  { key: 'replied', label: '答复日期', aliases: ['答复日期', '回复日期', '办结日期'] },
  { key: 'finding', label: '是否属实', aliases: ['是否属实', '核查结果', '属实'] },
  { key: 'revisited', label: '回访日期', aliases: ['回访日期'] },
];

export const normHeader = (h: string): string => h.replace(/[\s（(][^）)]*[）)]$/u, '').replace(/\s+/g, '').toLowerCase();

/** Header as written → the spec it means (undefined: unknown column). */
export function matchColumn(header: string, specs: ColumnSpec[]): ColumnSpec | undefined {
  const h = normHeader(header);
  return specs.find((s) => s.key === h || s.aliases.some((a) => normHeader(a) === h));
}
