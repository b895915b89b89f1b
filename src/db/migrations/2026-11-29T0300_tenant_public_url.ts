import type { Kysely } from 'kysely';

// The university's public address (#8): links in documents and mail come from here, never from
// the configuration of whoever runs a command. Universities made before it get the service's
// PUBLIC_URL when the service next starts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('public_url', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('public_url').execute();
}
