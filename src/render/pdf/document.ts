import PDFDocument from 'pdfkit';
import type { FontBook, FontRole } from '../../typography/fonts.js';
import { FONT_ROLES } from '../../typography/fonts.js';
import { correctPdfkit, useBfcharToUnicode } from './pdfkit-fixes.js';

export type Pdf = PDFKit.PDFDocument;

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  keywords?: string;
  /** ISO date; fixed from the project so that rebuilds are byte-identical. */
  date: string;
}

export const PAPER: Record<string, [number, number]> = {
  A2: [1190.55, 1683.78],
  A3: [841.89, 1190.55],
  A4: [595.28, 841.89],
};

/** A new PDF with the parsed fonts registered under their role names and fixed metadata. */
export function createPdf(book: FontBook, meta: PdfMeta, size: keyof typeof PAPER = 'A4', landscape = false): Pdf {
  const [w, h] = PAPER[size]!;
  const doc = new PDFDocument({
    size: landscape ? [h, w] : [w, h],
    margin: 0,
    autoFirstPage: false,
    // no default Helvetica: parsing its metrics costs a millisecond per document and it is never used
    font: null as unknown as string,
    bufferPages: false,
    compress: true,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Keywords: meta.keywords ?? '',
      Creator: 'normkit',
      Producer: 'normkit',
      CreationDate: new Date(`${meta.date}T00:00:00Z`),
      ModDate: new Date(`${meta.date}T00:00:00Z`),
    },
  });
  for (const role of FONT_ROLES) doc.registerFont(role, book[role].font as unknown as string);
  correctPdfkit(doc);
  useBfcharToUnicode(doc, FONT_ROLES[0]);
  return doc;
}

/** Collects the finished PDF into one buffer. */
export function finishPdf(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export function setFont(doc: Pdf, role: FontRole, size: number): void {
  doc.font(role).fontSize(size);
}

/** Streams the PDF into `out` as pages are finished; resolves once everything is flushed. */
export function finishPdfTo(doc: Pdf, out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.on('error', reject);
    doc.end();
  });
}
