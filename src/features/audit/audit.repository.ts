import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ActorKind } from '../../platform/actor.js';
import { jstDayNumber } from '../../db/jst-day.js';
import { newId } from '../../platform/crypto.js';
import type { AuditCursor, AuditEntry, AuditEvent, AuditFilter, AuditLogEntry, AuditRecord } from './audit.model.js';
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
        staff_id: entry.staffId ?? null,
        actor_kind: entry.actorKind ?? null,
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
    return rows.map(toRecord);
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

  /**
   * One page of the log, newest first, after `cursor` (keyset: the next page costs the same as
   * the first however deep). Every condition is on this tenant's rows, through the indexes that
   * lead with the tenant (audit_log_at, _event, _account, _staff, _ip).
   */
  async search(
    tenantId: string,
    filter: AuditFilter,
    cursor: AuditCursor | undefined,
    limit: number,
  ): Promise<AuditLogEntry[]> {
    let query = this.db
      .selectFrom('audit_log as log')
      .leftJoin('accounts as account', (join) =>
        join.onRef('account.tenant_id', '=', 'log.tenant_id').onRef('account.id', '=', 'log.account_id'),
      )
      .leftJoin('staff_members as member', (join) =>
        join.onRef('member.tenant_id', '=', 'log.tenant_id').onRef('member.id', '=', 'log.staff_id'),
      )
      .selectAll('log')
      .select(['account.user_id', 'member.name as staff_name', 'member.staff_number'])
      .where('log.tenant_id', '=', tenantId);
    if (filter.from !== undefined) query = query.where('log.at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('log.at', '<', filter.to);
    if (filter.event) query = query.where('log.event', '=', filter.event);
    if (filter.staffId) query = query.where('log.staff_id', '=', filter.staffId);
    const student = filter.student;
    if (student)
      query = query.where((eb) =>
        student.accountId
          ? eb.or([eb('log.account_id', '=', student.accountId), eb('log.subject', '=', student.userId)])
          : eb('log.subject', '=', student.userId),
      );
    const address = filter.address;
    if (address) {
      // Addresses are checked to be hex digits, dots and colons, so no LIKE wildcard can reach here.
      // An IPv4 address may have reached a dual-stack socket as IPv4-mapped IPv6 (::ffff:192.0.2.1).
      const forms = /^[0-9.]+$/.test(address.value) ? [address.value, `::ffff:${address.value}`] : [address.value];
      query = query.where((eb) =>
        eb.or(forms.map((form) => (address.prefix ? eb('log.ip', 'like', `${form}%`) : eb('log.ip', '=', form)))),
      );
    }
    if (cursor)
      query = query.where((eb) =>
        eb.or([eb('log.at', '<', cursor.at), eb.and([eb('log.at', '=', cursor.at), eb('log.id', '<', cursor.id)])]),
      );
    const rows = await query.orderBy('log.at', 'desc').orderBy('log.id', 'desc').limit(limit).execute();
    return rows.map((row) => ({
      ...toRecord(row),
      id: row.id,
      userId: row.user_id,
      staffName: row.staff_name,
      staffNumber: row.staff_number,
    }));
  }

  /** Entries per Japan-time day and event, for the statistics (#12 A-7). */
  async countByDay(
    tenantId: string,
    events: readonly AuditEvent[],
    range: { from: number; to: number },
  ): Promise<Array<{ event: AuditEvent; day: number; count: number }>> {
    const day = jstDayNumber('at');
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['event', day.as('day'), (eb) => eb.fn.countAll().as('count')])
      .where('tenant_id', '=', tenantId)
      .where('event', 'in', events)
      .where('at', '>=', range.from)
      .where('at', '<', range.to)
      .groupBy(['event', day])
      .execute();
    return rows.map((row) => ({ event: row.event as AuditEvent, day: Number(row.day), count: Number(row.count) }));
  }
}

function toRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    at: row.at,
    event: row.event as AuditEvent,
    accountId: row.account_id,
    staffId: row.staff_id,
    actorKind: row.actor_kind as ActorKind | null,
    subject: row.subject,
    ip: row.ip,
    userAgent: row.user_agent,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
