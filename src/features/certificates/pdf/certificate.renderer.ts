/**
 * Certificate PDFs (#4 "What the PDFs must be", SPEC C-6): data in, signed PDF bytes out. No HTTP,
 * no database, no clock: the caller says when the certificate is issued. One-page A4 certificates
 * laid out like Japanese university certificates, in Japanese or English, with the IPAex fonts
 * from assets/fonts (subset into each document), a vector official seal, a vector QR code with the
 * verification code, and the tenant's signature.
 *
 * This class only puts the pieces beside it together: data-checks (what it refuses), fonts,
 * text-fit and sheet (measuring and drawing), seal, qr, wording, layouts/ (blocks shared by the
 * layouts, then one file per kind of certificate), document-info (the ids, written here and read
 * back by the verification page), compression, and certificate.signing.
 */
import { PDFDocument } from 'pdf-lib';
import type { CertificateData } from '../certificate.model.js';
import { attachCredential } from './associated-file.js';
import { type CertificateSigner, type LongTermServices, signDocument } from './certificate.signing.js';
import { deflateWithZlib, recompressContentStreams } from './compression.js';
import { certificateTexts, checkCertificateData, checkCharacters } from './data-checks.js';
import { writeDocumentInfo } from './document-info.js';
import { CertificateFonts, certificateFontFiles, type FontKey } from './fonts.js';
import { drawApplication } from './layouts/application.js';
import { Blocks } from './layouts/blocks.js';
import { drawStatement } from './layouts/statement.js';
import { drawTranscript } from './layouts/transcript.js';
import { SealGlyphs } from './seal.js';
import { titles, verificationPage, wordingFor } from './wording.js';

export interface CertificateRendererOptions {
  /** Font files; defaults to the IPAex fonts in assets/fonts. */
  fontFiles?: Record<FontKey, string>;
  /** Producer name written into the PDF. */
  producer?: string;
  /** The TSA and revocation sources that take signatures to PAdES B-LTA (#9 §3); B-B without. */
  longTerm?: LongTermServices;
  /** A font for characters IPAex lacks (IPAmj Mincho); none by default. Read on first need. */
  fallbackFontFile?: string;
}

export class CertificateRenderer {
  /** Milliseconds spent reading and parsing the fonts — once, in the constructor. */
  readonly fontLoadMs: number;
  private readonly fonts: CertificateFonts;
  private readonly sealGlyphs: SealGlyphs;
  private readonly producer: string;
  private readonly longTerm: LongTermServices | undefined;

  constructor(options: CertificateRendererOptions = {}) {
    const started = performance.now();
    this.fonts = new CertificateFonts(options.fontFiles ?? certificateFontFiles, options.fallbackFontFile);
    this.sealGlyphs = new SealGlyphs(this.fonts.kit.mincho);
    this.producer = options.producer ?? 'Shomei';
    this.longTerm = options.longTerm;
    this.fontLoadMs = performance.now() - started;
  }

  /** The characters of the data no certificate font can draw (C-11: asked before payment). */
  undrawable(data: CertificateData): string[] {
    return this.undrawableIn(certificateTexts(data));
  }

  /** The characters of the texts no certificate font can draw (records import, C-11). */
  undrawableIn(texts: readonly string[]): string[] {
    return this.fonts.coverage(texts).undrawable;
  }

  /**
   * The certificate as PDF bytes, signed when a signer is given. `issuedAt` (epoch milliseconds,
   * from the caller's clock) is the document's creation time and the signing time.
   */
  async render(data: CertificateData, issuedAt: number, signer?: CertificateSigner): Promise<Uint8Array> {
    checkCertificateData(data);
    const fallback = checkCharacters(data, this.fonts);
    const doc = await PDFDocument.create();
    deflateWithZlib(doc);
    const fonts = await this.fonts.embedInto(doc, { fallback });
    const blocks = new Blocks(doc, fonts, this.sealGlyphs, data, wordingFor(data));
    switch (data.type) {
      case 'enrollment':
      case 'expected_graduation':
        drawStatement(blocks);
        break;
      case 'transcript':
        drawTranscript(blocks);
        break;
      case 'course_application':
        drawApplication(blocks);
        break;
    }
    const time = new Date(issuedAt);
    writeDocumentInfo(doc, data, this.producer, time);
    if (data.credential) await attachCredential(doc, data.credential, time);
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
      {
        signingTime: time,
        contactInfo: verificationPage(data.verificationUrl),
        ...(this.longTerm && { longTerm: this.longTerm }),
      },
    );
  }
}
