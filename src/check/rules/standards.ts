import type { Rule } from '../context.js';
import { isWellFormedStandardNumber, normalizeStandardNumber, referenceCode } from '../../model/standard-number.js';
import { isRealDate } from './dates.js';
import { DEFAULT_SYSTEMS } from '../../model/domain.js';

/** Standard numbers: well formed and unique; dates in order; systems known; replacements consistent. */
export const standardRules: Rule = (ctx) => {
  const { diags } = ctx;
  const firstByCode = new Map<string, (typeof ctx.standards)[number]['src']>();
  const systemKeys = new Set((ctx.project?.data.systems ?? DEFAULT_SYSTEMS).map((s) => s.key));
  const statusByCode = new Map(ctx.standards.map((s) => [normalizeStandardNumber(s.data.code), s.data.status]));

  for (const { src, data } of ctx.standards) {
    if (!isWellFormedStandardNumber(data.code, { yearRequired: true })) {
      diags.error(src.file, src.valueAt(['code']), 'malformed-standard-number',
        `标准编号“${data.code}”格式不正确。应写成“代号 顺序号—年号”，例如 Q/YLZW 2001—2024。`);
    }
    const code = normalizeStandardNumber(data.code);
    const first = firstByCode.get(code);
    if (first) {
      diags.error(src.file, src.valueAt(['code']), 'duplicate-standard-code',
        `标准编号 ${code} 与 ${first.file}:${first.valueAt(['code'])?.line ?? 1} 重复。每个标准的编号在项目中应唯一：请修改其中一个。`);
    } else firstByCode.set(code, src); // its position only when reported: finding one re-parses the syntax tree

    if (data.replaces !== undefined && !isWellFormedStandardNumber(data.replaces, { yearRequired: true })) {
      diags.error(src.file, src.valueAt(['replaces']), 'malformed-standard-number',
        `被代替标准编号“${data.replaces}”格式不正确。应写成“代号 顺序号—年号”。`);
    }
    (data.references ?? []).forEach((r, i) => {
      const ref = referenceCode(r);
      if (!isWellFormedStandardNumber(ref, { yearRequired: false })) {
        diags.error(src.file, src.valueAt(typeof r === 'string' ? ['references', i] : ['references', i, 'code']), 'malformed-standard-number',
          `引用文件编号“${ref}”格式不正确。应写成“代号 顺序号—年号”（不注日期引用可省略年号），例如 GB/T 1.1—2020。`);
      }
    });
    for (const key of ['issued', 'effective'] as const) {
      const v = data[key];
      if (v !== undefined && !isRealDate(v)) diags.error(src.file, src.valueAt([key]), 'invalid-date', `日期 ${v} 不存在。请检查年月日。`);
    }
    if (data.issued && data.effective && data.effective < data.issued) {
      diags.error(src.file, src.valueAt(['effective']), 'effective-before-issued',
        `实施日期 ${data.effective} 早于发布日期 ${data.issued}。实施日期应不早于发布日期：请改正其中一个。`);
    }
    if (!systemKeys.has(data.system)) {
      diags.error(src.file, src.valueAt(['system']), 'unknown-system',
        `子体系“${data.system}”未在 project.yaml 的 systems 中定义。可选：${[...systemKeys].join(' | ')}。`);
    }
    if (data.replaces) {
      const st = statusByCode.get(normalizeStandardNumber(data.replaces));
      if (st && st !== 'superseded' && st !== 'withdrawn') {
        diags.warn(src.file, src.valueAt(['replaces']), 'replaced-still-current',
          `本标准代替 ${normalizeStandardNumber(data.replaces)}，但后者的状态仍是 ${st}。请把被代替标准的 status 改为 superseded。`);
      }
    }
  }
};

