import type { Rule } from '../context.js';

/** Service items: unique codes, known departments, time limits, fees, materials, URLs. */
export const itemRules: Rule = (ctx) => {
  const { diags } = ctx;
  const departments = new Set((ctx.project?.data.departments ?? []).map((d) => d.id));
  // positions only when reported: finding one re-parses the file's syntax tree
  const firstByCode = new Map<string, (typeof ctx.items)[number]['src']>();
  for (const { src, data } of ctx.items) {
    const first = firstByCode.get(data.code);
    if (first) {
      diags.error(src.file, src.valueAt(['code']), 'duplicate-item-code',
        `事项编码 ${data.code} 与 ${first.file}:${first.valueAt(['code'])?.line ?? 1} 重复。事项编码在项目中应唯一：请修改其中一个。`);
    } else firstByCode.set(data.code, src);

    if (ctx.project && !departments.has(data.department)) {
      diags.error(src.file, src.valueAt(['department']), 'unknown-department',
        `实施主体“${data.department}”不是 project.yaml 中 departments 的 id。可选：${[...departments].join(' | ')}；或先在 project.yaml 中添加该部门。`);
    }
    const { legal_days, promised_days } = data.time_limit;
    const unit = data.time_limit.unit === '小时' ? '小时' : ` 个${data.time_limit.unit ?? '工作日'}`;
    if (promised_days > legal_days) {
      diags.error(src.file, src.valueAt(['time_limit', 'promised_days']), 'promised-exceeds-legal',
        `承诺时限 ${promised_days}${unit}长于法定时限 ${legal_days}${unit}。承诺时限应不长于法定时限：请缩短承诺时限。`);
    }
    if (data.fee.charged) {
      for (const key of ['standard', 'basis'] as const) {
        const v = data.fee[key];
        if (v !== undefined && (v === null || String(v).trim() === '')) {
          diags.error(src.file, src.valueAt(['fee', key]), 'fee-missing-basis',
            `收费事项必须写明${key === 'standard' ? '收费标准' : '收费依据'}。请填写，或把 charged 改为 false。`);
        }
      }
    }
    if (data.materials.length === 0 && !data.materials_note) {
      diags.error(src.file, src.valueAt(['materials']), 'materials-empty',
        '所需材料为空。请列出材料；确实无需材料时，用 materials_note 说明原因（如“凭身份证现场办理，无需提交材料”）。');
    }
    if (data.online_url !== undefined && !isHttpUrl(data.online_url)) {
      diags.error(src.file, src.valueAt(['online_url']), 'invalid-url',
        `网上办理地址“${data.online_url}”不是 http(s) 网址。请填写以 https:// 开头的完整地址。`);
    }
  }
  const url = ctx.project?.data.evaluation_url;
  if (ctx.project && url !== undefined && !isHttpUrl(url)) {
    diags.error(ctx.project.src.file, ctx.project.src.valueAt(['evaluation_url']), 'invalid-url',
      `评价页地址“${url}”不是 http(s) 网址。请填写以 https:// 开头的完整地址。`);
  }
};

/**
 * An absolute http(s) URL with a host, and nothing invisible in it: only such addresses become
 * links and QR codes (a `javascript:`, `ftp://` or `data:` address, or one with control or
 * bidi characters, never does).
 */
export function isHttpUrl(raw: string): boolean {
  if (!/^https?:\/\/[^\s\p{Cc}\p{Cf}\p{Cs}]+$/iu.test(raw)) return false;
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
