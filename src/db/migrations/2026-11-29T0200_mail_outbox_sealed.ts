import { type Kysely, sql } from 'kysely';

// Issue #8 §3/§4: mail bodies are sealed with the server key from now on and blanked once sent;
// urgent mail (keys, one-time links) is claimed before bulk mail; a permanent refusal is recorded
// as failed instead of being retried forever.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('mail_outbox')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('mail_outbox').addColumn('failed_at', 'bigint').execute();
  await db.schema
    .createIndex('mail_outbox_claim_idx')
    .on('mail_outbox')
    .columns(['sent_at', 'failed_at', 'priority', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('mail_outbox_failed_idx').on('mail_outbox').columns(['tenant_id', 'failed_at']).execute();
  // Bodies written before sealing: what was sent no longer needs its text; what was not sent
  // cannot be opened by the worker and is recorded as failed (its keys and links are re-requestable).
  await db
    .updateTable('mail_outbox')
    .set({ subject: '', body_text: '', body_html: '' })
    .where('sent_at', 'is not', null)
    .execute();
  await db
    .updateTable('mail_outbox')
    .set({
      subject: '',
      body_text: '',
      body_html: '',
      failed_at: sql`created_at`,
      last_error: 'queued before mail was sealed; not sent',
      locked_until: null,
    })
    .where('sent_at', 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_outbox_failed_idx').execute();
  await db.schema.dropIndex('mail_outbox_claim_idx').execute();
  await db.schema.alterTable('mail_outbox').dropColumn('failed_at').execute();
  await db.schema.alterTable('mail_outbox').dropColumn('priority').execute();
}
