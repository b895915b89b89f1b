import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TerminalKind, Terminal, TerminalListing } from './terminal.model.js';

/** Terminals are the deployment's, not one tenant's: a gateway serves them all. */
function newRow(terminal: Terminal, now: number) {
  return {
    id: terminal.id,
    tenant_id: terminal.tenantId,
    kind: terminal.kind,
    name: terminal.name,
    secret_hash: terminal.secretHash,
    active: 1,
    created_at: now,
    last_seen_at: null,
  };
}

/** A busy terminal calls many times a minute; its last-seen time is written at most once a minute. */
const LAST_SEEN_STEP_MS = 60_000;

export class TerminalRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findActive(id: string): Promise<Terminal | undefined> {
    const row = await this.db
      .selectFrom('terminals')
      .selectAll()
      .where('id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        tenantId: row.tenant_id,
        kind: row.kind as TerminalKind,
        name: row.name,
        secretHash: row.secret_hash,
      }
    );
  }

  /** Active or not: what the operator manages (#13). */
  async find(id: string): Promise<(Terminal & { active: boolean }) | undefined> {
    const row = await this.db.selectFrom('terminals').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        tenantId: row.tenant_id,
        kind: row.kind as TerminalKind,
        name: row.name,
        secretHash: row.secret_hash,
        active: Number(row.active) === 1,
      }
    );
  }

  async insert(terminal: Terminal, now: number): Promise<void> {
    await this.db.insertInto('terminals').values(newRow(terminal, now)).execute();
  }

  /** A new secret; the old one stops working with this update. */
  async replaceSecret(id: string, secretHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('terminals')
      .set({ secret_hash: secretHash })
      .where('id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deactivate(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('terminals')
      .set({ active: 0 })
      .where('id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async upsert(terminal: Terminal, now: number): Promise<void> {
    await this.db
      .insertInto('terminals')
      .values(newRow(terminal, now))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ secret_hash: terminal.secretHash, name: terminal.name, active: 1 }),
      )
      .execute();
  }

  /**
   * The university's campus printers and gateway credentials, and the store gateways that serve
   * every university: what its console lists. Active ones first, newest first.
   */
  async listForTenant(tenantId: string): Promise<TerminalListing[]> {
    const rows = await this.db
      .selectFrom('terminals')
      .select(['id', 'tenant_id', 'kind', 'name', 'active', 'created_at', 'last_seen_at'])
      .where((eb) =>
        eb.or([eb('tenant_id', '=', tenantId), eb.and([eb('tenant_id', 'is', null), eb('kind', '=', 'convenience')])]),
      )
      .orderBy('active', 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      kind: row.kind as TerminalKind,
      name: row.name,
      active: Number(row.active) === 1,
      createdAt: Number(row.created_at),
      lastSeenAt: row.last_seen_at === null ? null : Number(row.last_seen_at),
    }));
  }

  /** Notes a call; one conditional update, and none while the time noted is under a minute old. */
  async touch(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('terminals')
      .set({ last_seen_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<=', now - LAST_SEEN_STEP_MS)]))
      .execute();
  }

  /** Only if it still holds the hash the caller saw: a rotation by the operator meanwhile wins. */
  async replaceSecretHash(id: string, from: string, to: string): Promise<void> {
    await this.db
      .updateTable('terminals')
      .set({ secret_hash: to })
      .where('id', '=', id)
      .where('secret_hash', '=', from)
      .execute();
  }
}
