import type { AuditDetails, Work } from '../../db/unit-of-work.js';
import type { AuditEvent } from '../audit/audit.model.js';

/**
 * The audit log's account column is a student's; a staff member acting is named in the detail,
 * so A-6 can tell the two apart.
 */
export function auditStaff(tx: Work, event: AuditEvent, details: AuditDetails & { staffId?: string | null } = {}) {
  const { staffId, detail, ...rest } = details;
  const member = staffId ?? tx.actor.staffId ?? null;
  return tx.audit(event, {
    accountId: null,
    ...rest,
    staffId: member,
    detail: { staffId: member, ...detail },
  });
}
