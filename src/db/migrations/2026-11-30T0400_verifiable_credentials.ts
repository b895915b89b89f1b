import type { Kysely } from 'kysely';

// Issue #9 §5: a W3C Verifiable Credential beside every certificate, and the tenant's Bitstring
// Status Lists that say which are revoked.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('verifiable_credentials')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('status_list', 'integer', (c) => c.notNull())
    .addColumn('status_index', 'integer', (c) => c.notNull())
    .addColumn('jwt', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('verifiable_credentials_pk', ['tenant_id', 'serial'])
    .addUniqueConstraint('verifiable_credentials_status_unique', ['tenant_id', 'status_list', 'status_index'])
    .execute();
  await db.schema
    .createTable('status_lists')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('status_list', 'integer', (c) => c.notNull())
    .addColumn('list_sha256', 'text', (c) => c.notNull())
    .addColumn('jwt', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('status_lists_pk', ['tenant_id', 'status_list'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('status_lists').execute();
  await db.schema.dropTable('verifiable_credentials').execute();
}
