import type { EpochMs } from '../../db/types.js';

/** The credential issued beside a certificate, and its place in the tenant's status lists (#9 §5). */
export interface VerifiableCredentialTable {
  tenant_id: string;
  serial: string;
  /** Which of the tenant's status lists (1, 2, …) holds its revocation bit. */
  status_list: number;
  /** Its bit in that list: drawn at random, so neighbours in the list are not neighbours in time. */
  status_index: number;
  /** The credential as issued: a compact JWS (application/vc+jwt). */
  jwt: string;
  issued_at: EpochMs;
}

/** A signed status list credential, kept until the set of revoked bits or its age asks for a new one. */
export interface StatusListTable {
  tenant_id: string;
  status_list: number;
  /** SHA-256 of the encoded list the stored credential carries. */
  list_sha256: string;
  jwt: string;
  signed_at: EpochMs;
}
