/**
 * Measuring text and breaking it into lines the way Japanese and English certificates are set:
 * Japanese breaks between any two characters but honours 禁則, English at spaces.
 */
import type { Font as FontkitFont } from '@pdf-lib/fontkit';

/** Characters that must not begin a line (行頭禁則) and must not end one (行末禁則). */
const noLineStart = new Set([
  ...'、。，．,.・：；？！ー…‥）」』】〕〉》］｝ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〜)]}',
]);
const noLineEnd = new Set([...'（「『【〔〈《［｛([{']);

/**
 * What a line never breaks inside: dates (令和9年3月, 第4学年, March 2027), runs of Latin letters and
 * digits (words, numbers, URLs) with a following space, runs of spaces; else one character.
 */
const unbreakable =
  /(?:令和|平成|昭和|大正|明治)?[0-9元]+年(?:度)?(?:[0-9]+月(?:[0-9]+日)?)?|第[0-9]+学年|(?:January|February|March|April|May|June|July|August|September|October|November|December) (?:[0-9]{1,2}, )?[0-9]{4}[.,;:]? ?|[A-Za-z0-9@#$%&*+=_\-./:?~'",;!()]+ ?| +|[^]/gu;

/** Width of a line as pdf-lib will draw it: the glyphs' advances (pdf-lib applies no kerning). */
export function widthOf(font: FontkitFont, text: string, size: number): number {
  if (!text) return 0;
  let units = 0;
  for (const glyph of font.glyphsForString(text)) units += glyph.advanceWidth;
  return (units * size) / font.unitsPerEm;
}

/**
 * Breaks text into lines no wider than maxWidth. Japanese breaks between any two characters but
 * keeps dates, numbers, words and URLs whole and honours 禁則; English breaks at spaces. A token
 * wider than the line (a long URL) is cut where it must be.
 */
export function wrapText(font: FontkitFont, text: string, size: number, maxWidth: number): string[] {
  const tokens = text.match(unbreakable) ?? [];
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0; // including trailing spaces
  const push = () => {
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
    lineWidth = 0;
  };
  const append = (token: string) => {
    line += token;
    lineWidth += widthOf(font, token, size);
  };
  const fits = (token: string) => lineWidth + widthOf(font, token.trimEnd(), size) <= maxWidth + 0.01;
  for (const token of tokens) {
    if (line === '' && /^ +$/.test(token)) continue;
    if (fits(token)) {
      append(token);
      continue;
    }
    if (line !== '' && noLineStart.has(token)) {
      // ぶら下げ: a closing mark hangs past the edge rather than starting the next line.
      append(token);
      continue;
    }
    if (line !== '') {
      const last = [...line].at(-1) ?? '';
      const carry = noLineEnd.has(last) ? last : '';
      if (carry) line = line.slice(0, -carry.length);
      push();
      if (carry) append(carry);
    }
    const trimmed = token.replace(/^ +/, '');
    if (fits(trimmed)) {
      append(trimmed);
      continue;
    }
    for (const char of trimmed) {
      if (line !== '' && !fits(char)) push();
      append(char);
    }
  }
  push();
  return lines;
}
