import type { EpochMs } from '../../db/types.js';

export interface IssuedCertificateTable {
  tenant_id: string;
  serial: string;
  order_id: string;
  item_seq: number;
  type: string;
  lang: string;
  student_number: string;
  verification_code: string;
  pdf_sha256: string;
  pdf_base64: string;
  /** JSON of CertificateStatement: what the certificate says, shown by the verification page. */
  statement: string;
  issued_at: EpochMs;
  revoked_at: EpochMs | null;
  /** Staff's own words: internal, never shown on a public page. */
  revoked_reason: string | null;
  /** A RevocationCategory: what the public page and the credential status say. */
  revoked_category: string | null;
}

/** The serial an order line's certificate gets, taken once with the counter (#9: no gaps when issuers race). */
export interface CertificateSerialTable {
  tenant_id: string;
  order_id: string;
  item_seq: number;
  serial: string;
  created_at: EpochMs;
}
