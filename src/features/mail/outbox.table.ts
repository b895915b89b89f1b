import type { EpochMs } from '../../db/types.js';

export interface MailOutboxTable {
  tenant_id: string;
  id: string;
  event: string;
  to_address: string;
  /** Subject and bodies are sealed with the server key, and blank once the mail is sent or failed. */
  subject: string;
  body_text: string;
  body_html: string;
  /** 0: keys and one-time links, claimed first; 1: everything else. */
  priority: number;
  created_at: EpochMs;
  attempts: number;
  next_attempt_at: EpochMs;
  locked_until: EpochMs | null;
  locked_by: string | null;
  sent_at: EpochMs | null;
  /** Set when the mail will never be sent (a permanent refusal, or retried too long); last_error says why. */
  failed_at: EpochMs | null;
  last_error: string | null;
}
