import { qrRuns, type QrView } from '../../views/poster-view.js';
import type { Pdf } from './document.js';

/** Quiet zone around a QR code, in modules (ISO/IEC 18004 asks for four). */
export const QR_QUIET = 4;

/**
 * Draws the view's QR matrix as vector rectangles (one per run of dark modules) on a white square of
 * `side` points that includes the quiet zone: sharp at any print size, nothing rasterized.
 */
export function drawQr(doc: Pdf, qr: QrView, x: number, y: number, side: number): void {
  const m = side / (qr.size + 2 * QR_QUIET);
  doc.save();
  doc.rect(x, y, side, side).fill('#ffffff');
  const ox = x + QR_QUIET * m;
  const oy = y + QR_QUIET * m;
  // runs overlap by a hair so no hairline gaps show between rows when rasterized
  for (const [r, c, n] of qrRuns(qr)) doc.rect(ox + c * m, oy + r * m, n * m + 0.01, m + 0.01);
  doc.fill('#000000');
  doc.restore();
}
