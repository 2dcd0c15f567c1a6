import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildResult } from '../src/pipeline/build.js';
import { Diagnostics } from '../src/diagnostics.js';
import { BuildProgress, buildSummary, warningsText, WARNING_LIMIT } from '../src/cli/progress.js';
import type { CliIO } from '../src/cli/io.js';
import { cli, SAMPLE, tempDir } from './helpers.js';

function capture(tty: boolean): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (s) => { out += s; }, err: (s) => { err += s; }, tty }, out: () => out, err: () => err };
}

/** A clock the test moves by hand, so nothing depends on how fast the machine is. */
function clock(): { now: () => number; set: (ms: number) => void } {
  let t = 0;
  return { now: () => t, set: (ms) => { t = ms; } };
}

describe('build progress display', () => {
  it('writes one plain line per kind when it finishes, when not on a terminal', () => {
    const c = capture(false);
    const k = clock();
    const p = new BuildProgress({ io: c.io, verbosity: 'normal', now: k.now });
    p.onProgress('catalog', 1, 2);
    p.onProgress('posters', 1, 3);
    p.onProgress('catalog', 2, 2);
    p.onProgress('posters', 2, 3);
    k.set(1500);
    p.onProgress('posters', 3, 3);
    p.stop();
    const lines = c.err().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^catalog: 2 个文档，[\d.]+ 秒$/);
    expect(lines[1]).toMatch(/^posters: 3 个文档，[\d.]+ 秒$/);
    expect(c.err()).not.toMatch(/[\r\x1b]/);
    expect(c.out()).toBe('');
  });

  it('prints nothing at all with --quiet', () => {
    for (const tty of [false, true]) {
      const c = capture(tty);
      const k = clock();
      const p = new BuildProgress({ io: c.io, verbosity: 'quiet', now: k.now });
      k.set(5000);
      p.onProgress('standards', 50, 50);
      p.stop();
      expect(c.err() + c.out()).toBe('');
    }
  });

  it('on a terminal, stays silent for a short build and redraws in place for a long one', () => {
    const short = capture(true);
    const k1 = clock();
    const p1 = new BuildProgress({ io: short.io, verbosity: 'normal', now: k1.now });
    k1.set(100);
    p1.onProgress('catalog', 2, 2);
    p1.stop();
    expect(short.err()).toBe('');

    const long = capture(true);
    const k2 = clock();
    const p2 = new BuildProgress({ io: long.io, verbosity: 'normal', now: k2.now });
    k2.set(2000);
    p2.onProgress('posters', 120, 3554);
    k2.set(3000);
    p2.onProgress('posters', 121, 3554);
    p2.onProgress('catalog', 2, 2);
    p2.stop();
    const text = long.err();
    expect(text).toMatch(/posters\s+120\/3554\s+\d+\.\ds/);
    expect(text).toContain('\r\x1b[K');
    expect(text).toContain('\x1b[1A'); // moved back up to redraw the block
    expect(text).toMatch(/✓ catalog\s+2\/2/);
  });
});

describe('build summary and warnings', () => {
  const result = (warnings: number): BuildResult => {
    const diagnostics = new Diagnostics();
    for (let i = 0; i < warnings; i++) diagnostics.warn(`catalog/${String(i).padStart(2, '0')}.md`, { line: 1, column: 1 }, 'verb-form', '用“应”。');
    return {
      ok: true, diagnostics, files: ['html/index.html', 'pdf/catalog.pdf', 'normkit-build.json'],
      stats: { catalog: { documents: 2, bytes: 3 * 1048576, rendered: 2 } }, rendered: ['html/index.html', 'pdf/catalog.pdf'],
    };
  };

  it('keeps the ✓ summary line: documents by kind, size, seconds, warnings', () => {
    const line = buildSummary(result(2), path.resolve('out'), 1234);
    expect(line).toMatch(/^✓ 已生成 3 个文件（catalog 2）到 out，3\.0 MB，1\.2 秒，2 个警告\n$/);
  });

  it('lists at most a few warnings unless --verbose', () => {
    const many = result(WARNING_LIMIT + 5).diagnostics.list;
    const normal = warningsText(many, 'normal');
    expect(normal.match(/ warning /g)).toHaveLength(WARNING_LIMIT);
    expect(normal).toContain('另有 5 个警告未列出');
    expect(normal).toContain(`${WARNING_LIMIT + 5} 个警告`);
    expect(warningsText(many, 'verbose').match(/ warning /g)).toHaveLength(WARNING_LIMIT + 5);
    expect(warningsText(many, 'quiet')).toBe('');
  });
});

describe('normkit build output', () => {
  it('writes plain lines when not on a terminal and keeps the summary on stdout', async () => {
    const out = await tempDir();
    try {
      const r = await cli('build', SAMPLE, '--out', out.dir, '--only', 'catalog');
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/^catalog: 2 个文档，[\d.]+ 秒$/m);
      expect(r.err).not.toMatch(/[\r\x1b]/);
      expect(r.out).toMatch(/^✓ 已生成 \d+ 个文件（catalog 2）/);
      expect(r.out.trim().split('\n')).toHaveLength(1);
    } finally {
      await out.cleanup();
    }
  });

  it('prints nothing on success with --quiet', async () => {
    const out = await tempDir();
    try {
      const r = await cli('build', SAMPLE, '--out', out.dir, '--only', 'catalog', '--quiet');
      expect(r.code).toBe(0);
      expect(r.out).toBe('');
      expect(r.err).toBe('');
    } finally {
      await out.cleanup();
    }
  });

  it('lists every file and every warning with --verbose', async () => {
    const out = await tempDir();
    try {
      const r = await cli('build', SAMPLE, '--out', out.dir, '--only', 'catalog', '--verbose');
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/^写入 .*html[/\\]index\.html$/m);
      expect(r.err).toMatch(/^写入 .*normkit-build\.json$/m);
      expect(r.err).toContain('warning');
    } finally {
      await out.cleanup();
    }
  });

  it('refuses --quiet together with --verbose', async () => {
    const r = await cli('build', SAMPLE, '--quiet', '--verbose');
    expect(r.code).toBe(2);
  });
});
