import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AuthKeyTable } from './auth-key.table.js';
import type { AuthKey } from './auth-key.model.js';

function toKey(row: Selectable<AuthKeyTable>): AuthKey {
  return {
    id: row.id,
    flowId: row.flow_id,
    accountId: row.account_id,
    keyHash: row.key_hash,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    failedAttempts: row.failed_attempts,
    usedAt: row.used_at,
  };
}

/** Every flow has at most one current key: the one not superseded by a reissue. */
export class AuthKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findCurrent(tenantId: string, flowId: string): Promise<AuthKey | undefined> {
    const row = await this.db
      .selectFrom('auth_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('flow_id', '=', flowId)
      .where('superseded_at', 'is', null)
      .executeTakeFirst();
    return row && toKey(row);
  }

  async insert(tenantId: string, key: AuthKey): Promise<void> {
    await this.db
      .insertInto('auth_keys')
      .values({
        tenant_id: tenantId,
        id: key.id,
        flow_id: key.flowId,
        account_id: key.accountId,
        key_hash: key.keyHash,
        issued_at: key.issuedAt,
        expires_at: key.expiresAt,
        failed_attempts: key.failedAttempts,
        used_at: null,
        superseded_at: null,
      })
      .execute();
  }

  /**
   * Retires the current key for a reissue, but only once its cooldown has passed: of two
   * racing reissues one retires it and the other changes nothing.
   */
  async supersedeCurrent(
    tenantId: string,
    flowId: string,
    issuedNoLaterThan: number,
    now: number,
  ): Promise<AuthKey | undefined> {
    const row = await this.db
      .updateTable('auth_keys')
      .set({ superseded_at: now })
      .where('tenant_id', '=', tenantId)
      .where('flow_id', '=', flowId)
      .where('superseded_at', 'is', null)
      .where('used_at', 'is', null)
      .where('issued_at', '<=', issuedNoLaterThan)
      .returningAll()
      .executeTakeFirst();
    return row && toKey(row);
  }

  /** Counts one wrong entry in the database; never more than the limit, whatever races. */
  async recordFailure(tenantId: string, id: string, limit: number): Promise<number | undefined> {
    const row = await this.db
      .updateTable('auth_keys')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('failed_attempts', '<', limit)
      .returning('failed_attempts')
      .executeTakeFirst();
    return row?.failed_attempts;
  }

  /** Uses the key: exactly one request can, and only while it is live. */
  async consume(tenantId: string, id: string, limit: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('auth_keys')
      .set({ used_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('superseded_at', 'is', null)
      .where('failed_attempts', '<', limit)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
