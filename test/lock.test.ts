/** The output lock on a full disk (issue 15): the pid cannot be written, and no empty lock file stays behind. */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCK, lockOutput } from '../src/write/lock.js';
import { tempDir } from './helpers.js';

const faults = vi.hoisted(() => ({ fullDisk: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = (async (...args: Parameters<typeof real.open>) => {
    const fh = await real.open(...args);
    if (faults.fullDisk) {
      fh.writeFile = async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
    }
    return fh;
  }) as typeof real.open;
  const mocked = { ...real, open };
  return { ...mocked, default: mocked };
});

describe('output lock', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => { tmp = await tempDir(); });
  afterAll(async () => { faults.fullDisk = false; await tmp?.cleanup(); });

  it('a disk full before the build starts: ENOSPC, and no empty lock file in the previous output', async () => {
    const out = path.join(tmp.dir, 'out');
    await mkdir(out);
    faults.fullDisk = true;
    await expect(lockOutput(out)).rejects.toMatchObject({ code: 'ENOSPC' });
    faults.fullDisk = false;
    expect(await readdir(out)).not.toContain(LOCK);
  });

  it('a new output folder it created for the lock is removed again', async () => {
    const out = path.join(tmp.dir, 'new-out');
    faults.fullDisk = true;
    await expect(lockOutput(out)).rejects.toMatchObject({ code: 'ENOSPC' });
    faults.fullDisk = false;
    expect(await readdir(tmp.dir)).not.toContain('new-out');
  });

  it('on a healthy disk the lock holds the pid and is released', async () => {
    const out = path.join(tmp.dir, 'ok');
    const lock = await lockOutput(out);
    expect(await readdir(out)).toContain(LOCK);
    await lock.release();
    expect(await readdir(tmp.dir)).not.toContain('ok');
  });
});
