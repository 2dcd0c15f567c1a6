import type { Diagnostics, Position } from '../diagnostics.js';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
/** Bytes of UTF-8 a slug may take: with a `-NN` suffix and an extension it stays far below the usual 255-byte name limit. */
export const MAX_SLUG_BYTES = 150;
const MAX_SLUG_CHARS = 80;

/**
 * A safe file name from an identifier: path separators, control and format characters (bidi marks,
 * zero-width joiners), lone surrogates, reserved device names, trailing dots and spaces removed;
 * kept short (in characters and in UTF-8 bytes); Chinese kept (URLs are percent-encoded by the HTML).
 */
export function slugify(raw: string): string {
  let s = raw
    .replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '')
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '')
    .replace(/[—–]/g, '-')
    .replace(/[\\/:*?"<>|#%&{}$!'`@+=~^\[\];,\s]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-. ]+$/g, '');
  s = truncate(s).replace(/[-. ]+$/g, '');
  if (!s) s = 'untitled';
  if (WINDOWS_RESERVED.test(s.split('.')[0]!)) s = `_${s}`;
  return s;
}

function truncate(s: string): string {
  let out = '';
  let bytes = 0;
  let chars = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (chars + 1 > MAX_SLUG_CHARS || bytes + n > MAX_SLUG_BYTES) break;
    out += ch;
    bytes += n;
    chars++;
  }
  return out;
}

/**
 * Slugs for a list, made unique in order (`x`, `x-2`, …, ignoring case as Windows and macOS do);
 * each collision is reported as a `file-name-collision` warning at `files[i]` / `positions[i]`.
 */
/** `positions` may be a function: looking a position up can cost a re-parse, so it is done only for a warning. */
export function uniqueSlugs(ids: string[], diags?: Diagnostics, files?: string[], positions?: (Position | undefined)[] | ((i: number) => Position | undefined)): string[] {
  const used = new Map<string, string>();
  return ids.map((id, i) => {
    const base = slugify(id);
    let slug = base;
    for (let n = 2; used.has(slug.toLowerCase()); n++) slug = `${base}-${n}`;
    if (slug !== base && diags) {
      diags.warn(files?.[i] ?? 'project.yaml', (typeof positions === 'function' ? positions(i) : positions?.[i]) ?? { line: 1, column: 1 }, 'file-name-collision',
        `“${printable(id)}”与“${printable(used.get(base.toLowerCase())!)}”生成的文件名相同（${base}），已改用 ${slug}。请考虑修改编码使其更易区分。`);
    }
    used.set(slug.toLowerCase(), id);
    return slug;
  });
}

/** An identifier as it can be shown in a message: control characters and lone surrogates as code points. */
function printable(s: string): string {
  return s.replace(/[\p{Cc}\p{Cs}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
