import type { FileRecord } from './file-stamps.js';
import { ParseCache } from './parse-cache.js';
import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Diagnostics, Position } from '../diagnostics.js';
import { LineIndex } from './line-index.js';
import { firstMistake } from './yaml-errors.js';
import { CONTROL, controlMessage } from './read-text.js';

export type PathSeg = string | number;

/** A YAML text and the file it is in (the same text, or a Markdown file around front matter). */
export interface SourceTexts { text: string; fileText: string }

const PARSE_OPTIONS = { version: '1.2', uniqueKeys: true, prettyErrors: false, keepSourceTokens: false } as const;

/**
 * A parsed YAML text that can still say where each key and value came from. The syntax tree is
 * dropped after parsing and rebuilt only when a diagnostic needs a position: holding thousands of
 * trees made memory grow with the project.
 */
export class YamlSource {
  private tree?: Document.Parsed;
  private lines?: LineIndex;
  private read?: SourceTexts;

  constructor(
    readonly file: string,
    /**
     * The YAML text (for front matter, the part between the `---` lines) and the whole file, for
     * line numbers; a function when the file was not read (unchanged since the last build), so it
     * is read only if a diagnostic needs a position.
     */
    private readonly texts: SourceTexts | (() => SourceTexts),
    readonly data: unknown,
    /** Offset of the YAML text inside its file (front matter starts after `---`). */
    readonly base: number,
    /** The parse cache's key for this text, when one was used (see ParseCache). */
    readonly cacheKey?: string,
  ) {}

  private get source(): SourceTexts {
    return (this.read ??= typeof this.texts === 'function' ? this.texts() : this.texts);
  }

  get doc(): Document.Parsed {
    return (this.tree ??= parseDocument(this.source.text, PARSE_OPTIONS));
  }

  private get index(): LineIndex {
    return (this.lines ??= new LineIndex(this.source.fileText));
  }

  private pos(range: readonly number[] | null | undefined): Position | undefined {
    if (!range) return this.index.range(this.base, this.base); // e.g. a file of comments only: its start
    return this.index.range(this.base + range[0]!, this.base + (range[1] ?? range[0]!));
  }

  /** Where the value at `path` is (or the nearest existing ancestor). */
  valueAt(path: readonly PathSeg[]): Position | undefined {
    const found = this.walk(path);
    return this.pos((found.value ?? found.key ?? found.parent)?.range);
  }

  /** Where the key of the entry at `path` is; falls back to the value. */
  keyAt(path: readonly PathSeg[]): Position | undefined {
    const found = this.walk(path);
    return this.pos((found.key ?? found.value ?? found.parent)?.range);
  }

  /** Start of the mapping at `path`: where a missing key is reported. */
  mapAt(path: readonly PathSeg[]): Position | undefined {
    const found = this.walk(path);
    const node = found.value ?? found.parent;
    if (!node?.range) return { line: 1, column: 1 };
    const p = this.pos([node.range[0]!, node.range[0]!]);
    return p;
  }

  private walk(path: readonly PathSeg[]): { key?: Node; value?: Node; parent?: Node } {
    let node: Node | null | undefined = this.doc.contents as Node | null;
    let key: Node | undefined;
    let parent: Node | undefined;
    for (const seg of path) {
      if (!node) return { parent };
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return { parent: node };
        parent = node;
        key = pair.key as Node;
        node = pair.value as Node | null;
        if (!node) return { key, parent };
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) return { parent: node };
        parent = node;
        key = undefined;
        node = item;
      } else {
        return { parent: node };
      }
    }
    return { key, value: node ?? undefined, parent };
  }
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const LONE_SURROGATE = /\p{Cs}/u;
/** Aliases beyond this are treated as an expansion attack ("billion laughs"). */
const MAX_ALIASES = 200;

/**
 * Parses YAML 1.2 keeping positions. Syntax errors become diagnostics; returns undefined if the
 * data cannot be trusted.
 */
export function parseYamlSource(
  text: string,
  file: string,
  diags: Diagnostics,
  opts: { fileText?: string; base?: number; cache?: ParseCache } = {},
): YamlSource | undefined {
  const key = opts.cache && ParseCache.key('yaml', text);
  const hit = key ? opts.cache!.get(key) : undefined;
  if (hit !== undefined) return new YamlSource(file, { text, fileText: opts.fileText ?? text }, hit, opts.base ?? 0, key);
  let lines: LineIndex | undefined;
  const index = { range: (a: number, b: number): Position => (lines ??= new LineIndex(opts.fileText ?? text)).range(a, b) };
  const base = opts.base ?? 0;
  const doc = parseDocument(text, PARSE_OPTIONS);
  let ok = true;
  const mistake = firstMistake(text, doc.errors);
  if (mistake) {
    diags.error(file, index.range(base + mistake.start, base + mistake.end), 'yaml-syntax', mistake.message);
    return undefined;
  }

  visit(doc, {
    Scalar(_, node) {
      // "\ud800" in a double-quoted string makes half a character: it cannot be written as UTF-8
      // (every output would show U+FFFD instead), so refuse it where it is written.
      if (typeof node.value === 'string' && LONE_SURROGATE.test(node.value)) {
        const r = node.range;
        diags.error(file, r ? index.range(base + r[0], base + r[1]) : { line: 1, column: 1 }, 'invalid-character',
          '文本中有不成对的 UTF-16 代理项（如 \\ud800 转义），它不是完整的字符，无法输出。请删除这个转义，或改写为完整的字符（如 \\U0001F600）。');
        ok = false;
      } else if (typeof node.value === 'string' && CONTROL.test(node.value)) {
        // "\e[31m" or "\0" in a double-quoted string: the file itself has no control character
        const r = node.range;
        diags.error(file, r ? index.range(base + r[0], base + r[1]) : { line: 1, column: 1 }, 'invalid-character', controlMessage(CONTROL.exec(node.value)![0]));
        // an error (nothing is built), but the rest of the file is still checked: one bad value
        // must not hide the file's other problems behind a flood of "unknown department" elsewhere
      }
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && RESERVED_KEYS.has(String(pair.key.value))) {
        const r = (pair.key as Node).range;
        diags.error(file, r ? index.range(base + r[0], base + r[1]) : { line: 1, column: 1 }, 'reserved-key',
          `键名“${String(pair.key.value)}”不允许使用。请删除或改名。`);
        ok = false;
      }
    },
  });
  if (!ok) return undefined;

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const msg = String((e as Error).message ?? e);
    if (/alias/i.test(msg)) {
      diags.error(file, { line: 1, column: 1 }, 'alias-limit', `YAML 别名（&锚点/*引用）展开过多，疑似“别名炸弹”。请直接写出内容，不要层层引用。`);
    } else {
      diags.error(file, { line: 1, column: 1 }, 'yaml-syntax', `YAML 无法转换：${msg}`);
    }
    return undefined;
  }
  if (key && data !== undefined) opts.cache!.set(key, data);
  return new YamlSource(file, { text, fileText: opts.fileText ?? text }, data, base, key);
}

/**
 * A YAML file unchanged since the last build (see FileStamps), from the parse cache; its text is
 * read only if a diagnostic needs a position. undefined when the cache no longer has it.
 */
export function cachedYamlSource(file: string, readText: () => string, rec: FileRecord, cache: ParseCache): YamlSource | undefined {
  const key = rec.keys[0]!;
  const data = cache.get(key);
  if (data === undefined) return undefined;
  return new YamlSource(file, () => { const text = readText(); return { text, fileText: text }; }, data, 0, key);
}
