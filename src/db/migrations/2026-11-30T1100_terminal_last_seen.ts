import type { Kysely } from 'kysely';

// The console lists a university's terminals with when each last called the API (#12 §4, A-9),
// so a printer that stopped answering, or a credential nobody uses any more, shows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('terminals').addColumn('last_seen_at', 'bigint').execute();
  await db.schema.createIndex('terminals_tenant_idx').on('terminals').columns(['tenant_id', 'kind']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('terminals_tenant_idx').execute();
  await db.schema.alterTable('terminals').dropColumn('last_seen_at').execute();
}
