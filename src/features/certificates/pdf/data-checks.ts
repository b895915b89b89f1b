/** What the renderer refuses before drawing anything: data it cannot print truthfully. */
import { type CertificateData, certificateTypes } from '../certificate.model.js';
import { parseCalendarDate } from './dates.js';
import type { CertificateFonts } from './fonts.js';

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

/** Unknown type or language, an impossible date, or a transcript or application without its data. */
export function checkCertificateData(data: CertificateData): void {
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

/** Every text of the data that is drawn on the certificate, for the character check. */
export function certificateTexts(data: CertificateData): string[] {
  const { holder, university } = data;
  return [
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
}

/**
 * Refuses text the fonts cannot draw: a character without a glyph would print as a blank or a
 * box on an official document (a rare kanji in a name, say), so the caller must hear of it.
 * Returns whether the fallback font is needed for what can be drawn.
 */
export function checkCharacters(data: CertificateData, fonts: Pick<CertificateFonts, 'coverage'>): boolean {
  const { undrawable, needsFallback } = fonts.coverage(certificateTexts(data));
  if (undrawable.length > 0) {
    throw new CertificateTextError(
      `the certificate font has no glyph for ${undrawable.map(describeCharacter).join(', ')}`,
      undrawable,
    );
  }
  return needsFallback;
}

/** 𠮷 (U+20BB7), as refusals name a character. */
export function describeCharacter(char: string): string {
  return `${char} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
}
