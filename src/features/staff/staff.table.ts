import type { EpochMs } from '../../db/types.js';

export interface StaffMemberTable {
  tenant_id: string;
  id: string;
  /** Lower-cased: the login takes it in any case. */
  email: string;
  /** The university's own staff ID, when it gave one; another way to log in. */
  staff_number: string | null;
  name: string;
  role: string;
  status: string;
  /** argon2id; null until the member has followed the enrolment link. */
  password_hash: string | null;
  /** The TOTP secret sealed with the server key: it must be read back to check a code. */
  totp_secret_sealed: string | null;
  /** The last TOTP time step accepted: a code is never taken twice (RFC 6238 §5.2). */
  totp_last_counter: number | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface StaffRecoveryCodeTable {
  tenant_id: string;
  staff_id: string;
  /** Keyed hash of the code. */
  code_hash: string;
  used_at: EpochMs | null;
}

export interface StaffPasskeyTable {
  tenant_id: string;
  /** The credential ID, base64url. */
  id: string;
  staff_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  counter: number;
  /** JSON array of transports the authenticator named. */
  transports: string;
  created_at: EpochMs;
  last_used_at: EpochMs | null;
}

export interface StaffSessionTable {
  tenant_id: string;
  /** Keyed hash of the cookie value. */
  id_hash: string;
  staff_id: string;
  created_at: EpochMs;
  last_seen_at: EpochMs;
  idle_expires_at: EpochMs;
  absolute_expires_at: EpochMs;
  /** When the second factor was last given in this session (login or re-authentication). */
  authenticated_at: EpochMs;
  ip: string;
  user_agent: string;
}
