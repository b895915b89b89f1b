/**
 * The university's round official seal (公印), drawn as vector outlines of the certificate font's
 * glyphs rather than as text, so that it does not pollute the text layer.
 */
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import {
  appendBezierCurve,
  closePath,
  concatTransformationMatrix,
  fillAndStroke,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  setFillingRgbColor,
  setGraphicsState,
  setLineWidth,
  setStrokingRgbColor,
  stroke,
  type PDFOperator,
} from 'pdf-lib';
import { PAGE_H, type Sheet } from './sheet.js';

const sealRed = { r: 0.86, g: 0.13, b: 0.11 };

interface GlyphOutline {
  ops: PDFOperator[];
  advance: number;
}

/** The four Bézier curves of a circle around (cx, cy) in PDF coordinates. */
function circlePath(cx: number, cy: number, r: number): PDFOperator[] {
  const k = 0.5523 * r;
  return [
    moveTo(cx + r, cy),
    appendBezierCurve(cx + r, cy + k, cx + k, cy + r, cx, cy + r),
    appendBezierCurve(cx - k, cy + r, cx - r, cy + k, cx - r, cy),
    appendBezierCurve(cx - r, cy - k, cx - k, cy - r, cx, cy - r),
    appendBezierCurve(cx + k, cy - r, cx + r, cy - k, cx + r, cy),
    closePath(),
  ];
}

/** A glyph outline as path operators, in font units (TrueType quadratics turned into cubics). */
function glyphPath(font: FontkitFont, char: string): GlyphOutline {
  const glyph = font.glyphForCodePoint(char.codePointAt(0) ?? 0x3013);
  const ops: PDFOperator[] = [];
  let x = 0;
  let y = 0;
  // fontkit's typings leave out Path.commands.
  const { commands } = glyph.path as unknown as { commands: Array<{ command: string; args: number[] }> };
  for (const { command, args: a } of commands) {
    switch (command) {
      case 'moveTo':
        ops.push(moveTo(a[0]!, a[1]!));
        [x, y] = [a[0]!, a[1]!];
        break;
      case 'lineTo':
        ops.push(lineTo(a[0]!, a[1]!));
        [x, y] = [a[0]!, a[1]!];
        break;
      case 'quadraticCurveTo': {
        const [qx, qy, ex, ey] = [a[0]!, a[1]!, a[2]!, a[3]!];
        ops.push(
          appendBezierCurve(
            x + (2 / 3) * (qx - x),
            y + (2 / 3) * (qy - y),
            ex + (2 / 3) * (qx - ex),
            ey + (2 / 3) * (qy - ey),
            ex,
            ey,
          ),
        );
        [x, y] = [ex, ey];
        break;
      }
      case 'bezierCurveTo':
        ops.push(appendBezierCurve(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!));
        [x, y] = [a[4]!, a[5]!];
        break;
      case 'closePath':
        ops.push(closePath());
        break;
    }
  }
  return { ops, advance: glyph.advanceWidth };
}

/** Outlines of the seal's characters, cached: the same few characters are on every certificate. */
export class SealGlyphs {
  private readonly outlines = new Map<string, GlyphOutline>();

  constructor(private readonly font: FontkitFont) {}

  get unitsPerEm(): number {
    return this.font.unitsPerEm;
  }

  outline(char: string): GlyphOutline {
    let glyph = this.outlines.get(char);
    if (!glyph) {
      glyph = glyphPath(this.font, char);
      this.outlines.set(char, glyph);
    }
    return glyph;
  }
}

/**
 * The seal of radius r centred on (cx, cyFromTop): double ring, the university's name along the
 * top of the ring, 学長之印 in the centre — in vermilion with a multiply blend, so the printed name
 * under it shows through like ink.
 */
export function drawSeal(
  s: Sheet,
  glyphs: SealGlyphs,
  universityName: string,
  cx: number,
  cyFromTop: number,
  r: number,
): void {
  const cy = PAGE_H - cyFromTop;
  const upm = glyphs.unitsPerEm;
  const gs = s.page.node.newExtGState(
    'Seal',
    s.page.doc.context.obj({ Type: 'ExtGState', ca: 0.88, CA: 0.88, BM: 'Multiply' }),
  );
  const ops: PDFOperator[] = [
    pushGraphicsState(),
    setGraphicsState(gs),
    setFillingRgbColor(sealRed.r, sealRed.g, sealRed.b),
    setStrokingRgbColor(sealRed.r, sealRed.g, sealRed.b),
    setLineWidth(2.4),
    ...circlePath(cx, cy, r - 1.2),
    stroke(),
    setLineWidth(0.9),
    ...circlePath(cx, cy, r * 0.68),
    stroke(),
  ];
  // A glyph of `size` points centred on (x, y), turned by `angle` radians.
  const glyphAt = (char: string, x: number, y: number, size: number, angle: number, weight: number) => {
    const glyph = glyphs.outline(char);
    const k = size / upm;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // The em box's centre: half the advance across, 0.38 em up from the baseline.
    const ox = (glyph.advance / 2) * k;
    const oy = 0.38 * size;
    ops.push(
      pushGraphicsState(),
      concatTransformationMatrix(
        k * cos,
        k * sin,
        -k * sin,
        k * cos,
        x - (ox * cos - oy * sin),
        y - (ox * sin + oy * cos),
      ),
      setLineWidth(weight / k),
      ...glyph.ops,
      fillAndStroke(),
      popGraphicsState(),
    );
  };
  // The name on the ring, centred at the top, reading left to right.
  const name = [...universityName];
  const ringRadius = r * 0.84 - 0.6;
  const maxArc = (300 * Math.PI) / 180;
  let size = r * 0.27;
  let step = (size * 1.12) / ringRadius;
  if (step * (name.length - 1) > maxArc) {
    step = maxArc / (name.length - 1);
    size = (step * ringRadius) / 1.12;
  }
  name.forEach((char, i) => {
    const angle = Math.PI / 2 + ((name.length - 1) / 2 - i) * step;
    glyphAt(
      char,
      cx + ringRadius * Math.cos(angle),
      cy + ringRadius * Math.sin(angle),
      size,
      angle - Math.PI / 2,
      0.25,
    );
  });
  if (name.length * step < (200 * Math.PI) / 180) {
    glyphAt('★', cx, cy - ringRadius, size * 0.8, 0, 0);
  }
  // 学長之印: right column top to bottom, then the left column.
  const c = r * 0.39;
  const inner = c * 0.52;
  glyphAt('学', cx + inner, cy + inner, c, 0, 0.35);
  glyphAt('長', cx + inner, cy - inner, c, 0, 0.35);
  glyphAt('之', cx - inner, cy + inner, c, 0, 0.35);
  glyphAt('印', cx - inner, cy - inner, c, 0, 0.35);
  ops.push(popGraphicsState());
  s.page.pushOperators(...ops);
}
