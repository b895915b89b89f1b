import type { Kysely } from 'kysely';

// When the session's owner last gave the second password (#8): changing the mail address or
// turning two-factor off asks for it again once a few minutes have passed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('second_password_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('second_password_at').execute();
}
