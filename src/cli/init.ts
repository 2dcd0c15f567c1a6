import { lstat, mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SCAFFOLD_DIR, SCHEMA_DIR } from '../paths.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

export const initHelp = `normkit init <dir> [--force]
  新建一个可直接检查和构建的示例项目：project.yaml、一项标准、一个服务事项、一份考评标准和一份考评结果，
  以及给办公室看的 README.md 和 VS Code 编辑提示设置（.vscode/settings.json、.normkit/schemas/）。
  --force          文件夹不是空的也写入（同名文件会被覆盖，其他文件不动）
`;

/** Where each schema applies; the YAML extension cannot check Markdown front matter (said in the README). */
export const SCHEMA_GLOBS: Record<string, string[]> = {
  'project.schema.json': ['project.yaml'],
  'item.schema.json': ['items/**/*.yaml', 'items/**/*.yml'],
  'checklist.schema.json': ['checklists/**/*.yaml', 'checklists/**/*.yml'],
  'result.schema.json': ['results/**/*.yaml', 'results/**/*.yml'],
};

export async function initCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('请指定新项目的文件夹，例如：normkit init 我的标准。');
  const root = path.resolve(positionals[0]!);
  // the path as given: a relative path climbing out of the current folder (../../x) helps nobody
  const shown = positionals[0]!.replace(/[\\/]+$/, '') || '.';

  const existing = await readdir(root).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    if (e.code === 'ENOTDIR') throw new UsageError(`${shown} 是一个文件，不是文件夹。请换一个文件夹名。`);
    throw new UsageError(`无法读取文件夹 ${shown}（${e.code}）。`);
  });
  if (existing && existing.length > 0 && !values.force) {
    throw new UsageError(`文件夹 ${shown} 不是空的（有 ${existing.length} 个文件或文件夹）。为免覆盖已有文件，请换一个空文件夹；确需写入时加 --force（同名文件会被覆盖）。`);
  }
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);

  const files = await scaffoldFiles();
  const written: string[] = [];
  for (const [rel, content] of files) {
    await writeInside(realRoot, rel, content, values.force!);
    written.push(rel);
  }
  const settings = await vscodeSettings(realRoot);
  if (settings !== undefined) {
    await writeInside(realRoot, '.vscode/settings.json', settings, true);
    written.push('.vscode/settings.json');
  } else {
    io.err(`注意：${shown}/.vscode/settings.json 已存在且不是纯 JSON，未改动。请手动加入 README.md 中所列的 yaml.schemas 设置。\n`);
  }

  io.out(`✓ 已在 ${shown} 新建 normkit 项目（${written.length} 个文件）。接下来：\n`);
  const dir = /\s/.test(shown) ? `"${shown}"` : shown;
  const cmd = invocation();
  if (cmd === 'normkit') io.out(`  cd ${dir}\n  normkit validate    检查\n  normkit build       生成 HTML 和 PDF 到 out/\n  normkit serve       本地预览\n`);
  // not on PATH (run with npx in a checkout, or by path): the commands as they work from here
  else io.out(`  ${cmd} validate ${dir}    检查\n  ${cmd} build ${dir}       生成 HTML 和 PDF 到 ${dir}/out/\n  ${cmd} serve ${dir}       本地预览\n`);
  io.out('各文件夹的用途见 README.md。\n');
  return EXIT_OK;
}

/** Project-relative path → content: the scaffold folder plus the schemas for editor help. */
async function scaffoldFiles(): Promise<[string, string | Buffer][]> {
  const out: [string, string | Buffer][] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(SCAFFOLD_DIR, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) out.push([r, await readFile(path.join(SCAFFOLD_DIR, r))]);
    }
  };
  await walk('');
  for (const name of Object.keys(SCHEMA_GLOBS).concat('standard.schema.json').sort()) {
    out.push([`.normkit/schemas/${name}`, await readFile(path.join(SCHEMA_DIR, name))]);
  }
  return out;
}

/** `yaml.schemas` for the Red Hat YAML extension, merged into an existing settings file when there is one. */
async function vscodeSettings(root: string): Promise<string | undefined> {
  let settings: Record<string, unknown> = {};
  const file = path.join(root, '.vscode', 'settings.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined && text.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
      settings = parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  const schemas = (settings['yaml.schemas'] && typeof settings['yaml.schemas'] === 'object' ? settings['yaml.schemas'] : {}) as Record<string, unknown>;
  for (const [name, globs] of Object.entries(SCHEMA_GLOBS)) schemas[`./.normkit/schemas/${name}`] = globs;
  settings['yaml.schemas'] = schemas;
  settings['files.encoding'] ??= 'utf8';
  settings['files.eol'] ??= '\n';
  settings['[yaml]'] ??= { 'editor.tabSize': 2, 'editor.insertSpaces': true };
  return JSON.stringify(settings, null, 2) + '\n';
}

/**
 * Writes `rel` under `root`, refusing any path that would land outside it: `..` segments, or a
 * folder along the way that is a symbolic link (a --force run into a folder with such links).
 */
async function writeInside(root: string, rel: string, content: string | Buffer, overwrite: boolean): Promise<void> {
  const target = path.resolve(root, rel);
  const inside = path.relative(root, target);
  if (inside.startsWith('..') || path.isAbsolute(inside)) throw new UsageError(`拒绝写到项目文件夹之外：${rel}`);
  const parts = inside.split(path.sep);
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]!);
    const info = await lstat(cur).catch(() => undefined);
    if (!info) {
      if (i < parts.length - 1) await mkdir(cur);
      continue;
    }
    if (info.isSymbolicLink()) throw new UsageError(`${rel} 的路径中有符号链接（${path.relative(root, cur)}），为免写到项目文件夹之外，已停止。请删除该链接或换一个文件夹。`);
    if (i < parts.length - 1 && !info.isDirectory()) throw new UsageError(`${path.relative(root, cur)} 是文件，不是文件夹，无法写入 ${rel}。`);
    if (i === parts.length - 1 && info.isDirectory()) throw new UsageError(`${rel} 是一个文件夹，无法写入同名文件。`);
  }
  await writeFile(target, content, { flag: overwrite ? 'w' : 'wx' });
}

/** How to run normkit again from the current folder: `normkit` when that is on PATH, else how this run was started. */
function invocation(): string {
  const self = process.argv[1] ? path.resolve(process.argv[1]) : '';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      if (realpathSync(path.join(dir, 'normkit')) === realpathSync(self)) return 'normkit';
    } catch {
      // not there
    }
  }
  if (process.env.npm_command === 'exec') return 'npx normkit';
  if (!/^normkit(\.js)?$/.test(path.basename(self))) return 'normkit'; // called in-process (tests, an embedding tool)
  const rel = path.relative(process.cwd(), self);
  return `node ${/\s/.test(rel) ? `"${rel}"` : rel}`;
}
