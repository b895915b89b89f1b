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
  revokedReason: string | null;
}
