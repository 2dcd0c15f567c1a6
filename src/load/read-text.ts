import type { Diagnostics } from '../diagnostics.js';
import type { Stamp } from './file-stamps.js';
import { readBounded, UnreadableFile } from './bounded-read.js';

/** Larger files are refused before parsing so a stray dump cannot stall a build. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

export const NOT_REGULAR = '这不是普通文件（命名管道、设备或其链接），normkit 不读取它。请换成普通的文本文件。';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a source file as UTF-8 text, reporting whole-file problems at line 1.
 * Returns undefined when the file cannot be used. Synchronous: a county has thousands of small
 * sources, and a read through the thread pool costs several times the read itself.
 */
export function readSourceText(abs: string, rel: string, diags: Diagnostics): string | undefined {
  return readSourceFile(abs, rel, diags)?.text;
}

/** As readSourceText, with the file's stamp as it was when read (see FileStamps). */
export function readSourceFile(abs: string, rel: string, diags: Diagnostics): { text: string; stamp: Stamp } | undefined {
  let bytes: Buffer;
  let stamp: Stamp;
  try {
    const r = readBounded(abs, MAX_SOURCE_BYTES);
    bytes = r.bytes;
    stamp = { size: r.st.size, mtimeMs: r.st.mtimeMs, ctimeMs: r.st.ctimeMs, ino: r.st.ino };
  } catch (e) {
    if (e instanceof UnreadableFile && e.reason === 'too-large') {
      diags.error(rel, { line: 1, column: 1 }, 'file-too-large',
        `文件超过 ${MAX_SOURCE_BYTES / 1048576} MB 的上限${e.size > MAX_SOURCE_BYTES ? `（至少 ${(e.size / 1048576).toFixed(1)} MB）` : ''}。请检查是否误放了数据文件，或把内容拆分成多个文件。`);
    } else if (e instanceof UnreadableFile) {
      diags.error(rel, { line: 1, column: 1 }, 'file-not-regular', NOT_REGULAR);
    } else {
      diags.error(rel, { line: 1, column: 1 }, 'file-unreadable', `无法读取文件（${(e as NodeJS.ErrnoException).code ?? 'error'}）。请检查文件是否存在、是否有读取权限。`);
    }
    return undefined;
  }
  const text = decodeSource(bytes, rel, diags);
  return text === undefined ? undefined : { text, stamp };
}

export function decodeSource(bytes: Uint8Array, rel: string, diags: Diagnostics): string | undefined {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    diags.error(rel, { line: 1, column: 1 }, 'file-encoding', '文件是 UTF-16 编码。请在编辑器中另存为 UTF-8（无 BOM）。');
    return undefined;
  }
  if (looksUtf16(bytes)) {
    diags.error(rel, { line: 1, column: 1 }, 'file-encoding', '文件是 UTF-16 编码（没有 BOM）。请在编辑器中另存为 UTF-8（无 BOM）。');
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const line = countLines(bytes, offset);
    diags.error(rel, { line: 1, column: 1 }, 'file-encoding',
      `文件不是有效的 UTF-8 编码（第 ${line} 行附近）。它可能是 GBK/GB18030 编码：请在编辑器中另存为 UTF-8，或运行 iconv -f GBK -t UTF-8 转换。`);
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 BOM is harmless; drop it
  // CRLF (Windows editors, git autocrlf) and a lone CR (old Mac) are line breaks: one \n each, so
  // no \r ends a plain scalar or trips a flow collection, and lines and columns stay the editor's.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (text.includes('\u0000')) {
    diags.error(rel, { line: 1, column: 1 }, 'file-encoding', '文件包含 NUL 字符，看起来不是文本文件。请检查文件内容。');
    return undefined;
  }
  const control = CONTROL.exec(text);
  if (control) {
    const before = text.slice(0, control.index).split('\n');
    diags.error(rel, { line: before.length, column: before.at(-1)!.length + 1 }, 'invalid-character', controlMessage(control[0]));
    return undefined;
  }
  if (text.trim() === '') {
    diags.error(rel, { line: 1, column: 1 }, 'file-empty', '文件是空的。请填写内容，或删除这个文件。');
    return undefined;
  }
  return text;
}

/**
 * Control characters other than tab and line breaks (ESC, BEL, DEL, C1 …): invisible in an editor,
 * they would reach the HTML, the PDF metadata (where XML cannot hold them) and the terminal.
 */
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export function controlMessage(ch: string): string {
  const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `文本中有控制字符 U+${cp}（不可见，常见于从其他系统复制的文本或 \\e、\\0、\\x1b 一类转义）。它不能出现在网页和 PDF 中：请删除它。`;
}

/** UTF-16 without a BOM: text whose every other byte is 0 (ASCII keys such as `code:`), in the first bytes. */
function looksUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 64) & ~1;
  if (n < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  return Math.max(even, odd) >= n / 4 && Math.min(even, odd) === 0;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return i;
}

function countLines(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 10) line++;
  return line;
}
