import type { Lang } from '../../platform/i18n.js';

/** C-3: where a student stands. Only the registrar's system changes it (by import). */
export const studentStatuses = ['enrolled', 'leave_of_absence', 'withdrawn', 'graduated', 'suspended'] as const;
export type StudentStatus = (typeof studentStatuses)[number];

export function isStudentStatus(value: unknown): value is StudentStatus {
  return typeof value === 'string' && (studentStatuses as readonly string[]).includes(value);
}

/** Grades as on the transcript; S/A/B/C pass, F (不可) fails. */
export const grades = ['S', 'A', 'B', 'C', 'F'] as const;
export type Grade = (typeof grades)[number];

export function isGrade(value: unknown): value is Grade {
  return typeof value === 'string' && (grades as readonly string[]).includes(value);
}

/** Grade points on the 4.0 scale. */
export const gradePoints: Record<Grade, number> = { S: 4, A: 3, B: 2, C: 1, F: 0 };

/** A calendar date as the registrar writes it: 'YYYY-MM-DD' (no time, no zone). */
export type IsoDate = string;

/** One student's record (C-3). `studentNumber` (学籍番号) is the key; `userId` is the login ID. */
export interface StudentRecord {
  studentNumber: string;
  /** The login ID (roster / directory user ID) of this student; unique per tenant. */
  userId: string;
  /** 山田 太郎 / ヤマダ タロウ / YAMADA Taro (family name first, in capitals in roman letters). */
  name: { kanji: string; kana: string; roman: string };
  birthDate: IsoDate;
  faculty: Record<Lang, string>;
  department: Record<Lang, string>;
  /** School year, 1..programYears. */
  year: number;
  /** Length of the programme in years (4; 6 for pharmacy or medicine). */
  programYears: number;
  status: StudentStatus;
  admissionDate: IsoDate;
  expectedGraduationDate: IsoDate;
  creditsEarned: number;
  /** GPA × 100, 0..400 (3.25 is 325). */
  gpaHundredths: number;
  /** Epoch ms of the last import that wrote this row. */
  updatedAt: number;
}

/** What an import (or the demo seed) writes; the repository stamps `updatedAt`. */
export type StudentRecordInput = Omit<StudentRecord, 'updatedAt'>;

/** One line of the transcript. */
export interface StudentCourse {
  /** 1..n, the order of the transcript. */
  seq: number;
  /** The academic year (年度) the course was taken, e.g. 2025 for April 2025 – March 2026. */
  academicYear: number;
  /** 前期 / Spring, 後期 / Fall, 通年 / Full year … */
  term: Record<Lang, string>;
  name: Record<Lang, string>;
  credits: number;
  grade: Grade;
}

/** Courses are written as a whole list per student; `seq` is their position. */
export type StudentCourseInput = Omit<StudentCourse, 'seq'>;

export function isFinalYear(record: Pick<StudentRecord, 'year' | 'programYears'>): boolean {
  return record.year >= record.programYears;
}

/**
 * Credits earned and the credit-weighted GPA of a transcript: F counts in the GPA (0 points)
 * but earns no credits. The GPA is rounded half up to hundredths; no graded credits give 0.
 */
export function transcriptTotals(courses: readonly Pick<StudentCourse, 'credits' | 'grade'>[]): {
  creditsEarned: number;
  gpaHundredths: number;
} {
  let creditsEarned = 0;
  let gradedCredits = 0;
  let points = 0;
  for (const course of courses) {
    gradedCredits += course.credits;
    points += course.credits * gradePoints[course.grade];
    if (course.grade !== 'F') creditsEarned += course.credits;
  }
  const gpaHundredths = gradedCredits === 0 ? 0 : Math.round((points * 100) / gradedCredits);
  return { creditsEarned, gpaHundredths };
}

/** 325 → '3.25'. */
export function formatGpa(gpaHundredths: number): string {
  return (gpaHundredths / 100).toFixed(2);
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written 'YYYY-MM-DD' (2026-02-29 is not one; 2028-02-29 is). */
export function isIsoDate(value: string): boolean {
  const match = isoDatePattern.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
