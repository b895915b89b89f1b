import type { EpochMs } from '../db/types.js';

export interface FlowTable {
  tenant_id: string;
  id: string;
  kind: string;
  state: string;
  subject_id: string | null;
  /** HMAC of the one-time URL token mailed for this flow, when it has one. */
  token_hash: string | null;
  issued_at: EpochMs;
  expires_at: EpochMs;
  updated_at: EpochMs;
  attempts: number;
  /** JSON object, per kind. */
  context: string;
}
