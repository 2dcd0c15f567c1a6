import { describe, expect, it } from 'vitest';
import { atoms, breakLines, NO_LINE_END, NO_LINE_START } from '../src/typography/linebreak.js';

const unit = (s: string): number => [...s].length; // every character one unit wide

function assertKinsoku(lines: string[]): void {
  for (const line of lines) {
    expect(NO_LINE_START.has([...line][0] ?? ''), `line starts with closing punctuation: ${line}`).toBe(false);
    expect(NO_LINE_END.has([...line].at(-1) ?? ''), `line ends with opening punctuation: ${line}`).toBe(false);
  }
}

describe('Chinese line breaking', () => {
  it('never starts a line with closing punctuation', () => {
    // width 5: a naive breaker would put “，” at the start of line 2
    const lines = breakLines('一二三四五，六七八九十。', 5, unit);
    assertKinsoku(lines);
    expect(lines.join('')).toBe('一二三四五，六七八九十。');
    expect(lines[0]).toBe('一二三四');
  });

  it('never ends a line with opening punctuation', () => {
    const lines = breakLines('一二三四《标准化法》规定', 5, unit);
    assertKinsoku(lines);
    expect(lines.join('')).toBe('一二三四《标准化法》规定');
  });

  it('keeps Latin words and numbers whole', () => {
    const lines = breakLines('依据GB/T 1.1—2020起草', 6, unit);
    expect(lines.some((l) => l.includes('GB/T'))).toBe(true);
    expect(atoms('ab12，中')).toEqual(['ab12，', '中']);
  });

  it('holds on many crafted paragraphs at every width', () => {
    const samples = [
      '首问责任人应热情接待，认真回答；不属于本窗口职责的，应告知承办窗口（地点、电话）。',
      '“一次性告知”是指：材料不齐全的，一次性告知需要补正的全部内容！',
      '办理时间为周一至周五9:00—17:00，节假日除外……详见《办事指南》。',
      '（一）受理；（二）审查；（三）决定。',
    ];
    for (const text of samples) {
      for (let w = 3; w <= 20; w++) {
        const lines = breakLines(text, w, unit);
        assertKinsoku(lines);
        expect(lines.join('')).toBe(text.replace(/ +/g, ' '));
      }
    }
  });

  it('splits an unbreakable run that is wider than the line', () => {
    const lines = breakLines('https://zwfw.example.gov.cn/a/very/long/path', 10, unit);
    expect(lines.every((l) => unit(l) <= 10)).toBe(true);
    expect(lines.join('')).toBe('https://zwfw.example.gov.cn/a/very/long/path');
  });
});
