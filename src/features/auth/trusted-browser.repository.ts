import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TrustedBrowser } from './trusted-browser.model.js';

export class TrustedBrowserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tenantId: string, browser: TrustedBrowser, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('trusted_browsers')
      .values({
        tenant_id: tenantId,
        id: browser.id,
        account_id: browser.accountId,
        token_hash: tokenHash,
        user_agent: browser.userAgent,
        ip: browser.ip,
        created_at: browser.createdAt,
        last_used_at: browser.lastUsedAt,
        expires_at: browser.expiresAt,
        revoked_at: null,
      })
      .execute();
  }

  /** Marks the browser as seen and tells whether it is still trusted for this account. */
  async touchIfTrusted(tenantId: string, accountId: string, tokenHash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('trusted_browsers')
      .set({ last_used_at: now })
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async listActive(tenantId: string, accountId: string, now: number): Promise<TrustedBrowser[]> {
    const rows = await this.db
      .selectFrom('trusted_browsers')
      .select(['id', 'account_id', 'user_agent', 'ip', 'created_at', 'last_used_at', 'expires_at'])
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      accountId: row.account_id,
      userAgent: row.user_agent,
      ip: row.ip,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at,
    }));
  }

  async revoke(tenantId: string, accountId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('trusted_browsers')
      .set({ revoked_at: now })
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Browsers expired or revoked before `before`, in every university: they can never be trusted again. */
  async deleteEndedBefore(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('trusted_browsers')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async revokeAll(tenantId: string, accountId: string, now: number): Promise<number> {
    const result = await this.db
      .updateTable('trusted_browsers')
      .set({ revoked_at: now })
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
