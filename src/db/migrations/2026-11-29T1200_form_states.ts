import type { Kysely } from 'kysely';

// Issue #10 §1: a form answered with errors redirects to a page that shows them (post/redirect/get),
// so what was typed and what was wrong wait here for a few minutes, bound to the browser.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('form_states')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('form_states_pk', ['tenant_id', 'id_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('form_states').execute();
}
