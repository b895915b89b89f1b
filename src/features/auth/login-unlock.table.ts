import type { EpochMs } from '../../db/types.js';

/** How many times staff have unlocked one user ID's login (#12 A-2); the counters' keys carry it. */
export interface LoginUnlockTable {
  tenant_id: string;
  /** The user ID as the lockout counts it (login-lockout.ts lockoutUserId). */
  user_key: string;
  generation: number;
  unlocked_at: EpochMs;
}
