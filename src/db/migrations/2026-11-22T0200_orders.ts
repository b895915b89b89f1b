import type { Kysely } from 'kysely';

// Orders, the certificates issued for them, print terminals and digital deliveries (C-4 … C-9).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('orders')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('student_number', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('fee_yen', 'integer', (c) => c.notNull())
    .addColumn('postage_yen', 'integer', (c) => c.notNull())
    .addColumn('reservation_number', 'text', (c) => c.unique())
    .addColumn('reservation_expires_at', 'bigint')
    .addColumn('terminal_id', 'text')
    .addColumn('print_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('shipping_address', 'text')
    .addColumn('tracking_number', 'text')
    .addColumn('recipient', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .addColumn('printed_at', 'bigint')
    .addColumn('shipped_at', 'bigint')
    .addColumn('cancelled_at', 'bigint')
    .addPrimaryKeyConstraint('orders_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('orders_account_idx')
    .on('orders')
    .columns(['tenant_id', 'account_id', 'created_at'])
    .execute();
  await db.schema.createIndex('orders_state_idx').on('orders').columns(['tenant_id', 'destination', 'state']).execute();

  await db.schema
    .createTable('order_items')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('copies', 'integer', (c) => c.notNull())
    .addColumn('unit_fee_yen', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_items_pk', ['tenant_id', 'order_id', 'seq'])
    .addForeignKeyConstraint('order_items_order_fk', ['tenant_id', 'order_id'], 'orders', ['tenant_id', 'id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('issued_certificates')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('item_seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('student_number', 'text', (c) => c.notNull())
    .addColumn('verification_code', 'text', (c) => c.notNull())
    .addColumn('pdf_sha256', 'text', (c) => c.notNull())
    .addColumn('pdf_base64', 'text', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_reason', 'text')
    .addPrimaryKeyConstraint('issued_certificates_pk', ['tenant_id', 'serial'])
    .addUniqueConstraint('issued_certificates_code_unique', ['tenant_id', 'verification_code'])
    .execute();
  // One certificate per order line: a second issuing attempt of the same line fails instead of duplicating.
  await db.schema
    .createIndex('issued_certificates_order_idx')
    .unique()
    .on('issued_certificates')
    .columns(['tenant_id', 'order_id', 'item_seq'])
    .execute();
  await db.schema
    .createIndex('issued_certificates_hash_idx')
    .on('issued_certificates')
    .columns(['tenant_id', 'pdf_sha256'])
    .execute();

  await db.schema
    .createTable('tenant_counters')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_counters_pk', ['tenant_id', 'name'])
    .execute();

  await db.schema
    .createTable('tenant_signers')
    .addColumn('tenant_id', 'text', (c) => c.notNull().primaryKey())
    .addColumn('p12_base64', 'text', (c) => c.notNull())
    .addColumn('passphrase_sealed', 'text', (c) => c.notNull())
    .addColumn('certificate_pem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // A terminal without a tenant is a convenience-store network gateway serving every university.
  await db.schema
    .createTable('terminals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('digital_deliveries')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('recipient_email', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('first_retrieved_at', 'bigint')
    .addColumn('retrievals', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('digital_deliveries_pk', ['tenant_id', 'order_id'])
    .execute();
  await db.schema
    .createIndex('digital_deliveries_token_idx')
    .on('digital_deliveries')
    .columns(['tenant_id', 'token_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'digital_deliveries',
    'terminals',
    'tenant_signers',
    'tenant_counters',
    'issued_certificates',
    'order_items',
    'orders',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
