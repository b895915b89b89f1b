import type { EpochMs, Flag } from '../../db/types.js';

export interface AccountTable {
  tenant_id: string;
  id: string;
  user_id: string;
  email: string | null;
  email_verified_at: EpochMs | null;
  second_password_hash: string | null;
  second_password_set_at: EpochMs | null;
  two_factor_enabled: Flag;
  lang: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}
