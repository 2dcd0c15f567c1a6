// Deterministic synthetic county project for benchmarks: seeded PRNG, realistic lengths.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PHRASES = [
  '申请人应当如实提交有关材料', '窗口工作人员对申请材料进行审查', '材料齐全、符合法定形式的予以受理',
  '不符合条件的一次性告知需要补正的全部内容', '依法需要现场核查的组织现场核查', '对符合条件的作出准予许可的决定',
  '通过政务服务网上传电子材料', '审查通过后核发相关证照', '办理结果可选择邮寄送达', '涉及第三方权益的告知利害关系人',
  '需要专家评审的时间不计算在办理时限内', '依法应当听证的按规定组织听证', '申请人可通过电话查询办理进度',
];
const DEPTS = ['市场监督管理局', '公安局', '人力资源和社会保障局', '住房和城乡建设局', '民政局', '自然资源和规划局', '生态环境局', '交通运输局', '农业农村局', '水务局', '卫生健康委员会', '教育体育局', '文化和旅游局', '应急管理局', '税务局', '医疗保障局', '退役军人事务局', '司法局', '财政局', '商务局', '林业和草原局', '城市管理局'];
const TYPES = ['行政许可', '行政确认', '公共服务', '行政给付', '其他行政权力'];
const CATS = ['quality', 'openness', 'efficiency', 'mode', 'management', 'image', 'supervision', 'evaluation', 'creation', 'basics'];
const SYSTEMS = ['basics', 'provision', 'support', 'evaluation'];

const pick = (r, list) => list[Math.floor(r() * list.length)];
const sentence = (r, n) => Array.from({ length: n }, () => pick(r, PHRASES)).join('，') + '。';
const q = (s) => JSON.stringify(s);

export async function generateCounty(dir, { items = 3554, departments = 44, standards = 300, checklists = 4, results = 40, seed = 20261123 } = {}) {
  const r = rng(seed);
  await mkdir(dir, { recursive: true });
  const deps = Array.from({ length: departments }, (_, i) => ({ id: `d${String(i + 1).padStart(2, '0')}`, name: `云岭县${DEPTS[i % DEPTS.length]}${i >= DEPTS.length ? `第${Math.floor(i / DEPTS.length) + 1}分局` : ''}`, window: `${i + 1}号窗口` }));
  await writeFile(path.join(dir, 'project.yaml'), [
    'organization: 云岭县政务服务中心', 'code_prefix: Q/YLX', 'date: 2025-06-01',
    'hotlines:', '  service: "96196"', '  complaint: "12345"', 'evaluation_url: https://zwfw.yunling.example.gov.cn/hcp',
    'departments:', ...deps.flatMap((d) => [`  - id: ${d.id}`, `    name: ${d.name}`, `    window: ${d.window}`, `    phone: "0871-6${String(5100000 + Number(d.id.slice(1))).slice(-7)}"`]), '',
  ].join('\n'));

  for (let i = 0; i < items; i++) {
    const long = r() < 0.05;
    const d = deps[i % departments];
    const code = `530100-${String(i + 1).padStart(5, '0')}`;
    const steps = long ? 7 : 3 + Math.floor(r() * 3);
    const mats = long ? 10 : 2 + Math.floor(r() * 5);
    const legal = 1 + Math.floor(r() * 30);
    const charged = r() < 0.1;
    const lines = [
      `code: ${q(code)}`, `name: ${q(`${d.name.replace('云岭县', '')}事项${i + 1}（${pick(r, ['新办', '变更', '延续', '注销'])}）`)}`,
      'basis:', ...Array.from({ length: long ? 4 : 1 + Math.floor(r() * 2) }, (_, k) => `  - ${q(`《云岭县第${k + 1}号管理办法》第${1 + Math.floor(r() * 40)}条`)}`),
      'conditions:', ...Array.from({ length: long ? 6 : 2 }, () => `  - ${q(sentence(r, long ? 2 : 1))}`),
      'process:', ...Array.from({ length: steps }, (_, k) => [`  - step: ${q(['申请', '受理', '审查', '核查', '决定', '制证', '送达'][k])}`, `    detail: ${q(sentence(r, long ? 2 : 1))}`, `    days: ${Math.floor(r() * 3)}`]).flat(),
      'materials:', ...Array.from({ length: mats }, (_, k) => [`  - name: ${q(`申请材料${k + 1}${pick(r, ['申请书', '身份证明', '营业执照', '场所证明', '承诺书'])}`)}`, '    copies: 1', `    form: ${pick(r, ['原件', '复印件', '电子件', '原件及复印件'])}`, `    required: ${r() < 0.8}`]).flat(),
      'time_limit:', `  legal_days: ${legal}`, `  promised_days: ${Math.max(0, Math.floor(legal / 2))}`,
      'fee:', `  charged: ${charged}`, ...(charged ? ['  standard: 工本费10元/件', '  basis: 《云岭县收费标准目录》'] : []),
      `result: ${q(pick(r, ['许可证', '登记证明', '批复文件', '证书']))}`, `department: ${d.id}`, `type: ${pick(r, TYPES)}`,
      'location: 云岭县政务服务中心一楼', 'hours: 周一至周五 9:00—17:00',
      ...(r() < 0.5 ? [`online_url: https://zwfw.yunling.example.gov.cn/item/${code}`] : []),
      `commitment: ${q(`材料齐全当场受理，${Math.floor(legal / 2)}个工作日内办结。`)}`,
      ...(long ? ['faq:', ...Array.from({ length: 3 }, () => [`  - q: ${q('办理需要注意什么？')}`, `    a: ${q(sentence(r, 2))}`]).flat()] : []),
      '',
    ];
    const sub = path.join(dir, 'items', d.id);
    await mkdir(sub, { recursive: true });
    await writeFile(path.join(sub, `${code}.yaml`), lines.join('\n'));
  }

  for (let i = 0; i < standards; i++) {
    const sys = SYSTEMS[i % SYSTEMS.length];
    const cat = CATS[i % CATS.length];
    const no = `${SYSTEMS.indexOf(sys) + 1}${String(i + 1).padStart(3, '0')}`;
    const body = ['## 范围', '', sentence(r, 2), '', '## 规范性引用文件', '', '## 术语和定义', '', '本文件没有需要界定的术语和定义。', ''];
    for (let c = 0; c < 4; c++) {
      body.push(`## 要求${c + 1}`, '');
      for (let k = 0; k < 3; k++) body.push(`### 条款${k + 1}`, '', `窗口工作人员应${sentence(r, 3)}`, '', `宜${sentence(r, 1)}`, '');
    }
    body.push('## 记录', '', '表：记录要求', '', '| 记录 | 保存期限 |', '|---|---|', '| 受理登记 | 3年 |', '| 办结记录 | 10年 |', '');
    const sub = path.join(dir, 'catalog', sys);
    await mkdir(sub, { recursive: true });
    await writeFile(path.join(sub, `${no}.md`), ['---', `code: Q/YLX ${no}—2025`, `title: 服务规范第${i + 1}号`, `category: ${cat}`, `system: ${sys}`, 'status: current', 'issued: 2025-01-01', 'effective: 2025-02-01', 'owner: 综合科', '---', '', ...body].join('\n'));
  }

  await mkdir(path.join(dir, 'checklists'), { recursive: true });
  await mkdir(path.join(dir, 'results'), { recursive: true });
  for (let c = 0; c < checklists; c++) {
    const secs = Array.from({ length: 5 }, (_, s) => [`  - title: 考评类别${s + 1}`, '    items:', ...Array.from({ length: 8 }, (_, k) => [`      - no: ${s * 8 + k + 1}`, `        text: ${q(sentence(r, 1))}`, '        points: 2', ...(k === 0 && s === 0 ? ['        veto: true'] : [])]).flat()]).flat();
    await writeFile(path.join(dir, 'checklists', `c${c + 1}.yaml`), [`id: check-${c + 1}`, `title: 考评标准${c + 1}`, 'mode: award', 'total: 100', 'components:', '  - name: 群众满意度测评', '    points: 20', 'ratings:', '  - { label: 优秀, min: 90 }', '  - { label: 良好, min: 80 }', 'sections:', ...secs, ''].join('\n'));
  }
  for (let i = 0; i < results; i++) {
    const scores = Array.from({ length: 40 }, (_, k) => `  ${k + 1}: ${[2, 1.5, 1, 2][Math.floor(r() * 4)]}`);
    await writeFile(path.join(dir, 'results', `r${i + 1}.yaml`), [`checklist: check-${(i % checklists) + 1}`, `subject: ${q(`被考评窗口${i + 1}`)}`, 'assessed: 2025-06-01', 'scores:', ...scores, 'components:', `  群众满意度测评: ${15 + Math.floor(r() * 50) / 10}`, ''].join('\n'));
  }
  return { dir, items, departments, standards, checklists, results };
}
