/**
 * The two CSV files of a records import (C-3, A-4), parsed and checked row by row — pure, no
 * database. Checks that need the database (user IDs held by other students, courses of students
 * who are in neither file nor the database) are the service's.
 *
 * Files are UTF-8 with or without a BOM, any line endings, a header row naming the columns in
 * any order. Line numbers are the file's own (the header is line 1; a quoted value spanning lines
 * is reported at the line it starts on). Blank lines, and lines of empty fields only (as
 * spreadsheets leave at the end), are skipped.
 */

import { type Grade, type StudentStatus, grades, studentStatuses } from './record.model.js';
import {
  type ImportIssue,
  type ParsedCourse,
  type ParsedFile,
  type ParsedStudent,
  courseColumns,
  gpaColumns,
  studentColumns,
} from './records-csv.model.js';
import { RowReader, localized, noteDuplicate, readTable } from './records-csv.reader.js';

/** Japanese status words registrars' systems export, mapped to ours. */
const statusAliases: Record<string, StudentStatus> = {
  在学: 'enrolled',
  休学: 'leave_of_absence',
  退学: 'withdrawn',
  除籍: 'withdrawn',
  卒業: 'graduated',
  停学: 'suspended',
};

/** 秀/優/良/可/不可, as Japanese transcripts print grades. */
const gradeAliases: Record<string, Grade> = { 秀: 'S', 優: 'A', 良: 'B', 可: 'C', 不可: 'F' };

const studentNumberPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
const userIdPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Full-width katakana (with ー and ・) and spaces. Half-width katakana is refused. */
const kanaPattern = /^[\u30A1-\u30FA\u30FB\u30FC \u3000]+$/;
const romanPattern = /^[A-Za-z][A-Za-z'.-]*( [A-Za-z][A-Za-z'.-]*)+$/;

/** Told how many of a file's data rows are checked so far, and how many it has. */
export type RowProgress = (done: number, total: number) => void | Promise<void>;

const ROWS_PER_STEP = 500;

/**
 * Between steps of rows: tells `progress`, and lets the event loop serve other requests, so a
 * 20,000-row file checked in the server keeps its pages answering.
 */
async function step(index: number, total: number, progress: RowProgress | undefined): Promise<void> {
  if (index % ROWS_PER_STEP !== 0) return;
  await progress?.(index, total);
  await new Promise((resolve) => setImmediate(resolve));
}

export async function parseStudentsCsv(
  input: string | Uint8Array,
  progress?: RowProgress,
): Promise<ParsedFile<ParsedStudent>> {
  const errors: ImportIssue[] = [];
  const result: ParsedFile<ParsedStudent> = { rows: [], refs: [], errors };
  const table = readTable('students', input, studentColumns, gpaColumns, errors);
  if (!table) return result;
  const hasGpa = gpaColumns.filter((column) => table.columns.has(column));
  if (hasGpa.length !== 1) {
    errors.push({
      file: 'students',
      line: 1,
      column: 'gpa',
      code: hasGpa.length === 0 ? 'missing_column' : 'duplicate_column',
      reason: 'give the GPA in exactly one column: gpa (0.00–4.00) or gpa_hundredths (0–400)',
    });
  }
  const studentNumbers = new Map<string, number>();
  const userIds = new Map<string, number>();
  for (const [index, row] of table.rows.entries()) {
    await step(index, table.rows.length, progress);
    const r = new RowReader('students', row, table.columns);
    const studentNumber = r.matching(
      'student_number',
      studentNumberPattern,
      'must be letters, digits and hyphens (up to 32)',
    );
    const userId = r.matching('user_id', userIdPattern, 'must be letters, digits and . _ @ - (up to 64), no spaces');
    const kanji = r.text('name_kanji', 100);
    const kana = r.matching('name_kana', kanaPattern, 'must be full-width katakana (ヤマダ タロウ)', 'not_katakana');
    const romanRaw = r.text('name_roman', 100);
    let roman: string | undefined;
    if (romanRaw !== undefined) {
      if (!romanRaw.includes(' ')) {
        r.check(
          false,
          'name_roman',
          'roman_format',
          `name_roman needs a space between family and given name (YAMADA Taro): ${romanRaw}`,
          { value: romanRaw },
        );
      } else if (!romanPattern.test(romanRaw)) {
        r.check(
          false,
          'name_roman',
          'roman_format',
          `name_roman must be Latin letters, single spaces, hyphens or apostrophes: ${romanRaw}`,
          { value: romanRaw },
        );
      } else {
        roman = romanRaw;
      }
    }
    const birthDate = r.date('birth_date');
    const faculty = localized(r.text('faculty_ja'), r.text('faculty_en'));
    const department = localized(r.text('department_ja'), r.text('department_en'));
    const programYears = r.integer('program_years', 1, 8);
    const year = r.integer('year', 1, programYears ?? 8);
    const status = r.oneOf('status', studentStatuses, statusAliases, (v) => v.toLowerCase());
    const admissionDate = r.date('admission_date');
    const expectedGraduationDate = r.date('expected_graduation_date');
    const creditsEarned = r.integer('credits_earned', 0, 999);
    const gpaHundredths = hasGpa.length === 1 ? r.gpaHundredths() : undefined;
    if (birthDate && admissionDate) {
      r.check(
        birthDate < admissionDate,
        'admission_date',
        'date_order',
        `admission_date ${admissionDate} is not after birth_date ${birthDate}`,
        { value: admissionDate, other: 'birth_date' },
      );
    }
    if (admissionDate && expectedGraduationDate) {
      r.check(
        admissionDate < expectedGraduationDate,
        'expected_graduation_date',
        'date_order',
        `expected_graduation_date ${expectedGraduationDate} is not after admission_date ${admissionDate}`,
        { value: expectedGraduationDate, other: 'admission_date' },
      );
    }
    if (studentNumber !== undefined) {
      result.refs.push({ line: row.line, studentNumber });
      noteDuplicate(studentNumbers, studentNumber, row.line, (first) =>
        r.check(false, 'student_number', 'duplicate', `student_number ${studentNumber} is also on line ${first}`, {
          value: studentNumber,
          first,
        }),
      );
    }
    if (userId !== undefined) {
      noteDuplicate(userIds, userId, row.line, (first) =>
        r.check(false, 'user_id', 'duplicate', `user_id ${userId} is also on line ${first}`, { value: userId, first }),
      );
    }
    errors.push(...r.issues);
    if (
      r.issues.length === 0 &&
      studentNumber !== undefined &&
      userId !== undefined &&
      kanji !== undefined &&
      kana !== undefined &&
      roman !== undefined &&
      birthDate !== undefined &&
      faculty !== undefined &&
      department !== undefined &&
      year !== undefined &&
      programYears !== undefined &&
      status !== undefined &&
      admissionDate !== undefined &&
      expectedGraduationDate !== undefined &&
      creditsEarned !== undefined &&
      gpaHundredths !== undefined
    ) {
      result.rows.push({
        line: row.line,
        record: {
          studentNumber,
          userId,
          name: { kanji, kana, roman },
          birthDate,
          faculty,
          department,
          year,
          programYears,
          status,
          admissionDate,
          expectedGraduationDate,
          creditsEarned,
          gpaHundredths,
        },
      });
    }
  }
  return result;
}

export async function parseCoursesCsv(
  input: string | Uint8Array,
  progress?: RowProgress,
): Promise<ParsedFile<ParsedCourse>> {
  const errors: ImportIssue[] = [];
  const result: ParsedFile<ParsedCourse> = { rows: [], refs: [], errors };
  const table = readTable('courses', input, courseColumns, [], errors);
  if (!table) return result;
  const courses = new Map<string, number>();
  for (const [index, row] of table.rows.entries()) {
    await step(index, table.rows.length, progress);
    const r = new RowReader('courses', row, table.columns);
    const studentNumber = r.matching(
      'student_number',
      studentNumberPattern,
      'must be letters, digits and hyphens (up to 32)',
    );
    const academicYear = r.integer('academic_year', 1900, 2200);
    const term = localized(r.text('term_ja', 50), r.text('term_en', 50));
    const name = localized(r.text('course_ja'), r.text('course_en'));
    const credits = r.integer('credits', 0, 20);
    const grade = r.oneOf('grade', grades, gradeAliases, (v) => v.toUpperCase());
    if (studentNumber !== undefined) result.refs.push({ line: row.line, studentNumber });
    if (studentNumber !== undefined && academicYear !== undefined && term && name) {
      noteDuplicate(courses, JSON.stringify([studentNumber, academicYear, term.ja, name.ja]), row.line, (first) =>
        r.check(
          false,
          'course_ja',
          'duplicate',
          `${name.ja} (${academicYear} ${term.ja}) of ${studentNumber} is also on line ${first}`,
          { value: name.ja, first },
        ),
      );
    }
    errors.push(...r.issues);
    if (
      r.issues.length === 0 &&
      studentNumber !== undefined &&
      academicYear !== undefined &&
      term !== undefined &&
      name !== undefined &&
      credits !== undefined &&
      grade !== undefined
    ) {
      result.rows.push({ line: row.line, studentNumber, course: { academicYear, term, name, credits, grade } });
    }
  }
  return result;
}
