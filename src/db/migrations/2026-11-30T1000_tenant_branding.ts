import type { Kysely } from 'kysely';

// Branding (#12 §4, A-3): the colour and the logo's description live with the university's other
// settings as JSON, read with every page; the logo's bytes have a table of their own, read only
// when the logo itself is asked for.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tenants')
    .addColumn('branding', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('tenant_logos')
    .addColumn('tenant_id', 'text', (c) => c.notNull().primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data_base64', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenant_logos').execute();
  await db.schema.alterTable('tenants').dropColumn('branding').execute();
}
