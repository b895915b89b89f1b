import { describe, expect, it } from 'vitest';
import { INVISIBLE_CONTROL, visibleControls } from './terminal-text.js';

describe('#8 text printed to an operator', () => {
  it('#8 escape sequences, NUL and bidi overrides are written out, never sent raw', () => {
    expect(visibleControls('a\u001b[2Jb\u0000c\u202ed\u2066')).toBe('a<U+001B>[2Jb<U+0000>c<U+202E>d<U+2066>');
    expect(visibleControls('山田 太郎')).toBe('山田 太郎');
    expect(INVISIBLE_CONTROL.test('\u0085')).toBe(true);
  });
});
