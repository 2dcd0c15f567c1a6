import { deflateSync } from 'node:zlib';
import { Ref, serialize, type PdfValue } from './pdf-syntax.js';

/** Where finished bytes go: a file written as the document grows, or memory. */
export interface Sink {
  write(chunk: Uint8Array): Promise<void>;
}

/** Collects a small document in memory. */
export class MemorySink implements Sink {
  private chunks: Uint8Array[] = [];
  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk);
  }
  result(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const FLUSH_AT = 1 << 20;

/**
 * Writes numbered objects in order and the cross-reference table at the end. Bytes are handed to
 * the sink in megabyte chunks, so a 30,000-page document never sits in memory.
 */
export class PdfWriter {
  private offsets: number[] = [0];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pos = 0;

  constructor(private readonly sink: Sink, version = '1.7') {
    this.raw(Buffer.from(`%PDF-${version}\n%\xFF\xFF\xFF\xFF\n`, 'latin1'));
  }

  /** Bytes written so far (where the next object starts). */
  get position(): number {
    return this.pos;
  }

  /** The number the next reserved object gets. */
  get nextId(): number {
    return this.offsets.length;
  }

  /** Reserves an object number, for objects referred to before they are written. */
  alloc(): Ref {
    this.offsets.push(-1);
    return new Ref(this.offsets.length - 1);
  }

  object(ref: Ref, value: PdfValue): void {
    this.offsets[ref.id] = this.pos;
    this.raw(Buffer.from(`${ref.id} 0 obj\n${serialize(value)}\nendobj\n`, 'latin1'));
  }

  /**
   * A stream object: `deflate` compresses it here, `deflated` says the data already is (parts),
   * `plain` writes it as it is (a page number: compressing a hundred bytes costs more than it saves).
   */
  /** Returns where the stream's data starts. */
  stream(ref: Ref, dict: Record<string, PdfValue>, data: Uint8Array, encoding: 'deflate' | 'deflated' | 'plain' = 'deflate'): number {
    const body = encoding === 'deflate' ? deflateSync(data) : data;
    const filter = encoding === 'plain' ? undefined : 'FlateDecode';
    this.offsets[ref.id] = this.pos;
    this.raw(Buffer.from(`${ref.id} 0 obj\n${serialize({ ...dict, Length: body.byteLength, Filter: filter })}\nstream\n`, 'latin1'));
    const at = this.pos;
    this.raw(body);
    this.raw(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    return at;
  }

  /**
   * Takes objects already serialized by an earlier document: `bytes` hold objects `first` … `first +
   * count - 1` exactly as numbered there, and `at(id)` is where each starts within `bytes`.
   */
  copy(bytes: Uint8Array, first: number, count: number, at: (id: number) => number): void {
    if (first !== this.offsets.length) throw new Error(`copied objects start at ${first}, not at the next number ${this.offsets.length}`);
    for (let id = first; id < first + count; id++) this.offsets.push(this.pos + at(id));
    this.raw(bytes);
  }

  /** As copy, for objects that are either the next numbers in turn or reserved earlier and not yet written. */
  place(bytes: Uint8Array, ids: readonly number[], at: (id: number) => number): void {
    for (const id of ids) {
      if (id === this.offsets.length) this.offsets.push(this.pos + at(id));
      else if (this.offsets[id] === -1) this.offsets[id] = this.pos + at(id);
      else throw new Error(`object ${id} cannot be placed: it is neither reserved nor next`);
    }
    this.raw(bytes);
  }

  /** Lets the sink take what is pending once a megabyte has gathered. */
  async drain(): Promise<void> {
    if (this.pendingBytes >= FLUSH_AT) await this.flush();
  }

  async finish(root: Ref, info: Ref, id: string): Promise<void> {
    const missing = this.offsets.findIndex((o, i) => i > 0 && o < 0);
    if (missing > 0) throw new Error(`PDF object ${missing} was reserved but never written`);
    const start = this.pos;
    let xref = `xref\n0 ${this.offsets.length}\n0000000000 65535 f \n`;
    for (let i = 1; i < this.offsets.length; i++) xref += `${String(this.offsets[i]).padStart(10, '0')} 00000 n \n`;
    this.raw(Buffer.from(xref, 'latin1'));
    this.raw(Buffer.from(`trailer\n${serialize({ Size: this.offsets.length, Root: root, Info: info })}`.replace(/\n>>$/, `\n/ID [<${id}> <${id}>]\n>>`) + `\nstartxref\n${start}\n%%EOF\n`, 'latin1'));
    await this.flush();
  }

  private raw(b: Buffer | Uint8Array): void {
    this.pending.push(b as Buffer);
    this.pendingBytes += b.byteLength;
    this.pos += b.byteLength;
  }

  private async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    // small pieces are joined; a large one (pages copied from an earlier build) goes as it is
    let from = 0;
    for (let i = 0; i <= pending.length; i++) {
      const large = i < pending.length && pending[i]!.byteLength >= 1 << 16;
      if (i < pending.length && !large) continue;
      if (i > from) await this.sink.write(i - from === 1 ? pending[from]! : Buffer.concat(pending.slice(from, i)));
      if (large) await this.sink.write(pending[i]!);
      from = i + 1;
    }
  }
}

/** Writes into a Node stream, waiting whenever it asks to drain; ends it after the last chunk. */
export function streamSink(out: NodeJS.WritableStream): Sink & { end(): Promise<void> } {
  return {
    write: (chunk) => new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      out.once('error', onError);
      const ok = out.write(chunk, () => undefined);
      const done = (): void => { out.off('error', onError); resolve(); };
      if (ok) done();
      else out.once('drain', done);
    }),
    end: () => new Promise((resolve, reject) => {
      out.once('error', reject);
      out.once('finish', () => resolve());
      out.end();
    }),
  };
}
