/**
 * Certificate PDFs (#4 "What the PDFs must be", SPEC C-6): data in, signed PDF bytes out. No HTTP,
 * no database, no clock: the caller says when the certificate is issued. One-page A4 certificates
 * laid out like Japanese university certificates, in Japanese or English, with the IPAex fonts
 * from assets/fonts (subset into each document), a vector official seal, a vector QR code with the
 * verification code, and the tenant's signature.
 *
 * The fonts (6–8 MB each) are read and parsed once, when the renderer is created; every document
 * then reuses the parsed fontkit fonts through a shim registered as the document's fontkit, so a
 * document only pays for laying out its text and writing the subset (see bench/certificate.bench.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import {
  appendBezierCurve,
  closePath,
  concatTransformationMatrix,
  fill,
  fillAndStroke,
  lineTo,
  moveTo,
  PDFContentStream,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingRgbColor,
  setGraphicsState,
  setLineWidth,
  setStrokingRgbColor,
  stroke,
  type Color,
  type PDFFont,
  type PDFOperator,
  type PDFPage,
} from 'pdf-lib';
import QRCode from 'qrcode';
import { projectRoot } from '../../../platform/paths.js';
import {
  type CertificateData,
  type CertificateType,
  certificateTypes,
  type CourseGrade,
  japaneseGrades,
  type Localized,
  type TranscriptCourse,
} from '../certificate.model.js';
import { type CertificateSigner, pdfTextLiteral, signDocument } from './certificate.signing.js';
import {
  englishOrdinal,
  formatEnglishDate,
  formatEnglishYearMonth,
  formatJapaneseAcademicYear,
  formatJapaneseDate,
  formatJapaneseYearMonth,
  parseCalendarDate,
} from './dates.js';

export type { CertificateSigner } from './certificate.signing.js';

/** Text in the data that the certificate fonts cannot draw (the characters are listed). */
export class CertificateTextError extends Error {
  constructor(
    message: string,
    readonly characters: string[],
  ) {
    super(message);
    this.name = 'CertificateTextError';
  }
}

/** The fonts shipped in the repository (IPA Font License v1.0, see assets/fonts/README.md). */
export const certificateFontFiles = {
  mincho: path.join(projectRoot, 'assets', 'fonts', 'ipaexm.ttf'),
  gothic: path.join(projectRoot, 'assets', 'fonts', 'ipaexg.ttf'),
} as const;

type FontKey = keyof typeof certificateFontFiles;

/** Keys of the PDF Info dictionary that carry the ids (also in Subject and Keywords, for people). */
const INFO_SERIAL = 'ShomeiSerial';
const INFO_CODE = 'ShomeiVerificationCode';

// A4 in points, and the grid everything sits on.
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 64;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const FOOTER_TOP = PAGE_H - 152;

const ink = rgb(0.08, 0.08, 0.1);
const grey = rgb(0.38, 0.38, 0.42);
const rule = rgb(0.55, 0.55, 0.6);
const frame = rgb(0.3, 0.3, 0.36);
const headerFill = rgb(0.92, 0.92, 0.94);
const sealRed = { r: 0.86, g: 0.13, b: 0.11 };

// ---------------------------------------------------------------------------------------------
// Text measurement and line breaking
// ---------------------------------------------------------------------------------------------

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
function widthOf(font: FontkitFont, text: string, size: number): number {
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
function wrapText(font: FontkitFont, text: string, size: number, maxWidth: number): string[] {
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

// ---------------------------------------------------------------------------------------------
// Drawing on a page, with y measured from the top (baselines)
// ---------------------------------------------------------------------------------------------

interface Fonts {
  pdf: Record<FontKey, PDFFont>;
  kit: Record<FontKey, FontkitFont>;
}

interface TextStyle {
  size: number;
  font?: FontKey;
  color?: Color;
  align?: 'left' | 'center' | 'right';
}

class Sheet {
  constructor(
    readonly page: PDFPage,
    readonly fonts: Fonts,
  ) {}

  width(text: string, size: number, font: FontKey = 'mincho'): number {
    return widthOf(this.fonts.kit[font], text, size);
  }

  /** Draws one line; x is the left edge, the centre or the right edge per align. Returns its width. */
  text(text: string, x: number, y: number, style: TextStyle): number {
    const font = style.font ?? 'mincho';
    const width = this.width(text, style.size, font);
    const left = style.align === 'center' ? x - width / 2 : style.align === 'right' ? x - width : x;
    if (text) {
      this.page.drawText(text, {
        x: left,
        y: PAGE_H - y,
        size: style.size,
        font: this.fonts.pdf[font],
        color: style.color ?? ink,
      });
    }
    return width;
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

  lineCount(text: string, maxWidth: number, style: TextStyle): number {
    return wrapText(this.fonts.kit[style.font ?? 'mincho'], text, style.size, maxWidth).length;
  }

  hline(x1: number, x2: number, y: number, thickness = 0.5, color: Color = rule): void {
    this.page.drawLine({
      start: { x: x1, y: PAGE_H - y },
      end: { x: x2, y: PAGE_H - y },
      thickness,
      color,
    });
  }

  /** A rectangle given by its top-left corner. */
  box(
    x: number,
    y: number,
    w: number,
    h: number,
    options: { fill?: Color; border?: Color; borderWidth?: number },
  ): void {
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

// ---------------------------------------------------------------------------------------------
// Seal (公印) and QR code, as vector graphics
// ---------------------------------------------------------------------------------------------

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
function glyphPath(font: FontkitFont, char: string): { ops: PDFOperator[]; advance: number } {
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

// ---------------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------------

const titles: Record<CertificateType, Localized> = {
  enrollment: { ja: '在学証明書', en: 'Certificate of Enrollment' },
  transcript: { ja: '成績証明書', en: 'Academic Transcript' },
  expected_graduation: { ja: '卒業見込み証明書', en: 'Certificate of Expected Graduation' },
  course_application: { ja: '受講申込書', en: 'Course Application Form' },
};

interface Wording {
  lang: 'ja' | 'en';
  date(value: string): string;
  yearMonth(value: string): string;
  birth(value: string): string;
  yearOfStudy: string;
  affiliation: string;
  issuerLine: string;
}

function wordingFor(data: CertificateData): Wording {
  const { lang, holder, university } = data;
  if (lang === 'ja') {
    const title = university.presidentTitle.ja;
    const issuerName =
      title === '学長' && university.name.ja.endsWith('大学')
        ? `${university.name.ja}長` // 〇〇大学長
        : `${university.name.ja}　${title}`;
    return {
      lang,
      date: (v) => formatJapaneseDate(v, data.calendar),
      yearMonth: (v) => formatJapaneseYearMonth(v, data.calendar),
      birth: (v) => `${formatJapaneseDate(v, data.calendar)}生`,
      yearOfStudy: `第${holder.year}学年`,
      affiliation: `${holder.faculty.ja}　${holder.department.ja}`,
      issuerLine: `${issuerName}　${university.presidentName.ja}`,
    };
  }
  return {
    lang,
    date: formatEnglishDate,
    yearMonth: formatEnglishYearMonth,
    birth: formatEnglishDate,
    yearOfStudy: `${englishOrdinal(holder.year)} year`,
    affiliation: `${holder.department.en}, ${holder.faculty.en}`,
    issuerLine: `${university.presidentTitle.en}, ${university.name.en}`,
  };
}

/** The body sentence of each certificate, as the SPEC appendix words it. */
export function certificateBody(data: CertificateData): string {
  const { holder, university } = data;
  const w = wordingFor(data);
  if (data.lang === 'ja') {
    const where = `本学${holder.faculty.ja}${holder.department.ja}第${holder.year}学年`;
    switch (data.type) {
      case 'enrollment':
        return `上記の者は、${where}に在学していることを証明する。`;
      case 'expected_graduation':
        return `上記の者は、${where}に在学中であり、${w.yearMonth(holder.expectedGraduationDate)}卒業見込みであることを証明する。`;
      case 'transcript':
        return '上記のとおり相違ないことを証明する。';
      case 'course_application':
        return '下記のとおり受講を申し込みます。';
    }
  }
  const who = `${holder.nameRoman}, born ${formatEnglishDate(holder.birthDate)},`;
  const where = `as a ${englishOrdinal(holder.year)}-year student in the ${holder.department.en}, ${holder.faculty.en}, ${university.name.en}`;
  switch (data.type) {
    case 'enrollment':
      return `This is to certify that ${who} is currently enrolled ${where}.`;
    case 'expected_graduation':
      return `This is to certify that ${who} is currently enrolled ${where}, and is expected to graduate in ${formatEnglishYearMonth(holder.expectedGraduationDate)}.`;
    case 'transcript':
      return `This is to certify that the above is a true and correct record of the academic performance of ${holder.nameRoman} at ${university.name.en}.`;
    case 'course_application':
      return 'I hereby apply to take the course below.';
  }
}

/** The verification page without the query string (the QR code carries the full URL). */
function verificationPage(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------
// The renderer
// ---------------------------------------------------------------------------------------------

/** What PDFDocument.registerFontkit() takes. */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

interface LoadedFont {
  bytes: Uint8Array;
  font: FontkitFont;
}

/**
 * The parsed font with layout() replaced by a plain character-to-glyph mapping (cmap, with
 * variation selectors). pdf-lib calls layout() for every string it draws or measures; fontkit's
 * full OpenType shaping (GSUB/GPOS lookups) was most of the time per document, and changes
 * nothing here: pdf-lib ignores glyph positions, and these fonts need no substitutions for
 * horizontal Japanese or English. Everything else is the shared, parsed font.
 */
function withoutShaping(font: FontkitFont): FontkitFont {
  const wrapper = Object.create(font) as FontkitFont;
  wrapper.layout = (text: string) => {
    const glyphs = font.glyphsForString(text);
    for (const glyph of glyphs) rememberOutline(glyph);
    return { glyphs } as unknown as ReturnType<FontkitFont['layout']>;
  };
  return wrapper;
}

const remembered = new WeakSet<object>();

/**
 * fontkit's subsetter decodes a glyph's outline every time a document includes the glyph (to find
 * the parts of composite glyphs). Glyph objects are shared by all documents, so the decoded
 * outline — only ever read — is kept on the glyph after the first time.
 */
function rememberOutline(glyph: object): void {
  if (remembered.has(glyph)) return;
  remembered.add(glyph);
  const target = glyph as { _decode?: () => unknown };
  const decode = target._decode;
  if (typeof decode !== 'function') return;
  let outline: unknown;
  let done = false;
  target._decode = () => {
    if (!done) {
      outline = decode.call(glyph);
      done = true;
    }
    return outline;
  };
}

export interface CertificateRendererOptions {
  /** Font files; defaults to the IPAex fonts in assets/fonts. */
  fontFiles?: Record<FontKey, string>;
  /** Producer name written into the PDF. */
  producer?: string;
}

export class CertificateRenderer {
  /** Milliseconds spent reading and parsing the fonts — once, in the constructor. */
  readonly fontLoadMs: number;
  private readonly fonts: Record<FontKey, LoadedFont>;
  /** Registered as each document's fontkit: hands pdf-lib the fonts parsed at start-up. */
  private readonly fontkitShim: Fontkit;
  private readonly producer: string;
  private readonly sealGlyphs = new Map<string, { ops: PDFOperator[]; advance: number }>();

  constructor(options: CertificateRendererOptions = {}) {
    const started = performance.now();
    const files = options.fontFiles ?? certificateFontFiles;
    const load = (file: string): LoadedFont => {
      const bytes = new Uint8Array(fs.readFileSync(file));
      return { bytes, font: withoutShaping(fontkit.create(bytes)) };
    };
    this.fonts = { mincho: load(files.mincho), gothic: load(files.gothic) };
    const parsed = new Map<Uint8Array, FontkitFont>([
      [this.fonts.mincho.bytes, this.fonts.mincho.font],
      [this.fonts.gothic.bytes, this.fonts.gothic.font],
    ]);
    // pdf-lib calls create() with the very bytes passed to embedFont(); anything else is parsed.
    this.fontkitShim = {
      create: (bytes, postscriptName) => parsed.get(bytes) ?? fontkit.create(bytes, postscriptName),
    };
    this.producer = options.producer ?? 'Shomei';
    // fontkit reads tables lazily; touch what every document needs so that cost is paid here.
    for (const { font } of Object.values(this.fonts)) {
      widthOf(font, '証明書 Certificate 0123456789', 10);
      const subset = font.createSubset();
      for (const glyph of font.glyphsForString('証明')) subset.includeGlyph(glyph);
    }
    this.fontLoadMs = performance.now() - started;
  }

  /**
   * The certificate as PDF bytes, signed when a signer is given. `issuedAt` (epoch milliseconds,
   * from the caller's clock) is the document's creation time and the signing time.
   */
  async render(data: CertificateData, issuedAt: number, signer?: CertificateSigner): Promise<Uint8Array> {
    validate(data);
    this.checkCharacters(data);
    const doc = await PDFDocument.create();
    doc.registerFontkit(this.fontkitShim);
    // The font subset is the largest stream: compress it with node's zlib rather than pako.
    const { context } = doc;
    context.flateStream = (contents, dict = {}) =>
      context.stream(zlib.deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents), {
        ...dict,
        Filter: 'FlateDecode',
      });
    // Subset fonts are named with a six-letter tag and '+' (PDF 32000 §9.9.2), so that readers and
    // pdffonts know them as subsets.
    const subsetName = (font: FontkitFont) =>
      `${Array.from(crypto.randomBytes(6), (byte) => String.fromCharCode(65 + (byte % 26))).join('')}+${font.postscriptName}`;
    const fonts: Fonts = {
      pdf: {
        mincho: await doc.embedFont(this.fonts.mincho.bytes, {
          subset: true,
          customName: subsetName(this.fonts.mincho.font),
        }),
        gothic: await doc.embedFont(this.fonts.gothic.bytes, {
          subset: true,
          customName: subsetName(this.fonts.gothic.font),
        }),
      },
      kit: { mincho: this.fonts.mincho.font, gothic: this.fonts.gothic.font },
    };
    const layout = new Layout(this, doc, fonts, data, wordingFor(data));
    switch (data.type) {
      case 'enrollment':
      case 'expected_graduation':
        layout.statement();
        break;
      case 'transcript':
        layout.transcript();
        break;
      case 'course_application':
        layout.application();
        break;
    }
    const time = new Date(issuedAt);
    this.writeInfo(doc, data, time);
    recompressContentStreams(doc);
    // No object streams: pdf-lib would deflate them with pako, costing more time than the ~1 KB saved.
    if (!signer) return doc.save({ useObjectStreams: false });
    const { university } = data;
    return signDocument(
      doc,
      {
        ...signer,
        reason:
          signer.reason ??
          (data.lang === 'ja'
            ? `${titles[data.type].ja}の発行（${data.serial}）`
            : `${titles[data.type].en} issued (${data.serial})`),
        location: signer.location ?? university.name[data.lang],
      },
      { signingTime: time, contactInfo: verificationPage(data.verificationUrl) },
    );
  }

  /**
   * Refuses text the fonts cannot draw: a character without a glyph would print as a blank or a
   * box on an official document (a rare kanji in a name, say), so the caller must hear of it.
   */
  private checkCharacters(data: CertificateData): void {
    const { holder, university } = data;
    const texts = [
      holder.nameKanji,
      holder.nameKana,
      holder.nameRoman,
      holder.studentNumber,
      data.serial,
      data.verificationCode,
      data.verificationUrl,
      ...[university.name, university.presidentTitle, university.presidentName, university.address].map(
        (value) => value?.[data.lang] ?? '',
      ),
      university.name.ja, // the seal
      holder.faculty[data.lang],
      holder.department[data.lang],
      ...(data.transcript?.courses.flatMap((course) => [course.name[data.lang], course.term[data.lang]]) ?? []),
      data.courseApplication?.courseName[data.lang] ?? '',
      data.courseApplication?.note?.[data.lang] ?? '',
    ];
    const missing = new Set<string>();
    for (const text of texts) {
      for (const char of text) {
        if (/\s/.test(char) || /[\u{fe00}-\u{fe0f}\u{e0100}-\u{e01ef}]/u.test(char)) continue;
        if (!this.fonts.mincho.font.hasGlyphForCodePoint(char.codePointAt(0)!)) missing.add(char);
      }
    }
    if (missing.size > 0) {
      throw new CertificateTextError(
        `the certificate font has no glyph for ${[...missing].map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase()})`).join(', ')}`,
        [...missing],
      );
    }
  }

  /** Outline of a character of the seal (cached: the same few characters on every certificate). */
  sealGlyph(char: string): { ops: PDFOperator[]; advance: number } {
    let glyph = this.sealGlyphs.get(char);
    if (!glyph) {
      glyph = glyphPath(this.fonts.mincho.font, char);
      this.sealGlyphs.set(char, glyph);
    }
    return glyph;
  }

  get unitsPerEm(): number {
    return this.fonts.mincho.font.unitsPerEm;
  }

  private writeInfo(doc: PDFDocument, data: CertificateData, created: Date): void {
    const title = titles[data.type][data.lang];
    const name = data.lang === 'ja' ? data.holder.nameKanji : data.holder.nameRoman;
    doc.setTitle(data.lang === 'ja' ? `${title}（${name}）` : `${title} (${name})`, { showInWindowTitleBar: true });
    doc.setAuthor(data.university.name[data.lang]);
    doc.setSubject(`${title} — No. ${data.serial} — verification code ${data.verificationCode}`);
    doc.setKeywords([`serial:${data.serial}`, `verification-code:${data.verificationCode}`]);
    doc.setCreator(this.producer);
    doc.setProducer(`${this.producer} (pdf-lib)`);
    doc.setLanguage(data.lang === 'ja' ? 'ja-JP' : 'en');
    doc.setCreationDate(created);
    doc.setModificationDate(created);
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    info.set(PDFName.of(INFO_SERIAL), PDFString.of(pdfTextLiteral(data.serial)));
    info.set(PDFName.of(INFO_CODE), PDFString.of(pdfTextLiteral(data.verificationCode)));
  }
}

/**
 * pdf-lib deflates page content with pako (JavaScript) when it writes the file; node's zlib does
 * the same several times faster. Called once drawing is finished, just before saving.
 */
function recompressContentStreams(doc: PDFDocument): void {
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFContentStream)) continue;
    const dict = object.dict.clone(doc.context);
    dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
    doc.context.assign(ref, PDFRawStream.of(dict, zlib.deflateSync(object.getUnencodedContents())));
  }
}

function validate(data: CertificateData): void {
  if (!certificateTypes.includes(data.type)) throw new Error(`unknown certificate type: ${String(data.type)}`);
  if (data.lang !== 'ja' && data.lang !== 'en') throw new Error(`unknown language: ${String(data.lang)}`);
  for (const date of [
    data.issueDate,
    data.holder.birthDate,
    data.holder.admissionDate,
    data.holder.expectedGraduationDate,
  ]) {
    parseCalendarDate(date);
  }
  if (data.type === 'transcript' && !data.transcript) throw new Error('a transcript needs transcript data');
  if (data.type === 'course_application' && !data.courseApplication) {
    throw new Error('a course application needs courseApplication data');
  }
}

// ---------------------------------------------------------------------------------------------
// Layout of the four certificates
// ---------------------------------------------------------------------------------------------

interface TableRow {
  course: TranscriptCourse;
  nameLines: string[];
  height: number;
}

class Layout {
  private readonly ja: boolean;
  private pages: Sheet[] = [];

  constructor(
    private readonly renderer: CertificateRenderer,
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    private readonly data: CertificateData,
    private readonly w: Wording,
  ) {
    this.ja = data.lang === 'ja';
  }

  private loc(value: Localized): string {
    return value[this.data.lang];
  }

  private newPage(): Sheet {
    const sheet = new Sheet(this.doc.addPage([PAGE_W, PAGE_H]), this.fonts);
    this.pages.push(sheet);
    this.frame(sheet);
    return sheet;
  }

  /** A thin double rule around the page. */
  private frame(s: Sheet): void {
    s.box(26, 26, PAGE_W - 52, PAGE_H - 52, { border: frame, borderWidth: 1.4 });
    s.box(30.5, 30.5, PAGE_W - 61, PAGE_H - 61, { border: frame, borderWidth: 0.4 });
  }

  /** Serial number (and on English certificates the date) at the top right. */
  private serialLine(s: Sheet, y: number): void {
    const { data } = this;
    const right = PAGE_W - MARGIN;
    if (this.ja) {
      const label = data.type === 'course_application' ? '整理番号' : '証明書番号';
      s.text(`${label}　${data.serial}`, right, y, { size: 9, align: 'right', color: grey });
    } else {
      s.text(`No. ${data.serial}`, right, y, { size: 9, align: 'right', color: grey });
    }
  }

  /** Where the letterhead's rule is (English certificates). */
  private letterheadBottom(): number {
    return 86 + (this.data.university.address ? 17 : 0) + 12;
  }

  /** English certificates open with the university as a letterhead. */
  private letterhead(s: Sheet): number {
    const { university } = this.data;
    s.text(university.name.en, PAGE_W / 2, 86, { size: 19, align: 'center' });
    let y = 86;
    if (university.address) {
      y += 17;
      s.text(university.address.en, PAGE_W / 2, y, { size: 8.5, align: 'center', color: grey });
    }
    y += 12;
    s.hline(MARGIN, PAGE_W - MARGIN, y, 0.8, frame);
    s.hline(MARGIN, PAGE_W - MARGIN, y + 2.5, 0.3, frame);
    return y;
  }

  /** The title, letter-spaced, centred, made smaller when it would not fit the width. */
  private title(s: Sheet, y: number, size: number): void {
    const title = this.ja ? titles[this.data.type].ja : titles[this.data.type].en.toUpperCase();
    const spacingRatio = this.ja ? 0.55 : 0.12;
    const chars = [...title].length;
    const natural = s.width(title, size) + size * spacingRatio * (chars - 1);
    const fitted = natural > CONTENT_W - 20 ? (size * (CONTENT_W - 20)) / natural : size;
    s.spaced(title, PAGE_W / 2, y, fitted * spacingRatio, { size: fitted });
  }

  /** Label / value rows of the holder's data; returns the baseline of the last row. */
  private holderRows(s: Sheet, rows: Array<[string, string]>, x: number, y: number, step: number): number {
    const labelSize = this.ja ? 11 : 10;
    const labelWidth = this.ja ? 6 * labelSize : 118;
    const valueX = x + labelWidth + (this.ja ? 30 : 14);
    rows.forEach(([label, value], i) => {
      const baseline = y + i * step;
      if (this.ja) s.distributed(label, x, baseline, labelWidth, { size: labelSize });
      else s.text(label, x, baseline, { size: labelSize, color: grey });
      s.text(value, valueX, baseline, { size: this.ja ? 12 : 11.5 });
    });
    return y + (rows.length - 1) * step;
  }

  /** The name with kana above (Japanese) or the name in Japanese beside it (English). */
  private nameRow(s: Sheet, x: number, y: number): void {
    const { holder } = this.data;
    if (this.ja) {
      const labelWidth = 6 * 11;
      const valueX = x + labelWidth + 30;
      s.distributed('氏名', x, y, labelWidth, { size: 11 });
      const kanjiWidth = s.width(holder.nameKanji, 17);
      // フリガナ over the name, centred on it.
      s.text(holder.nameKana, valueX + kanjiWidth / 2, y - 19, { size: 8, align: 'center', color: grey });
      s.text(holder.nameKanji, valueX, y + 1, { size: 17 });
      s.text(holder.nameRoman, valueX + kanjiWidth + 18, y, { size: 10.5, color: grey });
    } else {
      const valueX = x + 118 + 14;
      s.text('Name', x, y, { size: 10, color: grey });
      const width = s.text(holder.nameRoman, valueX, y + 1, { size: 15 });
      s.text(`(${holder.nameKanji})`, valueX + width + 10, y, { size: 10.5, color: grey });
    }
  }

  private holderData(): Array<[string, string]> {
    const { holder } = this.data;
    const { w } = this;
    if (this.ja) {
      return [
        ['学籍番号', holder.studentNumber],
        ['生年月日', w.birth(holder.birthDate)],
        ['所属', w.affiliation],
        ['学年', w.yearOfStudy],
        ['入学年月日', w.date(holder.admissionDate)],
      ];
    }
    return [
      ['Date of Birth', w.birth(holder.birthDate)],
      ['Student Number', holder.studentNumber],
      ['Faculty', holder.faculty.en],
      ['Department', holder.department.en],
      ['Year', w.yearOfStudy],
      ['Date of Admission', w.date(holder.admissionDate)],
    ];
  }

  /**
   * The issuer (president) with the seal stamped over the end of the name, as a 公印 is: the
   * seal's left edge covers about half of the last character.
   */
  private issuer(s: Sheet, y: number, seal: boolean): void {
    const { university } = this.data;
    const r = 28;
    const right = PAGE_W - MARGIN - 2 * r + 4;
    if (this.ja) {
      if (university.address)
        s.text(university.address.ja, right - 14, y - 30, { size: 9, align: 'right', color: grey });
      s.text(this.w.issuerLine, right, y, { size: 15, align: 'right' });
      if (seal) this.seal(s, right + r - 9, y - 5.5, r);
    } else {
      const nameY = y - 14;
      s.text(university.presidentName.en, right, nameY, { size: 14, align: 'right' });
      s.text(this.w.issuerLine, right, nameY + 18, { size: 10.5, align: 'right', color: grey });
      if (seal) this.seal(s, right + r - 4, nameY - 8, r);
    }
  }

  /**
   * The university's round official seal: double ring, the university's name along the top of the
   * ring, 学長之印 in the centre — drawn as glyph outlines (not text, so it does not pollute the
   * text layer) in vermilion with a multiply blend, so the printed name shows through like ink.
   */
  private seal(s: Sheet, cx: number, cyFromTop: number, r: number): void {
    const cy = PAGE_H - cyFromTop;
    const upm = this.renderer.unitsPerEm;
    const gs = s.page.node.newExtGState(
      'Seal',
      this.doc.context.obj({ Type: 'ExtGState', ca: 0.88, CA: 0.88, BM: 'Multiply' }),
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
      const glyph = this.renderer.sealGlyph(char);
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
    const name = [...this.data.university.name.ja];
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

  /** Vector QR code (modules as rectangles) with the verification code and where to check it. */
  private footer(s: Sheet, pageNumber?: { index: number; count: number }): void {
    const { data } = this;
    const top = FOOTER_TOP;
    s.hline(MARGIN, PAGE_W - MARGIN, top, 0.4, rule);
    const qr = QRCode.create(data.verificationUrl, { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    const qrSide = 76;
    const unit = qrSide / size;
    const qrX = MARGIN;
    const qrTop = top + 14;
    const ops: PDFOperator[] = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
    for (let row = 0; row < size; row++) {
      let col = 0;
      while (col < size) {
        if (!qr.modules.get(row, col)) {
          col++;
          continue;
        }
        const start = col;
        while (col < size && qr.modules.get(row, col)) col++;
        ops.push(rectangle(qrX + start * unit, PAGE_H - qrTop - (row + 1) * unit, (col - start) * unit, unit));
      }
    }
    ops.push(fill(), popGraphicsState());
    s.page.pushOperators(...ops);

    const x = qrX + qrSide + 18;
    const width = PAGE_W - MARGIN - x;
    let y = qrTop + 11;
    const label = this.ja ? '検証コード' : 'Verification code';
    const labelWidth = s.text(label, x, y, { size: 9, font: 'gothic', color: grey });
    s.text(data.verificationCode, x + labelWidth + 10, y + 0.5, { size: 13, font: 'gothic' });
    y += 18;
    const instruction = this.ja
      ? 'この証明書が本学の発行したものであること、改ざんされていないこと、失効していないことは、QRコードを読み取るか、次のページで検証コードを入力して確認できます。'
      : `To confirm that this certificate was issued by ${data.university.name.en}, has not been altered and has not been revoked, scan the QR code or enter the verification code at:`;
    y = s.paragraph(instruction, x, y, width, 12, { size: 8, color: grey }) + 13;
    s.text(verificationPage(data.verificationUrl), x, y, { size: 9, font: 'gothic' });
    y += 13;
    s.text(
      this.ja
        ? 'PDFで交付された証明書には、発行者の電子署名が付されています。'
        : "A certificate delivered as a PDF file carries the issuer's digital signature.",
      x,
      y,
      { size: 8, color: grey },
    );
    if (pageNumber) {
      s.text(`${pageNumber.index} / ${pageNumber.count}`, PAGE_W / 2, PAGE_H - 42, {
        size: 9,
        align: 'center',
        color: grey,
      });
    }
  }

  // --- 在学証明書 / 卒業見込み証明書 -----------------------------------------------------------

  statement(): void {
    const s = this.newPage();
    const { data, w } = this;
    const x = MARGIN + 22;
    let y: number;
    if (this.ja) {
      this.serialLine(s, 62);
      this.title(s, 140, 28);
      y = 222;
      this.nameRow(s, x, y);
      const rows = this.holderData();
      if (data.type === 'expected_graduation')
        rows.push(['卒業見込年月', w.yearMonth(data.holder.expectedGraduationDate)]);
      y = this.holderRows(s, rows, x, y + 38, 34);
      y += 66;
      const bodyX = x;
      y = s.paragraph(`　${certificateBody(data)}`, bodyX, y, PAGE_W - MARGIN - 22 - bodyX, 28, { size: 13 });
      y += 50;
      s.text(w.date(data.issueDate), bodyX + 13, y, { size: 13 });
      this.issuer(s, Math.max(y + 68, 548), true);
    } else {
      const head = this.letterhead(s);
      this.serialLine(s, head + 22);
      s.text(`Date of Issue: ${w.date(data.issueDate)}`, PAGE_W - MARGIN, head + 36, {
        size: 9,
        align: 'right',
        color: grey,
      });
      this.title(s, head + 86, 19);
      y = head + 138;
      this.nameRow(s, x, y);
      const rows = this.holderData();
      if (data.type === 'expected_graduation') {
        rows.push(['Expected Graduation', w.yearMonth(data.holder.expectedGraduationDate)]);
      }
      y = this.holderRows(s, rows, x, y + 28, 23);
      y += 52;
      y = s.paragraph(certificateBody(data), x, y, PAGE_W - MARGIN - 22 - x, 20, { size: 12.5 });
      this.issuer(s, Math.max(y + 96, 590), true);
    }
    this.footer(s);
  }

  // --- 成績証明書 ---------------------------------------------------------------------------

  /**
   * The course table runs in two columns per page (left column first), as Japanese transcripts
   * do, and continues on further pages; the totals, notes, statement and issuer close the last
   * page below both columns. Year and term are printed where they change and at each column top.
   */
  transcript(): void {
    const { data } = this;
    const transcript = data.transcript!;
    const courses = transcript.includeFailed
      ? transcript.courses
      : transcript.courses.filter((course) => course.grade !== 'F');

    const gutter = 14;
    const colW = (CONTENT_W - gutter) / 2;
    const wTerm = this.ja ? 58 : 54;
    const wCredits = this.ja ? 24 : 30;
    const wGrade = this.ja ? 24 : 26;
    const wName = colW - wTerm - wCredits - wGrade;
    const fontSize = this.ja ? 8.5 : 8;
    const lineStep = 10.5;
    const headerHeight = 16;
    const rows: TableRow[] = courses.map((course) => {
      const nameLines = wrapText(this.fonts.kit.mincho, this.loc(course.name), fontSize, wName - 6);
      return { course, nameLines, height: 4.5 + nameLines.length * lineStep };
    });

    const firstTop = this.ja ? 236 : this.letterheadBottom() + 176;
    const nextTop = 126;
    const bottom = FOOTER_TOP - 22;
    const closingHeight = this.transcriptClosing(undefined, 0);

    /** Rows from `start` that fit two columns of `height`; returns where the page stops. */
    const fill = (start: number, height: number): { columns: TableRow[][]; next: number } => {
      const columns: TableRow[][] = [[], []];
      let index = start;
      for (const column of columns) {
        let used = 0;
        while (index < rows.length && (used + rows[index]!.height <= height || column.length === 0)) {
          used += rows[index]!.height;
          column.push(rows[index]!);
          index++;
        }
      }
      return { columns, next: index };
    };
    const pages: TableRow[][][] = [];
    let start = 0;
    do {
      const top = (pages.length === 0 ? firstTop : nextTop) + headerHeight;
      const full = fill(start, bottom - top);
      const closing = fill(start, bottom - top - closingHeight);
      if (closing.next === rows.length) {
        pages.push(closing.columns); // the last page: rows and the closing block fit
        break;
      }
      const page = full.next === rows.length ? closing : full;
      pages.push(page.columns);
      start = page.next;
    } while (pages.length < 1000);

    const gradeText = (grade: CourseGrade) => (this.ja ? japaneseGrades[grade] : grade);
    const termText = (course: TranscriptCourse) =>
      this.ja
        ? `${formatJapaneseAcademicYear(course.academicYear, data.calendar)}${course.term.ja}`
        : `${course.academicYear} ${course.term.en}`;
    const count = pages.length;
    pages.forEach((columns, index) => {
      const s = this.newPage();
      let top: number;
      if (index === 0) {
        this.transcriptHead(s);
        top = firstTop;
      } else {
        this.serialLine(s, 62);
        const heading = this.ja
          ? `${titles.transcript.ja}（続き）　${data.holder.nameKanji}　学籍番号 ${data.holder.studentNumber}`
          : `${titles.transcript.en} (continued) — ${data.holder.nameRoman}, Student Number ${data.holder.studentNumber}`;
        s.text(heading, MARGIN, 100, { size: 11 });
        top = nextTop;
      }
      let tableBottom = top + headerHeight;
      let lastRowEnd = { x: MARGIN, y: top + headerHeight };
      columns.forEach((column, c) => {
        if (column.length === 0 && c > 0) return;
        const x = MARGIN + c * (colW + gutter);
        const xs = { term: x, name: x + wTerm, credits: x + wTerm + wName, grade: x + wTerm + wName + wCredits };
        s.box(x, top, colW, headerHeight, { fill: headerFill });
        const labels = this.ja
          ? ['年度・学期', '科目名', '単位', '評価']
          : ['Year / Term', 'Course', 'Credits', 'Grade'];
        const centres = [xs.term + wTerm / 2, xs.name + wName / 2, xs.credits + wCredits / 2, xs.grade + wGrade / 2];
        labels.forEach((label, i) =>
          s.text(label, centres[i]!, top + 11, { size: 7.5, font: 'gothic', align: 'center' }),
        );
        s.hline(x, x + colW, top, 0.8, frame);
        s.hline(x, x + colW, top + headerHeight, 0.5, frame);
        let y = top + headerHeight;
        let previous: TranscriptCourse | undefined;
        for (const row of column) {
          const baseline = y + 3 + 7.5;
          const { course } = row;
          if (
            !previous ||
            previous.academicYear !== course.academicYear ||
            previous.term.en !== course.term.en ||
            previous.term.ja !== course.term.ja
          ) {
            s.text(termText(course), xs.term + 4, baseline, { size: 7.5, color: grey });
          }
          row.nameLines.forEach((line, i) => s.text(line, xs.name + 3, baseline + i * lineStep, { size: fontSize }));
          s.text(String(course.credits), centres[2]!, baseline, { size: fontSize, align: 'center' });
          s.text(gradeText(course.grade), centres[3]!, baseline, { size: fontSize, align: 'center' });
          y += row.height;
          s.hline(x, x + colW, y, 0.25, rule);
          previous = course;
        }
        tableBottom = Math.max(tableBottom, y);
        lastRowEnd = { x: xs.name + 3, y };
        s.hline(x, x + colW, y, 0.8, frame);
      });
      if (index === count - 1) {
        // 以下余白: nothing more is listed after the last course.
        s.text(this.ja ? '以下余白' : '(end of record)', lastRowEnd.x, lastRowEnd.y + 11, {
          size: 7.5,
          color: grey,
        });
        this.transcriptClosing(s, tableBottom, courses.length === 0);
      } else {
        s.text(this.ja ? '（次頁に続く）' : '(continued on the next page)', MARGIN + CONTENT_W, tableBottom + 13, {
          size: 8,
          align: 'right',
          color: grey,
        });
      }
      this.footer(s, { index: index + 1, count });
    });
  }

  /** Title and holder block of the transcript's first page. */
  private transcriptHead(s: Sheet): void {
    const { data, w } = this;
    const { holder } = data;
    const x = MARGIN;
    const half = MARGIN + CONTENT_W / 2 + 16;
    if (this.ja) {
      this.serialLine(s, 62);
      this.title(s, 112, 24);
      const pair = (label: string, value: string, lx: number, y: number, size = 11) => {
        s.distributed(label, lx, y, 50, { size: 10 });
        s.text(value, lx + 66, y, { size });
      };
      let y = 164;
      const kanjiWidth = s.width(holder.nameKanji, 14);
      s.text(holder.nameKana, x + 66 + kanjiWidth / 2, y - 15, { size: 7.5, align: 'center', color: grey });
      pair('氏名', holder.nameKanji, x, y, 14);
      s.text(holder.nameRoman, x + 66 + kanjiWidth + 12, y, { size: 9.5, color: grey });
      pair('学籍番号', holder.studentNumber, half, y);
      y += 22;
      pair('生年月日', w.birth(holder.birthDate), x, y);
      pair('入学年月日', w.date(holder.admissionDate), half, y);
      y += 22;
      pair('所属', `${w.affiliation}　${w.yearOfStudy}`, x, y);
      return;
    }
    const head = this.letterhead(s);
    this.serialLine(s, head + 22);
    s.text(`Date of Issue: ${w.date(data.issueDate)}`, PAGE_W - MARGIN, head + 36, {
      size: 9,
      align: 'right',
      color: grey,
    });
    this.title(s, head + 66, 18);
    const pair = (label: string, value: string, lx: number, y: number, size = 10.5) => {
      s.text(label, lx, y, { size: 8.5, color: grey });
      s.text(value, lx + 82, y, { size });
    };
    let y = head + 100;
    const nameWidth = s.width(holder.nameRoman, 13);
    pair('Name', holder.nameRoman, x, y, 13);
    s.text(`(${holder.nameKanji})`, x + 82 + nameWidth + 8, y, { size: 9.5, color: grey });
    pair('Student Number', holder.studentNumber, half, y);
    y += 19;
    pair('Date of Birth', w.birth(holder.birthDate), x, y);
    pair('Date of Admission', w.date(holder.admissionDate), half, y);
    y += 19;
    pair('Faculty', holder.faculty.en, x, y);
    pair('Year', w.yearOfStudy, half, y);
    y += 19;
    pair('Department', holder.department.en, x, y);
  }

  private transcriptNotes(): string[] {
    const transcript = this.data.transcript!;
    return this.ja
      ? [
          '※ 評価：秀（S）・優（A）・良（B）・可（C）は合格、不可（F）は不合格。GPAは秀4・優3・良2・可1・不可0として算出（4.0満点）。',
          transcript.includeFailed
            ? '※ 不合格（不可）となった科目も記載しています。'
            : '※ 不合格（不可）となった科目は記載していません。',
        ]
      : [
          'Grades: S, A, B and C are passing grades; F is a failing grade. GPA counts S = 4, A = 3, B = 2, C = 1, F = 0 (4.0 scale).',
          transcript.includeFailed
            ? 'Failed courses (F) are included in this record.'
            : 'Failed courses (F) are not listed in this record.',
        ];
  }

  /**
   * The block under the last rows: end mark, totals, notes, the statement, date and issuer. With
   * `s` it draws from `tableBottom`; without, it only measures. Returns the height it takes.
   */
  private transcriptClosing(s: Sheet | undefined, tableBottom: number, empty = false): number {
    const { data, w } = this;
    const transcript = data.transcript!;
    const right = MARGIN + CONTENT_W;
    const noteStyle = { size: 7.5, color: grey };
    let y = tableBottom + 13;
    if (s && empty)
      s.text(this.ja ? '（記載する科目はありません）' : '(no courses to list)', MARGIN + 8, y, { size: 9 });
    y += 21;
    const totals = this.ja
      ? `修得単位数合計　${transcript.creditsEarned}単位　　GPA　${transcript.gpa.toFixed(2)}`
      : `Total credits earned: ${transcript.creditsEarned}      GPA: ${transcript.gpa.toFixed(2)} (4.0 scale)`;
    s?.text(totals, right, y, { size: 11, align: 'right' });
    y += 19;
    for (const note of this.transcriptNotes()) {
      const lines = wrapText(this.fonts.kit.mincho, note, noteStyle.size, CONTENT_W);
      lines.forEach((line, i) => s?.text(line, MARGIN, y + i * 11, noteStyle));
      y += lines.length * 11;
    }
    y += 22;
    const body = this.ja ? `　${certificateBody(data)}` : certificateBody(data);
    const bodyStyle = { size: this.ja ? 12 : 11 };
    const bodyLines = wrapText(this.fonts.kit.mincho, body, bodyStyle.size, CONTENT_W - 16);
    bodyLines.forEach((line, i) => s?.text(line, MARGIN + 8, y + i * 17, bodyStyle));
    y += (bodyLines.length - 1) * 17;
    if (this.ja) {
      y += 26;
      s?.text(w.date(data.issueDate), MARGIN + 20, y, { size: 12 });
    }
    y += this.ja ? 60 : 56;
    if (s) this.issuer(s, y, true);
    // The seal reaches about 24 pt below the issuer's baseline.
    return y + 26 - tableBottom;
  }

  // --- 受講申込書 ---------------------------------------------------------------------------

  application(): void {
    const s = this.newPage();
    const { data, w } = this;
    const { holder, university } = data;
    const application = data.courseApplication!;
    const x = MARGIN;
    const right = PAGE_W - MARGIN;
    let y: number;
    if (this.ja) {
      this.serialLine(s, 62);
      s.text(`申込日　${w.date(data.issueDate)}`, right, 80, { size: 10.5, align: 'right' });
      this.title(s, 126, 26);
      y = 172;
      const addressee = this.w.issuerLine.replace(/　[^　]*$/, '');
      s.text(`${addressee}　殿`, x + 8, y, { size: 13 });
      y += 34;
      s.text(`　${certificateBody(data)}`, x + 8, y, { size: 12 });
      y += 28;
      s.text('記', PAGE_W / 2, y, { size: 12, align: 'center' });
      y += 14;
    } else {
      const head = this.letterhead(s);
      this.serialLine(s, head + 22);
      s.text(`Date: ${w.date(data.issueDate)}`, right, head + 36, { size: 9.5, align: 'right' });
      this.title(s, head + 74, 19);
      y = head + 112;
      s.text(`To: The ${university.presidentTitle.en}, ${university.name.en}`, x + 8, y, { size: 12 });
      y += 26;
      s.text(certificateBody(data), x + 8, y, { size: 12 });
      y += 18;
    }

    const labelW = this.ja ? 112 : 150;
    const rows: Array<{ label: string; value: string; height: number; size?: number; small?: string }> = this.ja
      ? [
          { label: '講座名', value: application.courseName.ja, height: 38, size: 13 },
          { label: '学籍番号', value: holder.studentNumber, height: 27 },
          { label: 'フリガナ', value: holder.nameKana, height: 22, size: 9.5 },
          { label: '氏名', value: holder.nameKanji, height: 38, size: 15, small: holder.nameRoman },
          { label: '生年月日', value: w.birth(holder.birthDate), height: 27 },
          { label: '所属', value: `${w.affiliation}　${w.yearOfStudy}`, height: 27 },
          { label: '入学年月日', value: w.date(holder.admissionDate), height: 27 },
          { label: '卒業予定年月', value: w.yearMonth(holder.expectedGraduationDate), height: 27 },
          { label: '備考', value: application.note?.ja ?? '', height: 54 },
          { label: '本人署名', value: '', height: 48 },
        ]
      : [
          { label: 'Course', value: application.courseName.en, height: 38, size: 13 },
          { label: 'Student Number', value: holder.studentNumber, height: 26 },
          { label: 'Name', value: holder.nameRoman, height: 34, size: 14, small: holder.nameKanji },
          { label: 'Date of Birth', value: w.birth(holder.birthDate), height: 26 },
          { label: 'Faculty', value: holder.faculty.en, height: 26 },
          { label: 'Department / Year', value: `${holder.department.en}, ${w.yearOfStudy}`, height: 26 },
          { label: 'Date of Admission', value: w.date(holder.admissionDate), height: 26 },
          { label: 'Expected Graduation', value: w.yearMonth(holder.expectedGraduationDate), height: 26 },
          { label: 'Notes', value: application.note?.en ?? '', height: 54 },
          { label: "Applicant's Signature", value: '', height: 48 },
        ];
    const tableTop = y;
    for (const row of rows) {
      s.box(x, y, labelW, row.height, { fill: headerFill });
      const mid = y + row.height / 2 + 3.8;
      if (this.ja) s.distributed(row.label, x + 16, mid, labelW - 32, { size: 10.5 });
      else s.text(row.label, x + 12, mid, { size: 10 });
      const size = row.size ?? 11.5;
      const valueX = x + labelW + 14;
      if (row.height > 50 && row.value) {
        s.paragraph(row.value, valueX, y + 18, CONTENT_W - labelW - 28, 15, { size: 10.5 });
      } else {
        const width = s.text(row.value, valueX, y + row.height / 2 + size * 0.36, { size });
        if (row.small) s.text(row.small, valueX + width + 16, mid, { size: 10, color: grey });
      }
      y += row.height;
    }
    // Grid: outer frame, the label column, and a line under every row.
    s.box(x, tableTop, CONTENT_W, y - tableTop, { border: ink, borderWidth: 0.9 });
    s.page.drawLine({
      start: { x: x + labelW, y: PAGE_H - tableTop },
      end: { x: x + labelW, y: PAGE_H - y },
      thickness: 0.5,
      color: ink,
    });
    let lineY = tableTop;
    for (const row of rows.slice(0, -1)) {
      lineY += row.height;
      s.hline(x, x + CONTENT_W, lineY, 0.4, ink);
    }
    y += 18;
    if (this.ja) s.text('以上', right, y, { size: 11, align: 'right' });
    y += 20;
    const notes = this.ja
      ? [
          `※ 学籍番号から卒業予定年月までの欄は、${university.name.ja}の学籍記録に基づいて出力したものです。`,
          '※ 本人署名欄は、申込者本人が自署してください。',
        ]
      : [
          `The student data in this form are printed from the records of ${university.name.en}.`,
          'The applicant signs in the signature box by hand.',
        ];
    for (const note of notes) y = s.paragraph(note, x, y, CONTENT_W, 12, { size: 8.5, color: grey }) + 13;
    this.footer(s);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the ids back (verification by upload)
// ---------------------------------------------------------------------------------------------

function decodeInfoText(value: unknown): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

/**
 * The verification code and serial a certificate carries in its Info dictionary, for the
 * verification page to find the record of an uploaded file. Anything that is not one of our PDFs
 * gives {}; whether the file is genuine is then decided against the record (hash, signature).
 */
export async function readCertificateIds(pdf: Uint8Array): Promise<{ verificationCode?: string; serial?: string }> {
  try {
    const doc = await PDFDocument.load(pdf, {
      updateMetadata: false,
      ignoreEncryption: true,
      throwOnInvalidObject: false,
    });
    const info = doc.context.lookupMaybe(doc.context.trailerInfo.Info, PDFDict);
    if (info) {
      const verificationCode = decodeInfoText(info.get(PDFName.of(INFO_CODE)));
      const serial = decodeInfoText(info.get(PDFName.of(INFO_SERIAL)));
      if (verificationCode || serial) {
        return { ...(verificationCode ? { verificationCode } : {}), ...(serial ? { serial } : {}) };
      }
      const keywords = decodeInfoText(info.get(PDFName.of('Keywords'))) ?? '';
      const fromKeywords = {
        verificationCode: /verification-code:(\S+)/.exec(keywords)?.[1],
        serial: /serial:(\S+)/.exec(keywords)?.[1],
      };
      return {
        ...(fromKeywords.verificationCode ? { verificationCode: fromKeywords.verificationCode } : {}),
        ...(fromKeywords.serial ? { serial: fromKeywords.serial } : {}),
      };
    }
  } catch {
    // Not a PDF pdf-lib can read: fall through to the raw scan.
  }
  const raw = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const code = new RegExp(`/${INFO_CODE}\\s*\\(([\\x20-\\x7e]{1,64}?)\\)`).exec(raw)?.[1];
  const serial = new RegExp(`/${INFO_SERIAL}\\s*\\(([\\x20-\\x7e]{1,64}?)\\)`).exec(raw)?.[1];
  return { ...(code ? { verificationCode: code } : {}), ...(serial ? { serial } : {}) };
}
