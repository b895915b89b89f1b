import type { Kysely } from 'kysely';

// Issue #12 §2, student support.
export async function up(db: Kysely<any>): Promise<void> {
  // A registrar's unlock. A student's login counters are keyed by the user ID and, on a known
  // device, by a device id nobody stores; raising the user ID's generation starts them all over.
  await db.schema
    .createTable('login_unlocks')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_key', 'text', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('unlocked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_unlocks_pk', ['tenant_id', 'user_key'])
    .execute();
  // A student's page reads one student's events and mail out of the whole university's.
  await db.schema
    .createIndex('audit_log_account_idx')
    .on('audit_log')
    .columns(['tenant_id', 'account_id', 'at'])
    .execute();
  await db.schema
    .createIndex('audit_log_subject_idx')
    .on('audit_log')
    .columns(['tenant_id', 'subject', 'at'])
    .execute();
  await db.schema.createIndex('mail_outbox_to_idx').on('mail_outbox').columns(['tenant_id', 'to_address']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_outbox_to_idx').execute();
  await db.schema.dropIndex('audit_log_subject_idx').execute();
  await db.schema.dropIndex('audit_log_account_idx').execute();
  await db.schema.dropTable('login_unlocks').execute();
}
