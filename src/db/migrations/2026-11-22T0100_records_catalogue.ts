import type { Kysely } from 'kysely';

// C-2 and C-3: the catalogue of certificate types and the student records (with transcripts) per
// tenant. Dates of the registrar (birth, admission, expected graduation) are 'YYYY-MM-DD' text;
// times are bigint epoch ms, flags 0/1, lists and rules JSON text, fees integer yen.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('student_records')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('student_number', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name_kanji', 'text', (c) => c.notNull())
    .addColumn('name_kana', 'text', (c) => c.notNull())
    .addColumn('name_roman', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('faculty_ja', 'text', (c) => c.notNull())
    .addColumn('faculty_en', 'text', (c) => c.notNull())
    .addColumn('department_ja', 'text', (c) => c.notNull())
    .addColumn('department_en', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('program_years', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('admission_date', 'text', (c) => c.notNull())
    .addColumn('expected_graduation_date', 'text', (c) => c.notNull())
    .addColumn('credits_earned', 'integer', (c) => c.notNull())
    .addColumn('gpa_hundredths', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('student_records_pk', ['tenant_id', 'student_number'])
    .addUniqueConstraint('student_records_user_id_unique', ['tenant_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('student_courses')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('student_number', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('academic_year', 'integer', (c) => c.notNull())
    .addColumn('term_ja', 'text', (c) => c.notNull())
    .addColumn('term_en', 'text', (c) => c.notNull())
    .addColumn('course_ja', 'text', (c) => c.notNull())
    .addColumn('course_en', 'text', (c) => c.notNull())
    .addColumn('credits', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('student_courses_pk', ['tenant_id', 'student_number', 'seq'])
    .addForeignKeyConstraint(
      'student_courses_record_fk',
      ['tenant_id', 'student_number'],
      'student_records',
      ['tenant_id', 'student_number'],
      (c) => c.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('catalogue_items')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name_ja', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('fee_yen', 'integer', (c) => c.notNull())
    .addColumn('max_copies', 'integer', (c) => c.notNull())
    .addColumn('destinations', 'text', (c) => c.notNull())
    .addColumn('eligibility', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('catalogue_items_pk', ['tenant_id', 'type'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['catalogue_items', 'student_courses', 'student_records']) {
    await db.schema.dropTable(table).execute();
  }
}
