import { type Kysely, sql } from 'kysely';

// The registrar's orders console (#12 §3). A payment taken at the campus cashier keeps its receipt
// number; a paid reservation ended without printing keeps the refund note staff wrote. A revoked
// certificate keeps the category the public page may show, apart from the staff's own words.
// The console lists a university's orders newest first (an order's history reads the audit entries
// about it through the subject index of 2026-11-30T0700).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('payment_receipt', 'text').execute();
  await db.schema.alterTable('orders').addColumn('refund_note', 'text').execute();
  await db.schema.alterTable('issued_certificates').addColumn('revoked_category', 'text').execute();
  // Revocations made before there were categories: those of an ended reservation say so, the rest
  // say nothing more than "other" (their free text was never meant for the public page).
  await db
    .updateTable('issued_certificates')
    .set({
      revoked_category: sql`case when revoked_reason in ('payment voided before printing', 'released unprinted for refund') then 'not_delivered' else 'other' end`,
    })
    .where('revoked_at', 'is not', null)
    .execute();
  await db.schema.createIndex('orders_created_idx').on('orders').columns(['tenant_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_created_idx').execute();
  await db.schema.alterTable('issued_certificates').dropColumn('revoked_category').execute();
  await db.schema.alterTable('orders').dropColumn('refund_note').execute();
  await db.schema.alterTable('orders').dropColumn('payment_receipt').execute();
}
