import { describe, expect, it } from 'vitest';
import { markdownToHtml, markdownToText } from './markdown.js';

describe('#12 A-3 university texts as Markdown', () => {
  it('#12 A-3 renders the subset: paragraphs, emphasis, lists, headings under the page title, http(s) and mailto links', () => {
    const html = markdownToHtml(
      '# Hours\n\nOpen **weekdays**, *not* holidays.\n\n- [Office](https://www.example.ac.jp/)\n- [Mail](mailto:office@example.ac.jp)',
    );
    expect(html).toContain('<h2>Hours</h2>');
    expect(html).toContain('<p>Open <strong>weekdays</strong>, <em>not</em> holidays.</p>');
    expect(html).toContain('<li><a href="https://www.example.ac.jp/" rel="noopener noreferrer">Office</a></li>');
    expect(html).toContain('<li><a href="mailto:office@example.ac.jp">Mail</a></li>');
  });

  it('#12 A-3 raw HTML, script and javascript:/data: links come out as inert text', () => {
    const html = markdownToHtml(
      [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(2)>',
        '[a](javascript:alert(3)) [b](JaVaScRiPt:alert(4)) [c](data:text/html,<b>) [d](vbscript:x)',
        '<a href="javascript:alert(5)">e</a>',
        '![image](https://example.com/x.png)',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<script|<img|<a href="(?!https:)|javascript:alert\(5\)"/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('[a](javascript:alert(3))');
  });

  it('#12 A-3 the plain-text form for mails keeps the words and the link addresses, drops the marks', () => {
    expect(markdownToText('Pay at the **cashier**.\n\n- By [bank](https://bank.example.jp/)\n- At a store')).toBe(
      'Pay at the cashier.\n\n・By bank (https://bank.example.jp/)\n・At a store',
    );
    expect(markdownToText('')).toBe('');
  });
});
