import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  type Grade,
  type StudentCourse,
  type StudentCourseInput,
  type StudentRecord,
  type StudentRecordInput,
  type StudentStatus,
  isGrade,
  isStudentStatus,
} from './record.model.js';
import { reusableQuery } from '../../db/compiled-query.js';

/** The home page and every order page read the student's record: compiled once (#11). */
const findRecordByUserId = reusableQuery((db: Kysely<Database>, tenantId: string, userId: string) =>
  db.selectFrom('student_records').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId),
);
import type { StudentCourseTable, StudentRecordTable } from './student-record.table.js';

function toRecord(row: StudentRecordTable): StudentRecord {
  if (!isStudentStatus(row.status))
    throw new Error(`student ${row.student_number} has an unknown status ${row.status}`);
  return {
    studentNumber: row.student_number,
    userId: row.user_id,
    name: { kanji: row.name_kanji, kana: row.name_kana, roman: row.name_roman },
    birthDate: row.birth_date,
    faculty: { ja: row.faculty_ja, en: row.faculty_en },
    department: { ja: row.department_ja, en: row.department_en },
    year: Number(row.year),
    programYears: Number(row.program_years),
    status: row.status as StudentStatus,
    admissionDate: row.admission_date,
    expectedGraduationDate: row.expected_graduation_date,
    creditsEarned: Number(row.credits_earned),
    gpaHundredths: Number(row.gpa_hundredths),
    updatedAt: Number(row.updated_at),
  };
}

function toRow(tenantId: string, record: StudentRecordInput, now: number): StudentRecordTable {
  return {
    tenant_id: tenantId,
    student_number: record.studentNumber,
    user_id: record.userId,
    name_kanji: record.name.kanji,
    name_kana: record.name.kana,
    name_roman: record.name.roman,
    birth_date: record.birthDate,
    faculty_ja: record.faculty.ja,
    faculty_en: record.faculty.en,
    department_ja: record.department.ja,
    department_en: record.department.en,
    year: record.year,
    program_years: record.programYears,
    status: record.status,
    admission_date: record.admissionDate,
    expected_graduation_date: record.expectedGraduationDate,
    credits_earned: record.creditsEarned,
    gpa_hundredths: record.gpaHundredths,
    updated_at: now,
  };
}

function toCourse(row: StudentCourseTable): StudentCourse {
  if (!isGrade(row.grade))
    throw new Error(`course ${row.seq} of ${row.student_number} has an unknown grade ${row.grade}`);
  return {
    seq: Number(row.seq),
    academicYear: Number(row.academic_year),
    term: { ja: row.term_ja, en: row.term_en },
    name: { ja: row.course_ja, en: row.course_en },
    credits: Number(row.credits),
    grade: row.grade as Grade,
  };
}

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 200;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const updatableColumns = [
  'user_id',
  'name_kanji',
  'name_kana',
  'name_roman',
  'birth_date',
  'faculty_ja',
  'faculty_en',
  'department_ja',
  'department_en',
  'year',
  'program_years',
  'status',
  'admission_date',
  'expected_graduation_date',
  'credits_earned',
  'gpa_hundredths',
  'updated_at',
] as const;

/** C-3: student records and their transcripts, per tenant. */
export class StudentRecordRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findByStudentNumber(tenantId: string, studentNumber: string): Promise<StudentRecord | undefined> {
    const row = await this.db
      .selectFrom('student_records')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('student_number', '=', studentNumber)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** The record of the student who logs in with this user ID. */
  async findByUserId(tenantId: string, userId: string): Promise<StudentRecord | undefined> {
    const [row] = await findRecordByUserId(this.db, tenantId, userId);
    return row && toRecord(row);
  }

  /** Records by student number, a page at a time. */
  async list(tenantId: string, options: { limit?: number; offset?: number } = {}): Promise<StudentRecord[]> {
    const rows = await this.db
      .selectFrom('student_records')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('student_number')
      .limit(options.limit ?? 1000)
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toRecord);
  }

  async count(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('student_records')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Every (student number, user ID) of the tenant: what an import checks its file against. */
  async identities(tenantId: string): Promise<{ studentNumber: string; userId: string }[]> {
    const rows = await this.db
      .selectFrom('student_records')
      .select(['student_number', 'user_id'])
      .where('tenant_id', '=', tenantId)
      .execute();
    return rows.map((row) => ({ studentNumber: row.student_number, userId: row.user_id }));
  }

  async upsert(tenantId: string, record: StudentRecordInput, now: number): Promise<void> {
    await this.upsertMany(tenantId, [record], now);
  }

  /**
   * Adds or replaces records by student number. A user ID may move between students of the
   * batch (two students swapping IDs): those rows first let go of their old ID, so the unique
   * (tenant_id, user_id) key never sees two holders. Run it inside Store.transaction.
   */
  async upsertMany(tenantId: string, records: readonly StudentRecordInput[], now: number): Promise<void> {
    if (records.length === 0) return;
    const incoming = new Map(records.map((record) => [record.studentNumber, record.userId]));
    const moving = (await this.identities(tenantId)).filter(
      (existing) => incoming.has(existing.studentNumber) && incoming.get(existing.studentNumber) !== existing.userId,
    );
    for (const existing of moving) {
      // A user ID never holds a space, so the placeholder cannot meet a real one.
      await this.db
        .updateTable('student_records')
        .set({ user_id: ` moving ${existing.studentNumber}` })
        .where('tenant_id', '=', tenantId)
        .where('student_number', '=', existing.studentNumber)
        .execute();
    }
    for (const batch of chunks(records)) {
      await this.db
        .insertInto('student_records')
        .values(batch.map((record) => toRow(tenantId, record, now)))
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'student_number'])
            .doUpdateSet((eb) =>
              Object.fromEntries(updatableColumns.map((column) => [column, eb.ref(`excluded.${column}`)])),
            ),
        )
        .execute();
    }
  }

  /** The transcript in its order. */
  async listCourses(tenantId: string, studentNumber: string): Promise<StudentCourse[]> {
    const rows = await this.db
      .selectFrom('student_courses')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('student_number', '=', studentNumber)
      .orderBy('seq')
      .execute();
    return rows.map(toCourse);
  }

  /**
   * Replaces the whole transcript of one student (an empty list clears it); `seq` is the
   * position in the list, from 1. The record must exist. Run it inside Store.transaction.
   */
  async replaceCourses(tenantId: string, studentNumber: string, courses: readonly StudentCourseInput[]): Promise<void> {
    await this.replaceCoursesOf(tenantId, new Map([[studentNumber, courses]]));
  }

  /**
   * Each listed student's transcript replaced by theirs, in batches: an import of 20,000 course
   * rows is a few dozen statements instead of two per student (#12 A-4, bench/import.bench.ts).
   */
  async replaceCoursesOf(
    tenantId: string,
    byStudent: ReadonlyMap<string, readonly StudentCourseInput[]>,
  ): Promise<void> {
    for (const numbers of chunks([...byStudent.keys()])) {
      await this.db
        .deleteFrom('student_courses')
        .where('tenant_id', '=', tenantId)
        .where('student_number', 'in', numbers)
        .execute();
    }
    const rows: StudentCourseTable[] = [];
    for (const [studentNumber, courses] of byStudent) {
      courses.forEach((course, index) =>
        rows.push({
          tenant_id: tenantId,
          student_number: studentNumber,
          seq: index + 1,
          academic_year: course.academicYear,
          term_ja: course.term.ja,
          term_en: course.term.en,
          course_ja: course.name.ja,
          course_en: course.name.en,
          credits: course.credits,
          grade: course.grade,
        }),
      );
    }
    for (const batch of chunks(rows)) await this.db.insertInto('student_courses').values(batch).execute();
  }

  /** Course rows of the whole tenant (for import reports and tests). */
  async countCourses(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('student_courses')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
