/**
 * The certificate fonts (IPAex Mincho and Gothic from assets/fonts). They are 6–8 MB each, so
 * they are read and parsed once; every document then reuses the parsed fontkit fonts through a
 * shim registered as the document's fontkit, and only pays for writing its own subset (see
 * bench/certificate.bench.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import { projectRoot } from '../../../platform/paths.js';
import { widthOf } from './text-fit.js';

/** The fonts shipped in the repository (IPA Font License v1.0, see assets/fonts/README.md). */
export const certificateFontFiles = {
  mincho: path.join(projectRoot, 'assets', 'fonts', 'ipaexm.ttf'),
  gothic: path.join(projectRoot, 'assets', 'fonts', 'ipaexg.ttf'),
} as const;

export type FontKey = keyof typeof certificateFontFiles;

/**
 * Where Debian's fonts-ipamj-mincho puts IPAmj Mincho (IPA Font License v1.0, like IPAex): it
 * covers the MJ repertoire of names (外字 such as 𠮷, U+20BB7) that IPAex lacks.
 */
export const ipamjMinchoFile = '/usr/share/fonts/truetype/ipamj/ipamjm.ttf';

/**
 * One document's fonts: embedded for drawing (pdf) and parsed for measuring (kit). `fallback` is
 * there only when the document has characters IPAex cannot draw; `runsOf` hands them to it.
 */
export interface Fonts {
  pdf: Record<FontKey, PDFFont>;
  kit: Record<FontKey, FontkitFont>;
  fallback?: { pdf: PDFFont; kit: FontkitFont };
}

/** A stretch of text drawn with one font. */
export interface FontRun {
  text: string;
  pdf: PDFFont;
  kit: FontkitFont;
}

/** Splits text into stretches the font can draw and stretches left to the fallback font. */
export function runsOf(fonts: Fonts, key: FontKey, text: string): FontRun[] {
  const primary = { pdf: fonts.pdf[key], kit: fonts.kit[key] };
  const { fallback } = fonts;
  if (!fallback) return [{ text, ...primary }];
  const runs: FontRun[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // A variation selector stays with the character before it.
    const own = isVariationSelector(code) ? runs.at(-1) : undefined;
    const font = own ?? (primary.kit.hasGlyphForCodePoint(code) ? primary : fallback);
    const last = runs.at(-1);
    if (last && last.pdf === font.pdf) last.text += char;
    else runs.push({ text: char, pdf: font.pdf, kit: font.kit });
  }
  return runs;
}

export function isVariationSelector(code: number): boolean {
  return (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef);
}

/** What PDFDocument.registerFontkit() takes. */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

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

/**
 * Subset fonts are named with a six-letter tag and '+' (PDF 32000 §9.9.2), so that readers and
 * pdffonts know them as subsets.
 */
function subsetName(font: FontkitFont): string {
  return `${Array.from(crypto.randomBytes(6), (byte) => String.fromCharCode(65 + (byte % 26))).join('')}+${font.postscriptName}`;
}

/**
 * Both fonts, parsed once (in the constructor) and embedded as subsets into each document. The
 * fallback font (IPAmj Mincho, 46 MB) is read only when a text first needs it, then kept: most
 * processes never pay for it.
 */
export class CertificateFonts {
  readonly kit: Record<FontKey, FontkitFont>;
  private readonly bytes: Record<FontKey, Uint8Array>;
  /** Registered as each document's fontkit: hands pdf-lib the fonts parsed at start-up. */
  private readonly fontkitShim: Fontkit;
  /** Undefined until needed; null when there is no fallback file. */
  private fallback: { bytes: Uint8Array; kit: FontkitFont } | null | undefined;

  constructor(
    files: Record<FontKey, string>,
    private readonly fallbackFile?: string,
  ) {
    this.bytes = {
      mincho: new Uint8Array(fs.readFileSync(files.mincho)),
      gothic: new Uint8Array(fs.readFileSync(files.gothic)),
    };
    this.kit = {
      mincho: this.measuringFallback(withoutShaping(fontkit.create(this.bytes.mincho))),
      gothic: this.measuringFallback(withoutShaping(fontkit.create(this.bytes.gothic))),
    };
    const parsed = new Map<Uint8Array, FontkitFont>([
      [this.bytes.mincho, this.kit.mincho],
      [this.bytes.gothic, this.kit.gothic],
    ]);
    // pdf-lib calls create() with the very bytes passed to embedFont(); anything else is parsed.
    this.fontkitShim = {
      create: (bytes, postscriptName) =>
        parsed.get(bytes) ??
        (this.fallback?.bytes === bytes ? this.fallback.kit : fontkit.create(bytes, postscriptName)),
    };
    // fontkit reads tables lazily; touch what every document needs so that cost is paid here.
    for (const font of Object.values(this.kit)) {
      widthOf(font, '証明書 Certificate 0123456789', 10);
      const subset = font.createSubset();
      for (const glyph of font.glyphsForString('証明')) subset.includeGlyph(glyph);
    }
  }

  /**
   * The characters of the texts that neither IPAex nor the fallback font can draw (whitespace and
   * variation selectors are not drawn), and whether the fallback font is needed for the rest.
   */
  coverage(texts: Iterable<string>): { undrawable: string[]; needsFallback: boolean } {
    const undrawable = new Set<string>();
    let needsFallback = false;
    for (const text of texts) {
      for (const char of text) {
        const code = char.codePointAt(0)!;
        if (/\s/.test(char) || isVariationSelector(code)) continue;
        if (this.kit.mincho.hasGlyphForCodePoint(code) && this.kit.gothic.hasGlyphForCodePoint(code)) continue;
        if (this.loadFallback()?.kit.hasGlyphForCodePoint(code)) needsFallback = true;
        else undrawable.add(char);
      }
    }
    return { undrawable: [...undrawable], needsFallback };
  }

  /**
   * Embeds both fonts into the document as subsets (only the glyphs it draws are written), and
   * the fallback font when the document needs it (its subset is a few kilobytes, not 46 MB).
   */
  async embedInto(doc: PDFDocument, options: { fallback?: boolean } = {}): Promise<Fonts> {
    doc.registerFontkit(this.fontkitShim);
    const fallback = options.fallback ? this.loadFallback() : null;
    return {
      pdf: {
        mincho: await doc.embedFont(this.bytes.mincho, { subset: true, customName: subsetName(this.kit.mincho) }),
        gothic: await doc.embedFont(this.bytes.gothic, { subset: true, customName: subsetName(this.kit.gothic) }),
      },
      kit: this.kit,
      ...(fallback && {
        fallback: {
          pdf: await doc.embedFont(fallback.bytes, { subset: true, customName: subsetName(fallback.kit) }),
          kit: fallback.kit,
        },
      }),
    };
  }

  private loadFallback(): { bytes: Uint8Array; kit: FontkitFont } | null {
    if (this.fallback !== undefined) return this.fallback;
    if (!this.fallbackFile || !fs.existsSync(this.fallbackFile)) return (this.fallback = null);
    const file = fs.readFileSync(this.fallbackFile);
    // A view of the file's buffer, not a copy: the file is 46 MB.
    const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
    this.fallback = { bytes, kit: withoutShaping(fontkit.create(bytes)) };
    return this.fallback;
  }

  /**
   * Measuring (text-fit, the layouts) asks the IPAex font for glyphs; a character it lacks is
   * measured with the fallback's glyph, scaled to the same em, as `runsOf` will draw it.
   */
  private measuringFallback(font: FontkitFont): FontkitFont {
    const glyphsForString = font.glyphsForString.bind(font);
    font.glyphsForString = (text: string) => {
      const glyphs = glyphsForString(text);
      const fallback = this.fallback?.kit;
      if (!fallback || glyphs.every((glyph) => glyph.id !== 0)) return glyphs;
      const chars = [...text];
      if (chars.length !== glyphs.length) return glyphs;
      return glyphs.map((glyph, i) => {
        const code = chars[i]!.codePointAt(0)!;
        if (glyph.id !== 0 || !fallback.hasGlyphForCodePoint(code)) return glyph;
        const substitute = fallback.glyphForCodePoint(code);
        if (fallback.unitsPerEm === font.unitsPerEm) return substitute;
        const scaled = Object.create(substitute) as typeof substitute;
        Object.defineProperty(scaled, 'advanceWidth', {
          value: (substitute.advanceWidth * font.unitsPerEm) / fallback.unitsPerEm,
        });
        return scaled;
      });
    };
    return font;
  }
}
