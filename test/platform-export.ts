import ExcelJS from 'exceljs';

/**
 * A platform-style item export, as a county's 政务服务网 hands it out: a merged title row above the
 * header, header names in the variants real exports use, long cells (legal bases quoted article by
 * article, numbered conditions and steps), the 实施机构 cell merged over a department's rows, blank
 * optional cells, full-width digits, a column no field maps, and materials in a second sheet keyed
 * by 实施编码 (one item lists its materials in a cell instead). Written for the tests; deterministic.
 */

export interface Department { name: string; credit: string }

export const DEPARTMENTS: Department[] = [
  { name: '样例县交通运输局', credit: '11513400MB0000000X' },
  { name: '样例县市场监督管理局', credit: '11513400MB1570231K' },
  { name: '样例县卫生健康局', credit: '11513400MB0H28715P' },
  { name: '样例县住房和城乡建设局', credit: '11513400MB3906418T' },
];

/** The item sheet's headers: variants on purpose (实施机构, 法定时限, *设定依据, 审批结果名称 …) and two unknown columns. */
export const HEADERS = [
  '序号', '事项名称', '基本编码', '事项实施编码', '事项类型', '*设定依据', '行使层级', '实施机构', '实施主体编码',
  '法定时限', '法定办结时限单位', '法定办结时限说明', '承诺时限', '承诺办结时限单位', '承诺办结时限说明',
  '受理条件', '办理流程', '审批结果名称', '是否收费', '收费标准', '收费依据', '服务对象', '办理形式', '办理地点',
  '办理时间', '咨询电话', '监督投诉电话', '常见问题', '是否网办', '网上办理地址', '是否支持预约办理', '是否支持网上支付',
  '是否支持物流快递', '联办机构', '通办范围', '到办事现场次数', '申请材料', '权力来源', '内部备注',
];

export const MATERIAL_HEADERS = ['事项实施编码', '材料名称', '来源渠道', '原件份数', '复印件份数', '是否必备', '使用说明', '填报须知', '材料分类'];

interface Template {
  name: string; base: string; type: string; basis: string; legal: number | string; unit: string; promised: number | string;
  conditions: string; process: string; result: string; fee: [string, string, string]; objects: string; channels: string;
  faq: string; online: [string, string, string, string]; materials: [string, string, string, string, string, string, string][];
}

const LAW_TRANSPORT = [
  '《中华人民共和国道路运输条例》第二十一条　申请从事货运经营的，应当具备下列条件：（一）有与其经营业务相适应并经检测合格的车辆；（二）有符合本条例第二十二条规定条件的驾驶人员；（三）有健全的安全生产管理制度。',
  '《中华人民共和国道路运输条例》第二十四条　申请从事危险货物运输经营以外的货运经营的，应当依法向市场监督管理部门办理有关登记手续后，向县级人民政府交通运输主管部门提出申请，并分别提交符合本条例第二十一条规定条件的相关材料。县级人民政府交通运输主管部门应当自受理申请之日起20日内审查完毕，作出许可或者不予许可的决定。',
  '《道路货物运输及站场管理规定》（交通运输部令2023年第12号）第十二条　申请从事道路货物运输经营的，应当依法向市场监督管理部门办理有关登记手续后，向县级道路运输管理机构提出申请。',
].join('\n');

const TEMPLATES: Template[] = [
  {
    name: '道路货物运输经营许可', base: '000116015000', type: '01 行政许可', basis: LAW_TRANSPORT, legal: '２０', unit: '自然日', promised: 10,
    conditions: '1.有与其经营业务相适应并经检测合格的车辆：（1）车辆技术要求符合《道路运输车辆技术管理规定》有关规定；（2）车辆外廓尺寸、轴荷和最大允许总质量符合GB 1589的要求；\n2.有符合规定条件的驾驶人员：取得与驾驶车辆相应的机动车驾驶证，年龄不超过60周岁，经考试合格取得相应的从业资格证件；\n3.有健全的安全生产管理制度，包括安全生产责任制度、安全生产业务操作规程、安全生产监督检查制度、驾驶员和车辆安全生产管理制度。',
    process: '1.申请：申请人通过窗口或四川政务服务网提交申请材料\n2.受理：材料齐全、符合法定形式的当场受理；不齐全的一次性告知需补正的全部内容\n3.审查：对申请材料进行审查，需要现场核查的组织核查\n4.决定：作出准予许可或不予许可的决定\n5.送达：准予许可的，颁发道路运输经营许可证，可邮寄送达',
    result: '道路运输经营许可证', fee: ['否', '', ''], objects: '企业法人、自然人', channels: '窗口办理、电脑端网上办理',
    faq: '1.问：个体工商户可以申请吗？\n答：可以，个体工商户与企业适用同样的条件。\n2.问：车辆是挂靠的可以吗？\n答：不可以，申请人应当拥有车辆的所有权或合法的使用权。',
    online: ['是', '是', '否', '是'],
    materials: [
      ['道路货物运输经营申请表', '申请人自备', '1', '0', '是', '可在窗口领取或网上下载', '须由法定代表人签字并加盖公章'],
      ['负责人身份证明', '公安机关', '1', '1', '是', '核验原件，留存复印件', ''],
      ['经办人身份证明及委托书', '申请人自备', '1', '1', '否', '委托他人办理时提供', '委托书须写明委托事项和权限'],
      ['机动车驾驶证', '公安机关交通管理部门', '１', '２', '是', '', '驾驶证须在有效期内'],
      ['从业资格证', '交通运输主管部门', '1', '1', '是', '', ''],
      ['车辆行驶证', '公安机关交通管理部门', '1', '1', '是', '已购置车辆的提供', ''],
      ['车辆技术等级评定结论', '具有资质的检测机构', '1', '0', '是', '', '评定结论须在有效期内'],
      ['拟投入车辆承诺书', '申请人自备', '1', '0', '否', '尚未购置车辆的提供', '写明车辆数量、类型、技术等级、总质量、核定载质量、车轴数以及车辆外廓长、宽、高等'],
      ['聘用或者拟聘用驾驶员的机动车驾驶证', '公安机关交通管理部门', '0', '1', '是', '', ''],
      ['安全生产管理制度文本', '申请人自备', '1', '0', '是', '包括安全生产责任制度、操作规程等', '须加盖公章'],
      ['营业执照', '市场监督管理部门', '0', '1', '是', '可通过电子证照库调取，调取成功的免交', ''],
      ['停车场地证明', '申请人自备', '0', '1', '否', '自有场地提供产权证明，租用的提供租赁合同', ''],
      ['车辆保险凭证', '保险机构', '0', '1', '是', '交强险和第三者责任险', ''],
      ['卫星定位装置安装证明', '安装服务商', '0', '1', '否', '总质量4.5吨以上车辆提供', ''],
      ['法律法规规定的其他材料', '——', '0', '0', '否', '视情形提供', '按窗口一次性告知提供'],
    ],
  },
  {
    name: '食品经营许可（新办）', base: '000122025000', type: '行政许可', basis: '1.《中华人民共和国食品安全法》第三十五条第一款　国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。但是，销售食用农产品和仅销售预包装食品的，不需要取得许可。\n2.《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）第二条　在中华人民共和国境内从事食品销售和餐饮服务活动，应当依法取得食品经营许可。',
    legal: 10, unit: '工作日', promised: '5个工作日',
    conditions: '（1）具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所；（2）具有与经营的食品品种、数量相适应的经营设备或者设施；（3）有专职或者兼职的食品安全总监、食品安全员等食品安全管理人员和保证食品安全的规章制度；（4）具有合理的设备布局和工艺流程。',
    process: '1.申请：申请人提交申请材料\n2.受理：当场或5个工作日内作出是否受理的决定\n3.审查：需要现场核查的，组织现场核查\n4.决定\n5.发证',
    result: '食品经营许可证', fee: ['否', '', ''], objects: '企业法人、个人', channels: '窗口办理、电脑端网上办理、移动端网上申请',
    faq: '问：仅销售预包装食品需要办理吗？答：不需要办理许可，但应当向所在地县级市场监督管理部门备案。', online: ['是', '否', '否', '是'],
    materials: [],
  },
  {
    name: '医疗机构执业登记（诊所除外）', base: '000117006000', type: '07', basis: '《医疗机构管理条例》第十五条　医疗机构执业，必须进行登记，领取《医疗机构执业许可证》；诊所按照国务院卫生行政部门的规定向所在地的县级人民政府卫生行政部门备案后，可以执业。',
    legal: 45, unit: '工作日', promised: 20,
    conditions: '1.按照设置审批机关批准的设置方案完成建设；\n2.有适合的名称、组织机构和场所；\n3.有与其开展的业务相适应的经费、设施、设备和专业卫生技术人员；\n4.有相应的规章制度；\n5.能够独立承担民事责任。',
    process: '1.申请\n2.受理\n3.审核：组织专家进行现场审核\n4.决定\n5.制证',
    result: '医疗机构执业许可证', fee: ['否', '', ''], objects: '企业法人、事业法人、社会组织法人', channels: '窗口办理',
    faq: '', online: ['否', '是', '', ''],
    materials: [
      ['医疗机构申请执业登记注册书', '申请人自备', '1', '0', '是', '', ''],
      ['医疗机构用房产权证明或者使用证明', '不动产登记机构', '0', '1', '是', '', ''],
      ['医疗机构建筑设计平面图', '设计单位', '1', '0', '是', '', '须标明各科室位置和面积'],
    ],
  },
  {
    name: '建筑工程施工许可证核发', base: '000114002000', type: '行政许可', basis: '《中华人民共和国建筑法》第七条　建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管部门申请领取施工许可证；但是，国务院建设行政主管部门确定的限额以下的小型工程除外。',
    legal: 7, unit: '工作日', promised: 3,
    conditions: '①已经办理该建筑工程用地批准手续；②依法应当办理建设工程规划许可证的，已经取得建设工程规划许可证；③施工场地已经基本具备施工条件；④已经确定施工企业；⑤有满足施工需要的资金安排、施工图纸及技术资料；⑥有保证工程质量和安全的具体措施。',
    process: '1.申请：建设单位在工程建设项目审批管理系统提交申请\n2.受理\n3.审查\n4.决定：符合条件的发证',
    result: '建筑工程施工许可证', fee: ['否', '', ''], objects: '企业法人、事业法人', channels: '窗口办理、电脑端网上办理',
    faq: '', online: ['是', '', '', '是'], materials: [
      ['建筑工程施工许可证申请表', '申请人自备', '1', '0', '是', '', ''],
      ['资金保障承诺书', '申请人自备', '1', '0', '是', '', '须由建设单位法定代表人签字'],
    ],
  },
];

export interface ExportOptions {
  items: number;
  /** Rows that must be refused: by index in the item sheet (0-based item index). */
  broken?: boolean;
}

/** The workbook's rows, so tests can check values against what went in. */
export interface ExportRow { name: string; implementation: string; department: Department; template: Template; index: number }

/** Builds the workbook (in memory) and lists what each good row holds. */
export async function platformExport(opts: ExportOptions): Promise<{ bytes: Buffer; rows: ExportRow[]; brokenRows: Map<string, number> }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('事项目录');
  ws.getCell(1, 1).value = '样例县政务服务事项实施清单（导出时间：2025年6月1日　共' + opts.items + '项）';
  ws.mergeCells(1, 1, 1, HEADERS.length);
  ws.addRow(HEADERS);
  const ms = wb.addWorksheet('申请材料');
  ms.addRow(MATERIAL_HEADERS);
  const rows: ExportRow[] = [];
  const brokenRows = new Map<string, number>();
  // items come grouped by department, as platforms sort them; the 实施机构 cell is merged over each group
  const perDept = Math.ceil(opts.items / DEPARTMENTS.length);
  let sheetRow = 3;
  for (let d = 0; d < DEPARTMENTS.length; d++) {
    const dept = DEPARTMENTS[d]!;
    const first = sheetRow;
    for (let k = 0; k < perDept && rows.length + brokenRows.size < opts.items; k++) {
      const index = d * perDept + k;
      const t = TEMPLATES[index % TEMPLATES.length]!;
      const seq = String(index + 1).padStart(3, '0');
      const base = t.base.slice(0, 9) + seq;
      const implementation = `${dept.credit}4${base}`;
      const name = index < TEMPLATES.length ? t.name : `${t.name}（${seq}）`;
      const values: (string | number)[] = [
        index + 1, name, base, implementation, t.type, t.basis, '县级', k === 0 ? dept.name : '', k === 0 ? dept.credit : '',
        t.legal, t.unit, index % 3 === 0 ? '依法需要听证、检验、检测、鉴定和专家评审的，所需时间不计算在内' : '', t.promised, t.unit, index % 2 ? '自受理之日起计算' : '',
        t.conditions, t.process, t.result, t.fee[0], t.fee[1], t.fee[2], t.objects, t.channels, '样例县政务服务中心二楼' + ((index % 20) + 1) + '号窗口',
        '周一至周五（法定节假日除外）上午9:00—12:00，下午13:30—17:00', '０８３４－６０００１' + String(index % 100).padStart(2, '0'), '0834-12345', t.faq,
        t.online[0], t.online[0] === '是' ? `https://zwfw.yangli.example.gov.cn/item/${implementation}` : '', t.online[1], t.online[2], t.online[3],
        index % 5 === 0 ? '样例县公安局' : '', index % 4 === 0 ? '全市' : '', index % 2, t.materials.length ? '' : '1.营业执照（复印件1份）\n2.食品经营许可申请书（原件1份）\n3.法定代表人身份证明（原件1份，复印件1份）',
        '法定本级行使', index % 7 === 0 ? '2024年清理保留' : '',
      ];
      let broken: string | undefined;
      if (opts.broken) {
        if (index === 5) { values[4] = '99 未知类型'; broken = 'type'; }
        if (index === 9) { values[9] = '二十个工作日'; broken = 'legal'; }
        if (index === 13) { values[1] = ''; broken = 'name'; }
        if (index === 17) { values[18] = '待定'; broken = 'fee'; }
        if (index === 21) { values[3] = rows[0]!.implementation; broken = 'duplicate'; }
      }
      ws.getRow(sheetRow).values = values;
      if (broken) brokenRows.set(broken, sheetRow);
      else rows.push({ name, implementation, department: dept, template: t, index });
      if (broken !== 'duplicate') {
        // the key is merged over an item's materials in some exports, left blank under the first in others
        t.materials.forEach((m, i) => ms.addRow([i === 0 ? implementation : '', ...m, i % 2 ? '申请表格' : '证照']));
        if (t.materials.length > 1 && index % 2 === 0) ms.mergeCells(ms.rowCount - t.materials.length + 1, 1, ms.rowCount, 1);
      }
      sheetRow++;
    }
    if (sheetRow - 1 > first) {
      ws.mergeCells(first, 8, sheetRow - 1, 8);
      ws.mergeCells(first, 9, sheetRow - 1, 9);
    }
  }
  if (opts.broken) {
    ms.addRow(['11513400MB0000000X4999999999', '不属于任何事项的材料', '申请人自备', '1', '0', '是', '', '', '']);
    brokenRows.set('orphan', ms.rowCount);
    ms.addRow(['', '', '', '', '', '', '', '', '']);
  }
  ws.addRow([]);
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), rows, brokenRows };
}

/**
 * The same item sheet as CSV text (no title row): a CSV has one sheet, so each item's materials
 * go into its 申请材料 cell as a numbered list with the counts, as some platforms export them.
 */
export async function platformCsv(bytes: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('事项目录')!;
  const mats = new Map<string, string[]>();
  let key = '';
  wb.getWorksheet('申请材料')!.eachRow((row, r) => {
    if (r === 1) return;
    const k = row.getCell(1);
    key = String((k.isMerged ? k.master.value : k.value) || key);
    const [name, o, p] = [2, 4, 5].map((c) => String(row.getCell(c).value ?? ''));
    if (name) mats.set(key, [...(mats.get(key) ?? []), `${name}（原件${o}份，复印件${p}份）`]);
  });
  const matCol = HEADERS.indexOf('申请材料') + 1;
  const lines: string[] = [];
  ws.eachRow((row, r) => {
    if (r === 1) return;
    const cells: string[] = [];
    for (let c = 1; c <= HEADERS.length; c++) {
      const cell = row.getCell(c);
      let v = cell.isMerged && cell.master !== cell ? cell.master.value : cell.value;
      const list = mats.get(String(row.getCell(4).value));
      if (c === matCol && !v && list) v = list.map((m, i) => `${i + 1}.${m}`).join('\n');
      cells.push(`"${String(v ?? '').replace(/"/g, '""')}"`);
    }
    lines.push(cells.join(','));
  });
  return lines.join('\r\n') + '\r\n';
}
