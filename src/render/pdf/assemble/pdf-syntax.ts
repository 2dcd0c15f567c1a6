/** An indirect reference (`12 0 R`). */
export class Ref {
  constructor(readonly id: number) {}
}

/** A text string (Title, outline entries): written as UTF-16BE hex, so any character survives. */
export class Text {
  constructor(readonly value: string) {}
}

/** A byte string written literally, e.g. `(zh-CN)` or a date. */
export class Literal {
  constructor(readonly value: string) {}
}

/** A JavaScript string is a PDF name; numbers, booleans, null, arrays and plain objects map as expected. */
export type PdfValue = number | boolean | null | string | Ref | Text | Literal | Raw | PdfValue[] | { [key: string]: PdfValue | undefined };

export function num(n: number): string {
  if (Number.isInteger(n)) return String(n);
  // six decimals as pdfkit writes them; never exponent notation
  const r = Math.round(n * 1e6) / 1e6;
  return Number.isInteger(r) ? String(r) : r.toFixed(6).replace(/0+$/, '');
}

/** Already serialized (a dictionary many objects share, written once as text). */
export class Raw {
  constructor(readonly value: string) {}
}

/** Names repeat on every page (Type, Parent, Contents…): each is escaped once. */
const names = new Map<string, string>();

function name(n: string): string {
  let out = names.get(n);
  if (out === undefined) {
    out = `/${n.replace(/[^!-~]|[#()<>[\]{}/%]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
    if (names.size < 10_000) names.set(n, out);
  }
  return out;
}

function text(s: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += hex4(s.charCodeAt(i));
  return `<${hex}>`;
}

const HEX: string[] = [];
/** Four hex digits (a glyph id, a UTF-16 unit), made once per value: a county's booklets show millions. */
export function hex4(unit: number): string {
  return (HEX[unit] ??= unit.toString(16).padStart(4, '0'));
}

export function serialize(v: PdfValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number': return num(v);
    case 'boolean': return String(v);
    case 'string': return name(v);
  }
  if (v instanceof Ref) return `${v.id} 0 R`;
  if (v instanceof Text) return text(v.value);
  if (v instanceof Raw) return v.value;
  if (v instanceof Literal) return `(${v.value.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  if (Array.isArray(v)) return `[${v.map(serialize).join(' ')}]`;
  let out = '<<';
  for (const [k, val] of Object.entries(v)) if (val !== undefined) out += `\n${name(k)} ${serialize(val)}`;
  return `${out}\n>>`;
}

/** `D:YYYYMMDDHHmmSSZ` from an ISO date. */
export function pdfDate(iso: string): Literal {
  const d = new Date(`${iso}T00:00:00Z`);
  const p = (n: number): string => String(n).padStart(2, '0');
  return new Literal(`D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`);
}
