import type { Flag } from '../../db/types.js';

/** C-2: the certificate types a tenant offers, keyed by (tenant_id, type). */
export interface CatalogueItemTable {
  tenant_id: string;
  /** CertificateType. */
  type: string;
  name_ja: string;
  name_en: string;
  /** JSON array of Lang. */
  languages: string;
  /** Integer yen per copy. */
  fee_yen: number;
  /** Copies of this type per order. */
  max_copies: number;
  /** JSON array of Destination. */
  destinations: string;
  /** JSON of Eligibility. */
  eligibility: string;
  sort_order: number;
  active: Flag;
}
