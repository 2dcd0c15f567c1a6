import { Resvg } from '@resvg/resvg-js';
import type { Font } from 'fontkit';
import type { FontBook, FontRole } from '../../typography/fonts.js';
import type { QrView } from '../../views/poster-view.js';
import type { BarChart } from '../../views/report-view.js';

/**
 * Pictures for Word documents (the score chart, QR codes) as PNG, drawn by resvg from SVG. Text is
 * written as outlines of the project's own fonts (through fontkit, already loaded), so the picture
 * needs no font on the machine and the same view always gives the same pixels.
 */

function toPng(svg: string, widthPt: number, dpi: number): Uint8Array {
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: Math.round((widthPt * dpi) / 72) }, font: { loadSystemFonts: false }, background: '#ffffff' });
  return r.render().asPng();
}

/** `text` as one SVG path in `font`, placed like SVG text (x at the anchor, y on the baseline). */
export function textPath(font: Font, text: string, x: number, y: number, size: number, anchor: 'start' | 'middle' | 'end' = 'start', fill = '#000'): string {
  type Pos = { xAdvance: number; xOffset: number; yOffset: number };
  type PathLike = { scale(x: number, y: number): PathLike; translate(x: number, y: number): PathLike; toSVG(): string };
  const run = font.layout(text) as unknown as { glyphs: { path: PathLike }[]; positions: Pos[] };
  const scale = size / font.unitsPerEm;
  const width = run.positions.reduce((s, p) => s + p.xAdvance, 0) * scale;
  let pen = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width;
  let d = '';
  run.glyphs.forEach((g, i) => {
    const path = g.path.scale(scale, -scale).translate(pen + run.positions[i]!.xOffset * scale, y - run.positions[i]!.yOffset * scale).toSVG();
    d += path;
    pen += run.positions[i]!.xAdvance * scale;
  });
  return d ? `<path fill="${fill}" d="${d}"/>` : '';
}

/** The report's bar chart, from the view's geometry (the one the HTML and PDF draw). */
export function barChartPng(chart: BarChart, book: FontBook, widthPt: number): { png: Uint8Array; width: number; height: number } {
  const font = (role: FontRole): Font => book[role].font;
  const s = chart.fontSize;
  const parts: string[] = [`<rect x="0" y="0" width="${chart.width}" height="${chart.height}" fill="#fff"/>`];
  for (const l of chart.legend) {
    parts.push(`<rect x="${l.x}" y="${l.y}" width="10" height="10" fill="${l.color}"${l.outline ? ' stroke="#8a96a8" stroke-width="0.5"' : ''}/>`);
    parts.push(textPath(font('body'), l.label, l.textX, l.baseline, s));
  }
  for (const t of chart.ticks) {
    parts.push(`<line x1="${t.x}" x2="${t.x}" y1="${chart.axis.y1}" y2="${chart.axis.y2}" stroke="#c8ced6" stroke-width="0.4"/>`);
    parts.push(textPath(font('body'), t.label, t.x, chart.tickBaseline, s, 'middle'));
  }
  for (const b of chart.bars) {
    if (b.track) parts.push(`<rect x="${b.track.x}" y="${b.y}" width="${b.track.w}" height="${b.h}" fill="#e4e9f0"/>`);
    if (b.w > 0) parts.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="${b.color}"/>`);
    parts.push(textPath(font('sans'), b.label, b.labelX, b.baseline, s, 'end'));
    parts.push(textPath(font('body'), b.value, b.valueX, b.baseline, s));
  }
  parts.push(`<line x1="${chart.axis.x}" x2="${chart.axis.x}" y1="${chart.axis.y1}" y2="${chart.axis.y2}" stroke="#333" stroke-width="0.8"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${chart.width} ${chart.height}" width="${chart.width}" height="${chart.height}">${parts.join('')}</svg>`;
  const width = Math.min(widthPt, chart.width);
  return { png: toPng(svg, width, 200), width, height: (chart.height * width) / chart.width };
}

/**
 * The same QR codes recur on every guide (the evaluation URL) and again in both booklets: the most
 * recently drawn are kept, as the view keeps their matrices.
 */
const qrs = new Map<string, Uint8Array>();
const QRS_KEPT = 64;

/** A QR code with its quiet zone, from the view's modules (300 dpi at its printed size). */
export function qrPng(qr: QrView, sidePt: number): Uint8Array {
  const key = `${sidePt} ${qr.path}`;
  const hit = qrs.get(key);
  if (hit) {
    qrs.delete(key);
    qrs.set(key, hit);
    return hit;
  }
  const png = drawQr(qr, sidePt);
  if (qrs.size >= QRS_KEPT) qrs.delete(qrs.keys().next().value!);
  qrs.set(key, png);
  return png;
}

function drawQr(qr: QrView, sidePt: number): Uint8Array {
  const n = qr.size + 8;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${qr.viewBox}" width="${n}" height="${n}" shape-rendering="crispEdges"><rect x="-4" y="-4" width="${n}" height="${n}" fill="#fff"/><path fill="#000" d="${qr.path}"/></svg>`;
  return toPng(svg, sidePt, 300);
}
