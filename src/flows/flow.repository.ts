import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Flow } from './flow.model.js';
import type { FlowKind, FlowState } from './flow.state.js';
import type { FlowTable } from './flow.table.js';

function toFlow<C>(row: FlowTable): Flow<C> {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    kind: row.kind as FlowKind,
    state: row.state as FlowState,
    subjectId: row.subject_id,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    context: JSON.parse(row.context) as C,
  };
}

export class FlowRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(flow: Flow<unknown>, tokenHash: string | null = null): Promise<void> {
    await this.db
      .insertInto('flows')
      .values({
        tenant_id: flow.tenantId,
        id: flow.id,
        kind: flow.kind,
        state: flow.state,
        subject_id: flow.subjectId,
        token_hash: tokenHash,
        issued_at: flow.issuedAt,
        expires_at: flow.expiresAt,
        updated_at: flow.issuedAt,
        attempts: 0,
        context: JSON.stringify(flow.context),
      })
      .execute();
  }

  async find<C>(tenantId: string, id: string, kind: FlowKind): Promise<Flow<C> | undefined> {
    const row = await this.db
      .selectFrom('flows')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row && toFlow<C>(row);
  }

  async findByToken<C>(tenantId: string, kind: FlowKind, tokenHash: string): Promise<Flow<C> | undefined> {
    const row = await this.db
      .selectFrom('flows')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toFlow<C>(row);
  }

  /**
   * Moves a live flow from one state to the next. False when another request moved it first,
   * or it expired: the caller must not go on.
   */
  async advance(
    tenantId: string,
    id: string,
    from: FlowState,
    to: FlowState,
    now: number,
    changes: { context?: unknown; tokenHash?: string | null; expiresAt?: number } = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('flows')
      .set({
        state: to,
        updated_at: now,
        ...(changes.context !== undefined && { context: JSON.stringify(changes.context) }),
        ...(changes.tokenHash !== undefined && { token_hash: changes.tokenHash }),
        ...(changes.expiresAt !== undefined && { expires_at: changes.expiresAt }),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', from)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Uses a mailed one-time URL: one conditional update, so of two racing requests one wins. */
  async consumeToken<C>(
    tenantId: string,
    kind: FlowKind,
    tokenHash: string,
    from: FlowState,
    to: FlowState,
    now: number,
  ): Promise<Flow<C> | undefined> {
    const row = await this.db
      .updateTable('flows')
      .set({ state: to, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('token_hash', '=', tokenHash)
      .where('state', '=', from)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row && toFlow<C>(row);
  }

  /** A new link for an account makes the earlier ones of the same kind useless. */
  async expireOpen(tenantId: string, subjectId: string, kind: FlowKind, now: number): Promise<void> {
    await this.db
      .updateTable('flows')
      .set({ expires_at: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('subject_id', '=', subjectId)
      .where('kind', '=', kind)
      .where('state', '!=', 'completed')
      .where('expires_at', '>', now)
      .execute();
  }

  /** The newest live flow of a kind for an account: what a "sent" page may repeat back (#10). */
  async findOpen<C>(tenantId: string, subjectId: string, kind: FlowKind, now: number): Promise<Flow<C> | undefined> {
    const row = await this.db
      .selectFrom('flows')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('subject_id', '=', subjectId)
      .where('kind', '=', kind)
      .where('state', '!=', 'completed')
      .where('expires_at', '>', now)
      .orderBy('issued_at', 'desc')
      .executeTakeFirst();
    return row && toFlow<C>(row);
  }

  /** An account's flows of these kinds still kept, live or not, newest first (#12 A-2). */
  async listForSubject<C>(
    tenantId: string,
    subjectId: string,
    kinds: readonly FlowKind[],
    limit: number,
  ): Promise<Flow<C>[]> {
    const rows = await this.db
      .selectFrom('flows')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('subject_id', '=', subjectId)
      .where('kind', 'in', kinds)
      .orderBy('issued_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => toFlow<C>(row));
  }

  async deleteExpiredBefore(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom('flows').where('expires_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
