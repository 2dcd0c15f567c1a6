import QRCode from 'qrcode';
import { slugify } from '../../model/slug.js';
import type { Rule } from '../context.js';

/** Service items: unique codes, known departments, time limits, fees, materials, URLs. */
export const itemRules: Rule = (ctx) => {
  const { diags } = ctx;
  const departments = new Set((ctx.project?.data.departments ?? []).map((d) => d.id));
  // positions only when reported: finding one re-parses the file's syntax tree
  const siteUrl = ctx.project?.data.site_url && (ctx.project.data.site_url.endsWith('/') ? ctx.project.data.site_url : `${ctx.project.data.site_url}/`);
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
    } else if (data.online_url !== undefined && !fitsQrCode(data.online_url)) {
      diags.error(src.file, src.valueAt(['online_url']), 'url-too-long', tooLong('网上办理地址', data.online_url));
    }
    // the poster's QR to the item's guide page (see poster-view): site_url, then the guide's path
    if (siteUrl && isHttpUrl(siteUrl) && !fitsQrCode(`${siteUrl}guides/${encodeURIComponent(slugify(data.code))}-99.html`)) {
      diags.error(src.file, src.valueAt(['code']), 'url-too-long',
        `这个事项的办事指南地址（site_url 加事项编码）长度超出二维码容量。请缩短 project.yaml 中的 site_url，或缩短事项编码。`);
    }
  }
  const url = ctx.project?.data.evaluation_url;
  if (ctx.project && url !== undefined && !isHttpUrl(url)) {
    diags.error(ctx.project.src.file, ctx.project.src.valueAt(['evaluation_url']), 'invalid-url',
      `评价页地址“${url}”不是 http(s) 网址。请填写以 https:// 开头的完整地址。`);
  } else if (ctx.project && url !== undefined && !fitsQrCode(url)) {
    diags.error(ctx.project.src.file, ctx.project.src.valueAt(['evaluation_url']), 'url-too-long', tooLong('评价页地址', url));
  }
};

/** Whether a QR code at the posters' error correction (M) can hold `url`. */
export function fitsQrCode(url: string): boolean {
  // a version 40 code at M holds 2331 bytes in byte mode, the worst case: only longer text is encoded
  if (Buffer.byteLength(url) <= 2331) return true;
  try {
    QRCode.create(url, { errorCorrectionLevel: 'M' });
    return true;
  } catch {
    return false;
  }
}

function tooLong(what: string, url: string): string {
  return `${what}有 ${Buffer.byteLength(url)} 字节，超出公示二维码的容量（约 2300 字节）。请换用较短的地址（如去掉跟踪参数，或使用单位的短链接）。`;
}

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
