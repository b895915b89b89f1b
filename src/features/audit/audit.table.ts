import type { EpochMs } from '../../db/types.js';

export interface AuditLogTable {
  tenant_id: string;
  id: string;
  at: EpochMs;
  event: string;
  account_id: string | null;
  /** The user ID or address the event was about, as typed: failures have no account. */
  subject: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object. */
  detail: string;
}
