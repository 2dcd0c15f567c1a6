/**
 * Cell texts of platform exports → values: numbered lists written in one cell, yes/no flags,
 * counts with full-width digits, code sets given as codes or names. Each parser returns
 * undefined for a text it cannot read; the caller reports the cell.
 */

/** Full-width digits, letters and the full-width space → ASCII; all other text stays as written. */
export function halfWidthDigits(s: string): string {
  return s.replace(/[０-９Ａ-Ｚａ-ｚ]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** A cell's text, trimmed, with Windows line ends; empty → undefined. */
export function clean(s: string | undefined): string | undefined {
  const t = s?.replace(/\r\n?/g, '\n').replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
  return t ? t : undefined;
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

interface Marker { at: number; end: number; n: number }

/** Numbered-list markers of one style: `1.` `1．` `1、` `（1）` `(1)` `①`, at a line start or after ；/。. */
const STYLES: RegExp[] = [
  /(^|\n|[；;。])[ \t\u3000]*([0-9０-９]{1,2})[.．、](?![0-9０-９])[ \t\u3000]*/g,
  /(^|\n|[；;。])[ \t\u3000]*[（(]([0-9０-９]{1,2})[）)][ \t\u3000]*/g,
  /(^|\n|[；;。])[ \t\u3000]*([①-⑳])[ \t\u3000]*/g,
];

function markers(text: string, style: RegExp): Marker[] {
  const out: Marker[] = [];
  for (const m of text.matchAll(style)) {
    const raw = m[2]!;
    const n = CIRCLED.includes(raw) ? CIRCLED.indexOf(raw) + 1 : Number(halfWidthDigits(raw));
    const at = m.index! + m[1]!.length;
    // only markers that continue the count 1, 2, 3 …: a "(2)" inside item 1 of a "1." list stays text
    if (n === out.length + 1) out.push({ at, end: m.index! + m[0].length, n });
  }
  return out;
}

/**
 * Splits a cell holding a numbered list into its entries, without the numbers. A cell that starts
 * with no `1` marker is split at line breaks; trailing `；` or `。` separators are dropped only
 * where the list put them (an entry's own full stop stays).
 */
export function splitList(text: string): string[] {
  const t = clean(text);
  if (!t) return [];
  for (const style of STYLES) {
    const ms = markers(t, style);
    if (ms.length >= 1 && ms[0]!.at === 0) {
      return ms.map((m, i) => clean(t.slice(m.end, i + 1 < ms.length ? ms[i + 1]!.at : undefined).replace(/[；;]\s*$/, ''))!).filter(Boolean);
    }
  }
  return t.split(/\n+/).map((l) => clean(l)!).filter(Boolean);
}

/** 设定依据: numbered, or one law per line where each line opens a title 《…》; else one entry. */
export function splitBasis(text: string): string[] {
  const t = clean(text);
  if (!t) return [];
  if (STYLES.some((s) => markers(t, s)[0]?.at === 0)) return splitList(t);
  const parts = t.split(/\n+(?=[ \t\u3000]*《)/).map((l) => clean(l)!).filter(Boolean);
  return parts;
}

/** A list written inline: 自然人、企业法人 / 自然人,企业法人 / one per line. */
export function splitInline(text: string): string[] {
  return (clean(text) ?? '').split(/[、，,;；\n]+/).map((s) => clean(s)!).filter(Boolean);
}

const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '收费', '支持', '必备', '必须', '必要']);
const NO = new Set(['否', '无', 'n', 'no', 'false', '0', '×', '不收费', '不支持', '非必备', '非必须', '容缺', '不必要']);

export function parseFlag(text: string): boolean | undefined {
  const t = halfWidthDigits(clean(text) ?? '').toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return undefined;
}

/** A whole count: "20", "２０", "20个工作日", "20.0"; 即办 → 0. */
export function parseCount(text: string): number | undefined {
  const t = halfWidthDigits(clean(text) ?? '');
  if (/^(即办|当场办结|立即办结)/.test(t)) return 0;
  const m = /^(\d+)(?:\.0+)?\s*(个)?\s*(工作日|自然日|日|天|小时)?$/.exec(t);
  return m ? Number(m[1]) : undefined;
}

/** The unit a count cell names itself ("20个自然日"), if any. */
export function unitInCount(text: string): '工作日' | '自然日' | '小时' | undefined {
  const t = clean(text) ?? '';
  if (/工作日$/.test(t)) return '工作日';
  if (/(自然日|日|天)$/.test(t)) return '自然日';
  if (/小时$/.test(t)) return '小时';
  return undefined;
}

export function parseUnit(text: string): '工作日' | '自然日' | '小时' | undefined {
  const t = halfWidthDigits(clean(text) ?? '');
  if (['工作日', '1', '个工作日'].includes(t)) return '工作日';
  if (['自然日', '日', '天', '2', '个自然日'].includes(t)) return '自然日';
  if (['小时', '3', '个小时'].includes(t)) return '小时';
  return undefined;
}

/** GB/T 39046 事项类型, by code or name (10 其他 is 其他行政权力 here). */
export const ITEM_TYPES: [string, string][] = [
  ['01', '行政许可'], ['02', '行政处罚'], ['03', '行政强制'], ['04', '行政征收'], ['05', '行政给付'],
  ['06', '行政检查'], ['07', '行政确认'], ['08', '行政奖励'], ['09', '行政裁决'], ['10', '其他行政权力'], ['20', '公共服务'],
];

export function parseType(text: string): string | undefined {
  const t = halfWidthDigits(clean(text) ?? '').replace(/\s+/g, '');
  const code = /^(\d{1,2})/.exec(t)?.[1];
  if (code) return ITEM_TYPES.find(([c]) => Number(c) === Number(code))?.[1];
  if (t === '其他' || t === '其他权力' || t === '其他行政权力') return '其他行政权力';
  if (t === '公共服务事项') return '公共服务';
  return ITEM_TYPES.find(([, n]) => n === t)?.[1];
}

const LEVELS: [string[], string][] = [
  [['国家级', '国家', '1'], '国家级'], [['省级', '省', '2'], '省级'], [['市级', '市', '设区的市级', '3'], '市级'],
  [['县级', '县', '县区级', '4'], '县级'], [['镇（乡、街道）级', '乡镇级', '镇级', '乡级', '街道级', '乡镇（街道）级', '5'], '镇（乡、街道）级'],
  [['村（社区）级', '村级', '社区级', '6'], '村（社区）级'],
];

export function parseLevel(text: string): string | undefined {
  const t = halfWidthDigits(clean(text) ?? '').replace(/\s+/g, '');
  return LEVELS.find(([names]) => names.includes(t))?.[1];
}

const OBJECTS: [string[], string][] = [
  [['自然人', '个人', '1'], '自然人'], [['企业法人', '企业', '2'], '企业法人'], [['事业法人', '事业单位', '3'], '事业法人'],
  [['社会组织法人', '社会组织', '4'], '社会组织法人'], [['行政机关', '机关', '国家机关', '5'], '行政机关'], [['其他组织', '9', '6'], '其他组织'],
];

export function parseServiceObject(text: string): string | undefined {
  const t = halfWidthDigits(text).replace(/\s+/g, '');
  return OBJECTS.find(([names]) => names.includes(t))?.[1];
}

const CHANNELS: [string[], string][] = [
  [['窗口办理', '窗口', '现场办理'], '窗口办理'], [['电脑端网上办理', '网上办理', '电脑端', 'PC端'], '电脑端网上办理'],
  [['移动端网上申请', '移动端', '手机端', '掌上办'], '移动端网上申请'], [['快递申请', '邮寄申请', '快递'], '快递申请'], [['其他'], '其他'],
];

export function parseChannel(text: string): string | undefined {
  const t = text.replace(/\s+/g, '');
  return CHANNELS.find(([names]) => names.includes(t))?.[1];
}

/** 办理流程 entries: "申请：申请人提交…" → step and detail; a short entry is the step alone. */
export function parseStep(entry: string): { step: string; detail?: string } {
  const m = /^([^：:\n]{1,16})[：:]\s*([\s\S]+)$/.exec(entry);
  if (m) return { step: m[1]!.trim(), detail: m[2]!.trim() };
  return { step: entry };
}

/** 常见问题: "问：…答：…" pairs, numbered or one after another. */
export function parseFaq(text: string): { q: string; a: string }[] | undefined {
  const t = clean(text);
  if (!t) return [];
  const out: { q: string; a: string }[] = [];
  const re = /(?:^|\n|[；。]?)\s*(?:[0-9０-９]{1,2}[.．、]\s*)?(?:问|Q)[：:]\s*([\s\S]+?)\s*(?:答|A)[：:]\s*([\s\S]+?)(?=\s*(?:\n\s*(?:[0-9０-９]{1,2}[.．、]\s*)?(?:问|Q)[：:])|$)/g;
  let consumed = 0;
  for (const m of t.matchAll(re)) {
    out.push({ q: m[1]!.trim(), a: m[2]!.trim() });
    consumed += m[0].length;
  }
  return out.length && consumed >= t.replace(/\s+$/, '').length - 2 ? out : undefined;
}
