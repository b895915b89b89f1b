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
 * wider than the line (a long URL) is cut where it must be. A closing mark that does not fit takes
 * the token before it to the next line (追い出し) rather than hanging past the edge: the lines are
 * set in boxes (table cells, the frame) that nothing may leave (#9).
 */
export function wrapText(font: FontkitFont, text: string, size: number, maxWidth: number): string[] {
  const tokens = text.match(unbreakable) ?? [];
  const lines: string[] = [];
  let line: string[] = [];
  let lineWidth = 0; // including trailing spaces
  const push = () => {
    const joined = line.join('').trimEnd();
    if (joined.trim() !== '') lines.push(joined);
    line = [];
    lineWidth = 0;
  };
  const append = (token: string) => {
    line.push(token);
    lineWidth += widthOf(font, token, size);
  };
  const fits = (token: string) => lineWidth + widthOf(font, token.trimEnd(), size) <= maxWidth + 0.01;
  /** Tokens taken off the end of the line to start the next one with. */
  const carryFor = (token: string): string[] => {
    const carried: string[] = [];
    if (noLineStart.has(token)) {
      while (line.length > 1 && (carried.length === 0 || noLineStart.has(carried[0]!))) carried.unshift(line.pop()!);
    }
    while (line.length > 1 && noLineEnd.has(line.at(-1)!)) carried.unshift(line.pop()!);
    return carried;
  };
  for (const token of tokens) {
    if (line.length === 0 && /^ +$/.test(token)) continue;
    if (fits(token)) {
      append(token);
      continue;
    }
    if (line.length > 0) {
      const carried = carryFor(token);
      lineWidth = widthOf(font, line.join(''), size);
      push();
      for (const piece of carried) append(piece);
      if (carried.length > 0 && fits(token)) {
        append(token);
        continue;
      }
      if (carried.length > 0) push();
    }
    const trimmed = token.replace(/^ +/, '');
    if (fits(trimmed)) {
      append(trimmed);
      continue;
    }
    for (const char of trimmed) {
      if (line.length > 0 && !fits(char)) push();
      append(char);
    }
  }
  push();
  return lines;
}

/** Text set to fit a width: its size and its lines. */
export interface FittedText {
  size: number;
  lines: string[];
}

export interface FitOptions {
  /** The size the text is set in when it fits. */
  size: number;
  /** It shrinks down to this size on one line before it wraps. */
  minSize: number;
  maxWidth: number;
  /** When it needs more lines than this at minSize, it shrinks further until it fits them. */
  maxLines?: number;
}

/**
 * Fits text into a width: at its size when it fits, else shrunk to one line down to the floor,
 * else wrapped at the floor; when even that takes more than maxLines, smaller still, since an
 * official document must print every character of a name rather than cut it.
 */
export function fitText(font: FontkitFont, text: string, options: FitOptions): FittedText {
  const { size, minSize, maxWidth, maxLines = Number.POSITIVE_INFINITY } = options;
  const natural = widthOf(font, text, size);
  if (natural <= maxWidth) return { size, lines: text ? [text] : [] };
  // Width grows with size in proportion; the 0.999 keeps rounding on the inside of the edge.
  const shrunk = Math.floor(((size * maxWidth) / natural) * 0.999 * 100) / 100;
  if (shrunk >= minSize) return { size: shrunk, lines: [text] };
  let smaller = minSize;
  let lines = wrapText(font, text, smaller, maxWidth);
  while (lines.length > maxLines && smaller > 3) {
    smaller = Math.round((smaller - 0.25) * 100) / 100;
    lines = wrapText(font, text, smaller, maxWidth);
  }
  return { size: smaller, lines };
}
