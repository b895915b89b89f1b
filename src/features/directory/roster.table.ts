import type { EpochMs, Flag } from '../../db/types.js';

export interface RosterTable {
  tenant_id: string;
  user_id: string;
  password_hash: string;
  active: Flag;
  updated_at: EpochMs;
}
