import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface StoredFormState {
  idHash: string;
  bindingHash: string;
  path: string;
  sealed: string;
  expiresAt: number;
}

export class FormStateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tenantId: string, state: StoredFormState): Promise<void> {
    await this.db
      .insertInto('form_states')
      .values({
        tenant_id: tenantId,
        id_hash: state.idHash,
        binding_hash: state.bindingHash,
        path: state.path,
        sealed: state.sealed,
        expires_at: state.expiresAt,
      })
      .execute();
  }

  /** The sealed state, only for the browser and the page it was kept for, and only while live. */
  async findLive(
    tenantId: string,
    key: { idHash: string; bindingHash: string; path: string },
    now: number,
  ): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('form_states')
      .select('sealed')
      .where('tenant_id', '=', tenantId)
      .where('id_hash', '=', key.idHash)
      .where('binding_hash', '=', key.bindingHash)
      .where('path', '=', key.path)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.sealed;
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('form_states').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
