/**
 * What the certificates say, in Japanese or English: titles, dates, the holder's affiliation, the
 * issuer line and the body sentence (SPEC appendix).
 */
import type { CertificateData, CertificateType, Localized } from '../certificate.model.js';
import {
  englishOrdinal,
  formatEnglishDate,
  formatEnglishYearMonth,
  formatJapaneseDate,
  formatJapaneseYearMonth,
} from './dates.js';

export const titles: Record<CertificateType, Localized> = {
  enrollment: { ja: '在学証明書', en: 'Certificate of Enrollment' },
  transcript: { ja: '成績証明書', en: 'Academic Transcript' },
  expected_graduation: { ja: '卒業見込み証明書', en: 'Certificate of Expected Graduation' },
  course_application: { ja: '受講申込書', en: 'Course Application Form' },
};

export interface Wording {
  lang: 'ja' | 'en';
  date(value: string): string;
  yearMonth(value: string): string;
  birth(value: string): string;
  yearOfStudy: string;
  affiliation: string;
  issuerLine: string;
}

export function wordingFor(data: CertificateData): Wording {
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

/**
 * The footer's sentences. They name the document by what it is: a 受講申込書 is the student's
 * application, not a 証明書 the university certifies (#9), though it is verified the same way.
 */
export function footerWording(data: Pick<CertificateData, 'type' | 'lang' | 'university'>): {
  instruction: string;
  signatureNote: string;
} {
  const application = data.type === 'course_application';
  if (data.lang === 'ja') {
    const noun = application ? 'この申込書' : 'この証明書';
    return {
      instruction: `${noun}が本学の発行したものであること、改ざんされていないこと、失効していないことは、QRコードを読み取るか、次のページで照合コードを入力して確認できます。`,
      signatureNote: `PDFで交付された${application ? '申込書' : '証明書'}には、発行者の電子署名が付されています。`,
    };
  }
  const noun = application ? 'form' : 'certificate';
  return {
    instruction: `To confirm that this ${noun} was issued by ${data.university.name.en}, has not been altered and has not been revoked, scan the QR code or enter the verification code at:`,
    signatureNote: `A ${noun} delivered as a PDF file carries the issuer's digital signature.`,
  };
}

/** The verification page without the query string (the QR code carries the full URL). */
export function verificationPage(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}
