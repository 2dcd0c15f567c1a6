import type { Pdf } from './document.js';

/**
 * Two places where pdfkit writes PDFs that other software mishandles, corrected per document:
 *
 * - the XMP packet (title, author, subject, keywords) is made by pasting the values into XML
 *   unescaped, so an organization named “A & B” or a title with “<” corrupts it;
 * - ToUnicode maps are written as bfrange with arrays, which Ghostscript's pdfwrite (behind many
 *   print servers and archivers) drops, so every character comes out as garbage; bfchar entries,
 *   100 to a block as the CMap specification allows, survive.
 */
export function correctPdfkit(doc: Pdf): void {
  const d = doc as unknown as { _addInfo: () => void; info: Record<string, unknown>; font: (name: string) => unknown; _font?: object };
  const addInfo = d._addInfo;
  d._addInfo = function (this: typeof d) {
    const info = this.info;
    const escaped: Record<string, unknown> = { ...info };
    for (const k of ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer']) {
      if (typeof info[k] === 'string') escaped[k] = xmlText(info[k] as string);
    }
    this.info = escaped;
    try {
      addInfo.call(this);
    } finally {
      this.info = info; // the Info dictionary is written from the values as they are
    }
  };
}

/** Text for an XML element: escaped, and without characters XML 1.0 cannot hold at all. */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** pdfkit's EmbeddedFont keeps, per subset glyph (its code), the code points it stands for. */
interface EmbeddedFontLike {
  unicode: number[][];
  document: { ref: () => { end: (s: string) => void } };
  toUnicodeCmap: () => unknown;
}

const patched = new WeakSet<object>();

/** Installs the bfchar ToUnicode on pdfkit's embedded-font class (found from a font of `doc`). */
export function useBfcharToUnicode(doc: Pdf, role: string): void {
  const d = doc as unknown as { font: (name: string) => unknown; _font?: object };
  d.font(role);
  const proto = d._font && Object.getPrototypeOf(d._font) as EmbeddedFontLike | undefined;
  if (!proto || patched.has(proto) || typeof proto.toUnicodeCmap !== 'function') return;
  patched.add(proto);
  proto.toUnicodeCmap = function (this: EmbeddedFontLike) {
    const cmap = this.document.ref();
    const entries: string[] = [];
    this.unicode.forEach((codePoints, code) => {
      if (!codePoints?.length) return; // no text for this glyph: an empty <> would be malformed
      let u = '';
      for (let cp of codePoints) {
        if (cp > 0xffff) {
          cp -= 0x10000;
          u += hex4(0xd800 | ((cp >>> 10) & 0x3ff)) + hex4(0xdc00 | (cp & 0x3ff));
        } else u += hex4(cp);
      }
      entries.push(`<${hex4(code)}> <${u}>`);
    });
    let body = '';
    for (let i = 0; i < entries.length; i += 100) {
      const chunk = entries.slice(i, i + 100);
      body += `${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar\n`;
    }
    cmap.end(`/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo <<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000><ffff>
endcodespacerange
${body}endcmap
CMapName currentdict /CMap defineresource pop
end
end`);
    return cmap;
  };
}
