import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface StoredAnswer {
  fingerprint: string;
  /** Null while the first request with the key is still being answered. */
  statusCode: number | null;
  body: string | null;
  createdAt: number;
  expiresAt: number;
}

/** Answers kept per (terminal, Idempotency-Key) so a retried request gets the first one's (#9). */
export class TerminalIdempotencyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(terminalId: string, key: string): Promise<StoredAnswer | undefined> {
    const row = await this.db
      .selectFrom('terminal_idempotency')
      .selectAll()
      .where('terminal_id', '=', terminalId)
      .where('key', '=', key)
      .executeTakeFirst();
    return (
      row && {
        fingerprint: row.fingerprint,
        statusCode: row.status_code === null ? null : Number(row.status_code),
        body: row.body,
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
      }
    );
  }

  /** Claims the key for a request; false when another request holds it (the primary key decides). */
  async claim(terminalId: string, key: string, fingerprint: string, now: number, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .insertInto('terminal_idempotency')
      .values({
        terminal_id: terminalId,
        key,
        fingerprint,
        status_code: null,
        body: null,
        created_at: now,
        expires_at: expiresAt,
      })
      .onConflict((oc) => oc.columns(['terminal_id', 'key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async complete(terminalId: string, key: string, statusCode: number, body: string): Promise<void> {
    await this.db
      .updateTable('terminal_idempotency')
      .set({ status_code: statusCode, body })
      .where('terminal_id', '=', terminalId)
      .where('key', '=', key)
      .execute();
  }

  /** Gives the key up (the request failed on our side), or drops an expired answer. */
  async release(terminalId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('terminal_idempotency')
      .where('terminal_id', '=', terminalId)
      .where('key', '=', key)
      .execute();
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('terminal_idempotency').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
