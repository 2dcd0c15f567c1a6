import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkProject } from '../check/check-project.js';
import { Diagnostics } from '../diagnostics.js';
import { formatText } from '../diagnostics-format.js';
import { withChanges } from '../format/front-matter-changes.js';
import { parseMarkdownSource } from '../load/markdown-source.js';
import { loadProject } from '../load/project-loader.js';
import { buildClauses } from '../model/clauses.js';
import { resolveProject, type Project, type Standard } from '../model/project.js';
import { normalizeStandardNumber } from '../model/standard-number.js';
import { renderRedlinePdf } from '../render/pdf/redline-pdf.js';
import { HtmlRenderer } from '../render/html/renderer.js';
import { loadTemplates } from '../load/templates.js';
import { loadFontBook } from '../typography/fonts.js';
import type { ClauseChange } from '../revision/align.js';
import { changeItems } from '../revision/foreword.js';
import { redlineView } from '../revision/redline.js';
import { compareStandards } from '../revision/revision.js';
import { EXIT_INPUT, EXIT_OK, UsageError, type CliIO } from './io.js';
import { resolveProjectDir } from './project-dir.js';

export const diffHelp = `normkit diff <旧版> <新版> [--project DIR] [--out DIR] [--write] [--no-files]
  比较一项标准的两个版本：逐条列出增加、删除、更改（技术性或编辑性）、移动和重新编号的条款，
  起草前言中的“主要技术变化”，并写出修订对照（红线）HTML 和 PDF。
  <旧版>、<新版> 可以是项目中的标准编号（如 "Q/YLZW 2001—2019"）、标准文件的路径，
  或 git 版本中的文件（如 HEAD~1:standards/catalog/provision/2001-2024-first-inquiry.md）。
  --project DIR  项目文件夹（给出标准编号时使用；默认当前文件夹下的 standards/，或当前文件夹）
  --out DIR      对照文件写入的文件夹（默认 ./redline）
  --write        把起草的主要技术变化写入新版文件前置元数据的 changes:（保留注释），供修改
  --no-files     只在屏幕上列出，不写对照文件
`;

interface Edition { code: string; title: string; body: Standard['body']; file?: string; label: string }

export async function diffCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { project: { type: 'string' }, out: { type: 'string' }, write: { type: 'boolean', default: false }, 'no-files': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 2) throw new UsageError('请给出两个版本：normkit diff <旧版> <新版>，例如 normkit diff "Q/YLZW 2001—2019" "Q/YLZW 2001—2024"。');

  let project: Project | undefined;
  const projectOf = async (): Promise<Project | undefined> => {
    if (project) return project;
    const loaded = await loadProject(resolveProjectDir(values.project));
    const ctx = checkProject(loaded);
    if (loaded.diagnostics.errorCount > 0) {
      io.err(formatText(loaded.diagnostics.list.filter((d) => d.severity === 'error')));
      io.err('项目有错误，无法按标准编号比较。请先改正（normkit validate 可列出全部问题），或直接给出两个文件。\n');
      return undefined;
    }
    return (project = resolveProject(ctx, loaded.root));
  };

  const editions: Edition[] = [];
  for (const arg of positionals) {
    const e = await edition(arg, projectOf, io);
    if (!e) return EXIT_INPUT;
    editions.push(e);
  }
  const [old, neu] = editions as [Edition, Edition];
  const changes = compareStandards(old, neu);
  const items = changeItems(changes, old.code);

  io.out(`${neu.code}（${neu.label}）与 ${old.code}（${old.label}）\n\n`);
  for (const c of changes) if (c.kind !== 'unchanged') io.out(`${line(c)}\n`);
  io.out(`\n前言：与${old.code}相比，除结构调整和编辑性改动外，主要技术变化如下：\n`);
  io.out(items.length ? items.map((t, i) => `——${t}${i === items.length - 1 ? '。' : '；'}\n`).join('') : '（没有技术性变化）\n');

  if (!values['no-files']) {
    const view = redlineView(changes, old, neu, new Date().toISOString().slice(0, 10));
    const dir = path.resolve(values.out ?? 'redline');
    mkdirSync(dir, { recursive: true });
    const base = `${slugOf(neu.code)}-vs-${slugOf(old.code)}`;
    const html = new HtmlRenderer(await loadTemplates(project?.root)).run('redline', view);
    const book = loadFontBook(project?.fonts ?? {}, project?.root);
    writeFileSync(path.join(dir, `${base}.html`), html);
    writeFileSync(path.join(dir, `${base}.pdf`), await renderRedlinePdf(view, book));
    io.err(`✓ 修订对照：${path.join(values.out ?? 'redline', `${base}.html`)}、${base}.pdf\n`);
  }

  if (values.write) {
    if (!neu.file) {
      io.err('normkit diff --write：新版不是一个可以写入的文件（git 版本中的文件不能写入）。\n');
      return EXIT_INPUT;
    }
    const text = readFileSync(neu.file, 'utf8');
    const updated = withChanges(text, items);
    if (updated === undefined) {
      io.err(`normkit diff --write：${neu.file} 的前置元数据无法解析，没有写入。请先运行 normkit validate。\n`);
      return EXIT_INPUT;
    }
    writeFileSync(neu.file, updated);
    io.err(`✓ 已把 ${items.length} 项主要技术变化写入 ${path.relative(process.cwd(), neu.file)} 的 changes:，可直接修改。\n`);
  }
  return EXIT_OK;
}

const KIND = { added: '增加', deleted: '删除', changed: '更改', moved: '移动', renumbered: '重新编号', split: '拆分', merged: '合并', unchanged: '未变' } as const;

function line(c: ClauseChange): string {
  const o = c.old.map((x) => `${x.number} ${x.title}`).join(' + ') || '—';
  const n = c.new.map((x) => `${x.number} ${x.title}`).join(' + ') || '—';
  const mark = c.technical ? '技术' : c.kind === 'changed' ? '编辑' : '结构';
  const details = c.details.length ? `\n      ${c.details.join('\n      ')}` : '';
  return `  [${mark}] ${KIND[c.kind]}  ${o}  →  ${n}${details}`;
}

const slugOf = (code: string) => code.replace(/[\/\s]+/g, '').replace(/—/g, '-');

/** An edition from a code in the project, a file, or `rev:path` in git. */
async function edition(arg: string, projectOf: () => Promise<Project | undefined>, io: CliIO): Promise<Edition | undefined> {
  const git = /^([^:\s]+):(.+\.md)$/.exec(arg);
  if (existsSync(arg) && arg.endsWith('.md')) return fromText(readFileSync(arg, 'utf8'), arg, path.resolve(arg), io);
  if (git && !existsSync(arg)) {
    let text: string;
    try {
      text = execFileSync('git', ['show', `${git[1]}:${git[2]}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 8 << 20 });
    } catch (e) {
      io.err(`normkit diff：git 中找不到 ${arg}（${String((e as { stderr?: string }).stderr ?? '').trim().split('\n')[0]}）。路径请相对于仓库根目录写，例如 HEAD~1:standards/catalog/x.md。\n`);
      return undefined;
    }
    return fromText(text, arg, undefined, io);
  }
  const p = await projectOf();
  if (!p) return undefined;
  const s = p.standardByCode.get(normalizeStandardNumber(arg));
  if (!s) {
    io.err(`normkit diff：项目中没有标准“${arg}”，也没有这个文件。请给出标准编号（如 "Q/YLZW 2001—2019"）或 .md 文件的路径。\n`);
    return undefined;
  }
  return { code: s.code, title: s.title, body: s.body, file: path.join(p.root, s.file), label: s.file };
}

function fromText(text: string, label: string, file: string | undefined, io: CliIO): Edition | undefined {
  const diags = new Diagnostics();
  const md = parseMarkdownSource(text, label, diags);
  const data = md?.front.data as { code?: unknown; title?: unknown } | undefined;
  if (!md || diags.errorCount > 0 || typeof data?.code !== 'string') {
    io.err(diags.errorCount ? formatText(diags.list) : `${label}：前置元数据中没有 code（标准编号）。\n`);
    return undefined;
  }
  return { code: normalizeStandardNumber(data.code), title: typeof data.title === 'string' ? data.title : '', body: buildClauses(md.body), file, label };
}
