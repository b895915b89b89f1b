import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface LoginUnlock {
  generation: number;
  unlockedAt: number;
}

export class LoginUnlockRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(tenantId: string, userKey: string): Promise<LoginUnlock | undefined> {
    const row = await this.db
      .selectFrom('login_unlocks')
      .select(['generation', 'unlocked_at'])
      .where('tenant_id', '=', tenantId)
      .where('user_key', '=', userKey)
      .executeTakeFirst();
    return row && { generation: row.generation, unlockedAt: row.unlocked_at };
  }

  /** One more unlock, counted in the database so two racing unlocks both count. */
  async bump(tenantId: string, userKey: string, now: number): Promise<void> {
    await this.db
      .insertInto('login_unlocks')
      .values({ tenant_id: tenantId, user_key: userKey, generation: 1, unlocked_at: now })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'user_key']).doUpdateSet((eb) => ({
          generation: eb('login_unlocks.generation', '+', 1),
          unlocked_at: now,
        })),
      )
      .execute();
  }
}
