import { tenantsAandB } from '../../../test/factories/tenant.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDatabase, freshDatabase } from '../../../test/helpers/database.js';
import { UnitOfWork } from '../../db/unit-of-work.js';
import { operatorActor } from '../../platform/actor.js';
import { ManualClock } from '../../platform/clock.js';
import type { PasswordHasher } from '../../platform/password-hasher.js';
import { demoCatalogue } from './catalogue.data.js';
import { availability } from '../../features/catalogue/eligibility.js';
import { todayInJapan } from '../../platform/clock.js';
import { seedDemo } from './seed-demo.js';
import { type DemoRecord, demoRecords, minatoRecords, seedDemoRecords } from './demo-records.js';
import { studentStatuses, transcriptTotals } from '../../features/records/record.model.js';
import { RecordsImportService, courseColumns, studentColumns } from '../../features/records/records-import.service.js';

/** 22 November 2026, 10:00 in Japan. */
const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

const quote = (value: string | number) =>
  /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);

/** The demo data as the registrar's two CSV files. */
function asCsv(records: DemoRecord[]): { students: string; courses: string } {
  const students = [
    [...studentColumns, 'gpa_hundredths'].join(','),
    ...records.map(({ record: r }) =>
      [
        r.studentNumber,
        r.userId,
        r.name.kanji,
        r.name.kana,
        r.name.roman,
        r.birthDate,
        r.faculty.ja,
        r.faculty.en,
        r.department.ja,
        r.department.en,
        r.year,
        r.programYears,
        r.status,
        r.admissionDate,
        r.expectedGraduationDate,
        r.creditsEarned,
        r.gpaHundredths,
      ]
        .map(quote)
        .join(','),
    ),
  ];
  const courses = [
    courseColumns.join(','),
    ...records.flatMap(({ record, courses: list }) =>
      list.map((c) =>
        [record.studentNumber, c.academicYear, c.term.ja, c.term.en, c.name.ja, c.name.en, c.credits, c.grade]
          .map(quote)
          .join(','),
      ),
    ),
  ];
  return { students: students.join('\n'), courses: courses.join('\n') };
}

const fakeHasher = { hash: async (secret: string) => `fake:${secret}` } as unknown as PasswordHasher;

let testDatabase: TestDatabase;
let uow: UnitOfWork;

beforeEach(async () => {
  testDatabase = await freshDatabase();
  uow = new UnitOfWork(testDatabase.handle.db, new ManualClock(T0));
});

afterEach(async () => {
  await testDatabase.drop();
});

describe('#4 demo records', () => {
  const records = demoRecords(T0);
  const byUser = new Map(records.map((r) => [r.record.userId, r]));

  it('#4 every demo student has a record; every status appears; two or more are in their final year', () => {
    for (const userId of ['s2026001', 's2026002', 's2026003', 's2026004', 's2026005', 's2026006'])
      expect(byUser.has(userId)).toBe(true);
    expect(new Set(records.map((r) => r.record.status))).toEqual(new Set(studentStatuses));
    expect(byUser.get('s2026003')?.record.status).toBe('leave_of_absence');
    const finalYear = records.filter((r) => r.record.status === 'enrolled' && r.record.year === r.record.programYears);
    expect(finalYear.map((r) => r.record.userId)).toEqual(expect.arrayContaining(['s2026001', 's2026005']));
    expect(new Set(records.map((r) => r.record.studentNumber)).size).toBe(records.length);
    expect(new Set(records.map((r) => r.record.userId)).size).toBe(records.length);
  });

  it('#4 C-3 transcripts look real: 20–45 courses past the first year, credits 2 or 4, some F, totals from the courses', () => {
    for (const { record, courses } of records) {
      expect(transcriptTotals(courses)).toEqual({
        creditsEarned: record.creditsEarned,
        gpaHundredths: record.gpaHundredths,
      });
      expect(courses.length).toBeLessThanOrEqual(45);
      if (record.year >= 2 || record.status === 'graduated')
        expect(courses.length, record.userId).toBeGreaterThanOrEqual(20);
      for (const course of courses) expect([2, 4]).toContain(course.credits);
      for (const course of courses) expect(['前期', '後期']).toContain(course.term.ja);
    }
    expect(records.flatMap((r) => r.courses).filter((c) => c.grade === 'F').length).toBeGreaterThan(5);
    expect(new Set(records.flatMap((r) => r.courses.map((c) => c.grade)))).toEqual(new Set(['S', 'A', 'B', 'C', 'F']));
    expect(records.flatMap((r) => r.courses.map((c) => c.name.ja))).toEqual(
      expect.arrayContaining(['日本語学概論', '線形代数学I']),
    );
    // The same moment gives the same data.
    expect(demoRecords(T0)).toEqual(records);
  });

  it('#4 C-10 with the demo catalogue every reason shows for some demo student', () => {
    const today = todayInJapan(T0);
    const type = (t: string) => demoCatalogue.find((item) => item.type === t)!;
    const check = (userId: string, t: string, destination: 'campus' | 'postal' = 'campus') =>
      availability(type(t), byUser.get(userId)!.record, destination, today);
    expect(check('s2026001', 'expected_graduation')).toEqual({ available: true });
    expect(check('s2026005', 'expected_graduation')).toEqual({ available: true });
    expect(check('s2026006', 'expected_graduation')).toEqual({ available: false, reason: 'finalYearOnly' });
    expect(check('s2026003', 'enrollment')).toEqual({ available: false, reason: 'status', status: 'leave_of_absence' });
    expect(check('s2026003', 'transcript')).toEqual({ available: true });
    expect(check('s2026101', 'transcript')).toEqual({ available: false, reason: 'status', status: 'withdrawn' });
    expect(check('s2026102', 'transcript')).toEqual({ available: true });
    expect(check('s2026106', 'expected_graduation')).toEqual({
      available: false,
      reason: 'notYet',
      availableFrom: '2027-04-01',
    });
    expect(check('s2026004', 'course_application', 'postal')).toEqual({ available: false, reason: 'destination' });
  });

  it('#4 C-3 the demo records pass the same checks as an import, and import to what the seed writes', async () => {
    const { a, b } = await tenantsAandB(uow.repos.tenants, T0);
    const report = await new RecordsImportService({ uow }).import(operatorActor(a.id), asCsv(records));
    expect(report.errors).toEqual([]);
    await uow.run(operatorActor(b.id), (repos) => seedDemoRecords(repos, b.id, T0));
    const imported = await uow.repos.records.list(a.id);
    expect(await uow.repos.records.list(b.id)).toEqual(imported);
    for (const record of imported) {
      expect(await uow.repos.records.listCourses(b.id, record.studentNumber)).toEqual(
        await uow.repos.records.listCourses(a.id, record.studentNumber),
      );
    }
    expect(minatoRecords(T0).map((r) => r.record.userId)).toEqual(['m1001', 'm1002']);
    expect(
      (
        await new RecordsImportService({ uow }).import(operatorActor(a.id), asCsv(minatoRecords(T0)), {
          dryRun: true,
        })
      ).errors,
    ).toEqual([]);
  });

  it('#4 seedDemo gives both demo universities a catalogue and records, once; an older database gets them later', async () => {
    const clock = new ManualClock(T0);
    expect(await seedDemo(uow, clock, fakeHasher)).toBe(true);
    const demo = (await uow.repos.tenants.findBySlug('demo'))!;
    const minato = (await uow.repos.tenants.findBySlug('minato'))!;
    expect(await uow.repos.catalogue.list(demo.id)).toEqual(demoCatalogue);
    expect(await uow.repos.catalogue.list(minato.id)).toEqual(demoCatalogue);
    expect(await uow.repos.records.count(demo.id)).toBe(demoRecords(T0).length);
    expect((await uow.repos.records.findByUserId(demo.id, 's2026005'))?.name.kanji).toBe('伊藤 翔太');
    expect((await uow.repos.records.findByUserId(minato.id, 'm1001'))?.status).toBe('enrolled');
    expect(await uow.repos.records.count(minato.id)).toBe(2);
    expect(await seedDemo(uow, clock, fakeHasher)).toBe(false);
    expect(await uow.repos.records.count(demo.id)).toBe(demoRecords(T0).length);

    // A database made before #4: the demo university without catalogue and records.
    await testDatabase.handle.db.deleteFrom('catalogue_items').where('tenant_id', '=', demo.id).execute();
    await testDatabase.handle.db.deleteFrom('student_records').where('tenant_id', '=', demo.id).execute();
    expect(await seedDemo(uow, clock, fakeHasher)).toBe(false);
    expect(await uow.repos.catalogue.list(demo.id)).toHaveLength(4);
    expect(await uow.repos.records.count(demo.id)).toBe(demoRecords(T0).length);
    expect(await uow.repos.records.countCourses(demo.id)).toBe(
      demoRecords(T0).reduce((n, r) => n + r.courses.length, 0),
    );
  });
});
