import type { Kysely } from 'kysely';

// Issue #12 §1: staff accounts of a university, apart from students: their own second
// factors (TOTP, recovery codes, passkeys) and their own sessions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_members')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('staff_number', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret_sealed', 'text')
    .addColumn('totp_last_counter', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_members_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('staff_members_email')
    .unique()
    .on('staff_members')
    .columns(['tenant_id', 'email'])
    .execute();
  await db.schema
    .createIndex('staff_members_number')
    .unique()
    .on('staff_members')
    .columns(['tenant_id', 'staff_number'])
    .execute();

  await db.schema
    .createTable('staff_recovery_codes')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('staff_recovery_codes_pk', ['tenant_id', 'staff_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('staff_passkeys')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addPrimaryKeyConstraint('staff_passkeys_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('staff_passkeys_staff').on('staff_passkeys').columns(['tenant_id', 'staff_id']).execute();

  await db.schema
    .createTable('staff_sessions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('idle_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('authenticated_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_sessions_pk', ['tenant_id', 'id_hash'])
    .execute();
  await db.schema.createIndex('staff_sessions_staff').on('staff_sessions').columns(['tenant_id', 'staff_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['staff_sessions', 'staff_passkeys', 'staff_recovery_codes', 'staff_members'])
    await db.schema.dropTable(table).execute();
}
