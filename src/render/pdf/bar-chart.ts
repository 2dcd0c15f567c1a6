import type { BarChart } from '../../views/report-view.js';
import type { Flow } from './flow.js';
import { showText } from './show-text.js';

/** Draws a bar chart laid out by the view as pdfkit vector paths, scaled to the frame width. */
export function drawBarChart(flow: Flow, chart: BarChart): void {
  const scale = Math.min(1, flow.contentWidth / chart.width);
  const height = chart.height * scale;
  flow.ensure(height);
  if (!flow.dry) {
    const doc = flow.doc;
    const ox = flow.frame.left;
    const oy = flow.y;
    const X = (x: number): number => ox + x * scale;
    const Y = (y: number): number => oy + y * scale;
    const size = chart.fontSize * scale;
    // text is placed by its top; centre it on a line at y
    const label = (text: string, x: number, y: number, align: 'left' | 'right' | 'center', role: 'sans' | 'body' = 'sans'): void => {
      const w = flow.measure(text, role, size);
      const left = align === 'right' ? X(x) - w : align === 'center' ? X(x) - w / 2 : X(x);
      showText(doc.font(role).fontSize(size).fillColor('#000'), text, left, Y(y) - size * 0.62);
    };
    doc.save();
    for (const l of chart.legend) {
      doc.rect(X(l.x), Y(l.y), 10 * scale, 10 * scale).fill(l.color);
      if (l.outline) doc.lineWidth(0.5).rect(X(l.x), Y(l.y), 10 * scale, 10 * scale).stroke('#8a96a8');
      label(l.label, l.textX, l.y + 5, 'left', 'body');
    }
    doc.lineWidth(0.4).strokeColor('#c8ced6');
    for (const t of chart.ticks) doc.moveTo(X(t.x), Y(chart.axis.y1)).lineTo(X(t.x), Y(chart.axis.y2)).stroke();
    for (const b of chart.bars) {
      if (b.track) doc.rect(X(b.track.x), Y(b.y), b.track.w * scale, b.h * scale).fill('#e4e9f0');
      if (b.w > 0) doc.rect(X(b.x), Y(b.y), b.w * scale, b.h * scale).fill(b.color);
      label(b.label, b.labelX, b.y + b.h / 2, 'right');
      label(b.value, b.valueX, b.y + b.h / 2, 'left', 'body');
    }
    doc.lineWidth(0.8).strokeColor('#333').moveTo(X(chart.axis.x), Y(chart.axis.y1)).lineTo(X(chart.axis.x), Y(chart.axis.y2)).stroke();
    for (const t of chart.ticks) label(t.label, t.x, chart.tickY + chart.fontSize * 0.45, 'center', 'body');
    doc.restore();
  }
  flow.y += height;
}
