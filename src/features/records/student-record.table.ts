import type { EpochMs } from '../../db/types.js';

/** C-3: one row per student, keyed by (tenant_id, student_number); user_id is unique per tenant. */
export interface StudentRecordTable {
  tenant_id: string;
  student_number: string;
  user_id: string;
  name_kanji: string;
  name_kana: string;
  name_roman: string;
  /** 'YYYY-MM-DD'. */
  birth_date: string;
  faculty_ja: string;
  faculty_en: string;
  department_ja: string;
  department_en: string;
  year: number;
  program_years: number;
  /** StudentStatus. */
  status: string;
  /** 'YYYY-MM-DD'. */
  admission_date: string;
  /** 'YYYY-MM-DD'. */
  expected_graduation_date: string;
  credits_earned: number;
  /** GPA × 100, 0..400. */
  gpa_hundredths: number;
  updated_at: EpochMs;
}

/** A transcript line; (tenant_id, student_number, seq). */
export interface StudentCourseTable {
  tenant_id: string;
  student_number: string;
  seq: number;
  academic_year: number;
  term_ja: string;
  term_en: string;
  course_ja: string;
  course_en: string;
  credits: number;
  /** Grade: S A B C F. */
  grade: string;
}
