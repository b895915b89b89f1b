import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import type { Violation } from '../../platform/violation.js';
import { type AuditFilterInput, parseAuditFilter } from './audit-filter.rules.js';
import type { AuditCursor, AuditFilter, AuditLogEntry } from './audit.model.js';

export const AUDIT_PAGE_SIZE = 50;
/** Rows read per query while exporting: the CSV streams, so memory stays one batch whatever the range. */
const EXPORT_BATCH = 500;

/** A staff member as the log's filter offers them. */
export interface AuditStaffOption {
  id: string;
  name: string;
  staffNumber: string | null;
  email: string;
}

type TenantRef = { id: string };

/**
 * Reading and exporting the audit log (#12 A-6). Reading is not audited; an export is, since it
 * takes the log out of the service.
 */
export class AuditLogService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow'>) {}

  /** Every staff member of the university, disabled ones too: their past actions stay in the log. */
  async staffOptions(tenant: TenantRef): Promise<AuditStaffOption[]> {
    const members = await this.deps.uow.repos.staff.list(tenant.id);
    return members.map(({ id, name, staffNumber, email }) => ({ id, name, staffNumber, email }));
  }

  /** The typed filter, checked, with the student's account and the staff member looked up in this university. */
  async resolve(
    tenant: TenantRef,
    input: AuditFilterInput,
  ): Promise<{ status: 'ok'; filter: AuditFilter } | { status: 'invalid'; violations: Violation[] }> {
    const { filter: parsed, violations } = parseAuditFilter(input);
    const { userId, staffId, ...filter } = parsed;
    const resolved: AuditFilter = filter;
    if (staffId) {
      const member = await this.deps.uow.repos.staff.findById(tenant.id, staffId);
      if (member) resolved.staffId = member.id;
      else violations.push({ code: 'staffUnknown', path: 'staff' });
    }
    if (userId) {
      const account = await this.deps.uow.repos.accounts.findByUserId(tenant.id, userId);
      resolved.student = { accountId: account?.id ?? null, userId };
    }
    return violations.length ? { status: 'invalid', violations } : { status: 'ok', filter: resolved };
  }

  /** One page, newest first; `older` is where the next page starts, when there is one. */
  async page(
    tenant: TenantRef,
    filter: AuditFilter,
    cursor: AuditCursor | undefined,
  ): Promise<{ entries: AuditLogEntry[]; older: AuditCursor | undefined }> {
    const rows = await this.deps.uow.repos.auditLog.search(tenant.id, filter, cursor, AUDIT_PAGE_SIZE + 1);
    const entries = rows.slice(0, AUDIT_PAGE_SIZE);
    const last = entries.at(-1);
    return { entries, older: rows.length > AUDIT_PAGE_SIZE && last ? { at: last.at, id: last.id } : undefined };
  }

  /** Records the export with what it was narrowed to, then yields every matching entry in batches. */
  async export(tenant: TenantRef, filter: AuditFilter, actor: Actor): Promise<AsyncIterable<AuditLogEntry[]>> {
    await this.deps.uow.run(actor, (tx) => tx.audit('audit.exported', { detail: { filter: describe(filter) } }));
    const repository = this.deps.uow.repos.auditLog;
    return {
      async *[Symbol.asyncIterator]() {
        let cursor: AuditCursor | undefined;
        for (;;) {
          const rows = await repository.search(tenant.id, filter, cursor, EXPORT_BATCH);
          if (rows.length) yield rows;
          const last = rows.at(-1);
          if (rows.length < EXPORT_BATCH || !last) return;
          cursor = { at: last.at, id: last.id };
        }
      },
    };
  }
}

/** The filter as the export's audit entry keeps it: what was asked, not the internal ids' meaning. */
function describe(filter: AuditFilter): Record<string, unknown> {
  return {
    ...(filter.from !== undefined && { from: new Date(filter.from).toISOString() }),
    ...(filter.to !== undefined && { to: new Date(filter.to).toISOString() }),
    ...(filter.student && { student: filter.student.userId }),
    ...(filter.staffId && { staff: filter.staffId }),
    ...(filter.event && { event: filter.event }),
    ...(filter.address && { address: `${filter.address.value}${filter.address.prefix ? '*' : ''}` }),
  };
}
