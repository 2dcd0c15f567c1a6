import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { formatSource } from '../src/format/format-source.js';
import { KEY_ORDER, type KeyOrder } from '../src/format/key-order.js';
import { displayWidth, formatMarkdownBody, stripPositions } from '../src/format/markdown-format.js';
import { commentLines } from '../src/format/yaml-format.js';
import { parseMarkdownTree } from '../src/load/markdown-source.js';
import { loadProject, type SourceKind } from '../src/load/project-loader.js';
import { cli, REPO, SAMPLE, tempCopy } from './helpers.js';

const MESSY = path.join(REPO, 'test/fixtures/fmt/messy');
/** Full-width punctuation of Chinese text, counted before and after formatting. */
const CJK_PUNCT = /[，。、；：？！（）“”‘’《》〔〕【】—…·　～]/gu;

function yamlData(text: string): unknown {
  const doc = parseDocument(text, { version: '1.2', uniqueKeys: true });
  expect(doc.errors).toEqual([]);
  return doc.toJS({ mapAsMap: true });
}

function comments(text: string): string[] {
  return commentLines(parseDocument(text, { version: '1.2' }));
}

/** Front matter text and Markdown body of a standard file. */
function split(text: string): { front: string; body: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  expect(lines[0]).toBe('---');
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  expect(end).toBeGreaterThan(0);
  return { front: lines.slice(1, end).join('\n'), body: lines.slice(end + 1).join('\n') };
}

function mdTree(body: string): Root {
  return stripPositions(parseMarkdownTree(body));
}

function countTables(tree: Root): number {
  let n = 0;
  const walk = (node: { type: string; children?: unknown[] }): void => {
    if (node.type === 'table') n++;
    for (const c of node.children ?? []) walk(c as { type: string; children?: unknown[] });
  };
  walk(tree as never);
  return n;
}

function punct(text: string): string[] {
  return (text.match(CJK_PUNCT) ?? []).sort();
}

/** Asserts that `after` means exactly what `before` does, for a file of the given kind. */
function expectSameMeaning(before: string, after: string, kind: SourceKind, file: string): void {
  if (kind === 'standard') {
    const a = split(before);
    const b = split(after);
    expect(yamlData(b.front), `${file} front matter`).toEqual(yamlData(a.front));
    expect(comments(b.front), `${file} front matter comments`).toEqual(comments(a.front));
    expect(isDeepStrictEqual(mdTree(b.body), mdTree(a.body)), `${file} body tree`).toBe(true);
    expect(countTables(mdTree(b.body)), `${file} tables`).toBe(countTables(mdTree(a.body)));
  } else {
    expect(yamlData(after), `${file} data`).toEqual(yamlData(before));
    expect(comments(after), `${file} comments`).toEqual(comments(before));
  }
  expect(punct(after), `${file} Chinese punctuation`).toEqual(punct(before));
}

describe('normkit fmt on the sample project', () => {
  it('formatting every sample file keeps its data, tree, comments, front matter, tables and punctuation', async () => {
    const loaded = await loadProject(SAMPLE);
    expect(loaded.files.length).toBeGreaterThan(20);
    let tables = 0;
    let withComments = 0;
    for (const { file, kind } of loaded.files) {
      const original = await readFile(path.join(SAMPLE, file), 'utf8');
      const formatted = formatSource(original, kind);
      expectSameMeaning(original, formatted, kind, file);
      expect(formatSource(formatted, kind), `${file} is stable`).toBe(formatted);
      if (kind === 'standard') {
        expect(formatted.startsWith('---\n'), file).toBe(true);
        tables += countTables(mdTree(split(formatted).body));
      } else if (comments(original).length > 0) withComments++;
    }
    expect(tables).toBeGreaterThan(5);
    expect(withComments).toBeGreaterThan(5);
  });

  it('fmt --check passes on the sample as committed', async () => {
    const r = await cli('fmt', SAMPLE, '--check');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✓/);
  });
});

describe('normkit fmt on a messy project', () => {
  it('--check lists the files that would change, writes nothing and exits 1', async () => {
    const p = await tempCopy(MESSY);
    try {
      const before = await snapshot(p.dir);
      const r = await cli('fmt', p.dir, '--check');
      expect(r.code).toBe(1);
      for (const f of ['project.yaml', 'catalog/first-inquiry.md', 'items/food-license.yaml', 'checklists/window.yaml']) {
        expect(r.out).toContain(`${f}\n`);
      }
      expect(r.out).toContain('4 个文件需要格式化');
      expect(await snapshot(p.dir)).toEqual(before);
    } finally {
      await p.cleanup();
    }
  });

  it('fmt rewrites them without changing meaning; then --check and validate pass', async () => {
    const p = await tempCopy(MESSY);
    try {
      const before = await snapshot(p.dir);
      const r = await cli('fmt', p.dir);
      expect(r.code).toBe(0);
      expect(r.out).toContain('已格式化 4 个文件');
      const after = await snapshot(p.dir);
      const loaded = await loadProject(p.dir);
      for (const { file, kind } of loaded.files) expectSameMeaning(before.get(file)!, after.get(file)!, kind, file);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort()); // no temp files left behind

      expect((await cli('fmt', p.dir, '--check')).code).toBe(0);
      expect((await cli('validate', p.dir)).code).toBe(0);

      const item = after.get('items/food-license.yaml')!;
      expect(item.split('\n').slice(0, 3)).toEqual([
        '# yaml-language-server: $schema=../../../../schemas/item.schema.json',
        'code: "511400-XK-0001"',
        'name: 食品经营许可（新办）',
      ]);
      expect(item).toContain('  - step: 受理\n    detail: 材料齐全的当场受理 # 不齐全的一次性告知\n    days: 0\n');
      expect(item).toContain('time_limit: { legal_days: 20, promised_days: 5 }\n');
      expect(item).toContain('conditions: [申请人取得营业执照等合法主体资格]\n');
      expect(item).toContain('phone: "028-38100000"\n');
      const project = after.get('project.yaml')!;
      expect(project).toContain('hotlines: { service: "96196", complaint: "12345" }\n');
      expect(project).toContain('code_prefix: "Q/MSZW"\n');
      expect(project).toContain('    name: 市市场监督管理局 # 进驻部门\n');
      const checklist = after.get('checklists/window.yaml')!;
      expect(checklist).toContain('          - { label: 全部落实, points: 6 }\n');
      expect(checklist).toContain('      - { no: 2, text: 台面整洁。, points: 4, deduct_per_finding: 1 }\n');

      const md = after.get('catalog/first-inquiry.md')!;
      expect(md).toMatch(/^---\ncode: Q\/MSZW 2001—2024\ntitle: 首问负责服务规范\ncategory: quality\n# 类别和体系\nsystem: provision\n/);
      expect(md).toContain('\n- 不清楚的事项应查询核实后答复；\n- 不应以“不归我管”为由拒绝接待。\n');
      expect(md).toContain('\n1. 记录服务对象的联系方式；\n2. 在2个工作日内答复。\n');
      expect(md).toContain('\n表：首问登记内容\n\n| 登记项目 |');
      expect(md).toContain('（见[1]），');
      expect(md).toContain('注：网上咨询见 https://zwfw.example.gov.cn/help 。');
    } finally {
      await p.cleanup();
    }
  });

  it('reports a file that does not parse (file:line:col), leaves it untouched, formats the rest and exits 1', async () => {
    const p = await tempCopy(MESSY);
    try {
      const broken = 'code: "511400-XK-0002"\nname: 坏文件\nbasis:\n  - 依据\n   conditions: [x]\n';
      await writeFile(path.join(p.dir, 'items/broken.yaml'), broken);
      const r = await cli('fmt', p.dir);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/items\/broken\.yaml:\d+:\d+ +error/);
      expect(await readFile(path.join(p.dir, 'items/broken.yaml'), 'utf8')).toBe(broken);
      expect(r.out).toContain('已格式化 items/food-license.yaml');

      const check = await cli('fmt', p.dir, '--check');
      expect(check.code).toBe(1);
      expect(check.err).toContain('items/broken.yaml:');
      expect(await readFile(path.join(p.dir, 'items/broken.yaml'), 'utf8')).toBe(broken);
    } finally {
      await p.cleanup();
    }
  });

  it('reports an unterminated front matter and leaves the file alone', async () => {
    const p = await tempCopy(MESSY);
    try {
      const text = '---\ncode: Q/MSZW 2002—2024\ntitle: 缺少结束行\n\n## 范围\n\n本文件……\n';
      await writeFile(path.join(p.dir, 'catalog/open.md'), text);
      const r = await cli('fmt', p.dir, '--check');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/catalog\/open\.md:1:1/);
      expect(await readFile(path.join(p.dir, 'catalog/open.md'), 'utf8')).toBe(text);
    } finally {
      await p.cleanup();
    }
  });
});

describe('Markdown formatting', () => {
  const fmt = (body: string): string => {
    const out = formatMarkdownBody(body);
    expect(isDeepStrictEqual(mdTree(out), mdTree(body)), out).toBe(true);
    expect(formatMarkdownBody(out)).toBe(out);
    return out;
  };

  it('does not escape characters that need no escaping', () => {
    const body = [
      '表：首问登记内容（见[1]和[注]）',
      '',
      'a*b 和 a_b、file_name_x、2*3=6、5 < 6 & 7 > 3，&copy 和 C:\\path，#号，+号，1. 不是列表。',
      '',
      '网址 https://example.gov.cn/a_b 以及 www.example.com，邮件 a@b.cn。',
      '',
    ].join('\n');
    expect(fmt(body)).toBe(body);
  });

  it('keeps escapes the text does need', () => {
    const out = fmt('这是 \\*不是强调\\* 的文字，\\[x]: 不是定义。\n');
    expect(out).toContain('\\*不是强调');
    expect(mdTree(out)).toEqual(mdTree('这是 \\*不是强调\\* 的文字，\\[x]: 不是定义。\n'));
  });

  it('leaves Chinese full-width punctuation, captions and notes alone', () => {
    const body = '## 要求\n\n首问责任人应热情接待，认真回答；不应以“不归我管”“不清楚”等理由推脱（见表1）！\n\n表：服务内容和时限\n\n| 项目 | 时限 |\n| ---- | ---- |\n| 咨询 | 当场 |\n\n注：时限以工作日计。——以上为要求……\n';
    const out = fmt(body);
    expect(out).toBe(body);
    expect(punct(out)).toEqual(punct(body));
  });

  it('normalizes lists, emphasis, rules and code to the GB/T 1.1 habits', () => {
    const out = fmt('* 甲；\n* 乙。\n\n1) 一\n1) 二\n\n文字，__强__，_弱_。\n\n***\n\n~~~\ncode\n~~~\n');
    expect(out).toBe('- 甲；\n- 乙。\n\n1. 一\n2. 二\n\n文字，**强**，*弱*。\n\n---\n\n```\ncode\n```\n');
  });

  it('aligns narrow tables by display width and writes wide tables compact', () => {
    const narrow = fmt('| 项目 | 要求 |\n|:--|--:|\n| 登记编号 | 自动 |\n');
    expect(narrow).toBe('| 项目     | 要求 |\n| :------- | ---: |\n| 登记编号 | 自动 |\n');
    for (const line of narrow.trim().split('\n')) expect(displayWidth(line)).toBe(displayWidth(narrow.split('\n')[0]!));
    const long = '很长的内容'.repeat(12);
    const wide = fmt(`| 项目 | 要求 |\n|---|---|\n| 登记 | ${long} |\n`);
    expect(wide).toBe(`| 项目 | 要求 |\n| --- | --- |\n| 登记 | ${long} |\n`);
  });

  it('does not wrap long paragraphs', () => {
    const para = '本文件规定了'.repeat(40) + '。\n';
    expect(fmt(para)).toBe(para);
  });
});

describe('YAML formatting', () => {
  it('orders keys as the contract does, keeps the header comment on top and comments with their keys', () => {
    const src = '# yaml-language-server: $schema=../schemas/result.schema.json\n# 说明\nsubject: 东坡区\n# 考评日期\nassessed: 2024-12-05\nchecklist: five-star\nscores:\n  3: 2\n  1: { level: 二级达标 }\n';
    const out = formatSource(src, 'result');
    expect(out).toBe('# yaml-language-server: $schema=../schemas/result.schema.json\n# 说明\nchecklist: five-star\nsubject: 东坡区\n# 考评日期\nassessed: 2024-12-05\nscores:\n  3: 2\n  1: { level: 二级达标 }\n');
  });

  it('keeps quoted strings that would otherwise change type, and other scalar spellings', () => {
    const src = "organization: '眉山'\ncode_prefix: Q/MSZW\nhotlines:\n    service: '96196'\n    complaint: \"12345\"\ndate: 2024-03-01\nnotes: [\"a\", 'b']\ndepartments:\n    - id: scjg\n      name: 市场监管\n      phone: ~\n";
    const out = formatSource(src, 'project');
    expect(out).toBe('organization: "眉山"\ncode_prefix: Q/MSZW\ndate: 2024-03-01\nhotlines:\n  service: "96196"\n  complaint: "12345"\ndepartments:\n  - id: scjg\n    name: 市场监管\n    phone: ~\nnotes: ["a", "b"]\n');
    expect(yamlData(out)).toEqual(yamlData(src));
  });

  it('keeps CRLF files meaningful (written with LF) and drops a BOM', () => {
    const out = formatSource('\ufeffname: x\r\ncode: "1"\r\n', 'item');
    expect(out).toBe('code: "1"\nname: x\n');
  });

  it('has a key order for every property in the schemas', async () => {
    const kinds: [SourceKind, string][] = [['project', 'project'], ['standard', 'standard'], ['item', 'item'], ['checklist', 'checklist'], ['result', 'result']];
    for (const [kind, name] of kinds) {
      const schema = JSON.parse(await readFile(path.join(REPO, 'schemas', `${name}.schema.json`), 'utf8'));
      const seen = new Set<string>(); // a recursive definition (weighted parts) is checked once
      const check = (s: { properties?: Record<string, unknown>; items?: unknown; $ref?: string }, order: KeyOrder | undefined, where: string): void => {
        if (s.$ref) {
          if (seen.has(s.$ref)) return;
          seen.add(s.$ref);
          s = schema.$defs[s.$ref.replace('#/$defs/', '')];
        }
        if (s.items) return check(s.items as typeof s, order, where);
        if (!s.properties) return;
        expect(order, where).toBeDefined();
        expect([...order!.keys].sort(), where).toEqual(Object.keys(s.properties).sort());
        for (const [k, v] of Object.entries(s.properties)) {
          const sub = v as typeof s;
          if (sub.properties || (sub.items as typeof s | undefined)?.properties || sub.$ref || (sub.items as typeof s | undefined)?.$ref) {
            check(sub, order!.nested?.[k], `${where}.${k}`);
          }
        }
      };
      check(schema, KEY_ORDER[kind], kind);
    }
  });
});

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if ((await stat(path.join(dir, r))).isFile()) out.set(r, await readFile(path.join(dir, r), 'utf8'));
    }
  };
  await walk('');
  return out;
}

describe('fmt never writes outside the project', () => {
  it('an item linked to a file elsewhere is reported and left alone, and so is the file it points at', async () => {
    const { symlink, mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const p = await tempCopy();
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'normkit-elsewhere-'));
    try {
      const items = path.join(p.dir, 'items');
      const first = (await readdir(items, { recursive: true })).find((f) => f.endsWith('.yaml'))!;
      const messy = (await readFile(path.join(items, first), 'utf8')).replace(/\n/g, '\n\n').replace(/^(\w+):/gm, '$1:   ');
      const outside = path.join(elsewhere, 'outside.yaml');
      await writeFile(outside, messy);
      await symlink(outside, path.join(items, 'outside.yaml'));
      const r = await cli('fmt', p.dir);
      expect(r.err).toContain('items/outside.yaml:1:1');
      // the loader refuses a source linked out of the project (link-outside, issue 15) before fmt sees it
      expect(r.err).toMatch(/fmt-link|link-outside/);
      expect(await readFile(outside, 'utf8')).toBe(messy);
      const { lstat } = await import('node:fs/promises');
      expect((await lstat(path.join(items, 'outside.yaml'))).isSymbolicLink()).toBe(true);
    } finally {
      await p.cleanup();
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('1,000 nested blockquotes: a diagnostic, no stack overflow, the file unchanged', async () => {
    const p = await tempCopy();
    try {
      const dir = path.join(p.dir, 'catalog');
      const file = (await readdir(dir, { recursive: true })).find((f) => f.endsWith('.md'))!;
      const abs = path.join(dir, file);
      const text = `${await readFile(abs, 'utf8')}\n${'> '.repeat(1000)}深\n`;
      await writeFile(abs, text);
      const r = await cli('fmt', p.dir);
      expect(r.code).toBe(1);
      // refused when read (nesting-too-deep at the line, issue 15), before fmt's own depth check
      expect(r.err).toContain(`catalog/${file}:`);
      expect(r.err).toContain('嵌套超过 64 层');
      expect(r.err).not.toContain('内部错误');
      expect(await readFile(abs, 'utf8')).toBe(text);
    } finally {
      await p.cleanup();
    }
  });
});
