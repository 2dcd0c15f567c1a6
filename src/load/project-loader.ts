import { hash } from 'node:crypto';
import { OUTSIDE, resolvesInside } from './inside.js';
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Diagnostics } from '../diagnostics.js';
import type { FileRecord, FileStamps } from './file-stamps.js';
import { cachedMarkdownSource, parseMarkdownSource, type MarkdownSource } from './markdown-source.js';
import { NOT_REGULAR, readSourceFile, readSourceText } from './read-text.js';
import type { ParseCache } from './parse-cache.js';
import { cachedYamlSource, parseYamlSource, type YamlSource } from './yaml-source.js';
import { ProjectNotFound } from './project-not-found.js';

export type SourceKind = 'project' | 'standard' | 'item' | 'checklist' | 'result';

/** Everything read from a project folder, before any checking. */
export interface LoadedProject {
  root: string;
  project?: YamlSource;
  standards: MarkdownSource[];
  items: YamlSource[];
  checklists: YamlSource[];
  results: YamlSource[];
  /** Relative paths of every source file that was read, with its kind (for manifests and watchers). */
  files: { file: string; kind: SourceKind }[];
  /** Content hash of each source file that could be read (incremental builds). */
  hashes: Map<string, string>;
  diagnostics: Diagnostics;
  /** The parse cache used, if any: checks note there what they found valid. */
  cache?: ParseCache;
}

const FOLDERS: { dir: string; kind: Exclude<SourceKind, 'project'>; ext: RegExp }[] = [
  { dir: 'catalog', kind: 'standard', ext: /\.md$/i },
  { dir: 'items', kind: 'item', ext: /\.ya?ml$/i },
  { dir: 'checklists', kind: 'checklist', ext: /\.ya?ml$/i },
  { dir: 'results', kind: 'result', ext: /\.ya?ml$/i },
];

export { ProjectNotFound };

/**
 * `cache` holds the previous build's parses by content hash (see ParseCache); `stamps` what each
 * file held when it read them (see FileStamps).
 */
export async function loadProject(dir: string, cache?: ParseCache, stamps?: FileStamps): Promise<LoadedProject> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new ProjectNotFound(`${dir} 不是文件夹。`);
  } catch (e) {
    if (e instanceof ProjectNotFound) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ProjectNotFound(code === 'ELOOP' ? `${dir} 是循环的符号链接。` : `找不到项目文件夹 ${dir}。`);
  }
  const diagnostics = new Diagnostics();
  const loaded: LoadedProject = { root, standards: [], items: [], checklists: [], results: [], files: [], hashes: new Map(), diagnostics, cache };

  const read = sourceReader(root, diagnostics, loaded.hashes, cache, stamps);
  // A missing project.yaml is left to the checker's `project-missing`, which says how to create one.
  const hasProject = await stat(path.join(root, 'project.yaml')).then(() => true, () => false);
  loaded.files.push({ file: 'project.yaml', kind: 'project' });
  if (hasProject) loaded.project = read.yaml('project.yaml');

  for (const folder of FOLDERS) {
    const files = listFiles(root, folder.dir, folder.ext, diagnostics);
    files.forEach((rel) => {
      loaded.files.push({ file: rel, kind: folder.kind });
      if (folder.kind === 'standard') {
        const md = read.markdown(rel);
        if (md) loaded.standards.push(md);
      } else {
        const y = read.yaml(rel);
        if (!y) return;
        if (folder.kind === 'item') loaded.items.push(y);
        else if (folder.kind === 'checklist') loaded.checklists.push(y);
        else loaded.results.push(y);
      }
    });
  }
  return loaded;
}

/**
 * Reads and parses sources, noting each one's content hash. With the last build's `stamps`, a file
 * whose stamp has not changed is taken from the parse cache without being read.
 */
function sourceReader(root: string, diags: Diagnostics, hashes: Map<string, string>, cache?: ParseCache, stamps?: FileStamps): {
  yaml(rel: string): YamlSource | undefined;
  markdown(rel: string): MarkdownSource | undefined;
} {
  const load = <T>(rel: string, cached: (readText: () => string, rec: FileRecord) => T | undefined, parse: (text: string) => T | undefined, record: (src: T) => Omit<FileRecord, 'hash'> | undefined): T | undefined => {
    const abs = path.join(root, rel);
    if (cache && stamps) {
      const st = statOrUndefined(abs);
      const rec = st && stamps.lookup(rel, st);
      // read again only if a diagnostic needs a position
      const src = rec && cached(() => readSourceText(abs, rel, new Diagnostics()) ?? '', rec);
      if (src) {
        hashes.set(rel, rec.hash);
        return src;
      }
    }
    const file = readSourceFile(abs, rel, diags);
    if (!file) return undefined;
    const hash = hashText(file.text);
    hashes.set(rel, hash);
    const src = parse(file.text);
    const rec = src && stamps && record(src);
    if (rec) stamps!.record(rel, file.stamp, { ...rec, hash });
    return src;
  };
  return {
    yaml: (rel) => load(rel,
      (readText, rec) => cachedYamlSource(rel, readText, rec, cache!),
      (text) => parseYamlSource(text, rel, diags, { cache }),
      (y) => (y.cacheKey ? { keys: [y.cacheKey], base: 0 } : undefined)),
    markdown: (rel) => load(rel,
      (readText, rec) => cachedMarkdownSource(rel, readText, rec, cache!),
      (text) => parseMarkdownSource(text, rel, diags, cache),
      (md) => (md.front.cacheKey && md.bodyKey ? { keys: [md.front.cacheKey, md.bodyKey], base: md.front.base } : undefined)),
  };
}

function lstatOrUndefined(abs: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch {
    return undefined;
  }
}

function statOrUndefined(abs: string): Stats | undefined {
  try {
    const st = statSync(abs);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

const MAX_DEPTH = 32;

/** Relative file paths under `root/sub`, sorted, skipping hidden entries and linked folders. */
function listFiles(root: string, sub: string, ext: RegExp, diags: Diagnostics): string[] {
  const out: string[] = [];
  // synchronous: a county has dozens of folders, and each read through the thread pool left this thread idle
  const walk = (relDir: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      diags.warn(relDir, undefined, 'folder-too-deep', `文件夹嵌套超过 ${MAX_DEPTH} 层，其中的文件没有读取。请把文件放到较浅的文件夹中。`);
      return;
    }
    let entries;
    try {
      entries = readdirSync(path.join(root, relDir), { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') diags.error(relDir, undefined, 'folder-unreadable', `无法读取文件夹（${code}）。请检查权限或链接。`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const rel = relDir + '/' + e.name;
      if (e.name.includes('\uFFFD') && (e.isDirectory() || ext.test(e.name))) {
        // Node shows bytes that are not UTF-8 as U+FFFD, and that name opens nothing (ENOENT)
        diags.error(rel, undefined, 'file-name-encoding', `${e.isDirectory() ? '文件夹' : '文件'}名不是有效的 UTF-8（可能是 GBK 编码的文件名，显示为 �），normkit 无法打开它。请把它重命名（如用 convmv -f gbk -t utf8 --notest）。`);
        continue;
      }
      if (e.isDirectory()) walk(rel, depth + 1);
      else if (e.isFile() && ext.test(e.name)) out.push(rel);
      else if (e.isSymbolicLink() && ext.test(e.name)) {
        let target: Stats;
        try {
          target = statSync(path.join(root, rel));
        } catch {
          diags.error(rel, { line: 1, column: 1 }, 'file-unreadable', '符号链接指向的文件不存在或形成循环。请修复或删除这个链接。');
          continue;
        }
        if (target.isFile() && !resolvesInside(root, path.join(root, rel))) diags.error(rel, { line: 1, column: 1 }, 'link-outside', OUTSIDE);
        else if (target.isFile()) out.push(rel);
        else if (!target.isDirectory()) diags.error(rel, { line: 1, column: 1 }, 'file-not-regular', NOT_REGULAR);
      } else if (!e.isDirectory() && !e.isFile() && !e.isSymbolicLink() && ext.test(e.name)) {
        // a FIFO or device named like a source: reading it would hang or never end
        diags.error(rel, { line: 1, column: 1 }, 'file-not-regular', NOT_REGULAR);
      } else if (e.isSymbolicLink()) {
        const info = lstatOrUndefined(path.join(root, rel));
        if (info) diags.warn(rel, undefined, 'link-skipped', '已跳过指向文件夹的符号链接（避免循环）。如需收录，请把文件直接放进项目文件夹。');
      }
    }
  };
  walk(sub, 0);
  return out;
}

export function hashText(text: string): string {
  return hash('sha1', text);
}
