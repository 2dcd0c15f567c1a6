import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** A file normkit will not read: not a regular file (a FIFO, a device, a folder), or larger than allowed. */
export class UnreadableFile extends Error {
  constructor(readonly reason: 'not-regular' | 'too-large', readonly size: number, message: string) {
    super(message);
  }
}

/**
 * Reads a regular file of at most `limit` bytes. Opened without blocking (a FIFO with no writer
 * would otherwise hang the open) and read until end of file or one byte past the limit, since
 * fstat reports 0 for devices such as /dev/zero.
 */
export function readBounded(file: string, limit: number): { bytes: Buffer; st: Stats } {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnreadableFile('not-regular', 0, `${file} is not a regular file`);
    if (st.size > limit) throw new UnreadableFile('too-large', st.size, `${file} is larger than ${limit} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // the expected rest plus one byte to see the end, at least 64 KiB (fstat may say 0), at most one past the limit
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - total + 1, 1 << 16), limit + 1 - total, 1 << 20));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > limit) throw new UnreadableFile('too-large', total, `${file} is larger than ${limit} bytes`);
    }
    return { bytes: Buffer.concat(chunks, total), st };
  } finally {
    closeSync(fd);
  }
}
