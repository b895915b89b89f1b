/** What the renderer refuses before drawing anything: data it cannot print truthfully. */
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import { type CertificateData, certificateTypes } from '../certificate.model.js';
import { parseCalendarDate } from './dates.js';

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

/**
 * Refuses text the font cannot draw: a character without a glyph would print as a blank or a
 * box on an official document (a rare kanji in a name, say), so the caller must hear of it.
 */
export function checkCharacters(data: CertificateData, font: FontkitFont): void {
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
      if (!font.hasGlyphForCodePoint(char.codePointAt(0)!)) missing.add(char);
    }
  }
  if (missing.size > 0) {
    throw new CertificateTextError(
      `the certificate font has no glyph for ${[...missing].map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase()})`).join(', ')}`,
      [...missing],
    );
  }
}
