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

  it('never breaks a standard number at its em dash or after its prefix, nor a date or an article number', () => {
    expect(atoms('按GB/T 39046—2020执行')).toContain('GB/T 39046—2020');
    expect(atoms('按Q/YLZW 2001—2024，')).toContain('Q/YLZW 2001—2024，');
    for (const text of ['事项类型按GB/T 39046—2020的代码集划分。', '补正告知按Q/YLZW 2002—2024执行。', '自2024年3月1日起依照第三十五条办理。', '于2024-03-01起施行。']) {
      for (let w = 6; w <= 24; w++) {
        const lines = breakLines(text, w, unit);
        expect(lines.join('')).toBe(text);
        for (const [i, line] of lines.entries()) {
          const next = lines[i + 1] ?? '';
          expect(/—$/.test(line) && /^\d{4}/.test(next), `${w}: ${line} | ${next}`).toBe(false);
          expect(/(GB\/T|Q\/YLZW) ?$/.test(line) && /^\d/.test(next), `${w}: ${line} | ${next}`).toBe(false);
          expect(/\d$/.test(line) && /^(\d|年|月|日|条|-)/.test(next), `${w}: ${line} | ${next}`).toBe(false);
          expect(/第[一二三四五十]*$/.test(line), `${w}: ${line}`).toBe(false);
        }
      }
    }
  });

  it('pulls a character down rather than leave one alone on the last line', () => {
    // greedy at width 11 would leave “所。” alone
    const text = '一二三四五六七八九十场所。';
    const lines = breakLines(text, 11, unit);
    expect(lines.join('')).toBe(text);
    expect(lines).toEqual(['一二三四五六七八九十', '场所。']);
    for (const t of ['首问责任人应热情接待，认真回答服务对象的询问，不属于本窗口职责的，应告知承办窗口的地点和电话号码等信息，做到有问必答场所。', '本文件适用于中心及各乡镇便民服务中心开展综合受理服务。']) {
      for (let w = 5; w <= 30; w++) {
        const lines = breakLines(t, w, unit);
        expect(lines.join('')).toBe(t);
        assertKinsoku(lines);
        if (lines.length > 1) expect([...lines[lines.length - 1]!].filter((c) => !NO_LINE_START.has(c)).length, `${w}: ${lines.join('|')}`).toBeGreaterThan(1);
        expect(lines.every((l) => unit(l) <= w)).toBe(true);
      }
    }
  });

  it('gives the first line its own width (first-line indent)', () => {
    const lines = breakLines('一二三四五六七八九十一二三四五六七八九十', 10, unit, 8);
    expect(lines[0]).toHaveLength(8);
    expect(lines[1]).toHaveLength(10);
  });
});
