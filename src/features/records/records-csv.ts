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
import { type CsvError, parse } from 'csv-parse/sync';
import type { Lang } from '../../platform/i18n.js';
import {
  type Grade,
  type StudentCourseInput,
  type StudentRecordInput,
  type StudentStatus,
  grades,
  isIsoDate,
  studentStatuses,
} from './record.model.js';

export type ImportFile = 'students' | 'courses';

export type ImportIssueCode =
  | 'encoding'
  | 'csv_syntax'
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
  /** For people, in English. */
  reason: string;
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
const gpaColumns = ['gpa', 'gpa_hundredths'] as const;

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

const MAX_TEXT = 200;
const studentNumberPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
const userIdPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Full-width katakana (with ー and ・) and spaces. Half-width katakana is refused. */
const kanaPattern = /^[\u30A1-\u30FA\u30FB\u30FC \u3000]+$/;
const romanPattern = /^[A-Za-z][A-Za-z'.-]*( [A-Za-z][A-Za-z'.-]*)+$/;

interface Row {
  line: number;
  values: string[];
}

/** Text of an uploaded file: UTF-8 (a BOM is dropped), every line ending turned into \n. */
function decode(file: ImportFile, input: string | Uint8Array, errors: ImportIssue[]): string | undefined {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      const lossy = new TextDecoder('utf-8').decode(input);
      const before = lossy.slice(0, lossy.indexOf('\uFFFD'));
      errors.push({
        file,
        line: before.split(/\r\n|\r|\n/).length,
        code: 'encoding',
        reason: 'the file is not UTF-8 text (Shift_JIS?): save it as "CSV UTF-8"',
      });
      return undefined;
    }
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** The line a csv-parse error happened on (its context carries `lines`). */
function lineOf(error: unknown, fallback: number): number {
  const lines = (error as CsvError | undefined)?.lines;
  return typeof lines === 'number' && lines > 0 ? lines : fallback;
}

/** Records of the file with the line each starts on; syntax errors become issues. */
function readRows(file: ImportFile, text: string, errors: ImportIssue[]): Row[] {
  const skipped = new Set<number>();
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        const line = lineOf(error, 0);
        if (skipped.has(line)) return;
        skipped.add(line);
        errors.push({ file, line, code: 'csv_syntax', reason: error?.message ?? 'unreadable CSV' });
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    errors.push({
      file,
      line: lineOf(error, 1),
      code: 'csv_syntax',
      reason: error instanceof Error ? error.message : String(error),
    });
    return [];
  }
  return records
    .map(({ record, info }) => {
      const inner = record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
      return { line: info.lines - inner, values: record.map((value) => value.trim()) };
    })
    .filter((row) => row.values.some((value) => value !== ''));
}

interface Table {
  rows: Row[];
  /** Header name → index. */
  columns: Map<string, number>;
}

function readTable(
  file: ImportFile,
  input: string | Uint8Array,
  required: readonly string[],
  optional: readonly string[],
  errors: ImportIssue[],
): Table | undefined {
  const text = decode(file, input, errors);
  if (text === undefined) return undefined;
  const [header, ...rows] = readRows(file, text, errors);
  if (!header) {
    errors.push({ file, line: 1, code: 'empty_file', reason: 'the file has no header row' });
    return undefined;
  }
  const columns = new Map<string, number>();
  header.values.forEach((raw, index) => {
    const name = raw.toLowerCase();
    if (columns.has(name)) {
      errors.push({
        file,
        line: header.line,
        column: raw,
        code: 'duplicate_column',
        reason: `column ${raw} appears twice`,
      });
    } else if (!required.includes(name) && !optional.includes(name)) {
      errors.push({
        file,
        line: header.line,
        column: raw,
        code: 'unknown_column',
        reason: `unknown column ${raw || '(empty)'}`,
      });
    } else {
      columns.set(name, index);
    }
  });
  for (const name of required) {
    if (!columns.has(name))
      errors.push({
        file,
        line: header.line,
        column: name,
        code: 'missing_column',
        reason: `column ${name} is missing`,
      });
  }
  const width = header.values.length;
  const good: Row[] = [];
  for (const row of rows) {
    if (row.values.length !== width) {
      errors.push({
        file,
        line: row.line,
        code: 'column_count',
        reason: `${row.values.length} fields where the header has ${width} (a comma inside a value needs "quotes")`,
      });
    } else {
      good.push(row);
    }
  }
  return { rows: good, columns };
}

/** Reads and checks one row's fields; collects every problem, not just the first. */
class RowReader {
  readonly issues: ImportIssue[] = [];
  constructor(
    private readonly file: ImportFile,
    private readonly row: Row,
    private readonly columns: Map<string, number>,
  ) {}

  has(column: string): boolean {
    return this.columns.has(column);
  }

  private fail(column: string, code: ImportIssueCode, reason: string): undefined {
    this.issues.push({ file: this.file, line: this.row.line, column, code, reason });
    return undefined;
  }

  /** The value, or undefined (with an issue) when empty or too long; a missing column is the header's issue. */
  text(column: string, max = MAX_TEXT): string | undefined {
    const index = this.columns.get(column);
    if (index === undefined) return undefined;
    const value = this.row.values[index] ?? '';
    if (value === '') return this.fail(column, 'required', `${column} is required`);
    if (value.length > max) return this.fail(column, 'too_long', `${column} is longer than ${max} characters`);
    return value;
  }

  matching(
    column: string,
    pattern: RegExp,
    reason: string,
    code: ImportIssueCode = 'invalid_value',
  ): string | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    return pattern.test(value) ? value : this.fail(column, code, `${column} ${reason}: ${value}`);
  }

  date(column: string): string | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    return isIsoDate(value)
      ? value
      : this.fail(column, 'invalid_date', `${column} is not a valid date YYYY-MM-DD: ${value}`);
  }

  integer(column: string, min: number, max: number): number | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) return this.fail(column, 'invalid_value', `${column} must be a whole number: ${value}`);
    const number = Number(value);
    if (number < min || number > max)
      return this.fail(column, 'out_of_range', `${column} must be ${min} to ${max}: ${value}`);
    return number;
  }

  oneOf<T extends string>(
    column: string,
    allowed: readonly T[],
    aliases: Record<string, T>,
    transform = (v: string) => v,
  ): T | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    const key = transform(value);
    if ((allowed as readonly string[]).includes(key)) return key as T;
    const alias = aliases[value];
    if (alias) return alias;
    return this.fail(column, 'invalid_value', `${column} must be one of ${allowed.join(', ')}: ${value}`);
  }

  gpaHundredths(): number | undefined {
    if (this.has('gpa_hundredths')) return this.integer('gpa_hundredths', 0, 400);
    const value = this.text('gpa');
    if (value === undefined) return undefined;
    if (!/^\d+(\.\d{1,2})?$/.test(value))
      return this.fail('gpa', 'invalid_value', `gpa must be a number like 3.25: ${value}`);
    const hundredths = Math.round(Number(value) * 100);
    if (hundredths > 400) return this.fail('gpa', 'out_of_range', `gpa must be 0.00 to 4.00: ${value}`);
    return hundredths;
  }

  check(condition: boolean, column: string, code: ImportIssueCode, reason: string): void {
    if (!condition) this.fail(column, code, reason);
  }
}

function localized(ja: string | undefined, en: string | undefined): Record<Lang, string> | undefined {
  return ja !== undefined && en !== undefined ? { ja, en } : undefined;
}

/** Duplicate keys within a file: every later occurrence is an issue naming the first line. */
function noteDuplicate(
  seen: Map<string, number>,
  key: string,
  line: number,
  onDuplicate: (firstLine: number) => void,
): void {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, line);
  else onDuplicate(first);
}

export function parseStudentsCsv(input: string | Uint8Array): ParsedFile<ParsedStudent> {
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
  for (const row of table.rows) {
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
        );
      } else if (!romanPattern.test(romanRaw)) {
        r.check(
          false,
          'name_roman',
          'roman_format',
          `name_roman must be Latin letters, single spaces, hyphens or apostrophes: ${romanRaw}`,
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
      );
    }
    if (admissionDate && expectedGraduationDate) {
      r.check(
        admissionDate < expectedGraduationDate,
        'expected_graduation_date',
        'date_order',
        `expected_graduation_date ${expectedGraduationDate} is not after admission_date ${admissionDate}`,
      );
    }
    if (studentNumber !== undefined) {
      result.refs.push({ line: row.line, studentNumber });
      noteDuplicate(studentNumbers, studentNumber, row.line, (first) =>
        r.check(false, 'student_number', 'duplicate', `student_number ${studentNumber} is also on line ${first}`),
      );
    }
    if (userId !== undefined) {
      noteDuplicate(userIds, userId, row.line, (first) =>
        r.check(false, 'user_id', 'duplicate', `user_id ${userId} is also on line ${first}`),
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

export function parseCoursesCsv(input: string | Uint8Array): ParsedFile<ParsedCourse> {
  const errors: ImportIssue[] = [];
  const result: ParsedFile<ParsedCourse> = { rows: [], refs: [], errors };
  const table = readTable('courses', input, courseColumns, [], errors);
  if (!table) return result;
  const courses = new Map<string, number>();
  for (const row of table.rows) {
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
