import { Packer, type File } from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

/**
 * Packs a document so that the same input gives the same bytes: the docx library stamps the core
 * properties with the time of packing, numbers bookmarks and drawings with process-wide counters,
 * names some relationships at random, and its zip carries the time of day. Those are replaced by
 * the document's own date and by numbers in order of appearance.
 */
export async function packDocx(doc: File, isoDate: string): Promise<Uint8Array> {
  const packed = await Packer.toBuffer(doc);
  const files = unzipSync(new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength));
  const names = Object.keys(files);
  const texts = new Map<string, string>();
  for (const n of names) if (/\.(xml|rels)$/.test(n)) texts.set(n, strFromU8(files[n]!));

  const rels = new Renamer((i) => `rIdn${i}`);
  const bookmarks = new Renamer((i) => String(i));
  const drawings = new Renamer((i) => String(i));
  const stamp = `${isoDate}T00:00:00Z`;
  for (const [n, xml] of texts) {
    let out = xml
      // random relationship ids (rId + 21 characters of nanoid)
      .replace(/\brId[0-9a-z_-]{21}\b/g, (m) => rels.get(m))
      .replace(/(<w:bookmark(?:Start|End)\b[^>]*?\bw:id=")(\d+)"/g, (_, a: string, id: string) => `${a}${bookmarks.get(id)}"`)
      .replace(/(<wp:docPr\b[^>]*?\bid=")(\d+)"/g, (_, a: string, id: string) => `${a}${drawings.get(id)}"`);
    if (n === 'docProps/core.xml') out = out.replace(/(<dcterms:(?:created|modified)\b[^>]*>)[^<]*/g, `$1${stamp}`);
    texts.set(n, out);
  }
  // a fixed zip time: the document's date at noon, local to nobody (zip times have no zone)
  const mtime = new Date(`${isoDate}T12:00:00`);
  const zip: Zippable = {};
  for (const n of names) zip[n] = [texts.has(n) ? strToU8(texts.get(n)!) : files[n]!, { mtime, level: 6 }];
  return zipSync(zip);
}

/** Gives each distinct old name a new one, in order of first appearance. */
class Renamer {
  private readonly seen = new Map<string, string>();
  constructor(private readonly make: (i: number) => string) {}
  get(old: string): string {
    let v = this.seen.get(old);
    if (v === undefined) this.seen.set(old, (v = this.make(this.seen.size + 1)));
    return v;
  }
}
