import type { EpochMs } from '../../db/types.js';

export interface TrustedBrowserTable {
  tenant_id: string;
  id: string;
  account_id: string;
  token_hash: string;
  user_agent: string;
  ip: string;
  created_at: EpochMs;
  last_used_at: EpochMs;
  expires_at: EpochMs;
  revoked_at: EpochMs | null;
}
