/**
 * Reading the ids back out of an uploaded file (verification by upload, C-7). The file is
 * untrusted: this runs only inside the verification worker (untrusted-pdf.worker.ts), with
 * pdf-lib and nothing else loaded, so a worker starts fast.
 */
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';

/** Keys of the PDF Info dictionary that carry the ids (also in Subject and Keywords, for people). */
export const INFO_SERIAL = 'ShomeiSerial';
export const INFO_CODE = 'ShomeiVerificationCode';

export interface CertificateIds {
  verificationCode?: string;
  serial?: string;
}

/** Reading the file would cost more than the reader allows (decoded bytes, say). */
export class ReadLimitExceeded extends Error {
  constructor(what: string) {
    super(`reading the file exceeds its limit: ${what}`);
    this.name = 'ReadLimitExceeded';
  }
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
export async function readCertificateIds(pdf: Uint8Array): Promise<CertificateIds> {
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
  } catch (error) {
    if (error instanceof ReadLimitExceeded) throw error;
    // Not a PDF pdf-lib can read: fall through to the raw scan.
  }
  const raw = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const code = new RegExp(`/${INFO_CODE}\\s*\\(([\\x20-\\x7e]{1,64}?)\\)`).exec(raw)?.[1];
  const serial = new RegExp(`/${INFO_SERIAL}\\s*\\(([\\x20-\\x7e]{1,64}?)\\)`).exec(raw)?.[1];
  return { ...(code ? { verificationCode: code } : {}), ...(serial ? { serial } : {}) };
}
