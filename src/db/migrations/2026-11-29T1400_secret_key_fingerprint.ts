import type { Kysely } from 'kysely';

// Issue #13: the deployment records which SECRET_KEY it runs under (a keyed hash of a constant,
// not the key), so a service or CLI started with another key refuses instead of sealing with it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('server_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('server_keys').execute();
}
