import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TerminalKind, Terminal } from './terminal.model.js';

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
  };
}

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
