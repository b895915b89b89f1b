/**
 * The credential twin of a certificate (#9 §5): the same statement as the PDF, as a W3C
 * Verifiable Credential 2.0. Pure: the data the PDF is drawn from in, the JSON-LD document out.
 */
import { randomUUID } from 'node:crypto';
import type { CertificateData, CertificateType } from '../certificates/certificate.model.js';
import { certificateBody, titles } from '../certificates/pdf/wording.js';
import { VC_V2_CONTEXT, contextUrl } from './shomei-context.js';

/** The certificate types a credential is made for: the university's statements about a student. */
export const credentialTypes = {
  enrollment: 'EnrollmentCertificate',
  transcript: 'TranscriptCertificate',
  expected_graduation: 'ExpectedGraduationCertificate',
} as const satisfies Partial<Record<CertificateType, string>>;

export function hasCredential(type: CertificateType): type is keyof typeof credentialTypes {
  return type in credentialTypes;
}

export interface CredentialPlace {
  publicUrl: string;
  issuerId: string;
  statusListUrl: string;
  statusIndex: number;
}

export function languageValues(value: { ja: string; en: string }) {
  return [
    { '@value': value.ja, '@language': 'ja' },
    { '@value': value.en, '@language': 'en' },
  ];
}

export function certificateCredential(data: CertificateData, issuedAt: number, place: CredentialPlace) {
  if (!hasCredential(data.type)) throw new Error(`no credential for ${data.type}`);
  const { holder, transcript } = data;
  const listed = transcript
    ? transcript.includeFailed
      ? transcript.courses
      : transcript.courses.filter((course) => course.grade !== 'F')
    : [];
  return {
    '@context': [VC_V2_CONTEXT, contextUrl(place.publicUrl)],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'CertificateCredential'],
    issuer: { id: place.issuerId, name: languageValues(data.university.name) },
    name: languageValues(titles[data.type]),
    validFrom: new Date(Math.floor(issuedAt / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: {
      type: 'Student',
      name: holder.nameKanji,
      nameKana: holder.nameKana,
      nameRoman: holder.nameRoman,
      birthDate: holder.birthDate,
      studentNumber: holder.studentNumber,
      university: data.university.name,
      faculty: holder.faculty,
      department: holder.department,
      yearOfStudy: holder.year,
      admissionDate: holder.admissionDate,
      expectedGraduationDate: holder.expectedGraduationDate,
      certificate: {
        type: credentialTypes[data.type],
        serialNumber: data.serial,
        title: titles[data.type][data.lang],
        language: data.lang,
        issueDate: data.issueDate,
        statement: certificateBody(data),
        ...(transcript && {
          courses: listed.map((course) => ({
            type: 'Course',
            academicYear: course.academicYear,
            term: course.term,
            courseName: course.name,
            credits: course.credits,
            grade: course.grade,
          })),
          creditsEarned: transcript.creditsEarned,
          gpa: transcript.gpa.toFixed(2),
        }),
      },
    },
    credentialStatus: {
      id: `${place.statusListUrl}#${place.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(place.statusIndex),
      statusListCredential: place.statusListUrl,
    },
  };
}

export type CertificateCredentialDocument = ReturnType<typeof certificateCredential>;

/** The serial a credential names, or undefined when the payload is not shaped like ours. */
export function serialOf(payload: Record<string, unknown>): string | undefined {
  const subject = payload.credentialSubject as { certificate?: { serialNumber?: unknown } } | undefined;
  const serial = subject?.certificate?.serialNumber;
  return typeof serial === 'string' && serial.length <= 64 ? serial : undefined;
}

/** The status entry a credential names, or undefined when it has none of the expected shape. */
export function statusEntryOf(payload: Record<string, unknown>): { url: string; index: number } | undefined {
  const status = payload.credentialStatus as Record<string, unknown> | undefined;
  if (!status || status.type !== 'BitstringStatusListEntry' || status.statusPurpose !== 'revocation') return undefined;
  const index = Number(status.statusListIndex);
  if (typeof status.statusListCredential !== 'string' || !/^\d{1,9}$/.test(String(status.statusListIndex)))
    return undefined;
  return { url: status.statusListCredential, index };
}
