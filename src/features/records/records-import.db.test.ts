import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tenantsAandB } from '../../../test/factories/tenant.js';
import { type TestDatabase, freshDatabase } from '../../../test/helpers/database.js';
import { UnitOfWork } from '../../db/unit-of-work.js';
import { operatorActor } from '../../platform/actor.js';
import { ManualClock } from '../../platform/clock.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { CertificateRenderer } from '../certificates/pdf/certificate.renderer.js';
import { type ImportIssue, RecordsImportService, formatImportReport } from './records-import.service.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

const studentHeader =
  'student_number,user_id,name_kanji,name_kana,name_roman,birth_date,faculty_ja,faculty_en,department_ja,department_en,year,program_years,status,admission_date,expected_graduation_date,credits_earned,gpa';
const yamada =
  '2023L012,s2026001,山田 太郎,ヤマダ タロウ,YAMADA Taro,2004-06-14,文学部,Faculty of Letters,日本文学科,Department of Japanese Literature,4,4,enrolled,2023-04-01,2027-03-31,98,3.12';
const suzuki =
  '2025E041,s2026002,鈴木 花子,スズキ ハナコ,SUZUKI Hanako,2006-11-03,経済学部,Faculty of Economics,経済学科,Department of Economics,2,4,enrolled,2025-04-01,2029-03-31,40,3.50';
// A comma inside a quoted value, and an apostrophe in the roman name.
const oconnor =
  '2022T014,s2026103,小野 健,オノ ケン,O\'CONNOR Ken,2003-08-19,理工学部,Faculty of Science and Engineering,情報工学科,"Department of Computer Science, and Engineering",4,4,graduated,2022-04-01,2026-03-31,128,2.75';
const studentsCsv = [studentHeader, yamada, suzuki, oconnor].join('\n') + '\n';

const courseHeader = 'student_number,academic_year,term_ja,term_en,course_ja,course_en,credits,grade';
const coursesCsv =
  [
    courseHeader,
    '2023L012,2023,前期,Spring,日本語学概論,Introduction to Japanese Linguistics,2,S',
    '2023L012,2023,後期,Fall,源氏物語研究,Studies in The Tale of Genji,2,A',
    '2023L012,2024,前期,Spring,中世文学演習,Seminar in Medieval Japanese Literature,4,F',
    '2025E041,2025,前期,Spring,ミクロ経済学I,Microeconomics I,2,B',
    '2025E041,2025,後期,Fall,計量経済学,Econometrics,4,C',
  ].join('\n') + '\n';

let testDatabase: TestDatabase;
let uow: UnitOfWork;
let clock: ManualClock;
let service: RecordsImportService;
let a: Tenant;
let b: Tenant;

beforeEach(async () => {
  testDatabase = await freshDatabase();
  clock = new ManualClock(T0);
  uow = new UnitOfWork(testDatabase.handle.db, clock);
  service = new RecordsImportService({ uow });
  ({ a, b } = await tenantsAandB(uow.repos.tenants, T0));
});

afterEach(async () => {
  await testDatabase.drop();
});

async function counts(tenantId: string): Promise<{ students: number; courses: number }> {
  return {
    students: await uow.repos.records.count(tenantId),
    courses: await uow.repos.records.countCourses(tenantId),
  };
}

/** The issues without their wording, to compare. */
const brief = (errors: ImportIssue[]) => errors.map(({ file, line, column, code }) => ({ file, line, column, code }));

describe('C-3 A-4 records import', () => {
  it('C-3 #4 a valid file imports, and Japanese text round-trips', async () => {
    const report = await service.import(operatorActor(a.id), { students: studentsCsv, courses: coursesCsv });
    expect(report).toMatchObject({
      ok: true,
      written: true,
      dryRun: false,
      students: { rows: 3, created: 3, updated: 0 },
      courses: { rows: 5, students: 2 },
      errors: [],
    });
    expect(await counts(a.id)).toEqual({ students: 3, courses: 5 });
    expect(await uow.repos.records.findByUserId(a.id, 's2026001')).toEqual({
      studentNumber: '2023L012',
      userId: 's2026001',
      name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ', roman: 'YAMADA Taro' },
      birthDate: '2004-06-14',
      faculty: { ja: '文学部', en: 'Faculty of Letters' },
      department: { ja: '日本文学科', en: 'Department of Japanese Literature' },
      year: 4,
      programYears: 4,
      status: 'enrolled',
      admissionDate: '2023-04-01',
      expectedGraduationDate: '2027-03-31',
      creditsEarned: 98,
      gpaHundredths: 312,
      updatedAt: T0,
    });
    const graduate = await uow.repos.records.findByStudentNumber(a.id, '2022T014');
    expect(graduate?.department.en).toBe('Department of Computer Science, and Engineering');
    expect(graduate?.name.roman).toBe("O'CONNOR Ken");
    expect(await uow.repos.records.listCourses(a.id, '2023L012')).toEqual([
      {
        seq: 1,
        academicYear: 2023,
        term: { ja: '前期', en: 'Spring' },
        name: { ja: '日本語学概論', en: 'Introduction to Japanese Linguistics' },
        credits: 2,
        grade: 'S',
      },
      {
        seq: 2,
        academicYear: 2023,
        term: { ja: '後期', en: 'Fall' },
        name: { ja: '源氏物語研究', en: 'Studies in The Tale of Genji' },
        credits: 2,
        grade: 'A',
      },
      {
        seq: 3,
        academicYear: 2024,
        term: { ja: '前期', en: 'Spring' },
        name: { ja: '中世文学演習', en: 'Seminar in Medieval Japanese Literature' },
        credits: 4,
        grade: 'F',
      },
    ]);
    expect(formatImportReport(report)).toEqual(['imported 3 students (3 new, 0 updated), 5 courses for 2 students']);
  });

  it('A-4 C-3 a file with several bad rows reports every one with its line and reason, and writes nothing', async () => {
    await service.import(operatorActor(a.id), { students: studentsCsv, courses: coursesCsv });
    const before = await counts(a.id);
    const beforeRecord = await uow.repos.records.findByUserId(a.id, 's2026001');
    const badStudents = [
      studentHeader, // 1
      yamada.replace('YAMADA Taro', 'YAMADA Tarou'), // 2: fine (an update)
      yamada.replace('2023L012,s2026001,山田 太郎', '2024L001,s2026011,'), // 3: no kanji name
      suzuki.replace('2025E041,s2026002', '2025E042,s2026012').replace('2006-11-03', '2006-02-30'), // 4: no such date
      suzuki.replace('2025E041,s2026002', '2025E043,s2026013').replace(',enrolled,', ',expelled,'), // 5: status
      suzuki.replace('2025E041,s2026002', '2025E044,s2026014').replace(',2,4,enrolled', ',5,4,enrolled'), // 6: year > program
      suzuki.replace('2025E041,s2026002', '2025E045,s2026015').replace('スズキ ハナコ', 'すずき はなこ'), // 7: hiragana
      suzuki.replace('2025E041,s2026002', '2025E046,s2026016').replace('SUZUKI Hanako', 'SUZUKIHanako'), // 8: no space
      suzuki.replace('2025E041,s2026002', '2025E047,s2026017').replace(',3.50', ',4.50'), // 9: GPA
      suzuki.replace('s2026002', 's2026018'), // 10: fine
      suzuki.replace('s2026002', 's2026019'), // 11: student number also on line 10
      '"2025E048,s2026020', // 12–13: a quoted value spanning two lines, which leaves too few fields
      'x",1',
      suzuki.replace('2025E041,s2026002', '2025E049,s2026021').replace('ス', 'ｽ'), // 14: half-width kana
    ].join('\n');
    const badCourses = [
      courseHeader, // 1
      '2023L012,2023,前期,Spring,日本語学概論,Introduction to Japanese Linguistics,2,D', // 2: grade
      '2023L012,2023,後期,Fall,卒業論文,Graduation Thesis,21,A', // 3: credits
      '9999Z999,2023,前期,Spring,哲学概論,Introduction to Philosophy,2,A', // 4: unknown student
      '', // 5: blank, skipped
      '2025E041,2025,前期,Spring,ミクロ経済学I,Microeconomics I,2,B', // 6: fine
      '2025E041,2025,前期,Spring,ミクロ経済学I,Microeconomics I,2,A', // 7: duplicate of line 6
      '2025E041,twenty,前期,Spring,計量経済学,,4,C', // 8: year not a number, no English name
    ].join('\r\n');
    const report = await service.import(operatorActor(a.id), { students: badStudents, courses: badCourses });
    expect(report.ok).toBe(false);
    expect(report.written).toBe(false);
    expect(brief(report.errors)).toEqual([
      { file: 'students', line: 3, column: 'name_kanji', code: 'required' },
      { file: 'students', line: 4, column: 'birth_date', code: 'invalid_date' },
      { file: 'students', line: 5, column: 'status', code: 'invalid_value' },
      { file: 'students', line: 6, column: 'year', code: 'out_of_range' },
      { file: 'students', line: 7, column: 'name_kana', code: 'not_katakana' },
      { file: 'students', line: 8, column: 'name_roman', code: 'roman_format' },
      { file: 'students', line: 9, column: 'gpa', code: 'out_of_range' },
      { file: 'students', line: 11, column: 'student_number', code: 'duplicate' },
      { file: 'students', line: 12, column: undefined, code: 'column_count' },
      { file: 'students', line: 14, column: 'name_kana', code: 'not_katakana' },
      { file: 'courses', line: 2, column: 'grade', code: 'invalid_value' },
      { file: 'courses', line: 3, column: 'credits', code: 'out_of_range' },
      { file: 'courses', line: 4, column: 'student_number', code: 'unknown_student' },
      { file: 'courses', line: 7, column: 'course_ja', code: 'duplicate' },
      { file: 'courses', line: 8, column: 'academic_year', code: 'invalid_value' },
      { file: 'courses', line: 8, column: 'course_en', code: 'required' },
    ]);
    for (const error of report.errors) expect(error.reason.length).toBeGreaterThan(5);
    expect(report.errors.find((e) => e.line === 11)?.reason).toContain('line 10');
    expect(report.errors.find((e) => e.code === 'unknown_student')?.reason).toContain('9999Z999');
    // Nothing written: not the good rows, not the update of line 2.
    expect(await counts(a.id)).toEqual(before);
    expect(await uow.repos.records.findByUserId(a.id, 's2026001')).toEqual(beforeRecord);
    expect(await uow.repos.records.findByUserId(a.id, 's2026018')).toBeUndefined();
    const lines = formatImportReport(report, { students: 'students.csv', courses: 'courses.csv' });
    expect(lines[0]).toMatch(/^students\.csv:3: name_kanji: /);
    expect(lines.at(-1)).toBe('16 problem(s): nothing imported');
  });

  it('A-4 a dry run reports what would happen and writes nothing', async () => {
    const report = await service.import(
      operatorActor(a.id),
      { students: studentsCsv, courses: coursesCsv },
      { dryRun: true },
    );
    expect(report).toMatchObject({
      ok: true,
      written: false,
      dryRun: true,
      students: { rows: 3, created: 3 },
      errors: [],
    });
    expect(await counts(a.id)).toEqual({ students: 0, courses: 0 });
    expect(formatImportReport(report).at(-1)).toMatch(/^dry run, nothing written: would import 3 students/);
    const bad = await service.import(
      operatorActor(a.id),
      { students: studentsCsv.replace('2004-06-14', '2004/06/14') },
      { dryRun: true },
    );
    expect(brief(bad.errors)).toEqual([{ file: 'students', line: 2, column: 'birth_date', code: 'invalid_date' }]);
    expect(await counts(a.id)).toEqual({ students: 0, courses: 0 });
  });

  it("C-3 re-import updates records and replaces all of a student's courses; others keep theirs", async () => {
    await service.import(operatorActor(a.id), { students: studentsCsv, courses: coursesCsv });
    clock.advance(60_000);
    const promoted = studentsCsv.replace(
      ',2,4,enrolled,2025-04-01,2029-03-31,40,3.50',
      ',3,4,leave_of_absence,2025-04-01,2030-03-31,62,3.41',
    );
    const newCourses = [courseHeader, '2025E041,2026,前期,Spring,金融論,Monetary Economics,2,A'].join('\n');
    const report = await service.import(operatorActor(a.id), { students: promoted, courses: newCourses });
    expect(report).toMatchObject({
      ok: true,
      written: true,
      students: { rows: 3, created: 0, updated: 3 },
      courses: { rows: 1, students: 1 },
    });
    const suzukiRecord = await uow.repos.records.findByStudentNumber(a.id, '2025E041');
    expect(suzukiRecord).toMatchObject({
      year: 3,
      status: 'leave_of_absence',
      creditsEarned: 62,
      gpaHundredths: 341,
      updatedAt: T0 + 60_000,
    });
    expect(await uow.repos.records.listCourses(a.id, '2025E041')).toEqual([
      {
        seq: 1,
        academicYear: 2026,
        term: { ja: '前期', en: 'Spring' },
        name: { ja: '金融論', en: 'Monetary Economics' },
        credits: 2,
        grade: 'A',
      },
    ]);
    expect(await uow.repos.records.listCourses(a.id, '2023L012')).toHaveLength(3);
    expect(await counts(a.id)).toEqual({ students: 3, courses: 4 });
  });

  it('C-3 a BOM and Windows line endings are handled, from bytes or text', async () => {
    const crlf = studentsCsv.replace(/\n/g, '\r\n');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf, 'utf8')]);
    const report = await service.import(operatorActor(a.id), { students: bytes, courses: `\uFEFF${coursesCsv}` });
    expect(report.errors).toEqual([]);
    expect(report.students.rows).toBe(3);
    const record = await uow.repos.records.findByStudentNumber(a.id, '2023L012');
    expect(record?.studentNumber).toBe('2023L012');
    expect(record?.gpaHundredths).toBe(312);
    expect((await uow.repos.records.listCourses(a.id, '2023L012'))[0]?.name.ja).toBe('日本語学概論');
  });

  it('A-4 a file that is not UTF-8 (Shift_JIS from a spreadsheet) is refused with the line', async () => {
    // 山田 in Shift_JIS is 8E 52 93 63.
    const sjis = Buffer.concat([
      Buffer.from(`${studentHeader}\n`),
      Buffer.from([0x32, 0x30, 0x2c, 0x8e, 0x52, 0x93, 0x63, 0x0a]),
    ]);
    const report = await service.import(operatorActor(a.id), { students: sjis });
    expect(brief(report.errors)).toEqual([{ file: 'students', line: 2, column: undefined, code: 'encoding' }]);
    expect(report.errors[0]?.reason).toMatch(/UTF-8/);
  });

  it('A-4 header problems are named on line 1: missing, unknown, repeated columns, and no GPA', async () => {
    const header = studentHeader.replace(',name_kana', '').replace(',gpa', ',grade_point,year');
    const report = await service.import(operatorActor(a.id), { students: `${header}\n` });
    expect(brief(report.errors)).toEqual([
      { file: 'students', line: 1, column: 'grade_point', code: 'unknown_column' },
      { file: 'students', line: 1, column: 'year', code: 'duplicate_column' },
      { file: 'students', line: 1, column: 'name_kana', code: 'missing_column' },
      { file: 'students', line: 1, column: 'gpa', code: 'missing_column' },
    ]);
    const empty = await service.import(operatorActor(a.id), { students: '\n\n' });
    expect(brief(empty.errors)).toEqual([{ file: 'students', line: 1, column: undefined, code: 'empty_file' }]);
  });

  it('A-4 a GPA may come as gpa_hundredths; columns may come in any order; rows of empty fields are skipped', async () => {
    const columns = studentHeader.replace(',gpa', ',gpa_hundredths').split(',');
    const values = yamada.replace(',3.12', ',312').split(',');
    const order = columns.map((_, i) => i).reverse();
    const csv = [
      order.map((i) => columns[i]).join(','),
      order.map((i) => values[i]).join(','),
      ',,,,,,,,,,,,,,,,',
    ].join('\n');
    const report = await service.import(operatorActor(a.id), { students: csv });
    expect(report.errors).toEqual([]);
    expect((await uow.repos.records.findByUserId(a.id, 's2026001'))?.gpaHundredths).toBe(312);
  });

  it('A-4 a CSV syntax error is reported with its line', async () => {
    const report = await service.import(operatorActor(a.id), {
      students: [studentHeader, yamada, `${suzuki.slice(0, 20)}"x"y${suzuki.slice(20)}`].join('\n'),
    });
    expect(brief(report.errors)).toEqual([{ file: 'students', line: 3, column: undefined, code: 'csv_syntax' }]);
    expect(await counts(a.id)).toEqual({ students: 0, courses: 0 });
  });

  it('#8 NUL, ESC and bidi overrides in any field are refused with their line, and never printed raw', async () => {
    const report = await service.import(operatorActor(a.id), {
      students: [
        studentHeader,
        yamada.replace('山田 太郎', '山田\u0000太郎'),
        suzuki.replace('SUZUKI Hanako', '\u001b[2J\u001b[31mSUZUKI Hanako'),
        oconnor.replace('理工学部', '理工\u202e学部'),
      ].join('\n'),
      courses: [courseHeader, '2023L012,2023,前期,Spring,日本語学\u2066概論,Introduction,2,S'].join('\n'),
    });
    expect(brief(report.errors)).toEqual([
      { file: 'students', line: 2, column: 'name_kanji', code: 'control_character' },
      { file: 'students', line: 3, column: 'name_roman', code: 'control_character' },
      { file: 'students', line: 4, column: 'faculty_ja', code: 'control_character' },
      { file: 'courses', line: 2, column: 'course_ja', code: 'control_character' },
    ]);
    expect(await counts(a.id)).toEqual({ students: 0, courses: 0 });
    const printed = formatImportReport(report, { students: 'students.csv', courses: 'courses.csv' }).join('\n');
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(printed).toContain('students.csv:3: name_roman: name_roman contains the control character U+001B');
  });

  it("C-3 a user ID held by another of the tenant's students is refused; two students may swap theirs", async () => {
    await service.import(operatorActor(a.id), { students: studentsCsv });
    const taken = [studentHeader, suzuki.replace('2025E041,s2026002', '2026E001,s2026001')].join('\n');
    const report = await service.import(operatorActor(a.id), { students: taken });
    expect(brief(report.errors)).toEqual([{ file: 'students', line: 2, column: 'user_id', code: 'user_id_taken' }]);
    expect(report.errors[0]?.reason).toContain('2023L012');

    const swapped = [
      studentHeader,
      yamada.replace('s2026001', 's2026002'),
      suzuki.replace('s2026002', 's2026001'),
    ].join('\n');
    expect((await service.import(operatorActor(a.id), { students: swapped })).errors).toEqual([]);
    expect((await uow.repos.records.findByUserId(a.id, 's2026001'))?.studentNumber).toBe('2025E041');
    expect((await uow.repos.records.findByUserId(a.id, 's2026002'))?.studentNumber).toBe('2023L012');
    // The same user ID in another tenant is another student.
    expect((await service.import(operatorActor(b.id), { students: taken })).errors).toEqual([]);
  });

  it('C-3 courses alone may be imported for students already on record; unknown ones are refused', async () => {
    await service.import(operatorActor(a.id), { students: studentsCsv });
    const only = await service.import(operatorActor(a.id), { courses: coursesCsv });
    expect(only).toMatchObject({ ok: true, written: true, students: { rows: 0 }, courses: { rows: 5, students: 2 } });
    expect(await counts(a.id)).toEqual({ students: 3, courses: 5 });
    // Tenant B has no such students.
    const elsewhere = await service.import(operatorActor(b.id), { courses: coursesCsv });
    expect(elsewhere.errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'unknown_student'],
      [3, 'unknown_student'],
      [4, 'unknown_student'],
      [5, 'unknown_student'],
      [6, 'unknown_student'],
    ]);
    expect(await counts(b.id)).toEqual({ students: 0, courses: 0 });
    expect((await service.import(operatorActor(a.id), {})).errors.map((e) => e.code)).toEqual(['no_input']);
  });

  it("#4 an import writes only its own tenant's records", async () => {
    await service.import(operatorActor(a.id), { students: studentsCsv, courses: coursesCsv });
    expect(await counts(b.id)).toEqual({ students: 0, courses: 0 });
    expect(await uow.repos.records.findByUserId(b.id, 's2026001')).toBeUndefined();
  });
});

describe('#9 C-11 names the certificate fonts cannot draw', () => {
  it('#9 C-11 a character no certificate font draws is reported with its row and column, and nothing is written', async () => {
    const renderer = new CertificateRenderer();
    const checked = new RecordsImportService({ uow, undrawable: (texts) => renderer.undrawableIn(texts) });
    const rare = yamada.replace('山田 太郎', '𠮷田 太郎');
    const courses = [courseHeader, '2023L012,2023,前期,Spring,\u{1F600}文学,Literature,2,S'].join('\n');
    const report = await checked.import(operatorActor(a.id), {
      students: [studentHeader, rare, suzuki].join('\n'),
      courses,
    });
    expect(report.ok).toBe(false);
    expect(brief(report.errors)).toEqual([
      { file: 'students', line: 2, column: 'name_kanji', code: 'undrawable' },
      { file: 'courses', line: 2, column: 'course_ja', code: 'undrawable' },
    ]);
    expect(report.errors[0]!.reason).toContain('𠮷 (U+20BB7)');
    expect(await counts(a.id)).toEqual({ students: 0, courses: 0 });
    // 髙 and 﨑 are in IPAex: imported.
    const fine = await checked.import(operatorActor(a.id), {
      students: [studentHeader, yamada.replace('山田 太郎', '髙﨑 太郎')].join('\n'),
    });
    expect(fine.errors).toEqual([]);
  });
});
