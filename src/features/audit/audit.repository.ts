import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId } from '../../platform/crypto.js';
import type { AuditEvent, AuditEntry, AuditRecord } from './audit.model.js';
import type { AuditLogTable } from './audit.table.js';

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(tenantId: string, entry: AuditEntry, now: number): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        tenant_id: tenantId,
        id: newId(),
        at: now,
        event: entry.event,
        account_id: entry.accountId ?? null,
        subject: entry.subject ?? null,
        ip: entry.ip ?? null,
        user_agent: entry.userAgent?.slice(0, 300) ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .execute();
  }

  /** The entries about one subject (an order, say), oldest first: its history in the console (#12). */
  async listForSubject(tenantId: string, subject: string, limit = 200): Promise<AuditRecord[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('subject', '=', subject)
      .orderBy('at')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      at: row.at,
      event: row.event as AuditEvent,
      accountId: row.account_id,
      subject: row.subject,
      ip: row.ip,
      userAgent: row.user_agent,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    }));
  }

  async list(tenantId: string, filter: { event?: AuditEvent; limit?: number } = {}): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
    if (filter.event) query = query.where('event', '=', filter.event);
    const rows = await query
      .orderBy('at', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(toRecord);
  }

  /**
   * One student's events, newest first (#12 A-2): those recorded against the account, and those
   * recorded before it existed or without it (failed logins name only the typed user ID).
   */
  async listForStudent(tenantId: string, who: { accountId?: string; userId: string }, limit: number) {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) =>
        eb.or([
          ...(who.accountId ? [eb('account_id', '=', who.accountId)] : []),
          eb.and([eb('account_id', 'is', null), eb('subject', '=', who.userId)]),
        ]),
      )
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }
}

function toRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    at: row.at,
    event: row.event as AuditEvent,
    accountId: row.account_id,
    subject: row.subject,
    ip: row.ip,
    userAgent: row.user_agent,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
