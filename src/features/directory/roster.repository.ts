import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

export class RosterRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The roster's user IDs are matched without regard to case (#10): "S2026006" is s2026006. The
   * exact spelling wins if the roster holds two that differ only in case; otherwise such an ID
   * matches nobody rather than a guess.
   */
  async findActive(tenantId: string, userId: string): Promise<{ userId: string; passwordHash: string } | undefined> {
    const active = this.db
      .selectFrom('roster')
      .select(['user_id', 'password_hash'])
      .where('tenant_id', '=', tenantId)
      .where('active', '=', 1);
    // The exact spelling first, by the key's index; only a miss pays for the case-blind scan.
    const exact = await active.where('user_id', '=', userId).executeTakeFirst();
    const rows = exact
      ? [exact]
      : await active
          .where(sql<string>`lower(user_id)`, '=', userId.toLowerCase())
          .limit(2)
          .execute();
    const row = rows.length === 1 ? rows[0] : undefined;
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
