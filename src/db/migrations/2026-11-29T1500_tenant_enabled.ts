import type { Kysely } from 'kysely';

// A university opens once the operator has set it up (#13): its catalogue, contents, signer and
// directory. Universities that exist already are open and stay so.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tenants')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('enabled').execute();
}
