/**
 * The PDF Info dictionary of a certificate: what is written into it (title, author, dates and
 * the ids) and reading the ids back out of an uploaded file (verification by upload, C-7).
 */
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { CertificateData } from '../certificate.model.js';
import { pdfTextLiteral } from './certificate.signing.js';
import { titles } from './wording.js';

/** Keys of the PDF Info dictionary that carry the ids (also in Subject and Keywords, for people). */
const INFO_SERIAL = 'ShomeiSerial';
const INFO_CODE = 'ShomeiVerificationCode';

/** Title, author, subject, keywords, language, producer, creation time and the ids. */
export function writeDocumentInfo(doc: PDFDocument, data: CertificateData, producer: string, created: Date): void {
  const title = titles[data.type][data.lang];
  const name = data.lang === 'ja' ? data.holder.nameKanji : data.holder.nameRoman;
  doc.setTitle(data.lang === 'ja' ? `${title}（${name}）` : `${title} (${name})`, { showInWindowTitleBar: true });
  doc.setAuthor(data.university.name[data.lang]);
  doc.setSubject(`${title} — No. ${data.serial} — verification code ${data.verificationCode}`);
  doc.setKeywords([`serial:${data.serial}`, `verification-code:${data.verificationCode}`]);
  doc.setCreator(producer);
  doc.setProducer(`${producer} (pdf-lib)`);
  doc.setLanguage(data.lang === 'ja' ? 'ja-JP' : 'en');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of(INFO_SERIAL), PDFString.of(pdfTextLiteral(data.serial)));
  info.set(PDFName.of(INFO_CODE), PDFString.of(pdfTextLiteral(data.verificationCode)));
}

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
