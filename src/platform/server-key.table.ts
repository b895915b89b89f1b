import type { EpochMs } from '../db/types.js';

export interface ServerKeyTable {
  /** 'secret_key': the one row today. */
  name: string;
  /** ServerKey.fingerprint() of the key in use: never the key itself. */
  fingerprint: string;
  updated_at: EpochMs;
}
