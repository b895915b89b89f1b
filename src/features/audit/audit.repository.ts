import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId } from '../../platform/crypto.js';

/** Every security event the issue and SPEC A-6 name; the list is closed so reports can rely on it. */
export type AuditEvent =
  | 'login.success'
  | 'login.failure'
  | 'login.locked'
  | 'key.sent'
  | 'key.failure'
  | 'key.invalidated'
  | 'key.success'
  | 'email.registration_requested'
  | 'email.registered'
  | 'email.change_requested'
  | 'email.changed'
  | 'second_password.set'
  | 'second_password.changed'
  | 'second_password.change_failure'
  | 'second_password.reset_requested'
  | 'second_password.reset'
  | 'two_factor.enabled'
  | 'two_factor.disabled'
  | 'trusted_browser.added'
  | 'trusted_browser.revoked'
  | 'session.logout'
  | 'order.placed'
  | 'order.cancelled'
  | 'order.advanced'
  | 'certificate.revoked';

export interface AuditEntry {
  event: AuditEvent;
  accountId?: string | null;
  subject?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  at: number;
}

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

  async list(tenantId: string, filter: { event?: AuditEvent; limit?: number } = {}): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
    if (filter.event) query = query.where('event', '=', filter.event);
    const rows = await query
      .orderBy('at', 'desc')
      .limit(filter.limit ?? 100)
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
}
