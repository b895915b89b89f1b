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

/** One document's fonts: embedded for drawing (pdf) and parsed for measuring (kit). */
export interface Fonts {
  pdf: Record<FontKey, PDFFont>;
  kit: Record<FontKey, FontkitFont>;
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

/** Both fonts, parsed once (in the constructor) and embedded as subsets into each document. */
export class CertificateFonts {
  readonly kit: Record<FontKey, FontkitFont>;
  private readonly bytes: Record<FontKey, Uint8Array>;
  /** Registered as each document's fontkit: hands pdf-lib the fonts parsed at start-up. */
  private readonly fontkitShim: Fontkit;

  constructor(files: Record<FontKey, string>) {
    this.bytes = {
      mincho: new Uint8Array(fs.readFileSync(files.mincho)),
      gothic: new Uint8Array(fs.readFileSync(files.gothic)),
    };
    this.kit = {
      mincho: withoutShaping(fontkit.create(this.bytes.mincho)),
      gothic: withoutShaping(fontkit.create(this.bytes.gothic)),
    };
    const parsed = new Map<Uint8Array, FontkitFont>([
      [this.bytes.mincho, this.kit.mincho],
      [this.bytes.gothic, this.kit.gothic],
    ]);
    // pdf-lib calls create() with the very bytes passed to embedFont(); anything else is parsed.
    this.fontkitShim = {
      create: (bytes, postscriptName) => parsed.get(bytes) ?? fontkit.create(bytes, postscriptName),
    };
    // fontkit reads tables lazily; touch what every document needs so that cost is paid here.
    for (const font of Object.values(this.kit)) {
      widthOf(font, '証明書 Certificate 0123456789', 10);
      const subset = font.createSubset();
      for (const glyph of font.glyphsForString('証明')) subset.includeGlyph(glyph);
    }
  }

  /** Embeds both fonts into the document as subsets (only the glyphs it draws are written). */
  async embedInto(doc: PDFDocument): Promise<Fonts> {
    doc.registerFontkit(this.fontkitShim);
    return {
      pdf: {
        mincho: await doc.embedFont(this.bytes.mincho, { subset: true, customName: subsetName(this.kit.mincho) }),
        gothic: await doc.embedFont(this.bytes.gothic, { subset: true, customName: subsetName(this.kit.gothic) }),
      },
      kit: this.kit,
    };
  }
}
