/**
 * Faults of the environment rather than of the input: an output folder that cannot be written,
 * a project folder that is a symlink loop, a file that vanishes while a build runs, a full disk.
 * Each: a one-line error (no stack trace), exit 2 (or 1 when it is the input), and the previous
 * output byte for byte as it was.
 *
 * Faults are injected by wrapping node:fs/promises (vi.mock): each wrapper asks `faults` whether
 * this call should fail, else does the real thing.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { build } from '../src/pipeline/build.js';
import { REPO, cli, listFiles, snapshot, tempCopy, tempDir } from './helpers.js';

type Hook = (target: string, ...rest: unknown[]) => Promise<void> | void;
const faults = vi.hoisted(() => ({ hooks: new Map<string, Hook>() }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const wrap = <F extends (...args: never[]) => Promise<unknown>>(name: string, fn: F): F =>
    (async (...args: Parameters<F>) => {
      const hook = faults.hooks.get(name);
      if (hook) await hook(String(args[0]), ...args.slice(1));
      return fn(...args);
    }) as F;
  const mocked = {
    ...real,
    writeFile: wrap('writeFile', real.writeFile),
    mkdir: wrap('mkdir', real.mkdir),
    rename: wrap('rename', real.rename),
    copyFile: wrap('copyFile', real.copyFile),
    readFile: wrap('readFile', real.readFile),
  };
  return { ...mocked, default: mocked };
});

// the web fonts are subset from the font file (src/pipeline/web-fonts.ts), which stats it first:
// a hook on statSync lets a test make the file vanish exactly then
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const statSync = ((file: string, ...rest: unknown[]) => {
    faults.hooks.get('statSync')?.(String(file));
    return (real.statSync as (...a: unknown[]) => unknown)(file, ...rest);
  }) as typeof real.statSync;
  const mocked = { ...real, statSync };
  return { ...mocked, default: mocked };
});

const MINIMAL = path.join(REPO, 'test/fixtures/validate/minimal');
const STACK = /\n\s+at .+[:(]\d+:\d+|node:internal|\bat (async )?\w+ \(/;
const isRoot = process.getuid?.() === 0;

function fsError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = { ENOSPC: 'no space left on device', EACCES: 'permission denied', ENOENT: 'no such file or directory', EIO: 'i/o error' };
  return Object.assign(new Error(`${code}: ${messages[code] ?? code}, ${syscall} '${file}'`), { code, syscall, path: file, errno: -1 });
}



/** stderr is exactly one line, without a stack trace. */
function expectOneLine(err: string): void {
  expect(err, err).not.toMatch(STACK);
  expect(err.trimEnd().split('\n'), err).toHaveLength(1);
}

// Whether a build trusts the stamps of files it just read depends on the clock (FileStamps.RACY_MS):
// each fault runs with stamps always trusted (a loaded machine) and never trusted (a fast one).
describe.each([
  ['stamps trusted', '0'],
  ['stamps never trusted', String(Number.MAX_SAFE_INTEGER)],
])('environment faults (%s)', (_regime, racyMs) => {
  let proj: { dir: string; cleanup: () => Promise<void> };
  let out: { dir: string; cleanup: () => Promise<void> };
  let outDir: string;
  let before: Record<string, string>;
  const buildArgs = (): string[] => ['build', proj.dir, '--out', outDir, '--format', 'html,pdf', '--only', 'catalog,standards', '--quiet'];
  // nothing changed since the first build, so only --force writes anything for a fault to hit
  const forcedArgs = (): string[] => [...buildArgs(), '--force'];

  beforeAll(async () => {
    process.env.NORMKIT_RACY_MS = racyMs;
    proj = await tempCopy(MINIMAL);
    out = await tempDir();
    outDir = path.join(out.dir, 'out');
    const first = await cli(...buildArgs());
    expect(first.code, first.err).toBe(0);
    before = await snapshot(outDir);
  });
  afterEach(() => faults.hooks.clear());
  afterAll(async () => {
    delete process.env.NORMKIT_RACY_MS;
    faults.hooks.clear();
    await chmod(out.dir, 0o755).catch(() => undefined);
    await proj?.cleanup();
    await out?.cleanup();
  });

  async function expectPreviousOutput(): Promise<void> {
    expect(await snapshot(outDir)).toEqual(before);
    expect((await readdir(outDir)).filter((n) => n.startsWith('.normkit-')), 'no staging or trash left behind').toEqual([]);
  }

  it.skipIf(isRoot)('an output folder whose parent is read-only (chmod 555): exit 2, one line', async () => {
    const parent = path.join(out.dir, 'locked');
    await mkdir(parent);
    await chmod(parent, 0o555);
    try {
      const r = await cli('build', proj.dir, '--out', path.join(parent, 'out'), '--format', 'html');
      expect(r.code).toBe(2);
      expectOneLine(r.err);
      expect(r.err).toContain('EACCES');
    } finally {
      await chmod(parent, 0o755);
    }
  });
  if (isRoot) {
    it('(chmod tests skipped: running as root, permissions do not stop root — the injected EACCES tests below cover it)', () => {
      console.warn('env-faults: running as root; the chmod 555 test is skipped, injected EACCES is used instead.');
    });
  }

  it.skipIf(isRoot)('a read-only output folder holding the previous output (chmod 555): exit 2, previous output intact', async () => {
    await chmod(outDir, 0o555);
    try {
      const r = await cli(...buildArgs());
      expect(r.code).toBe(2);
      expectOneLine(r.err);
    } finally {
      await chmod(outDir, 0o755);
    }
    await expectPreviousOutput();
  });

  it('an output folder that cannot be written (injected EACCES on mkdir): exit 2, one line, previous output intact', async () => {
    faults.hooks.set('mkdir', (target) => {
      if (target.startsWith(outDir)) throw fsError('EACCES', 'mkdir', target);
    });
    const r = await cli(...buildArgs());
    expect(r.code).toBe(2);
    expectOneLine(r.err);
    expect(r.err).toMatch(/^normkit build: .*EACCES/);
    faults.hooks.clear();
    await expectPreviousOutput();
  });

  it('a disk that fills up while writing (ENOSPC once): exit 2, one line, previous output intact', async () => {
    let n = 0;
    faults.hooks.set('writeFile', (target) => {
      if (target.startsWith(outDir) && ++n === 3) throw fsError('ENOSPC', 'write', target);
    });
    const r = await cli(...forcedArgs());
    expect(n).toBeGreaterThanOrEqual(3);
    expect(r.code).toBe(2);
    expectOneLine(r.err);
    expect(r.err).toMatch(/^normkit build: .*ENOSPC/);
    faults.hooks.clear();
    await expectPreviousOutput();
    // and the next build, with room again, succeeds
    const again = await cli(...buildArgs());
    expect(again.code, again.err).toBe(0);
    expect(await snapshot(outDir)).toEqual(before);
  });

  it('a disk that fills up while copying the font assets (ENOSPC on copyFile): exit 2, previous output intact', async () => {
    faults.hooks.set('copyFile', (_src, dest) => {
      if (String(dest).startsWith(outDir)) throw fsError('ENOSPC', 'copyfile', String(dest));
    });
    const r = await cli(...forcedArgs());
    expect(r.code).toBe(2);
    expectOneLine(r.err);
    faults.hooks.clear();
    await expectPreviousOutput();
  });

  // commit() undoes its moves when one fails, so the previous output comes back whole.
  it('a failure while moving the new output in (EIO on rename during commit): previous output intact', async () => {
    let moved = 0;
    faults.hooks.set('rename', (from) => {
      if (from.includes('.normkit-staging-') && ++moved === 2) throw fsError('EIO', 'rename', from);
    });
    const r = await cli(...forcedArgs());
    expect(r.code).toBe(2);
    expectOneLine(r.err);
    faults.hooks.clear();
    await expectPreviousOutput();
  });

  it('a project folder that is a symlink loop: exit 2, one line', async () => {
    const base = await tempDir();
    try {
      const a = path.join(base.dir, 'a');
      const b = path.join(base.dir, 'b');
      await symlink(b, a);
      await symlink(a, b);
      for (const cmd of ['build', 'validate']) {
        const r = await cli(cmd, a, ...(cmd === 'build' ? ['--out', path.join(base.dir, 'out')] : []));
        expect(r.code, cmd).toBe(2);
        expectOneLine(r.err);
        expect(r.err).toMatch(new RegExp(`^normkit ${cmd}: .*循环的符号链接`));
      }
      expect(await readdir(base.dir)).toEqual(['a', 'b']);
    } finally {
      await base.cleanup();
    }
  });

  it('a folder inside the project linking back to itself is skipped with a warning', async () => {
    const loop = path.join(proj.dir, 'catalog', 'loop');
    await symlink('..', loop);
    try {
      const v = await cli('validate', proj.dir, '--format', 'json');
      expect(v.code).toBe(0);
      const rows = JSON.parse(v.out) as { file: string; rule: string }[];
      expect(rows).toContainEqual(expect.objectContaining({ file: 'catalog/loop', rule: 'link-skipped' }));
    } finally {
      await unlink(loop);
    }
  });

  it('a source file deleted after validation, before the build: exit 1 naming what broke, previous output intact', async () => {
    const checklist = path.join(proj.dir, 'checklists/window.yaml');
    const text = await readFile(checklist);
    const v = await cli('validate', proj.dir);
    expect(v.code).toBe(0);
    await rm(checklist);
    try {
      const r = await cli(...buildArgs());
      expect(r.code).toBe(1);
      expect(r.err).not.toMatch(STACK);
      expect(r.err).toMatch(/results\/2024-window\.yaml:\d+:\d+\s+error\s+.*unknown-checklist/);
      await expectPreviousOutput();
    } finally {
      await writeFile(checklist, text);
    }
  });

  it('a project font deleted while the build runs (after it was read, just before the web fonts are subset from it): exit 2, previous output intact', async () => {
    const projectYaml = path.join(proj.dir, 'project.yaml');
    const original = await readFile(projectYaml, 'utf8');
    const font = path.join(proj.dir, 'fonts', 'body.ttf');
    await mkdir(path.dirname(font), { recursive: true });
    const noto = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf');
    await copyFile(noto, font);
    await writeFile(projectYaml, `${original.trimEnd()}\nfonts:\n  body: fonts/body.ttf\n`);
    let vanished = false;
    try {
      faults.hooks.set('statSync', (file) => {
        if (file === font && !vanished) { vanished = true; rmSync(font, { force: true }); }
      });
      const r = await cli(...buildArgs());
      expect(vanished, 'the subsetting step looked at the font').toBe(true);
      expect(r.code).toBe(2);
      expectOneLine(r.err);
      expect(r.err).toMatch(/ENOENT/);
      faults.hooks.clear();
      await expectPreviousOutput();
    } finally {
      faults.hooks.clear();
      await writeFile(projectYaml, original);
      await rm(path.join(proj.dir, 'fonts'), { recursive: true, force: true });
    }
  });

  it('a standard deleted while the build runs is built from what was read (one consistent snapshot)', async () => {
    const std = path.join(proj.dir, 'catalog/provision/2001-2024-first-inquiry.md');
    const text = await readFile(std);
    const out2 = await tempDir();
    try {
      let deleted = false;
      const r = await build({
        projectDir: proj.dir, outDir: out2.dir, formats: ['html'], only: ['catalog', 'standards'],
        onProgress: () => { if (!deleted) { deleted = true; void rm(std); } },
      });
      expect(deleted).toBe(true);
      expect(r.ok).toBe(true);
      expect(r.files).toContain('html/standards/Q-CSZW-2001-2024.html');
    } finally {
      await writeFile(std, text);
      await out2.cleanup();
    }
  });
});
