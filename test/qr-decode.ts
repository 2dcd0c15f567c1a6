import jsQR from 'jsqr';
import type { QrView } from '../src/views/poster-view.js';

/** Renders a view's QR matrix as pixels (4 px a module, white quiet zone) and decodes it independently. */
export function decodeQr(qr: QrView): string | undefined {
  const scale = 4;
  const quiet = 4;
  const n = (qr.size + 2 * quiet) * scale;
  const px = new Uint8ClampedArray(n * n * 4).fill(255);
  qr.rows.forEach((row, r) => [...row].forEach((bit, c) => {
    if (bit !== '1') return;
    for (let y = 0; y < scale; y++) for (let x = 0; x < scale; x++) {
      const i = (((r + quiet) * scale + y) * n + (c + quiet) * scale + x) * 4;
      px[i] = px[i + 1] = px[i + 2] = 0;
    }
  }));
  return jsQR(px, n, n)?.data;
}
