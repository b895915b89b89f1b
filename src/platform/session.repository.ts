import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SessionRecord } from './session.model.js';

export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(
    tenantId: string,
    idHash: string,
    session: SessionRecord & { ip: string; userAgent: string },
  ): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        tenant_id: tenantId,
        id_hash: idHash,
        account_id: session.accountId,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        idle_expires_at: session.idleExpiresAt,
        absolute_expires_at: session.absoluteExpiresAt,
        second_password_at: session.secondPasswordAt,
        ip: session.ip,
        user_agent: session.userAgent,
      })
      .execute();
  }

  async touch(tenantId: string, idHash: string, now: number, idleExpiresAt: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
      .where('tenant_id', '=', tenantId)
      .where('id_hash', '=', idHash)
      .execute();
  }

  async markSecondPassword(tenantId: string, idHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ second_password_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id_hash', '=', idHash)
      .execute();
  }

  async delete(tenantId: string, idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('tenant_id', '=', tenantId).where('id_hash', '=', idHash).execute();
  }

  async countLive(tenantId: string, accountId: string, now: number): Promise<number> {
    const row = await this.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .where('idle_expires_at', '>', now)
      .where('absolute_expires_at', '>', now)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Ends the account's sessions (but `exceptIdHash`); tells how many there were. */
  async deleteAllForAccount(tenantId: string, accountId: string, exceptIdHash?: string): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('tenant_id', '=', tenantId).where('account_id', '=', accountId);
    if (exceptIdHash) query = query.where('id_hash', '!=', exceptIdHash);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
