import { hash } from 'node:crypto';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Diagnostics } from '../diagnostics.js';
import { parseMarkdownSource, type MarkdownSource } from './markdown-source.js';
import { readSourceText } from './read-text.js';
import type { ParseCache } from './parse-cache.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

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

export class ProjectNotFound extends Error {}

/** `cache` holds the previous build's parses by content hash (see ParseCache). */
export async function loadProject(dir: string, cache?: ParseCache): Promise<LoadedProject> {
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

  // A missing project.yaml is left to the checker's `project-missing`, which says how to create one.
  const hasProject = await stat(path.join(root, 'project.yaml')).then(() => true, () => false);
  const projectText = hasProject ? readSourceText(path.join(root, 'project.yaml'), 'project.yaml', diagnostics) : undefined;
  loaded.files.push({ file: 'project.yaml', kind: 'project' });
  if (projectText !== undefined) loaded.hashes.set('project.yaml', hashText(projectText));
  if (projectText !== undefined) loaded.project = parseYamlSource(projectText, 'project.yaml', diagnostics, { cache });

  for (const folder of FOLDERS) {
    const files = await listFiles(root, folder.dir, folder.ext, diagnostics);
    files.forEach((rel) => {
      const text = readSourceText(path.join(root, rel), rel, diagnostics);
      loaded.files.push({ file: rel, kind: folder.kind });
      if (text === undefined) return;
      loaded.hashes.set(rel, hashText(text));
      if (folder.kind === 'standard') {
        const md = parseMarkdownSource(text, rel, diagnostics, cache);
        if (md) loaded.standards.push(md);
      } else {
        const y = parseYamlSource(text, rel, diagnostics, { cache });
        if (!y) return;
        if (folder.kind === 'item') loaded.items.push(y);
        else if (folder.kind === 'checklist') loaded.checklists.push(y);
        else loaded.results.push(y);
      }
    });
  }
  return loaded;
}

/** Relative file paths under `root/sub`, sorted, skipping hidden entries and linked folders. */
async function listFiles(root: string, sub: string, ext: RegExp, diags: Diagnostics): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relDir: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    let entries;
    try {
      entries = await readdir(path.join(root, relDir), { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') diags.error(relDir, undefined, 'folder-unreadable', `无法读取文件夹（${code}）。请检查权限或链接。`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const rel = relDir + '/' + e.name;
      if (e.isDirectory()) await walk(rel, depth + 1);
      else if (e.isFile() && ext.test(e.name)) out.push(rel);
      else if (e.isSymbolicLink() && ext.test(e.name)) {
        try {
          if ((await stat(path.join(root, rel))).isFile()) out.push(rel);
        } catch {
          diags.error(rel, { line: 1, column: 1 }, 'file-unreadable', '符号链接指向的文件不存在或形成循环。请修复或删除这个链接。');
        }
      } else if (e.isSymbolicLink()) {
        const info = await lstat(path.join(root, rel)).catch(() => undefined);
        if (info) diags.warn(rel, undefined, 'link-skipped', '已跳过指向文件夹的符号链接（避免循环）。如需收录，请把文件直接放进项目文件夹。');
      }
    }
  };
  await walk(sub, 0);
  return out;
}

export function hashText(text: string): string {
  return hash('sha1', text);
}
