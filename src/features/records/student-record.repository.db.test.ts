import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tenantsAandB } from '../../../test/factories/tenant.js';
import { type TestDatabase, freshDatabase } from '../../../test/helpers/database.js';
import type { Repositories } from '../../db/repositories.js';
import { UnitOfWork } from '../../db/unit-of-work.js';
import { operatorActor } from '../../platform/actor.js';
import { ManualClock } from '../../platform/clock.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { StudentCourseInput, StudentRecordInput } from './record.model.js';
import { transcriptTotals } from './record.model.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

const record: StudentRecordInput = {
  studentNumber: '2023T033',
  userId: 's2026005',
  name: { kanji: '伊藤 翔太', kana: 'イトウ ショウタ', roman: 'ITO Shota' },
  birthDate: '2003-04-02',
  faculty: { ja: '理工学部', en: 'Faculty of Science and Engineering' },
  department: { ja: '情報工学科', en: 'Department of Computer Science and Engineering' },
  year: 4,
  programYears: 4,
  status: 'enrolled',
  admissionDate: '2023-04-01',
  expectedGraduationDate: '2027-03-31',
  creditsEarned: 102,
  gpaHundredths: 287,
};

const courses: StudentCourseInput[] = [
  {
    academicYear: 2023,
    term: { ja: '前期', en: 'Spring' },
    name: { ja: '線形代数学I', en: 'Linear Algebra I' },
    credits: 2,
    grade: 'A',
  },
  {
    academicYear: 2023,
    term: { ja: '後期', en: 'Fall' },
    name: { ja: '線形代数学II', en: 'Linear Algebra II' },
    credits: 2,
    grade: 'F',
  },
  {
    academicYear: 2024,
    term: { ja: '前期', en: 'Spring' },
    name: { ja: 'データ構造とアルゴリズム', en: 'Data Structures and Algorithms' },
    credits: 4,
    grade: 'S',
  },
];

let testDatabase: TestDatabase;
let repos: Repositories;
let a: Tenant;
let b: Tenant;

beforeEach(async () => {
  testDatabase = await freshDatabase();
  repos = new UnitOfWork(testDatabase.handle.db, new ManualClock(T0)).repos;
  ({ a, b } = await tenantsAandB(repos.tenants, T0));
});

afterEach(async () => {
  await testDatabase.drop();
});

describe('StudentRecordRepository', () => {
  it('C-3 a record and its transcript read back as written', async () => {
    await repos.records.upsert(a.id, record, T0);
    await repos.records.replaceCourses(a.id, record.studentNumber, courses);
    expect(await repos.records.findByStudentNumber(a.id, '2023T033')).toEqual({ ...record, updatedAt: T0 });
    expect(await repos.records.findByUserId(a.id, 's2026005')).toEqual({ ...record, updatedAt: T0 });
    expect(await repos.records.listCourses(a.id, '2023T033')).toEqual(
      courses.map((course, i) => ({ seq: i + 1, ...course })),
    );
    expect(await repos.records.list(a.id)).toEqual([{ ...record, updatedAt: T0 }]);
    expect(await repos.records.identities(a.id)).toEqual([{ studentNumber: '2023T033', userId: 's2026005' }]);
  });

  it("#4 a record of tenant A is not readable with tenant B's id", async () => {
    await repos.records.upsert(a.id, record, T0);
    await repos.records.replaceCourses(a.id, record.studentNumber, courses);
    expect(await repos.records.findByStudentNumber(b.id, '2023T033')).toBeUndefined();
    expect(await repos.records.findByUserId(b.id, 's2026005')).toBeUndefined();
    expect(await repos.records.list(b.id)).toEqual([]);
    expect(await repos.records.count(b.id)).toBe(0);
    expect(await repos.records.identities(b.id)).toEqual([]);
    expect(await repos.records.listCourses(b.id, '2023T033')).toEqual([]);
    expect(await repos.records.countCourses(b.id)).toBe(0);
  });

  it("#4 a transcript of tenant A is not changeable with tenant B's id", async () => {
    await repos.records.upsert(a.id, record, T0);
    await repos.records.replaceCourses(a.id, record.studentNumber, courses);
    // B has no such student: its courses would have no record to belong to.
    await expect(repos.records.replaceCourses(b.id, record.studentNumber, courses.slice(0, 1))).rejects.toThrow();
    await repos.records.replaceCourses(b.id, record.studentNumber, []);
    expect(await repos.records.listCourses(a.id, '2023T033')).toHaveLength(3);
  });

  it('#4 the same student number and user ID in two tenants are two students', async () => {
    await repos.records.upsert(a.id, record, T0);
    await repos.records.upsert(b.id, { ...record, name: { ...record.name, kanji: '伊藤 翔' } }, T0 + 1);
    expect((await repos.records.findByUserId(a.id, 's2026005'))?.name.kanji).toBe('伊藤 翔太');
    expect((await repos.records.findByUserId(b.id, 's2026005'))?.name.kanji).toBe('伊藤 翔');
  });

  it('C-3 upsert replaces by student number; a user ID is unique per tenant', async () => {
    await repos.records.upsert(a.id, record, T0);
    await repos.records.upsert(a.id, { ...record, year: 4, status: 'graduated' }, T0 + 5);
    expect(await repos.records.findByStudentNumber(a.id, '2023T033')).toMatchObject({
      status: 'graduated',
      updatedAt: T0 + 5,
    });
    expect(await repos.records.count(a.id)).toBe(1);
    await expect(repos.records.upsert(a.id, { ...record, studentNumber: '2023T099' }, T0)).rejects.toThrow();
  });

  it('C-3 many records go in batches, and list pages through them by student number', async () => {
    const many = Array.from({ length: 450 }, (_, i) => ({
      ...record,
      studentNumber: `2023T${String(i).padStart(4, '0')}`,
      userId: `u${i}`,
    }));
    await new UnitOfWork(testDatabase.handle.db, new ManualClock(T0)).run(operatorActor(a.id), (trx) =>
      trx.records.upsertMany(a.id, many, T0),
    );
    expect(await repos.records.count(a.id)).toBe(450);
    const page = await repos.records.list(a.id, { limit: 2, offset: 10 });
    expect(page.map((r) => r.studentNumber)).toEqual(['2023T0010', '2023T0011']);
  });

  it('#12 A-4 many transcripts replaced in batches: only the listed students of the tenant change, in their order', async () => {
    const numbers = Array.from({ length: 450 }, (_, i) => `2023T${String(i).padStart(4, '0')}`);
    const uow = new UnitOfWork(testDatabase.handle.db, new ManualClock(T0));
    const many = numbers.map((studentNumber, i) => ({ ...record, studentNumber, userId: `u${i}` }));
    await uow.run(operatorActor(a.id), (trx) => trx.records.upsertMany(a.id, many, T0));
    await uow.run(operatorActor(b.id), (trx) => trx.records.upsertMany(b.id, many.slice(0, 1), T0));
    await repos.records.replaceCourses(b.id, numbers[0]!, courses);
    await repos.records.replaceCourses(a.id, numbers[449]!, courses);
    const replaced = new Map(numbers.slice(0, 449).map((n, i) => [n, i % 2 === 0 ? courses : courses.slice(1)]));
    await uow.run(operatorActor(a.id), (trx) => trx.records.replaceCoursesOf(a.id, replaced));
    await uow.run(operatorActor(a.id), (trx) =>
      trx.records.replaceCoursesOf(a.id, new Map([[numbers[1]!, [courses[2]!]]])),
    );
    expect(await repos.records.listCourses(a.id, numbers[0]!)).toEqual(courses.map((c, i) => ({ seq: i + 1, ...c })));
    expect(await repos.records.listCourses(a.id, numbers[1]!)).toEqual([{ seq: 1, ...courses[2]! }]);
    expect(await repos.records.listCourses(a.id, numbers[449]!)).toHaveLength(3);
    expect(await repos.records.countCourses(a.id)).toBe(225 * 3 + 223 * 2 + 1 + 3);
    expect(await repos.records.listCourses(b.id, numbers[0]!)).toHaveLength(3);
  });
});

describe('C-3 transcript totals', () => {
  it('C-3 credits exclude F; the GPA is credit-weighted and counts F', () => {
    // (2×3 + 2×0 + 4×4) / 8 = 2.75; credits 2 + 4.
    expect(transcriptTotals(courses)).toEqual({ creditsEarned: 6, gpaHundredths: 275 });
    expect(transcriptTotals([])).toEqual({ creditsEarned: 0, gpaHundredths: 0 });
    // 10/3 = 3.333… → 3.33; 11/3 → 3.67 (rounded half up).
    const two = (grade: 'S' | 'A' | 'B') => ({ credits: 2, grade });
    expect(transcriptTotals([two('S'), two('S'), two('B')]).gpaHundredths).toBe(333);
    expect(transcriptTotals([two('S'), two('S'), two('A')]).gpaHundredths).toBe(367);
  });
});
