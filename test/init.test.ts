import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const SOURCES = ['project.yaml', 'catalog', 'items', 'checklists', 'results'];

async function yamlFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await yamlFiles(dir, r)));
    else if (r.endsWith('.yaml')) out.push(r);
  }
  return out;
}

describe('normkit init', () => {
  it('scaffolds a project that validates and builds as is', async () => {
    const base = await tempDir();
    const out = await tempDir();
    try {
      const dir = path.join(base.dir, '新项目');
      const r = await cli('init', dir);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain('normkit validate');
      for (const f of SOURCES.concat('README.md')) expect(existsSync(path.join(dir, f)), f).toBe(true);
      for (const sub of ['catalog', 'items', 'checklists', 'results']) expect((await yamlOrMd(dir, sub)).length, sub).toBeGreaterThan(0);

      const v = await cli('validate', dir);
      expect(v.out).toContain('✓ 0 个错误');
      expect(v.code).toBe(0);
      const b = await cli('build', dir, '--out', out.dir);
      expect(b.code, b.err).toBe(0);
      expect(b.out).toMatch(/^✓ 已生成/);
      expect(existsSync(path.join(out.dir, 'html/index.html'))).toBe(true);

      const s = await cli('score', path.join(dir, 'results/2025-window-scjg.yaml'), '--json', '--project', dir);
      expect(s.code).toBe(0);
      expect(JSON.parse(s.out).rating).toBe('五星级');

      expect((await cli('fmt', dir, '--check')).code).toBe(0);
    } finally {
      await base.cleanup();
      await out.cleanup();
    }
  });

  it('maps the schemas to all four YAML globs in .vscode/settings.json, with the schemas copied', async () => {
    const base = await tempDir();
    try {
      const dir = path.join(base.dir, 'p');
      expect((await cli('init', dir)).code).toBe(0);
      const settings = JSON.parse(await readFile(path.join(dir, '.vscode/settings.json'), 'utf8'));
      const schemas = settings['yaml.schemas'] as Record<string, string | string[]>;
      const globs = Object.values(schemas).flat();
      for (const g of ['project.yaml', 'items/**/*.yaml', 'checklists/**/*.yaml', 'results/**/*.yaml']) expect(globs).toContain(g);
      for (const schema of Object.keys(schemas)) expect(existsSync(path.join(dir, schema)), schema).toBe(true);
      expect((await readdir(path.join(dir, '.normkit/schemas'))).sort()).toEqual(
        ['checklist', 'item', 'project', 'result', 'standard'].map((n) => `${n}.schema.json`));

      // Every sample YAML file names its schema on the first line, and the path resolves.
      const files = await yamlFiles(dir);
      expect(files.length).toBeGreaterThanOrEqual(4);
      for (const f of files) {
        const first = (await readFile(path.join(dir, f), 'utf8')).split('\n')[0]!;
        const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
        expect(m, f).not.toBeNull();
        expect(m![1]).toContain('.normkit/schemas/');
        expect(existsSync(path.resolve(path.dirname(path.join(dir, f)), m![1]!)), f).toBe(true);
      }
      const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toContain('normkit build');
      expect(readme).toMatch(/元数据不能由 YAML 扩展检查/);
    } finally {
      await base.cleanup();
    }
  });

  it('refuses a folder that is not empty, and writes nothing', async () => {
    const base = await tempDir();
    try {
      await writeFile(path.join(base.dir, '论文.docx'), 'precious');
      const r = await cli('init', base.dir);
      expect(r.code).toBe(2);
      expect(r.err).toContain('不是空的');
      expect(r.err).toContain('--force');
      expect(await readdir(base.dir)).toEqual(['论文.docx']);
    } finally {
      await base.cleanup();
    }
  });

  it('writes into a non-empty folder with --force, leaving other files alone', async () => {
    const base = await tempDir();
    try {
      await writeFile(path.join(base.dir, 'notes.txt'), 'keep me');
      await mkdir(path.join(base.dir, '.vscode'));
      await writeFile(path.join(base.dir, '.vscode/settings.json'), JSON.stringify({ 'editor.fontSize': 15 }));
      const r = await cli('init', base.dir, '--force');
      expect(r.code).toBe(0);
      expect(await readFile(path.join(base.dir, 'notes.txt'), 'utf8')).toBe('keep me');
      const settings = JSON.parse(await readFile(path.join(base.dir, '.vscode/settings.json'), 'utf8'));
      expect(settings['editor.fontSize']).toBe(15);
      expect(Object.keys(settings['yaml.schemas'])).toHaveLength(4);
      expect((await cli('validate', base.dir)).code).toBe(0);
      // A second --force run overwrites the scaffold files and still succeeds.
      expect((await cli('init', base.dir, '--force')).code).toBe(0);
    } finally {
      await base.cleanup();
    }
  });

  it('never writes outside the folder, even through a linked subfolder', async () => {
    const base = await tempDir();
    try {
      const dir = path.join(base.dir, 'p');
      const outside = path.join(base.dir, 'outside');
      await mkdir(dir);
      await mkdir(outside);
      await symlink(outside, path.join(dir, 'catalog'));
      const r = await cli('init', dir, '--force');
      expect(r.code).toBe(2);
      expect(r.err).toContain('符号链接');
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await base.cleanup();
    }
  });

  it('needs exactly one folder and refuses a file', async () => {
    const base = await tempDir();
    try {
      expect((await cli('init')).code).toBe(2);
      const file = path.join(base.dir, 'x.txt');
      await writeFile(file, '');
      const r = await cli('init', file);
      expect(r.code).toBe(2);
      expect(r.err).toContain('不是文件夹');
    } finally {
      await base.cleanup();
    }
  });
});

async function yamlOrMd(dir: string, sub: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(r);
      else if (/\.(ya?ml|md)$/.test(e.name)) out.push(r);
    }
  };
  await walk(sub);
  return out;
}
