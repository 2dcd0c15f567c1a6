import type { FontBook, FontRole } from '../../typography/fonts.js';
import type { PosterFit, PosterMeasurer } from '../../layout/poster-fit.js';
import type { MaterialView, Pair, PosterView, SectionView } from '../../views/poster-view.js';
import { createPdf, finishPdf, PAPER, type Pdf } from './document.js';
import { Flow, type Frame, type TextStyle } from './flow.js';
import { MM } from './page-frame.js';
import { drawProcess } from './process-flow.js';
import { drawQr } from './qr.js';
import { drawTable, type Column } from './table.js';
import { showText } from './show-text.js';

/** Title and label sizes on A3, in points (scaled by the paper): the same on every poster of a project, so a wall reads as one set. */
export const POSTER_TYPE = { title: 30, kicker: 13, label: 16 } as const;

export const POSTER_COLORS = { accent: '#1f4e8c', red: '#c0262d', tint: '#eef3fa', head: '#dfe8f3', muted: '#4f5b68', rule: '#c5d0de', promise: '#fdf2ef' };

interface Measure { used: number; avail: number }

const TEXT_ROLE: FontRole = 'body';
const LEAD = 1.5;

/** Measures sheets with dry layouts on one reused document (the fit is decided in src/layout). */
export function posterMeasurer(book: FontBook): PosterMeasurer {
  let doc: Pdf | undefined;
  return (view, pt) => {
    doc ??= createPdf(book, view.meta, view.paper);
    return layout(doc, book, view, pt, true, 0);
  };
}

/** The poster's sheets as a PDF, one page each, at the fitted size. */
export async function renderPosterPdf(fit: PosterFit, book: FontBook): Promise<Buffer> {
  const first = fit.sheets[0]!;
  const doc = createPdf(book, first.meta, first.paper);
  for (const [i, sheet] of fit.sheets.entries()) {
    // as the fit measured it: the sheet is laid out once more, to draw
    const m = fit.measures[i]!;
    // spread what is left over the gaps between sections, within reason
    const gaps = Math.max(1, sheet.sections.length);
    const extra = Math.min((m.avail - m.used) / gaps, fit.size * sheet.scale * 3);
    layout(doc, book, sheet, fit.size, false, Math.max(0, extra));
  }
  return finishPdf(doc);
}

function layout(doc: Pdf, book: FontBook, view: PosterView, pt: number, dry: boolean, extra: number): Measure {
  const s = view.scale;
  const b = pt * s;
  const L = POSTER_TYPE.label * s;
  const [W, H] = PAPER[view.paper]!;
  const M = 15 * MM * s;
  const frame: Frame = { width: W, height: dry ? 1e7 : H, top: M, bottom: M, left: M, right: M };
  const flow = new Flow(doc, book, frame, dry);
  flow.newPage();
  const cw = flow.contentWidth;
  const C = POSTER_COLORS;

  // title band
  const kicker = `${view.organization}　${view.kicker.zh}${view.kicker.en ? `  ${view.kicker.en}` : ''}`;
  const kStyle: TextStyle = { role: 'heading', size: POSTER_TYPE.kicker * s, leading: 1.5, align: 'center', color: '#dfe8f5', width: cw - 2 * POSTER_TYPE.kicker * s };
  const tStyle: TextStyle = { role: 'title', size: POSTER_TYPE.title * s, leading: 1.3, align: 'center', color: '#ffffff', width: cw - 2 * POSTER_TYPE.kicker * s };
  const padY = POSTER_TYPE.kicker * s * 0.9;
  const kLines = flow.lines(kicker, kStyle);
  const tLines = flow.lines(view.name, tStyle);
  const bandH = padY + kLines.length * flow.lineHeight(kStyle) + tLines.length * flow.lineHeight(tStyle) + padY;
  if (!dry) {
    doc.save().rect(M, M, cw, bandH).fill(C.accent).rect(M, M + bandH, cw, b * 0.22).fill(C.red).restore();
    let y = M + padY;
    kLines.forEach((l) => { flow.drawLine(l, kStyle, true, true, M + POSTER_TYPE.kicker * s, y); y += flow.lineHeight(kStyle); });
    tLines.forEach((l) => { flow.drawLine(l, tStyle, true, true, M + POSTER_TYPE.kicker * s, y); y += flow.lineHeight(tStyle); });
  }
  flow.y = M + bandH + b * 0.22 + b * 0.6;
  // department, window, code and type: whole pairs per line, centred
  const infoStyle: TextStyle = { role: TEXT_ROLE, size: b * 0.95, leading: LEAD, align: 'center', color: C.muted };
  const infoLines: string[] = [];
  const info = view.sheet ? [...view.info.map(pairText), `第${view.sheet.no}张，共${view.sheet.of}张`] : view.info.map(pairText);
  for (const t of info) {
    const last = infoLines[infoLines.length - 1];
    if (last !== undefined && flow.measure(`${last}　　${t}`, TEXT_ROLE, infoStyle.size) <= cw) infoLines[infoLines.length - 1] = `${last}　　${t}`;
    else infoLines.push(t);
  }
  for (const line of infoLines) flow.text(line, infoStyle);
  flow.space(b * 0.5);

  // the nine disclosures; short ones share a row
  const colGap = b * 1.5;
  groupSections(flow, view.sections, b, L, cw, colGap).forEach((row, i) => {
    if (i > 0) {
      flow.space((b * 0.55 + extra) / 2);
      if (!dry) doc.save().lineWidth(0.5 * s).strokeColor(C.rule).dash(2 * s, { space: 2 * s }).moveTo(M, flow.y).lineTo(M + cw, flow.y).stroke().undash().restore();
      flow.space((b * 0.55 + extra) / 2);
    }
    const y0 = flow.y;
    if (row.length === 1) drawSection(flow, row[0]!, b, L, 0, cw);
    else {
      const colW = (cw - (row.length - 1) * colGap) / row.length;
      let bottom = y0;
      row.forEach((sec, k) => {
        flow.y = y0;
        drawSection(flow, sec, b, L, k * (colW + colGap), colW);
        bottom = Math.max(bottom, flow.y);
        if (k > 0 && !dry) {
          const x = M + k * (colW + colGap) - colGap / 2;
          doc.save().lineWidth(0.5 * s).strokeColor(C.rule).dash(2 * s, { space: 2 * s }).moveTo(x, y0).lineTo(x, y0 + b * LEAD).stroke().undash().restore();
        }
      });
      flow.y = bottom;
    }
  });

  // commitment and contacts, anchored at the foot of the page
  const commit = commitment(flow, view, b, cw);
  const foot = footer(flow, view, b, cw);
  const gap = b * 0.8;
  const footTop = H - M - foot.height;
  const commitTop = footTop - (commit.height ? gap + commit.height : 0);
  if (!dry) {
    commit.draw(M, commitTop);
    foot.draw(M, footTop);
  }
  const used = (flow.y - M) + gap + (commit.height ? commit.height + gap : 0) + foot.height;
  if (!dry && flow.y > commitTop - gap + 0.5) throw new Error(`poster ${view.slug}: sections overlap the foot`);
  return { used, avail: H - 2 * M };
}

function pairText(p: Pair): string {
  return `${p.label}${p.en ? ` ${p.en}` : ''}：${p.value}`;
}

/** Number badge and label at the cursor; returns the label's width from the left margin. */
function sectionHead(flow: Flow, sec: SectionView, b: number, labelSize: number, dx = 0): { full: number; indent: number } {
  const badge = labelSize * 1.3;
  const indent = badge + b * 0.5;
  const lh = b * LEAD;
  const labelW = flow.measure(sec.zh, 'heading', labelSize);
  const enSize = b * 0.72;
  const enW = sec.en ? flow.measure(sec.en, 'sans', enSize) + b * 0.4 : 0;
  const x = flow.frame.left + dx;
  if (!flow.dry) {
    const doc = flow.doc;
    const top = flow.y + (lh - badge) / 2;
    doc.save().roundedRect(x, top, badge, badge, b * 0.2).fill(POSTER_COLORS.accent).restore();
    const nw = flow.measure(sec.no, 'heading', labelSize * 0.95);
    showText(doc.font('heading').fontSize(labelSize * 0.95).fillColor('#ffffff'), sec.no, x + (badge - nw) / 2, top + (badge - labelSize * 0.95 * 1.2) / 2 + b * 0.02);
    showText(doc.font('heading').fontSize(labelSize).fillColor(POSTER_COLORS.accent), sec.zh, x + indent, flow.y + (lh - labelSize * 1.2) / 2);
    if (sec.en) showText(doc.font('sans').fontSize(enSize).fillColor(POSTER_COLORS.muted), sec.en, x + indent + labelW + b * 0.4, flow.y + (lh - enSize * 1.2) / 2 + (labelSize - enSize) * 0.35);
  }
  return { full: indent + labelW + enW + b * 0.9, indent };
}

/** The text of a section that reads on the header's line (no note, no list or table), if it is one. */
function inlineText(sec: SectionView): string | undefined {
  if (sec.kind === 'text') return sec.note ? undefined : sec.text;
  if (sec.kind === 'pairs') return sec.note ? undefined : sec.pairs.map(pairText).join('　　');
  return undefined;
}

/** Rows of sections: consecutive one-line sections share a row (up to three) when each fits its column. */
function groupSections(flow: Flow, sections: SectionView[], b: number, labelSize: number, cw: number, gap: number): SectionView[][] {
  const fits = (sec: SectionView, width: number): boolean => {
    const text = inlineText(sec);
    if (text === undefined) return false;
    const badge = labelSize * 1.3 + b * 0.5;
    const head = badge + flow.measure(sec.zh, 'heading', labelSize) + (sec.en ? flow.measure(sec.en, 'sans', b * 0.72) + b * 0.4 : 0) + b * 0.9;
    return head + flow.measure(text, TEXT_ROLE, b) <= width;
  };
  const rows: SectionView[][] = [];
  let i = 0;
  while (i < sections.length) {
    let n = 3;
    for (; n > 1; n--) {
      const run = sections.slice(i, i + n);
      if (run.length === n && run.every((sec) => fits(sec, (cw - (n - 1) * gap) / n))) break;
    }
    rows.push(sections.slice(i, i + n));
    i += n;
  }
  return rows;
}

function drawSection(flow: Flow, sec: SectionView, b: number, labelSize: number, dx: number, width: number): void {
  const head = sectionHead(flow, sec, b, labelSize, dx);
  const body: TextStyle = { role: TEXT_ROLE, size: b, leading: LEAD, indent: head.indent };
  const inline = (text: string): void => {
    flow.text(text, { ...body, width, firstLine: (head.full - head.indent) / b }, { x: flow.frame.left + dx });
  };
  const below = (): void => { flow.y += b * LEAD; };
  const cw = flow.contentWidth;
  switch (sec.kind) {
    case 'text':
      inline(sec.text);
      if (sec.note) flow.text(sec.note, { ...body, size: b * 0.9, color: POSTER_COLORS.muted });
      break;
    case 'pairs': {
      // on one line when they fit, else one pair a line (a pair is never split at the join)
      const one = sec.pairs.map(pairText).join('　　');
      const oneLine = flow.lines(one, { ...body, width, firstLine: (head.full - head.indent) / b }).length === 1;
      if (oneLine) inline(one);
      else sec.pairs.forEach((p, i) => (i === 0 ? inline(pairText(p)) : flow.text(pairText(p), { ...body, width }, { x: flow.frame.left + dx })));
      if (sec.note) flow.text(sec.note, { ...body, size: b * 0.9, color: POSTER_COLORS.muted });
      break;
    }
    case 'list': {
      // items under the label, or beside it (a label column) when that takes fewer lines
      const items = sec.items.map((item, i) => {
        const marker = sec.items.length > 1 || sec.first ? `${(sec.first ?? 1) + i}．` : '';
        return { text: marker + item, hang: marker ? flow.measure(marker, TEXT_ROLE, b) : 0 };
      });
      const height = (indent: number): number => items.reduce((h, it) => h + flow.heightOf(it.text, { ...body, indent, hang: it.hang }), 0);
      const beside = height(head.full) < b * LEAD + height(head.indent);
      if (!beside) below();
      for (const it of items) flow.text(it.text, { ...body, indent: beside ? head.full : head.indent, hang: it.hang });
      break;
    }
    case 'faq':
      below();
      for (const f of sec.faq) {
        flow.text(`问：${f.q}`, { ...body, role: 'heading' });
        flow.text(`答：${f.a}`, body);
      }
      break;
    case 'process':
      below();
      flow.space(b * 0.2);
      drawProcess(flow, sec.steps, { size: b, role: TEXT_ROLE, x: flow.frame.left + head.indent, width: cw - head.indent, color: POSTER_COLORS.accent, tint: POSTER_COLORS.tint });
      break;
    case 'materials': {
      below();
      if (sec.rows.length) {
        flow.space(b * 0.2);
        withColumn(flow, head.indent, () => drawMaterials(flow, sec.rows, { size: b, role: TEXT_ROLE, detailed: false }));
      }
      if (sec.note) flow.text(sec.note, body);
      break;
    }
  }
  // what the wall digest left to the guide is said where it was cut
  if (sec.more) flow.text(`（${sec.more}）`, { ...body, size: b * 0.9, color: POSTER_COLORS.muted }, { x: flow.frame.left + dx });
}

export interface MaterialsOptions { size: number; role: FontRole; detailed: boolean; headerFill?: string }

/**
 * 所需材料 as a table: 序号, 名称, 份数, 形式, 是否必需 (+ 出具单位 when detailed) + 备注 when any
 * material has one. The free width is shared between the text columns so the table is as short as
 * possible.
 */
export function drawMaterials(flow: Flow, rows: MaterialView[], opts: MaterialsOptions): void {
  const b = opts.size;
  const pad = b * 0.35;
  const notes = rows.some((r) => r.note);
  const sources = opts.detailed && rows.some((r) => r.source);
  const fixed: Column[] = [
    { header: '序号', width: b * 2 + 2 * pad, align: 'center' },
    { header: '材料名称', flex: 1 },
    { header: '份数', width: b * 2 + 2 * pad, align: 'center' },
    { header: '形式', width: Math.max(...['形式', ...rows.map((r) => r.form)].map((t) => flow.measure(t, opts.role, b))) + 2 * pad + 1, align: 'center' },
    { header: '是否必需', width: flow.measure('是否必需', 'heading', b) + 2 * pad + 1, align: 'center' },
  ];
  const texts: ((r: MaterialView) => string)[] = [(r) => r.name];
  if (sources) { fixed.push({ header: '出具单位', flex: 1 }); texts.push((r) => r.source); }
  if (notes) { fixed.push({ header: '备注', flex: 1 }); texts.push((r) => r.note); }
  const flexIdx = fixed.map((c, i) => (c.flex ? i : -1)).filter((i) => i >= 0);
  const free = flow.contentWidth - fixed.reduce((sum, c) => sum + (c.flex ? 0 : c.width!), 0);
  // try shares of the free width in steps of 5 % and keep the one with the fewest lines
  const shares = flexShares(flexIdx.length);
  let best = shares[0]!;
  let bestLines = Infinity;
  for (const share of shares) {
    // rows' heights in lines, plus a little for each cell whose last line is one or two characters
    let orphans = 0;
    const total = rows.reduce((sum, r) => sum + Math.max(...texts.map((t, k) => {
      const w = free * share[k]! - 2 * pad;
      if (w <= b * 2) return 99;
      const lines = flow.lines(t(r), { role: opts.role, size: b, width: w });
      if (lines.length > 1 && [...lines[lines.length - 1]!].length <= 2) orphans++;
      return lines.length;
    })), 0) + orphans * 0.1;
    if (total < bestLines) { bestLines = total; best = share; }
  }
  const columns = fixed.map((c, i) => (c.flex ? { ...c, flex: undefined, width: free * best[flexIdx.indexOf(i)]! } : c));
  drawTable(flow, {
    columns,
    rows: rows.map((r) => ({ cells: [String(r.no), r.name, r.copies, r.form, r.required, ...(sources ? [r.source] : []), ...(notes ? [r.note] : [])], role: opts.role })),
    size: b,
    headerFill: opts.headerFill ?? POSTER_COLORS.head,
    leading: 1.3,
    padding: pad,
  });
}

function flexShares(n: number): number[][] {
  if (n <= 1) return [[1]];
  const out: number[][] = [];
  const steps = 20;
  const rec = (prefix: number[], left: number): void => {
    if (prefix.length === n - 1) { if (left >= 3) out.push([...prefix, left].map((x) => x / steps)); return; }
    for (let k = 3; k <= left - 3; k++) rec([...prefix, k], left - k);
  };
  rec([], steps);
  return out;
}

/** Runs `draw` with the frame's left edge moved in by `indent` (tables draw across the frame). */
export function withColumn(flow: Flow, indent: number, draw: () => void): void {
  const saved = flow.frame;
  flow.frame = { ...saved, left: saved.left + indent };
  try {
    draw();
  } finally {
    flow.frame = saved;
  }
}

interface Block { height: number; draw: (x: number, y: number) => void }

/** Lays out a paragraph at a fixed place: label in the heading face, text continuing after it. */
function labelled(flow: Flow, label: string, text: string, b: number, width: number, color: string): Block {
  const labelW = flow.measure(label, 'heading', b);
  const style: TextStyle = { role: TEXT_ROLE, size: b, leading: LEAD, width, firstLine: labelW / b };
  const lines = flow.lines(text, style);
  const lh = b * LEAD;
  return {
    height: lines.length * lh,
    draw: (x, y) => {
      showText(flow.doc.font('heading').fontSize(b).fillColor(color), label, x, y + (lh - b * 1.2) / 2);
      lines.forEach((l, i) => flow.drawLine(l, style, i === 0, i === lines.length - 1, x, y + i * lh));
    },
  };
}

function commitment(flow: Flow, view: PosterView, b: number, cw: number): Block {
  const c = view.commitment;
  if (!c) return { height: 0, draw: () => undefined };
  const pad = b * 0.6;
  const bar = b * 0.35;
  const inner = labelled(flow, `${c.label}${c.en ? ` ${c.en}` : ''}：`, c.text, b, cw - 2 * pad - bar, POSTER_COLORS.red);
  return {
    height: inner.height + 2 * pad,
    draw: (x, y) => {
      flow.doc.save().rect(x, y, cw, inner.height + 2 * pad).fill(POSTER_COLORS.promise).rect(x, y, bar, inner.height + 2 * pad).fill(POSTER_COLORS.red).restore();
      inner.draw(x + bar + pad, y + pad);
    },
  };
}

function footer(flow: Flow, view: PosterView, b: number, cw: number): Block {
  const s = view.scale;
  const qrSide = 26 * MM * s;
  const qrGap = b * 1.2;
  const qrW = view.qr.length * qrSide + Math.max(0, view.qr.length - 1) * qrGap;
  const textW = cw - (qrW ? qrW + b * 1.5 : 0);
  const lines = view.contacts.map((p) => labelled(flow, `${p.label}${p.en ? ` ${p.en}` : ''}：`, p.value, b, textW, POSTER_COLORS.accent));
  const textH = lines.reduce((h, l) => h + l.height, 0);
  const capSize = b * 0.9;
  const capH = view.qr.length ? capSize * 1.4 * (view.qr.some((q) => q.labelEn) ? 2 : 1) : 0;
  const qrH = view.qr.length ? qrSide + capH : 0;
  const padTop = b * 0.7;
  const height = padTop + Math.max(textH, qrH);
  return {
    height,
    draw: (x, y) => {
      const doc = flow.doc;
      doc.save().lineWidth(1.5 * s).strokeColor(POSTER_COLORS.accent).moveTo(x, y).lineTo(x + cw, y).stroke().restore();
      let ty = y + padTop + Math.max(0, (qrH - textH) / 2);
      for (const l of lines) { l.draw(x, ty); ty += l.height; }
      let qx = x + cw - qrW;
      for (const q of view.qr) {
        drawQr(doc, q, qx, y + padTop, qrSide);
        doc.save().lineWidth(0.5 * s).strokeColor(POSTER_COLORS.rule).rect(qx, y + padTop, qrSide, qrSide).stroke().restore();
        const cap = `扫码${q.label}`;
        const w = flow.measure(cap, 'heading', capSize);
        showText(doc.font('heading').fontSize(capSize).fillColor(POSTER_COLORS.accent), cap, qx + (qrSide - w) / 2, y + padTop + qrSide + capSize * 0.15);
        if (q.labelEn) {
          const ew = flow.measure(q.labelEn, 'sans', capSize * 0.8);
          showText(doc.font('sans').fontSize(capSize * 0.8).fillColor(POSTER_COLORS.muted), q.labelEn, qx + (qrSide - ew) / 2, y + padTop + qrSide + capSize * 1.55);
        }
        qx += qrSide + qrGap;
      }
    },
  };
}
