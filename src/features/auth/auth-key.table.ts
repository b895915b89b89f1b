import type { EpochMs } from '../../db/types.js';

export interface AuthKeyTable {
  tenant_id: string;
  id: string;
  flow_id: string;
  account_id: string;
  key_hash: string;
  issued_at: EpochMs;
  expires_at: EpochMs;
  failed_attempts: number;
  used_at: EpochMs | null;
  superseded_at: EpochMs | null;
}
