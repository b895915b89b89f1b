import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export class RosterRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findActive(tenantId: string, userId: string): Promise<{ userId: string; passwordHash: string } | undefined> {
    const row = await this.db
      .selectFrom('roster')
      .select(['user_id', 'password_hash'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('active', '=', 1)
      .executeTakeFirst();
    return row && { userId: row.user_id, passwordHash: row.password_hash };
  }

  async upsert(tenantId: string, userId: string, passwordHash: string, now: number): Promise<void> {
    await this.db
      .insertInto('roster')
      .values({ tenant_id: tenantId, user_id: userId, password_hash: passwordHash, active: 1, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'user_id']).doUpdateSet({ password_hash: passwordHash, active: 1, updated_at: now }),
      )
      .execute();
  }

  /** A user who may no longer log in (#13); false when the roster has no such active user. */
  async deactivate(tenantId: string, userId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('roster')
      .set({ active: 0, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('active', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countActive(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('roster')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('active', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
