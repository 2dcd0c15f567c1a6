/** Standard numbers, dates and article numbers kept on one line in every HTML page (checklists and reports too). */
import { describe, expect, it } from 'vitest';
import { nowrapNumbers } from '../src/render/html/nowrap.js';

describe('nowrap spans in HTML text', () => {
  it('wraps numbers in text, in links and table cells', () => {
    expect(nowrapNumbers('<td>按<a href="x.html">Q/YLZW 2001—2024</a>执行</td>'))
      .toBe('<td>按<a href="x.html"><span class="nowrap">Q/YLZW 2001—2024</span></a>执行</td>');
    expect(nowrapNumbers('<p>依据GB/T 39046—2020第十二条，自2024-03-01起</p>'))
      .toBe('<p>依据<span class="nowrap">GB/T 39046—2020</span><span class="nowrap">第十二条</span>，自<span class="nowrap">2024-03-01</span>起</p>');
  });

  it('leaves attributes, comments, scripts, styles and SVG alone', () => {
    const html = '<a title="GB/T 1.1—2020" href="#">x</a><!-- GB/T 1.1—2020 --><script>var a = "GB/T 1.1—2020";</script><style>/* 2024-01-01 */</style><svg><text>GB/T 1.1—2020</text></svg><p>GB/T 1.1—2020</p>';
    expect(nowrapNumbers(html)).toBe('<a title="GB/T 1.1—2020" href="#">x</a><!-- GB/T 1.1—2020 --><script>var a = "GB/T 1.1—2020";</script><style>/* 2024-01-01 */</style><svg><text>GB/T 1.1—2020</text></svg><p><span class="nowrap">GB/T 1.1—2020</span></p>');
  });

  it('leaves text without numbers as it is', () => {
    const html = '<p>首问负责，一次性告知。</p><p>共 25 项</p>';
    expect(nowrapNumbers(html)).toBe(html);
  });
});
