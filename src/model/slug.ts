import type { Diagnostics } from '../diagnostics.js';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A safe file name from an identifier: path separators, control characters, reserved device names,
 * trailing dots and spaces removed; kept short; Chinese kept (URLs are percent-encoded by the HTML).
 */
export function slugify(raw: string): string {
  let s = raw
    .normalize('NFKC')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[—–]/g, '-')
    .replace(/[\\/:*?"<>|#%&{}$!'`@+=~^\[\];,\s]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-. ]+$/g, '');
  s = [...s].slice(0, 80).join('').replace(/[-. ]+$/g, '');
  if (!s) s = 'untitled';
  if (WINDOWS_RESERVED.test(s.split('.')[0]!)) s = `_${s}`;
  return s;
}

/** Slugs for a list, made unique in order (`x`, `x-2`, …); each collision is reported as a warning. */
export function uniqueSlugs(ids: string[], diags?: Diagnostics, files?: string[]): string[] {
  const used = new Map<string, string>();
  return ids.map((id, i) => {
    const base = slugify(id);
    let slug = base;
    for (let n = 2; used.has(slug.toLowerCase()); n++) slug = `${base}-${n}`;
    if (slug !== base && diags) {
      diags.warn(files?.[i] ?? '', undefined, 'file-name-collision', `“${id}”与“${used.get(base.toLowerCase())}”生成的文件名相同，已改用 ${slug}。请考虑修改编码使其更易区分。`);
    }
    used.set(slug.toLowerCase(), id);
    return slug;
  });
}
