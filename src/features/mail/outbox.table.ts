import type { EpochMs } from '../../db/types.js';

export interface MailOutboxTable {
  tenant_id: string;
  id: string;
  event: string;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string;
  created_at: EpochMs;
  attempts: number;
  next_attempt_at: EpochMs;
  locked_until: EpochMs | null;
  locked_by: string | null;
  sent_at: EpochMs | null;
  last_error: string | null;
}
