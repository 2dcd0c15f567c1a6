import { BuilderElement, InternalHyperlink, Paragraph, TabStopType, TextRun, XmlComponent } from 'docx';
import type { Kit, RunStyle } from './kit.js';

export interface TocEntry {
  label: string;
  /** The page label shown (the PDF's), or '' when it is not known. */
  page: string;
  /** Bookmark of the heading it leads to. */
  anchor: string;
  /** 1 or 2: the paragraph styles TOC1 and TOC2. */
  level: 1 | 2;
}

/** A field code (<w:instrText>); its text is a plain string child, as the library writes its own. */
const instruction = (text: string): XmlComponent =>
  new BuilderElement({ name: 'w:instrText', attributes: { space: { key: 'xml:space', value: 'preserve' } }, children: [text as never] });

const fieldChar = (type: 'begin' | 'separate' | 'end'): XmlComponent =>
  new BuilderElement({ name: 'w:fldChar', attributes: { type: { key: 'w:fldCharType', value: type } } });

/**
 * A table of contents as Word writes one: a TOC field over the entry paragraphs, its result
 * already filled in (label, dot leader, page), each entry a link to its heading. Not marked dirty,
 * so Word opens it without asking to update fields; 更新目录 rebuilds it from the outline levels.
 * The field starts in the first entry and ends in the last: no empty paragraphs around it, so the
 * 目次 takes the PDF's lines and no more.
 */
export function tocField(kit: Kit, entries: TocEntry[], width: number, styles: { level1: RunStyle; level2: RunStyle }): Paragraph[] {
  const text = (r: RunStyle) => kit.runProps(r);
  return entries.map((e, i) => {
    const style = e.level === 1 ? styles.level1 : styles.level2;
    const children = [];
    if (i === 0) {
      children.push(
        new TextRun({ ...text(style), children: [fieldChar('begin') as never] }),
        new TextRun({ ...text(style), children: [instruction('TOC \\o "1-2" \\h \\z \\u') as never] }),
        new TextRun({ ...text(style), children: [fieldChar('separate') as never] }),
      );
    }
    children.push(new InternalHyperlink({ anchor: e.anchor, children: [kit.run(e.label, style), new TextRun({ ...text(styles.level2), children: ['\t', e.page] })] }));
    if (i === entries.length - 1) children.push(new TextRun({ ...text(style), children: [fieldChar('end') as never] }));
    return new Paragraph({ style: `TOC${e.level}`, tabStops: [{ type: TabStopType.RIGHT, position: width, leader: 'dot' }], children });
  });
}
