import type { Kysely } from 'kysely';

// #9 §4: a payment binds a reservation to one machine of a network (store id, machine id) and
// carries the network's transaction id; every payment and void is kept in a ledger the daily
// settlement adds up; retried calls with an Idempotency-Key are answered from what was stored;
// a paid reservation that cannot print is voided (by the terminal) or released (by staff or the
// deadline). A certificate's serial is taken once per order line, in the transaction that
// advances the tenant's counter, so racing issuers share it and the sequence has no gaps.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('certificate_serials')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('item_seq', 'integer', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('certificate_serials_pk', ['tenant_id', 'order_id', 'item_seq'])
    .execute();

  await db.schema.alterTable('orders').addColumn('store_id', 'text').execute();
  await db.schema.alterTable('orders').addColumn('machine_id', 'text').execute();
  await db.schema.alterTable('orders').addColumn('payment_transaction_id', 'text').execute();
  await db.schema.alterTable('orders').addColumn('voided_at', 'bigint').execute();
  await db.schema.alterTable('orders').addColumn('released_at', 'bigint').execute();
  await db.schema.createIndex('orders_paid_unprinted_idx').on('orders').columns(['state', 'paid_at']).execute();

  await db.schema
    .createTable('terminal_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('machine_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_yen', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('terminal_ledger_at_idx').on('terminal_ledger').columns(['at']).execute();
  // One payment and at most one void per order.
  await db.schema
    .createIndex('terminal_ledger_order_kind_idx')
    .on('terminal_ledger')
    .columns(['tenant_id', 'order_id', 'kind'])
    .unique()
    .execute();

  await db.schema
    .createTable('terminal_idempotency')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('body', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('terminal_idempotency_pk', ['terminal_id', 'key'])
    .execute();
  await db.schema
    .createIndex('terminal_idempotency_expiry_idx')
    .on('terminal_idempotency')
    .columns(['expires_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('terminal_idempotency').execute();
  await db.schema.dropTable('terminal_ledger').execute();
  await db.schema.dropTable('certificate_serials').execute();
  await db.schema.dropIndex('orders_paid_unprinted_idx').execute();
  for (const column of ['released_at', 'voided_at', 'payment_transaction_id', 'machine_id', 'store_id'])
    await db.schema.alterTable('orders').dropColumn(column).execute();
}
