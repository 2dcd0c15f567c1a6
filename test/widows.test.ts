/** Widow and orphan control of the PDF flow (standards): two lines of a paragraph on each side of a page break. */
import { describe, expect, it } from 'vitest';
import { Flow, type Frame, type TextStyle } from '../src/render/pdf/flow.js';
import { loadFontBook } from '../src/typography/fonts.js';
import type { Pdf } from '../src/render/pdf/document.js';

const book = loadFontBook({});
const frame: Frame = { width: 400, height: 400, top: 20, bottom: 20, left: 20, right: 20 };
const style: TextStyle = { role: 'body', size: 10, leading: 2 }; // 20 pt a line, 18 lines a page
const para = (lines: number): string => '政'.repeat(36 * lines - 3) + '服务。'; // 36 characters fill a line

/** A dry flow (nothing drawn) with `room` lines left on its first page; returns the page of each line. */
function layOut(room: number, lines: number): { first: number; pageAfter: number; yAfter: number } {
  const flow = new Flow(null as unknown as Pdf, book, frame, true);
  flow.widowControl = true;
  flow.newPage();
  flow.y = frame.height - frame.bottom - room * 20;
  expect(flow.lines(para(lines), style)).toHaveLength(lines);
  const first = flow.text(para(lines), style);
  return { first, pageAfter: flow.page, yAfter: flow.y };
}

describe('widow and orphan control', () => {
  it('moves a paragraph whose first line alone would fit (no orphan)', () => {
    expect(layOut(1, 5).first).toBe(1);
  });

  it('breaks one line early rather than leave the last line alone on the next page (no widow)', () => {
    // 5 lines, 4 fit: 3 stay, 2 go over
    const r = layOut(4, 5);
    expect(r.first).toBe(0);
    expect(r.pageAfter).toBe(1);
    expect(r.yAfter).toBe(frame.top + 2 * 20);
  });

  it('moves a short paragraph (three lines) whole', () => {
    expect(layOut(2, 3).first).toBe(1);
  });

  it('leaves the break alone when both sides already have two lines', () => {
    const r = layOut(3, 5);
    expect(r.first).toBe(0);
    expect(r.yAfter).toBe(frame.top + 2 * 20);
  });

  it('is off unless asked for (guides and posters lay out as before)', () => {
    const flow = new Flow(null as unknown as Pdf, book, frame, true);
    flow.newPage();
    flow.y = frame.height - frame.bottom - 20;
    expect(flow.text(para(5), style)).toBe(0);
  });
});
