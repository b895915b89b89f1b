/**
 * The PDF Info dictionary of a certificate: what is written into it (title, author, dates and
 * the ids). Reading the ids back out of an uploaded file is certificate-ids.ts (C-7).
 */
import { PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import type { CertificateData } from '../certificate.model.js';
import { pdfTextLiteral } from './certificate.signing.js';
import { INFO_CODE, INFO_SERIAL } from './certificate-ids.js';
import { titles } from './wording.js';

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
