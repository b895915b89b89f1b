/** The shapes of a records import's CSV files and of the problems found in them (C-3, A-4). */
import type { StudentCourseInput, StudentRecordInput } from './record.model.js';

export type ImportFile = 'students' | 'courses';

export type ImportIssueCode =
  | 'encoding'
  | 'csv_syntax'
  | 'control_character'
  | 'empty_file'
  | 'missing_column'
  | 'unknown_column'
  | 'duplicate_column'
  | 'column_count'
  | 'required'
  | 'too_long'
  | 'invalid_value'
  | 'invalid_date'
  | 'out_of_range'
  | 'date_order'
  | 'not_katakana'
  | 'roman_format'
  | 'undrawable'
  | 'duplicate'
  | 'user_id_taken'
  | 'unknown_student'
  | 'no_input';

/** One problem of one row (or of the header, line 1); a bad row may have several. */
export interface ImportIssue {
  file: ImportFile;
  /** As in the file: the header is line 1. */
  line: number;
  /** The column (header name) at fault, when one is. */
  column?: string;
  code: ImportIssueCode;
  /** For people, in English (the CLI prints it). */
  reason: string;
  /** What the localized message of `code` names besides the column (the value, a limit, another line). */
  params?: Record<string, string | number>;
}

/** Columns of the students file. The GPA comes as `gpa` (0.00–4.00) or `gpa_hundredths` (0–400). */
export const studentColumns = [
  'student_number',
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
] as const;
export const gpaColumns = ['gpa', 'gpa_hundredths'] as const;

/** Columns of the courses file; the order of a student's rows is the order of the transcript. */
export const courseColumns = [
  'student_number',
  'academic_year',
  'term_ja',
  'term_en',
  'course_ja',
  'course_en',
  'credits',
  'grade',
] as const;

export interface ParsedStudent {
  line: number;
  record: StudentRecordInput;
}

export interface ParsedCourse {
  line: number;
  studentNumber: string;
  course: StudentCourseInput;
}

export interface ParsedFile<T> {
  rows: T[];
  /** The student number of every data row that has a well-formed one, bad row or not (for cross-checks). */
  refs: { line: number; studentNumber: string }[];
  errors: ImportIssue[];
}
