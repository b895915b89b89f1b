import type { Lang } from '../../platform/i18n.js';

/** What a certificate states, kept beside its hash so the verification page can show it. */
export interface CertificateStatement {
  title: string;
  holderName: string;
  studentNumber: string;
  affiliation: string;
  issueDate: string;
  details: string[];
  /** YYYY-MM-DD. Absent on certificates issued before the page showed it (#9). */
  birthDate?: string;
  /** A transcript's every course as it prints them, so a verifier can compare line by line (#9). */
  courses?: StatementCourse[];
}

/** One course row of a transcript, in the certificate's language and calendar. */
export interface StatementCourse {
  term: string;
  name: string;
  credits: number;
  grade: string;
}

export interface IssuedCertificate {
  serial: string;
  orderId: string;
  itemSeq: number;
  type: string;
  lang: Lang;
  studentNumber: string;
  verificationCode: string;
  pdfSha256: string;
  pdf: Buffer;
  statement: CertificateStatement;
  issuedAt: number;
  revokedAt: number | null;
  /** Internal: staff's own words, never on a public page. */
  revokedReason: string | null;
  /** What the verification page and the credential status say of a revoked certificate. */
  revokedCategory: RevocationCategory | null;
}

/**
 * Why a certificate was revoked, as the public may read it (#12 A-5). Staff choose one of
 * `staffRevocationCategories`; `not_delivered` is the system's, for a paid reservation ended
 * without printing (#9).
 */
export const revocationCategories = [
  'issued_in_error',
  'record_corrected',
  'superseded',
  'lost_or_stolen',
  'other',
  'not_delivered',
] as const;
export type RevocationCategory = (typeof revocationCategories)[number];
export const staffRevocationCategories = revocationCategories.filter((c) => c !== 'not_delivered');

export function isStaffRevocationCategory(value: string): value is RevocationCategory {
  return (staffRevocationCategories as readonly string[]).includes(value);
}

/** A revocation: the category the public sees and the note kept internal. */
export interface Revocation {
  category: RevocationCategory;
  note: string;
}
