/** The racy-file rule with an injected clock (issue 15): decided by the stamps and `now` given, never by how fast the machine is. */
import { describe, expect, it } from 'vitest';
import { FileStamps } from '../src/load/file-stamps.js';

const STAMP = { size: 10, mtimeMs: 1_700_000_000_000, ctimeMs: 1_700_000_000_000, ino: 7 };
const REC = { hash: 'h', keys: ['k'], base: 4 };

function recorded(now: number, st = STAMP): boolean {
  const stamps = FileStamps.from(undefined);
  stamps.record('a.yaml', st, REC, now);
  return FileStamps.from(stamps.toBuffer()).lookup('a.yaml', st) !== undefined;
}

describe('FileStamps racy rule', () => {
  it('a file changed within the window of being read is not trusted; one older than it is', () => {
    expect(recorded(STAMP.mtimeMs + 1)).toBe(false);
    expect(recorded(STAMP.mtimeMs + FileStamps.RACY_MS - 1)).toBe(false);
    expect(recorded(STAMP.mtimeMs + FileStamps.RACY_MS)).toBe(true);
  });

  it('the later of mtime and ctime counts (a touch back in time does not make a fresh change old)', () => {
    expect(recorded(STAMP.mtimeMs + FileStamps.RACY_MS, { ...STAMP, mtimeMs: STAMP.mtimeMs - 1e6, ctimeMs: STAMP.ctimeMs + 1 })).toBe(false);
  });

  it('a recorded stamp is reused only while size, times and inode are unchanged', () => {
    const stamps = FileStamps.from(undefined);
    stamps.record('a.yaml', STAMP, REC, STAMP.mtimeMs + 1e7);
    const again = FileStamps.from(stamps.toBuffer());
    expect(again.lookup('a.yaml', { ...STAMP, size: 11 })).toBeUndefined();
    expect(again.lookup('a.yaml', STAMP)).toEqual(REC);
  });
});
