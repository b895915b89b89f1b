import fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateFontFiles } from './fonts.js';
import { fitText, widthOf, wrapText } from './text-fit.js';

let font: FontkitFont;

beforeAll(() => {
  font = fontkit.create(fs.readFileSync(certificateFontFiles.mincho));
});

describe('text-fit (#9 §2 layout)', () => {
  it('#9: a closing mark that does not fit takes the character before it to the next line, never past the edge', () => {
    // 10 full-width characters fill 100 pt at 10 pt; the 。 would be the 11th.
    const lines = wrapText(font, '上記の者は本学に在学。次', 10, 100);
    expect(lines).toEqual(['上記の者は本学に在', '学。次']);
    for (const line of lines) expect(widthOf(font, line, 10)).toBeLessThanOrEqual(100);
  });

  it('#9: an opening bracket at the end of a line goes to the next with what it opens', () => {
    expect(wrapText(font, '一二三四五六七八九「十」', 10, 100)).toEqual(['一二三四五六七八九', '「十」']);
  });

  it('#9: fitText keeps the size when the text fits, shrinks to one line down to the floor, then wraps', () => {
    expect(fitText(font, '山田 太郎', { size: 17, minSize: 12, maxWidth: 300 })).toEqual({
      size: 17,
      lines: ['山田 太郎'],
    });
    const shrunk = fitText(font, '山'.repeat(20), { size: 17, minSize: 12, maxWidth: 300 });
    expect(shrunk.lines).toHaveLength(1);
    expect(shrunk.size).toBeGreaterThanOrEqual(12);
    expect(widthOf(font, shrunk.lines[0]!, shrunk.size)).toBeLessThanOrEqual(300);
    const wrapped = fitText(font, '山'.repeat(40), { size: 17, minSize: 12, maxWidth: 300 });
    expect(wrapped).toEqual({ size: 12, lines: ['山'.repeat(25), '山'.repeat(15)] });
  });

  it('#9: fitText goes below the floor rather than cut a name when the lines are limited', () => {
    const fitted = fitText(font, 'WOLFESCHLEGELSTEINHAUSENBERGERDORFF Hubert', {
      size: 9,
      minSize: 6,
      maxWidth: 100,
      maxLines: 1,
    });
    expect(fitted.lines).toEqual(['WOLFESCHLEGELSTEINHAUSENBERGERDORFF Hubert']);
    expect(fitted.size).toBeLessThan(6);
    expect(widthOf(font, fitted.lines[0]!, fitted.size)).toBeLessThanOrEqual(100);
  });
});
