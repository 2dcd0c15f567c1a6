import type { YAMLError } from 'yaml';

/**
 * One YAML mistake, one diagnostic. The yaml library reports every consequence of a mistake too
 * (a line indented one space too far gives "nested mappings", "implicit keys need to be on a single
 * line" and more, often at the end of the line before), so only the first error of a text is kept
 * and it is placed and worded by what is on the lines it covers.
 */
export interface YamlMistake {
  /** Offsets in the YAML text. */
  start: number;
  end: number;
  message: string;
}

const HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'YAML 不允许用 Tab 缩进。请改用空格缩进（通常两个空格）。',
  DUPLICATE_KEY: '同一层级出现了重复的键。请删除或合并重复的键。',
  MULTIPLE_DOCS: '一个文件里只能有一个 YAML 文档。请删除多余的 --- 分隔线。',
  BAD_INDENT: '缩进不正确。请检查这一行与上一行的空格数是否对齐。',
  MISSING_CHAR: '缺少必要的符号（如引号或括号未闭合）。请检查这一行。',
  BLOCK_AS_IMPLICIT_KEY: '缩进或冒号位置不正确。请检查这一行。',
};

/** `名称：值` typed with a full-width colon (an input method's default) instead of `: `. */
const FULL_WIDTH_KEY = /^(\s*(?:-\s+)?)([^\s:#'"{}[\]：][^:#：]*?)：/;

function lineAt(text: string, offset: number): { start: number; end: number; no: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  return { start, end: nl < 0 ? text.length : nl, no: text.slice(0, start).split('\n').length };
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
/** Where a line's key starts: after its `- ` markers, if any. */
const contentIndent = (line: string): number => indentOf(line.replace(/^(\s*)((?:-\s+)+)/, (_, a: string, b: string) => a + ' '.repeat(b.length)));

/** The indentations the lines before `lineStart` open (a line's own, and its content after `- `). */
function levelsBefore(text: string, lineStart: number): Set<number> {
  const levels = new Set<number>([0]);
  for (const line of text.slice(0, lineStart).split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const n = indentOf(line);
    levels.add(n);
    const dash = /^(\s*)((?:-\s+)+)/.exec(line);
    if (dash) levels.add(dash[1]!.length + dash[2]!.length);
  }
  return levels;
}

/** The mistake behind the first of `errors`, placed where the author has to change something. */
export function firstMistake(text: string, errors: readonly YAMLError[]): YamlMistake | undefined {
  const err = errors[0];
  if (!err) return undefined;
  const from = err.pos[0];
  const first = lineAt(text, from);
  // the errors that start on the same line are one mistake: together they show the lines it covers
  const to = Math.max(...errors.filter((e) => lineAt(text, e.pos[0]).start === first.start).map((e) => e.pos[1]));
  const last = lineAt(text, Math.max(from, to));
  // a full-width colon on a line the error covers: the key was never a key
  for (let at = first.start; at <= last.start; ) {
    const line = lineAt(text, at);
    const m = FULL_WIDTH_KEY.exec(text.slice(line.start, line.end));
    if (m && !text.slice(line.start, line.end).includes(': ')) {
      const col = line.start + m[1]!.length + m[2]!.length;
      return { start: col, end: col + 1, message: `这一行的“${m[2]!.trim()}”后面是全角冒号“：”。YAML 的键后面要用半角冒号加空格“: ”：请改为“${m[2]!.trim()}: ”。（${err.code}）` };
    }
    at = line.end + 1;
  }
  // an error that runs on to a later line started there: that line is indented unlike its siblings
  if (err.code !== 'TAB_AS_INDENT') {
    for (let at = first.end + 1; at <= last.start && at < text.length; ) {
      const line = lineAt(text, at);
      const body = text.slice(line.start, line.end);
      if (body.trim() && !levelsBefore(text, line.start).has(indentOf(body))) return badIndent(text, body, line.start, err.code);
      at = line.end + 1;
    }
    const own = text.slice(first.start, first.end);
    if ((err.code === 'BAD_INDENT' || err.code === 'MISSING_CHAR') && own.trim() && !levelsBefore(text, first.start).has(indentOf(own))) {
      return badIndent(text, own, first.start, err.code);
    }
  }
  if (/end with an? [\]}]/.test(err.message)) {
    const close = /end with an? ]/.test(err.message) ? '“]”' : '“}”';
    return { start: from, end: to, message: `方括号或花括号没有闭合：这里开始的 [ … ] 或 { … } 缺少 ${close}。请补上，或改用每行一项的写法（- 开头）。（${err.code}）` };
  }
  const head = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return { start: from, end: to, message: `${HINTS[err.code] ?? 'YAML 语法错误。请检查这一行的缩进、冒号和引号。'}（${err.code}: ${head}）` };
}

function badIndent(text: string, line: string, lineStart: number, code: string): YamlMistake {
  const n = indentOf(line);
  const at = lineStart + n;
  const above = text.slice(0, Math.max(0, lineStart - 1)).split('\n').reverse().find((l) => l.trim() && !l.trimStart().startsWith('#'));
  const prev = above === undefined ? '' : `，上一行${/^\s*-\s/.test(above) ? '的键' : ''}缩进 ${contentIndent(above)} 个`;
  return {
    start: at,
    end: at + line.trim().length,
    message: `这一行缩进了 ${n} 个空格${prev}，和上面的层级对不齐。同一层级的键要左对齐（通常每层两个空格）：请调整缩进，使同一层的各行对齐。（${code}）`,
  };
}
