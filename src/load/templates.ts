import { readdir } from 'node:fs/promises';
import type { Diagnostics } from '../diagnostics.js';
import { readBounded, UnreadableFile } from './bounded-read.js';
import path from 'node:path';
import { TEMPLATE_DIR } from '../paths.js';
import { OUTSIDE, whereLinks } from './inside.js';

/** A template's text and where it came from (for diagnostics and the build manifest). */
export interface TemplateSource {
  name: string;
  /** Path shown to the user: `templates/x.hbs` of the project, or `normkit:templates/x.hbs`. */
  file: string;
  text: string;
  partial: boolean;
}

/** Far above any template; a larger file is not one. */
const MAX_TEMPLATE_BYTES = 1024 * 1024;

async function readDir(dir: string, label: string, partial: boolean, diags?: Diagnostics, root?: string): Promise<TemplateSource[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.hbs')).sort();
  } catch {
    return [];
  }
  const out: TemplateSource[] = [];
  for (const n of names) {
    const file = `${label}${partial ? 'partials/' : ''}${n}`;
    let text: string;
    // (a dangling link or a loop is reported by the read below, with its error)
    if (root !== undefined && whereLinks(root, path.join(dir, n)) === 'outside') {
      diags?.error(file, { line: 1, column: 1 }, 'link-outside', `模板没有使用：${OUTSIDE}`);
      continue;
    }
    try {
      // regular files only, bounded: a FIFO or a folder named like a template must not hang or crash the build
      text = decodeTemplate(readBounded(path.join(dir, n), MAX_TEMPLATE_BYTES).bytes);
    } catch (e) {
      if (e instanceof TemplateEncoding) {
        diags?.error(file, { line: e.line, column: 1 }, 'template-unreadable', `模板不是 UTF-8 文本（${e.why}），没有使用。请在编辑器中另存为 UTF-8。`);
        continue;
      }
      const why = e instanceof UnreadableFile ? (e.reason === 'too-large' ? '超过 1 MB，不像是模板' : '不是普通文件（文件夹、命名管道或设备）') : `无法读取（${(e as NodeJS.ErrnoException).code ?? 'error'}）`;
      diags?.error(file, { line: 1, column: 1 }, 'template-unreadable', `模板${why}，没有使用。请换成普通的 .hbs 文本文件，或删除它。`);
      continue;
    }
    out.push({ name: n.replace(/\.hbs$/, ''), file, text, partial });
  }
  return out;
}

class TemplateEncoding extends Error {
  constructor(readonly why: string, readonly line: number) {
    super(why);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A template's bytes as text: UTF-8 only (a GBK template would print mojibake on every page), BOM dropped. */
function decodeTemplate(bytes: Buffer): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) throw new TemplateEncoding('UTF-16', 1);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    let bad = 0;
    while (bad < bytes.length && bytes.subarray(0, bad + 1).every((b) => b < 0x80)) bad++;
    throw new TemplateEncoding('可能是 GBK', bytes.subarray(0, bad).toString('latin1').split('\n').length);
  }
  if (text.includes('\u0000')) throw new TemplateEncoding('含 NUL 字符', text.slice(0, text.indexOf('\u0000')).split('\n').length);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Bundled templates, each overridable by a file of the same name in the project's `templates/`. */
export async function loadTemplates(projectRoot?: string, diags?: Diagnostics): Promise<Map<string, TemplateSource>> {
  const map = new Map<string, TemplateSource>();
  const add = (list: TemplateSource[]): void => { for (const t of list) map.set(`${t.partial ? 'partial:' : ''}${t.name}`, t); };
  add(await readDir(TEMPLATE_DIR, 'normkit:templates/', false));
  add(await readDir(path.join(TEMPLATE_DIR, 'partials'), 'normkit:templates/', true));
  if (projectRoot) {
    add(await readDir(path.join(projectRoot, 'templates'), 'templates/', false, diags, projectRoot));
    add(await readDir(path.join(projectRoot, 'templates', 'partials'), 'templates/', true, diags, projectRoot));
  }
  return map;
}
