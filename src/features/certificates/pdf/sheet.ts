/**
 * An A4 page with the grid and colours every certificate uses, drawn on with y measured from the
 * top (baselines), as the layouts are written.
 */
import { rgb, type Color, type PDFPage } from 'pdf-lib';
import { type FontKey, type Fonts, runsOf } from './fonts.js';
import { type FitOptions, type FittedText, fitText, widthOf, wrapText } from './text-fit.js';

// A4 in points, and the grid everything sits on.
export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
export const MARGIN = 64;
export const CONTENT_W = PAGE_W - 2 * MARGIN;
export const FOOTER_TOP = PAGE_H - 152;

export const ink = rgb(0.08, 0.08, 0.1);
export const grey = rgb(0.38, 0.38, 0.42);
export const rule = rgb(0.55, 0.55, 0.6);
export const frame = rgb(0.3, 0.3, 0.36);
export const headerFill = rgb(0.92, 0.92, 0.94);

export interface TextStyle {
  size: number;
  font?: FontKey;
  color?: Color;
  align?: 'left' | 'center' | 'right';
}

export class Sheet {
  constructor(
    readonly page: PDFPage,
    readonly fonts: Fonts,
    /** False on a sheet that only measures where things would go (see measuring()). */
    private readonly drawing = true,
  ) {}

  /**
   * The same page for a trial run: text, lines and boxes are measured, not drawn. The seal and the
   * QR code write to the page itself, so a trial run stops short of them.
   */
  measuring(): Sheet {
    return new Sheet(this.page, this.fonts, false);
  }

  width(text: string, size: number, font: FontKey = 'mincho'): number {
    return widthOf(this.fonts.kit[font], text, size);
  }

  /** Draws one line; x is the left edge, the centre or the right edge per align. Returns its width. */
  text(text: string, x: number, y: number, style: TextStyle): number {
    const font = style.font ?? 'mincho';
    const width = this.width(text, style.size, font);
    const left = style.align === 'center' ? x - width / 2 : style.align === 'right' ? x - width : x;
    if (text && this.drawing) {
      let cursor = left;
      for (const run of runsOf(this.fonts, font, text)) {
        this.page.drawText(run.text, {
          x: cursor,
          y: PAGE_H - y,
          size: style.size,
          font: run.pdf,
          color: style.color ?? ink,
        });
        cursor += widthOf(run.kit, run.text, style.size);
      }
    }
    return width;
  }

  /** How text would be set to fit a width (shrunk, then wrapped), without drawing it. */
  fit(text: string, options: FitOptions, font: FontKey = 'mincho'): FittedText {
    return fitText(this.fonts.kit[font], text, options);
  }

  /**
   * Draws text fitted into a width (#9): shrunk down to minSize, then wrapped, each line
   * `leading` × its size below the last. Returns the baseline of the last line.
   */
  fitted(
    text: string,
    x: number,
    y: number,
    style: TextStyle & Omit<FitOptions, 'size'> & { leading?: number },
  ): number {
    const { size, lines } = this.fit(text, style, style.font);
    const step = size * (style.leading ?? 1.3);
    lines.forEach((line, i) => this.text(line, x, y + i * step, { ...style, size }));
    return y + Math.max(0, lines.length - 1) * step;
  }

  /** Characters spread evenly over a width (均等割り), as labels on Japanese certificates are. */
  distributed(text: string, x: number, y: number, width: number, style: TextStyle): void {
    const chars = [...text];
    if (chars.length < 2) {
      this.text(text, x, y, style);
      return;
    }
    const widths = chars.map((c) => this.width(c, style.size, style.font));
    const gap = (width - widths.reduce((a, b) => a + b, 0)) / (chars.length - 1);
    let cursor = x;
    chars.forEach((char, i) => {
      this.text(char, cursor, y, { ...style, align: 'left' });
      cursor += (widths[i] ?? 0) + gap;
    });
  }

  /** A line with extra space between the characters (titles). */
  spaced(text: string, centre: number, y: number, spacing: number, style: TextStyle): void {
    const chars = [...text];
    const widths = chars.map((c) => this.width(c, style.size, style.font));
    const total = widths.reduce((a, b) => a + b, 0) + spacing * (chars.length - 1);
    let cursor = centre - total / 2;
    chars.forEach((char, i) => {
      if (char !== ' ') this.text(char, cursor, y, { ...style, align: 'left' });
      cursor += (widths[i] ?? 0) + spacing;
    });
  }

  /** Wrapped lines from y (first baseline), each lineHeight below the last. Returns the last baseline. */
  paragraph(text: string, x: number, y: number, maxWidth: number, lineHeight: number, style: TextStyle): number {
    const lines = wrapText(this.fonts.kit[style.font ?? 'mincho'], text, style.size, maxWidth);
    lines.forEach((line, i) => this.text(line, x, y + i * lineHeight, style));
    return y + Math.max(0, lines.length - 1) * lineHeight;
  }

  hline(x1: number, x2: number, y: number, thickness = 0.5, color: Color = rule): void {
    if (!this.drawing) return;
    this.page.drawLine({
      start: { x: x1, y: PAGE_H - y },
      end: { x: x2, y: PAGE_H - y },
      thickness,
      color,
    });
  }

  vline(x: number, y1: number, y2: number, thickness = 0.5, color: Color = rule): void {
    if (!this.drawing) return;
    this.page.drawLine({ start: { x, y: PAGE_H - y1 }, end: { x, y: PAGE_H - y2 }, thickness, color });
  }

  /** A rectangle given by its top-left corner. */
  box(
    x: number,
    y: number,
    w: number,
    h: number,
    options: { fill?: Color; border?: Color; borderWidth?: number },
  ): void {
    if (!this.drawing) return;
    this.page.drawRectangle({
      x,
      y: PAGE_H - y - h,
      width: w,
      height: h,
      ...(options.fill ? { color: options.fill } : {}),
      ...(options.border ? { borderColor: options.border, borderWidth: options.borderWidth ?? 0.5 } : {}),
    });
  }
}
