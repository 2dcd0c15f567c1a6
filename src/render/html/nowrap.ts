import { UNBREAKABLE } from '../../typography/linebreak.js';

/** Elements whose text is not laid out as HTML text (a span inside them would show or break them). */
const RAW = /^(script|style|svg|title|textarea|option)$/i;

/**
 * Wraps standard numbers, dates and article numbers of a page's text in `<span class="nowrap">`,
 * so a browser never breaks `GB/T 39046—2020` at the em dash or after `GB/T` — the same runs the
 * PDF line breaker keeps whole. Only text between tags is touched; attributes and raw elements stay.
 */
export function nowrapNumbers(html: string): string {
  let out = '';
  let raw: string | undefined;
  let last = 0;
  const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>|<!--[\s\S]*?-->/g;
  for (const m of html.matchAll(TAG)) {
    const text = html.slice(last, m.index);
    out += raw ? text : wrapText(text);
    out += m[0];
    last = m.index! + m[0].length;
    const name = m[2];
    if (!name) continue;
    if (!raw && !m[1] && RAW.test(name) && !m[0].endsWith('/>')) raw = name.toLowerCase();
    else if (raw && m[1] && name.toLowerCase() === raw) raw = undefined;
  }
  const rest = html.slice(last);
  return out + (raw ? rest : wrapText(rest));
}

function wrapText(text: string): string {
  if (!/\d/.test(text)) return text;
  return text.replace(UNBREAKABLE, (m) => `<span class="nowrap">${m}</span>`);
}
