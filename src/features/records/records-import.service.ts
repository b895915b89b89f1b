import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { visibleControls } from '../../platform/terminal-text.js';
import type { StudentCourseInput, StudentRecordInput } from './record.model.js';
import type { ImportFile, ImportIssue } from './records-csv.model.js';
import { parseCoursesCsv, parseStudentsCsv } from './records-csv.js';

export {
  type ImportFile,
  type ImportIssue,
  type ImportIssueCode,
  courseColumns,
  studentColumns,
} from './records-csv.model.js';

export interface RecordsImportInput {
  /** The students CSV (text, or the uploaded bytes). */
  students?: string | Uint8Array;
  /** The courses CSV: each student in it gets exactly these courses, in this order. */
  courses?: string | Uint8Array;
}

export interface RecordsImportOptions {
  /** Check everything, report, write nothing. */
  dryRun?: boolean;
}

export interface RecordsImportReport {
  /** No errors: the import was (or, in a dry run, would be) written whole. */
  ok: boolean;
  dryRun: boolean;
  /** Whether anything was written: only when ok and not a dry run. */
  written: boolean;
  students: { rows: number; created: number; updated: number };
  /** `students`: how many students' transcripts are replaced. */
  courses: { rows: number; students: number };
  /** Every problem, by file and line. */
  errors: ImportIssue[];
}

/**
 * The characters of the texts that no certificate font can draw (given by the certificates
 * feature, which knows the fonts): a name with one could be ordered but never printed (C-11).
 */
export type UndrawableCharacters = (texts: readonly string[]) => string[];

/**
 * C-3, A-4: imports student records and transcripts from the registrar's CSV files, all or
 * nothing. Every row is checked first and every problem reported with its line; only a clean
 * import is written, in one transaction. A student in the courses file has all their courses
 * replaced; students not in it keep theirs.
 */
export class RecordsImportService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow'> & { undrawable?: UndrawableCharacters }) {}

  /** Imports into the actor's university. */
  async import(
    actor: Actor,
    input: RecordsImportInput,
    options: RecordsImportOptions = {},
  ): Promise<RecordsImportReport> {
    const { tenantId } = actor;
    const dryRun = options.dryRun ?? false;
    const students = input.students !== undefined ? parseStudentsCsv(input.students) : undefined;
    const courses = input.courses !== undefined ? parseCoursesCsv(input.courses) : undefined;
    const errors: ImportIssue[] = [...(students?.errors ?? []), ...(courses?.errors ?? [])];
    if (!students && !courses) {
      errors.push({
        file: 'students',
        line: 0,
        code: 'no_input',
        reason: 'give a students file, a courses file or both',
      });
    }

    errors.push(...this.undrawableIssues(students?.rows ?? [], courses?.rows ?? []));

    const coursesByStudent = new Map<string, StudentCourseInput[]>();
    for (const row of courses?.rows ?? []) {
      const list = coursesByStudent.get(row.studentNumber) ?? [];
      list.push(row.course);
      coursesByStudent.set(row.studentNumber, list);
    }
    const report = (written: boolean, created = 0): RecordsImportReport => ({
      ok: errors.length === 0,
      dryRun,
      written,
      students: { rows: students?.rows.length ?? 0, created, updated: (students?.rows.length ?? 0) - created },
      courses: { rows: courses?.rows.length ?? 0, students: coursesByStudent.size },
      errors: [...errors].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === 'students' ? -1 : 1)),
    });

    // The checks against the database and the writes see the same rows: one transaction.
    return this.deps.uow.run(actor, async (repos) => {
      const existing = await repos.records.identities(tenantId);
      const inFile = new Set((students?.refs ?? []).map((ref) => ref.studentNumber));
      // A user ID stays with a student the file does not mention; the file may not give it to another.
      const heldElsewhere = new Map(
        existing.filter((e) => !inFile.has(e.studentNumber)).map((e) => [e.userId, e.studentNumber]),
      );
      for (const { line, record } of students?.rows ?? []) {
        const holder = heldElsewhere.get(record.userId);
        if (holder !== undefined) {
          errors.push({
            file: 'students',
            line,
            column: 'user_id',
            code: 'user_id_taken',
            reason: `user_id ${record.userId} belongs to student ${holder}`,
          });
        }
      }
      const known = new Set([...inFile, ...existing.map((e) => e.studentNumber)]);
      for (const ref of courses?.refs ?? []) {
        if (!known.has(ref.studentNumber)) {
          errors.push({
            file: 'courses',
            line: ref.line,
            column: 'student_number',
            code: 'unknown_student',
            reason: `no student ${ref.studentNumber} in the students file or the records`,
          });
        }
      }
      const existingNumbers = new Set(existing.map((e) => e.studentNumber));
      const created = (students?.rows ?? []).filter((row) => !existingNumbers.has(row.record.studentNumber)).length;
      if (errors.length > 0 || dryRun) return report(false, created);

      await repos.records.upsertMany(
        tenantId,
        (students?.rows ?? []).map((row) => row.record),
        repos.now,
      );
      for (const [studentNumber, list] of coursesByStudent) {
        await repos.records.replaceCourses(tenantId, studentNumber, list);
      }
      return report(true, created);
    });
  }

  /** Each cell that would go on a certificate and has a character no certificate font draws. */
  private undrawableIssues(
    students: ReadonlyArray<{ line: number; record: StudentRecordInput }>,
    courses: ReadonlyArray<{ line: number; course: StudentCourseInput }>,
  ): ImportIssue[] {
    const undrawable = this.deps.undrawable;
    if (!undrawable) return [];
    const issues: ImportIssue[] = [];
    const check = (file: ImportFile, line: number, cells: Record<string, string>) => {
      for (const [column, text] of Object.entries(cells)) {
        const missing = undrawable([text]);
        if (missing.length === 0) continue;
        const named = missing.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
        issues.push({
          file,
          line,
          column,
          code: 'undrawable',
          reason: `no certificate font can draw ${named.join(', ')}: record a printable character, or install IPAmj Mincho (CERTIFICATE_FALLBACK_FONT)`,
        });
      }
    };
    for (const { line, record } of students) {
      check('students', line, {
        name_kanji: record.name.kanji,
        name_kana: record.name.kana,
        name_roman: record.name.roman,
        faculty_ja: record.faculty.ja,
        faculty_en: record.faculty.en,
        department_ja: record.department.ja,
        department_en: record.department.en,
      });
    }
    for (const { line, course } of courses) {
      check('courses', line, {
        course_ja: course.name.ja,
        course_en: course.name.en,
        term_ja: course.term.ja,
        term_en: course.term.en,
      });
    }
    return issues;
  }
}

/** The report as lines for a terminal: a summary, then `file:line: column: reason` per problem. */
export function formatImportReport(
  report: RecordsImportReport,
  names: Partial<Record<'students' | 'courses', string>> = {},
): string[] {
  // Reasons quote the file's own text: printed to a terminal, its controls are written out (#8).
  const lines = report.errors.map((issue) =>
    visibleControls(
      `${names[issue.file] ?? issue.file}:${issue.line}: ${issue.column ? `${issue.column}: ` : ''}${issue.reason}`,
    ),
  );
  const counts = `${report.students.rows} students (${report.students.created} new, ${report.students.updated} updated), ${report.courses.rows} courses for ${report.courses.students} students`;
  if (!report.ok) lines.push(`${report.errors.length} problem(s): nothing imported`);
  else if (report.dryRun) lines.push(`dry run, nothing written: would import ${counts}`);
  else lines.push(`imported ${counts}`);
  return lines;
}
