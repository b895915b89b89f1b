import type { Kysely } from 'kysely';

// The audit log and statistics of the console (#12 ). Who acted is a column of its own:
// the account column names the student an event is about (a registrar advancing a student's
// order writes the student's account), so the staff member and the kind of actor cannot live
// there, and a filter on a JSON detail could use no index. Every index leads with the tenant,
// so a year of one university's log or orders is a range of its own rows, never another's (the
// account and order-date indexes come from 2026-11-30T0700 and T0800).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('staff_id', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('actor_kind', 'text').execute();

  // Entries written before the column named their staff member only in the detail.
  const named = await db
    .selectFrom('audit_log')
    .select(['tenant_id', 'id', 'detail'])
    .where('detail', 'like', '%"staffId":"%')
    .execute();
  for (const row of named) {
    const staffId = (JSON.parse(row.detail) as { staffId?: unknown }).staffId;
    if (typeof staffId !== 'string') continue;
    await db
      .updateTable('audit_log')
      .set({ staff_id: staffId })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.id)
      .execute();
  }

  await db.schema.createIndex('audit_log_staff_idx').on('audit_log').columns(['tenant_id', 'staff_id', 'at']).execute();
  await db.schema.createIndex('audit_log_ip_idx').on('audit_log').columns(['tenant_id', 'ip', 'at']).execute();
  await db.schema
    .createIndex('issued_certificates_issued_idx')
    .on('issued_certificates')
    .columns(['tenant_id', 'issued_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['issued_certificates_issued_idx', 'audit_log_ip_idx', 'audit_log_staff_idx'])
    await db.schema.dropIndex(index).execute();
  await db.schema.alterTable('audit_log').dropColumn('actor_kind').execute();
  await db.schema.alterTable('audit_log').dropColumn('staff_id').execute();
}
