/**
 * Demo student records (C-3, #4 "Data in"): every demo student gets a record and a transcript of
 * real-looking courses, and a few record-only students (no login) cover every status. Dates are
 * relative to `now` (the academic year runs April–March, Japan time), so final-year students
 * are final-year whenever the demo is made. The same `now` always gives the same data.
 */
import type { Repositories } from '../../db/repositories.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import { operatorActor } from '../../platform/actor.js';
import { todayInJapan } from '../../platform/clock.js';
import {
  type Grade,
  type StudentCourseInput,
  type StudentRecordInput,
  transcriptTotals,
} from '../../features/records/record.model.js';
import { generalCourses, faculties, terms } from './courses.data.js';
import { demoRecordStudents, minatoRecordStudents } from './students.data.js';
import { seedDemoCatalogue } from './demo-catalogue.js';
import type { DemoStudent, Faculty, L, PoolCourse } from './demo.model.js';

/** Grade weights S, A, B, C, F. */
const gradeWeights: Record<DemoStudent['grades'], number[]> = {
  strong: [34, 40, 17, 7, 2],
  average: [14, 34, 31, 13, 8],
  weak: [5, 19, 33, 25, 18],
};
const gradeLetters: Grade[] = ['S', 'A', 'B', 'C', 'F'];

/** A small seeded generator (mulberry32), so the demo is the same every time. */
function random(seed: string): () => number {
  let state = 2166136261;
  for (const ch of seed) state = Math.imul(state ^ ch.charCodeAt(0), 16777619) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(weights: number[], next: () => number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/**
 * The transcript of `termCount` consecutive terms from April of `admissionYear`. General
 * education leans to the first years and the faculty's courses to the last, with a blurred edge;
 * a failed course is taken again at the next chance; the thesis is graded only for a graduate.
 */
function transcript(
  student: DemoStudent,
  faculty: Faculty,
  admissionYear: number,
  termCount: number,
): StudentCourseInput[] {
  const next = random(`${student.userId}:${student.kanji}`);
  const general = [...generalCourses];
  const major = faculty.courses.filter((course) => !/卒業(論文|研究)/.test(course.name.ja));
  const thesis = faculty.courses.find((course) => /卒業(論文|研究)/.test(course.name.ja));
  const perTerm = Math.max(3, Math.min(10, Math.floor(40 / Math.max(termCount, 1))));
  const counts = Array.from({ length: termCount }, () => perTerm + (next() < 0.25 ? -1 : next() < 0.3 ? 1 : 0));
  const total = counts.reduce((a, b) => a + b, 0);
  const majorSlots = Math.min(major.length, Math.round(total * 0.55));
  const generalSlots = Math.min(general.length, total - majorSlots);
  // Slots in time order; the earliest (give or take) are general education.
  const slots = counts.flatMap((count, term) => Array.from({ length: count }, () => term));
  const order = slots.map((term, index) => ({ index, key: index / slots.length + (next() - 0.5) * 0.6, term }));
  const generalIndexes = new Set(
    [...order]
      .sort((a, b) => a.key - b.key)
      .slice(0, generalSlots)
      .map((slot) => slot.index),
  );
  const courses: StudentCourseInput[] = [];
  const retaken = new Set<string>();
  const retakes: { general: PoolCourse[]; major: PoolCourse[] } = { general: [], major: [] };
  for (let t = 0; t < termCount; t++) {
    const academicYear = admissionYear + Math.floor(t / 2);
    const term = terms[t % 2] as L;
    const pending = { general: retakes.general.splice(0), major: retakes.major.splice(0) };
    const inTerm = order.filter((slot) => slot.term === t);
    // General education before the faculty's courses within a term, as transcripts list them.
    for (const kind of ['general', 'major'] as const) {
      for (const slot of inTerm.filter((s) => generalIndexes.has(s.index) === (kind === 'general'))) {
        void slot;
        const course = pending[kind].shift() ?? (kind === 'general' ? general : major).shift();
        if (!course) continue;
        const grade = gradeLetters[pick(gradeWeights[student.grades], next)] as Grade;
        courses.push({ academicYear, term, name: course.name, credits: course.credits, grade });
        if (grade === 'F' && !retaken.has(course.name.ja)) {
          retaken.add(course.name.ja);
          retakes[kind].push(course);
        }
      }
      // Retakes not placed this term wait for the next.
      retakes[kind].unshift(...pending[kind]);
    }
    if (t === termCount - 1 && student.path === 'graduated' && thesis) {
      courses.push({ academicYear, term, name: thesis.name, credits: thesis.credits, grade: next() < 0.5 ? 'S' : 'A' });
    }
  }
  return courses;
}

/** The academic year (April–March, Japan time) `now` falls in, and whether its first-term grades are out. */
function academicCalendar(now: number): { academicYear: number; firstTermGraded: boolean } {
  const [year, month] = todayInJapan(now).split('-').map(Number) as [number, number];
  return { academicYear: month >= 4 ? year : year - 1, firstTermGraded: month >= 10 || month <= 3 };
}

export interface DemoRecord {
  record: StudentRecordInput;
  courses: StudentCourseInput[];
}

function buildRecord(student: DemoStudent, now: number): DemoRecord {
  const faculty: Faculty = faculties[student.faculty];
  const { academicYear, firstTermGraded } = academicCalendar(now);
  const thisYearTerms = firstTermGraded ? 1 : 0;
  let admissionYear: number;
  let termCount: number;
  let graduationYear: number;
  switch (student.path) {
    case 'current':
      admissionYear = academicYear - student.year + 1;
      // On leave this year: no courses this year, and graduation a year later.
      termCount = (student.year - 1) * 2 + (student.status === 'leave_of_absence' ? 0 : thisYearTerms);
      graduationYear = admissionYear + faculty.programYears + (student.status === 'leave_of_absence' ? 1 : 0);
      break;
    case 'repeating':
      // Fourth year again with too few credits to finish this year: the registrar already moved
      // the expected graduation a year on, so the expected-graduation certificate opens next April.
      admissionYear = academicYear - faculty.programYears;
      termCount = faculty.programYears * 2 + thisYearTerms;
      graduationYear = academicYear + 2;
      break;
    case 'graduated':
      admissionYear = academicYear - faculty.programYears;
      termCount = faculty.programYears * 2;
      graduationYear = academicYear;
      break;
    case 'withdrawn':
      admissionYear = academicYear - student.year;
      termCount = (student.year - 1) * 2 + 1;
      graduationYear = admissionYear + faculty.programYears;
      break;
  }
  const courses = transcript(student, faculty, admissionYear, termCount);
  const totals = transcriptTotals(courses);
  // Japanese school years: those born 2 April … 1 April of the next year enter together.
  const birthYear = admissionYear - (student.born >= '04-02' ? 19 : 18) - (student.gapYears ?? 0);
  return {
    record: {
      studentNumber: `${admissionYear}${faculty.code}${String(student.serial).padStart(3, '0')}`,
      userId: student.userId,
      name: { kanji: student.kanji, kana: student.kana, roman: student.roman },
      birthDate: `${birthYear}-${student.born}`,
      faculty: faculty.faculty,
      department: faculty.department,
      year: student.year,
      programYears: faculty.programYears,
      status: student.status,
      admissionDate: `${admissionYear}-04-01`,
      expectedGraduationDate: `${graduationYear}-03-31`,
      creditsEarned: totals.creditsEarned,
      gpaHundredths: totals.gpaHundredths,
    },
    courses,
  };
}

/** The demo university's records as of `now` (pure; for tests and PDF previews too). */
export function demoRecords(now: number): DemoRecord[] {
  return demoRecordStudents.map((student) => buildRecord(student, now));
}

/** The minato demo university's records as of `now`. */
export function minatoRecords(now: number): DemoRecord[] {
  return minatoRecordStudents.map((student) => buildRecord(student, now));
}

async function writeRecords(
  repos: Pick<Repositories, 'records'>,
  tenantId: string,
  now: number,
  records: DemoRecord[],
): Promise<void> {
  await repos.records.upsertMany(
    tenantId,
    records.map((r) => r.record),
    now,
  );
  for (const { record, courses } of records)
    await repos.records.replaceCourses(tenantId, record.studentNumber, courses);
}

/** Gives the demo university's students their records and transcripts. Run inside a unit of work. */
export async function seedDemoRecords(
  repos: Pick<Repositories, 'records'>,
  tenantId: string,
  now: number,
): Promise<void> {
  await writeRecords(repos, tenantId, now, demoRecords(now));
}

/** Gives minato's m1001 and m1002 their records and transcripts. Run inside a unit of work. */
export async function seedMinatoRecords(
  repos: Pick<Repositories, 'records'>,
  tenantId: string,
  now: number,
): Promise<void> {
  await writeRecords(repos, tenantId, now, minatoRecords(now));
}

/**
 * Databases whose demo universities were made before records existed get the catalogue and the
 * records once (when the demo university has no catalogue yet). Two instances starting together
 * may both try: the loser's transaction fails and changes nothing, which is fine.
 */
export async function backfillDemoRecords(uow: UnitOfWork, now: number): Promise<void> {
  const targets = [
    { slug: 'demo', seed: seedDemoRecords },
    { slug: 'minato', seed: seedMinatoRecords },
  ];
  for (const { slug, seed } of targets) {
    const tenant = await uow.repos.tenants.findBySlug(slug);
    if (!tenant || (await uow.repos.catalogue.list(tenant.id)).length > 0) continue;
    try {
      await uow.run(operatorActor(tenant.id), async (repos) => {
        await seedDemoCatalogue(repos, tenant.id);
        await seed(repos, tenant.id, now);
      });
    } catch (error) {
      if ((await uow.repos.catalogue.list(tenant.id)).length === 0) throw error;
    }
  }
}
