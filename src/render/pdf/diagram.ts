import { DIAGRAM_TEXT, type Diagram } from '../../views/catalog-view.js';
import type { Flow } from './flow.js';
import { showText } from './show-text.js';

/** Draws the structure diagram as vector boxes and connectors, scaled to the frame width. */
export function drawDiagram(flow: Flow, d: Diagram): void {
  const scale = Math.min(1, flow.contentWidth / d.width);
  const height = d.height * scale;
  flow.ensure(height);
  if (!flow.dry) {
    const doc = flow.doc;
    const ox = flow.frame.left + (flow.contentWidth - d.width * scale) / 2;
    const oy = flow.y;
    const X = (x: number): number => ox + x * scale;
    const Y = (y: number): number => oy + y * scale;
    doc.save().lineWidth(0.8).strokeColor('#333');
    for (const e of d.edges) {
      e.coords.forEach(([x, y], i) => (i === 0 ? doc.moveTo(X(x), Y(y)) : doc.lineTo(X(x), Y(y))));
      doc.stroke();
    }
    for (const b of d.boxes) {
      doc.lineWidth(b.kind === 'category' ? 0.6 : 1).rect(X(b.x), Y(b.y), b.w * scale, b.h * scale);
      if (b.kind === 'root') doc.fillAndStroke('#e8eef7', '#333');
      else if (b.kind === 'system') doc.fillAndStroke('#f3f6fa', '#333');
      else doc.stroke();
      const base = DIAGRAM_TEXT[b.kind].size * scale;
      const role = b.kind === 'category' ? 'sans' : 'heading';
      const lh = DIAGRAM_TEXT[b.kind].line * scale;
      const room = (b.w - 6) * scale;
      b.lines.forEach((line, i) => {
        // the view wrapped the label by an estimate; a line the real font sets wider is set smaller
        const natural = flow.measure(line, role, base);
        const size = natural > room ? (base * room) / natural : base;
        const w = flow.measure(line, role, size);
        const y = Y(b.y + b.h / 2) + (i - b.lines.length / 2) * lh + (lh - size * 1.2) / 2;
        showText(doc.font(role).fontSize(size).fillColor('#000'), line, X(b.x + b.w / 2) - w / 2, y);
      });
    }
    doc.restore();
  }
  flow.y += height;
}
