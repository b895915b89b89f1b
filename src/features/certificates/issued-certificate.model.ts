import type { Lang } from '../../platform/i18n.js';

/** What a certificate states, kept beside its hash so the verification page can show it. */
export interface CertificateStatement {
  title: string;
  holderName: string;
  studentNumber: string;
  affiliation: string;
  issueDate: string;
  details: string[];
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
