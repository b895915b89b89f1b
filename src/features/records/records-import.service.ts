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

/**
 * Where an import is: its rows being checked (of both files together), or the checked rows being
 * written in the one transaction, which reports nothing until it commits.
 */
export type ImportProgress = { phase: 'checking' | 'writing'; done: number; total: number };

export interface RecordsImportOptions {
  /** Check everything, report, write nothing. */
  dryRun?: boolean;
  /** Called outside any transaction, so it may write where the progress is shown. */
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
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
    const { onProgress } = options;
    // Only the students file's count is known before the courses file is read: the total grows once.
    let studentRows = 0;
    const students =
      input.students !== undefined
        ? await parseStudentsCsv(input.students, (done, total) => {
            studentRows = total;
            return onProgress?.({ phase: 'checking', done, total });
          })
        : undefined;
    const courses =
      input.courses !== undefined
        ? await parseCoursesCsv(input.courses, (done, total) =>
            onProgress?.({ phase: 'checking', done: studentRows + done, total: studentRows + total }),
          )
        : undefined;
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

    const rows = (students?.rows.length ?? 0) + (courses?.rows.length ?? 0);
    if (errors.length === 0 && !dryRun) await onProgress?.({ phase: 'writing', done: 0, total: rows });
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
            params: { value: record.userId, holder },
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
            params: { value: ref.studentNumber },
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
      await repos.records.replaceCoursesOf(tenantId, coursesByStudent);
      const written = report(true, created);
      await repos.audit('records.imported', { detail: { students: written.students, courses: written.courses } });
      return written;
    });
  }

  /** Each cell that would go on a certificate and has a character no certificate font draws. */
  private undrawableIssues(
    students: ReadonlyArray<{ line: number; record: StudentRecordInput }>,
    courses: ReadonlyArray<{ line: number; course: StudentCourseInput }>,
  ): ImportIssue[] {
    const undrawable = this.deps.undrawable;
    if (!undrawable) return [];
    const cells: Array<{ file: ImportFile; line: number; column: string; text: string }> = [];
    const add = (file: ImportFile, line: number, texts: Record<string, string>) => {
      for (const [column, text] of Object.entries(texts)) cells.push({ file, line, column, text });
    };
    for (const { line, record } of students) {
      add('students', line, {
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
      add('courses', line, {
        course_ja: course.name.ja,
        course_en: course.name.en,
        term_ja: course.term.ja,
        term_en: course.term.en,
      });
    }
    // Each distinct character is looked up in the fonts once: a roster repeats most of its characters.
    const distinct = new Set<string>();
    for (const { text } of cells) for (const char of text) distinct.add(char);
    const missing = new Set(undrawable([[...distinct].join('')]));
    if (missing.size === 0) return [];
    const issues: ImportIssue[] = [];
    for (const { file, line, column, text } of cells) {
      const found = [...new Set([...text].filter((char) => missing.has(char)))];
      if (found.length === 0) continue;
      const named = found.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
      issues.push({
        file,
        line,
        column,
        code: 'undrawable',
        reason: `no certificate font can draw ${named.join(', ')}: record a printable character, or install IPAmj Mincho (CERTIFICATE_FALLBACK_FONT)`,
        params: { characters: named.join(', ') },
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
