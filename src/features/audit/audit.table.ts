import type { EpochMs } from '../../db/types.js';

export interface AuditLogTable {
  tenant_id: string;
  id: string;
  at: EpochMs;
  event: string;
  /** The student the event is about or by; a staff member acting is `staff_id`. */
  account_id: string | null;
  /** The staff member who acted (#12 A-6). */
  staff_id: string | null;
  /** The actor's kind (student, staff, terminal, operator, visitor); null in entries before #12. */
  actor_kind: string | null;
  /** The user ID or address the event was about, as typed: failures have no account. */
  subject: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object. */
  detail: string;
}
