import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostics, Position } from '../diagnostics.js';
import { LineIndex } from '../load/line-index.js';
import type { Block, Inline } from '../model/clauses.js';
import type { Project } from '../model/project.js';
import { missingGlyphs, type FontBook } from '../typography/fonts.js';

/** More than this many missing characters in one file are summed up in one last warning. */
const MAX_PER_FILE = 20;

/**
 * Characters the body font cannot draw, per source file: each becomes a `missing-glyph` warning
 * with the character, its code point and where it first occurs (a PDF would show an empty box).
 * Run after the model is resolved and the fonts are loaded (build calls it before rendering).
 */
export function checkGlyphs(project: Project, book: FontBook, diags: Diagnostics, memo?: GlyphMemo): void {
  const font = book.body.font;
  const fontName = path.basename(book.body.file);
  // an item's text comes from its file and its department's (project.yaml)
  const factOf = (file: string): string | undefined => {
    const own = memo?.hashes.get(file);
    return own && `glyphs:${book.body.hash}:${memo!.hashes.get('project.yaml') ?? ''}:${own}`;
  };
  const report = (file: string, texts: () => string[]): void => {
    const fact = factOf(file);
    if (fact && memo!.cache.known(fact)) return;
    const missing = missingGlyphs(font, texts().join('\n'));
    if (!missing.length) {
      if (fact) memo!.cache.note(fact);
      return;
    }
    const source = readSource(project.root, file);
    for (const ch of missing.slice(0, MAX_PER_FILE)) {
      diags.warn(file, positionOf(source, ch), 'missing-glyph',
        `正文字体 ${fontName} 中没有${describeChar(ch)}，PDF 中会显示为空白方框。请改用常用字或全角符号，或在 project.yaml 的 fonts.body 中换用包含该字的字体。`);
    }
    if (missing.length > MAX_PER_FILE) {
      diags.warn(file, { line: 1, column: 1 }, 'missing-glyph',
        `另有 ${missing.length - MAX_PER_FILE} 个字符正文字体 ${fontName} 中没有：${missing.slice(MAX_PER_FILE).map(codePoint).join(' ')}。`);
    }
  };

  report('project.yaml', () => strings({
    organization: project.organization, layer: project.layer, hotlines: project.hotlines, notes: project.notes,
    departments: project.departments.map(({ items: _items, slug: _slug, ...d }) => d),
    systems: project.systems,
  }));
  for (const s of project.standards) {
    report(s.file, () => [
      s.code, s.title, s.englishTitle ?? '', s.owner ?? '', s.proposer, s.ics ?? '', s.ccs ?? '', s.filingNo ?? '',
      ...s.references, ...s.referenceList.map((r) => r.title ?? ''), ...s.drafters.units, ...s.drafters.people, ...blockTexts(s.body),
    ]);
  }
  for (const item of project.items) report(item.file, () => { const { department: _d, file: _f, slug: _s, ...rest } = item; return strings(rest); });
  for (const c of project.checklists) report(c.file, () => { const { file: _f, slug: _s, ...rest } = c; return strings(rest); });
  for (const r of project.results) report(r.file, () => { const { checklistRef: _c, file: _f, slug: _s, ...rest } = r; return strings(rest); });
}

/**
 * What a rebuild remembers: sources whose text the body font could draw entirely (by content hash,
 * with project.yaml's and the font's) are not scanned again.
 */
export interface GlyphMemo {
  hashes: ReadonlyMap<string, string>;
  cache: { known(fact: string): boolean; note(fact: string): void };
}

/** All string values (and map keys that are text, such as component names) of plain data. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) strings(v[i], out);
  else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      if (!ASCII_KEY.test(k)) out.push(k);
      strings((v as Record<string, unknown>)[k], out);
    }
  }
  return out;
}

const ASCII_KEY = /^[\x20-\x7e]*$/;

function blockTexts(blocks: Block[], out: string[] = []): string[] {
  const inl = (list: Inline[]): void => { for (const i of list) out.push(i.text); };
  for (const b of blocks) {
    switch (b.kind) {
      case 'clause': out.push(b.title); blockTexts(b.children, out); break;
      case 'para': for (const s of b.segments) inl(s.inlines); break;
      case 'note': out.push(b.label); for (const s of b.segments) inl(s.inlines); break;
      case 'list': for (const it of b.items) blockTexts(it, out); break;
      case 'table': out.push(b.caption); b.header.forEach(inl); for (const r of b.rows) r.forEach(inl); break;
    }
  }
  return out;
}

function readSource(root: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined; // the file went away after loading: report at line 1
  }
}

function positionOf(source: string | undefined, ch: string): Position {
  const at = source?.indexOf(ch) ?? -1;
  if (at < 0) return { line: 1, column: 1 };
  return new LineIndex(source!).range(at, at + ch.length);
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `“𠀀”（U+20000）`, or just the code point for invisible and control characters. */
function describeChar(ch: string): string {
  const visible = !/[\p{C}\p{Z}\p{M}]/u.test(ch);
  return visible ? `“${ch}”（${codePoint(ch)}）` : `字符 ${codePoint(ch)}`;
}
