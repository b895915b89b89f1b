import { describe, expect, it } from 'vitest';
import { formField } from './form.js';
import { truncate, wellFormed } from './well-formed.js';

describe('#8 well-formed text', () => {
  it('#8 replaces lone surrogates and control characters, keeps pairs and (in bodies) line breaks', () => {
    expect(wellFormed('a\u0000b\u001b[0m\u0085')).toBe('a\ufffdb\ufffd[0m\ufffd');
    expect(wellFormed('\ud800x\udc00😀')).toBe('\ufffdx\ufffd😀');
    expect(wellFormed('one\ttwo\r\nthree', { lines: true })).toBe('one\ttwo\r\nthree');
    expect(wellFormed('one\ntwo')).toBe('one\ufffdtwo');
  });

  it('#8 cuts without splitting a surrogate pair, so encodeURIComponent never throws', () => {
    const emoji = '😀'.repeat(20);
    expect(truncate(emoji, 39)).toBe('😀'.repeat(19));
    expect(() => encodeURIComponent(formField({ code: emoji }, 'code', 39))).not.toThrow();
  });
});
