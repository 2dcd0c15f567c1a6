import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../src/pipeline/manifest.js';
import { VERSION } from '../src/version.js';
import { cli, REPO, tempDir } from './helpers.js';

/** A small project (what init writes) built once into `out`, so the folder is normkit's. */
async function builtProject(): Promise<{ base: string; project: string; out: string; cleanup: () => Promise<void> }> {
  const t = await tempDir();
  const project = path.join(t.dir, 'project');
  const out = path.join(t.dir, 'out');
  expect((await cli('init', project)).code).toBe(0);
  expect((await cli('build', project, '--out', out, '--format', 'html', '--quiet')).code).toBe(0);
  return { base: t.dir, project, out, cleanup: t.cleanup };
}

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

describe('the commit journal is verified before it is acted on', () => {
  const crafted: [string, unknown][] = [
    ['a path outside the output folder', { format: 'normkit-journal-1', staging: '.normkit-staging-999999-deadbeef', trash: '.normkit-trash-999999-deadbeef', remove: ['../elsewhere/important.docx'], pinned: [] }],
    ['an older journal without the format mark', { staging: '.normkit-staging-999999-deadbeef', trash: '.normkit-trash-999999-deadbeef', remove: ['html/index.html'], pinned: [] }],
    ['a staging folder elsewhere', { format: 'normkit-journal-1', staging: '../elsewhere', trash: '.normkit-trash-999999-deadbeef', remove: [], pinned: [] }],
    ['not JSON', 'garbage'],
  ];
  for (const [what, journal] of crafted) {
    it(`refuses ${what}: exit 2, nothing inside or outside the output folder touched`, async () => {
      const p = await builtProject();
      try {
        const elsewhere = path.join(p.base, 'elsewhere');
        await mkdir(elsewhere);
        await writeFile(path.join(elsewhere, 'important.docx'), '重要文件');
        await writeFile(path.join(p.out, '.normkit-journal'), typeof journal === 'string' ? journal : JSON.stringify(journal));
        const before = await tree(p.out);
        const r = await cli('build', p.project, '--out', p.out, '--format', 'html');
        expect(r.code).toBe(2);
        expect(r.err).toContain('不是本 normkit 写的提交记录');
        expect(r.err).not.toContain('内部错误');
        expect(await readFile(path.join(elsewhere, 'important.docx'), 'utf8')).toBe('重要文件');
        expect(await tree(p.out)).toEqual(before);
      } finally {
        await p.cleanup();
      }
    });
  }

  it('a manifest row outside the output folder makes the manifest untrusted (everything is rebuilt)', () => {
    const row = (p: string) => JSON.stringify({ normkit: VERSION, outputs: [[p, 'k', 'catalog', 1]] });
    expect(parseManifest(row('html/index.html'))?.size).toBe(1);
    for (const bad of ['../x', '/etc/passwd', 'html/../../x', 'html//x', '']) expect(parseManifest(row(bad))).toBeUndefined();
  });
});

describe('messages about the output folder say what happened', () => {
  it('a folder named .normkit-lock is a clear refusal, not an internal error', async () => {
    const p = await builtProject();
    try {
      await mkdir(path.join(p.out, '.normkit-lock'));
      const r = await cli('build', p.project, '--out', p.out, '--format', 'html');
      expect(r.code).toBe(2);
      expect(r.err).toContain('不是 normkit 的锁文件（它是一个文件夹）');
      expect(r.err).not.toContain('内部错误');
    } finally {
      await p.cleanup();
    }
  });

  it('--workers beyond what the machine carries is lowered, with a message', async () => {
    const p = await builtProject();
    try {
      // the binary (dist/), as worker threads run compiled code
      const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
        execFile(process.execPath, [path.join(REPO, 'bin/normkit.js'), 'build', p.project, '--out', p.out, '--format', 'html', '--workers', '200', '--force'], (e, _out, err) => resolve({ code: e ? (e as { code?: number }).code ?? 1 : 0, err }));
      });
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/--workers 200 超过本机的处理器和内存能承受的数量，已改为 \d+。/);
    } finally {
      await p.cleanup();
    }
  });
});

describe('every read is bounded by size and type', () => {
  it('project.yaml as a FIFO, a source that is a FIFO or links to /dev/zero: a diagnostic each, no hang', async () => {
    const { execFileSync } = await import('node:child_process');
    const { rm: remove, symlink } = await import('node:fs/promises');
    const t = await tempDir();
    try {
      const project = path.join(t.dir, 'project');
      expect((await cli('init', project)).code).toBe(0);
      await remove(path.join(project, 'project.yaml'));
      execFileSync('mkfifo', [path.join(project, 'project.yaml')]);
      execFileSync('mkfifo', [path.join(project, 'items', 'pipe.yaml')]);
      await symlink('/dev/zero', path.join(project, 'items', 'zero.yaml'));
      const r = await cli('validate', project, '--format', 'json');
      expect(r.code).toBe(1);
      const rows = (JSON.parse(r.out) as { file: string; rule: string; line: number }[]).filter((d) => d.rule === 'file-not-regular');
      expect(rows.map((d) => d.file).sort()).toEqual(['items/pipe.yaml', 'items/zero.yaml', 'project.yaml']);
      expect(rows.every((d) => d.line === 1)).toBe(true);
    } finally {
      await t.cleanup();
    }
  });

  it('readBounded does not trust fstat: /dev/zero is refused, a growing read stops one byte past the limit', async () => {
    const { readBounded, UnreadableFile } = await import('../src/load/bounded-read.js');
    expect(() => readBounded('/dev/zero', 1024)).toThrow(UnreadableFile);
    const t = await tempDir();
    try {
      const f = path.join(t.dir, 'a.txt');
      await writeFile(f, 'x'.repeat(5000));
      expect(readBounded(f, 5000).bytes.length).toBe(5000);
      expect(() => readBounded(f, 4999)).toThrow(UnreadableFile);
    } finally {
      await t.cleanup();
    }
  });

  it('a FIFO named like the manifest in the output folder does not hang the build', async () => {
    const { execFileSync } = await import('node:child_process');
    const { rm: remove } = await import('node:fs/promises');
    const p = await builtProject();
    try {
      await remove(path.join(p.out, 'normkit-build.json'));
      execFileSync('mkfifo', [path.join(p.out, 'normkit-build.json')]);
      const r = await cli('build', p.project, '--out', p.out, '--format', 'html');
      expect(r.err).not.toContain('内部错误');
      expect([0, 2]).toContain(r.code);
    } finally {
      await p.cleanup();
    }
  });
});

describe('templates are read as regular files only', () => {
  it('a FIFO named like a project template: a diagnostic at the template, exit 1, no hang', async () => {
    const { execFileSync } = await import('node:child_process');
    const p = await builtProject();
    try {
      await mkdir(path.join(p.project, 'templates'), { recursive: true });
      execFileSync('mkfifo', [path.join(p.project, 'templates', 'poster.hbs')]);
      const r = await cli('build', p.project, '--out', p.out, '--format', 'html');
      expect(r.code).toBe(1);
      expect(r.err).toContain('templates/poster.hbs:1:1');
      expect(r.err).toContain('template-unreadable');
    } finally {
      await p.cleanup();
    }
  });
});
