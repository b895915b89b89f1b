import type { Kysely } from 'kysely';

// #12 A-8: a postal or digital order may carry a payment number, payable at a convenience store
// through the terminal API, with its own expiry. It shares the reservation numbers' namespace
// (a store gateway knows nothing but the number), so it is unique across the deployment too.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('payment_number', 'text').execute();
  await db.schema.alterTable('orders').addColumn('payment_expires_at', 'bigint').execute();
  await db.schema.createIndex('orders_payment_number_idx').on('orders').column('payment_number').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_payment_number_idx').execute();
  for (const column of ['payment_expires_at', 'payment_number'])
    await db.schema.alterTable('orders').dropColumn(column).execute();
}
