import type { EpochMs } from '../db/types.js';

export interface SessionTable {
  tenant_id: string;
  /** SHA-256 of the cookie value: a database leak does not hand out live sessions. */
  id_hash: string;
  account_id: string;
  created_at: EpochMs;
  last_seen_at: EpochMs;
  idle_expires_at: EpochMs;
  absolute_expires_at: EpochMs;
  /** When the second password was last given in this session (login or re-authentication). */
  second_password_at: EpochMs | null;
  ip: string;
  user_agent: string;
}
