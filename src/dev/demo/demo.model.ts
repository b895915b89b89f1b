import type { Lang } from '../../platform/i18n.js';
import type { StudentStatus } from '../../features/records/record.model.js';

/** The shapes of the demo data (the *.data.ts files beside this one), which demo-records.ts turns into records. */

export type L = Record<Lang, string>;

export interface PoolCourse {
  name: L;
  credits: 2 | 4;
}

export type FacultyKey = 'letters' | 'economics' | 'computing' | 'law' | 'english' | 'pharmacy' | 'marine' | 'business';

export interface Faculty {
  code: string;
  faculty: L;
  department: L;
  programYears: number;
  /** In the order a student meets them. */
  courses: PoolCourse[];
}

/** How one demo student looks; the rest (dates, courses, totals) follows from `now`. */
export interface DemoStudent {
  userId: string;
  /** Distinguishes students of one faculty and year in the student number. */
  serial: number;
  kanji: string;
  kana: string;
  roman: string;
  /** 'MM-DD' of the birthday. */
  born: string;
  /** Years between high school and university (浪人). */
  gapYears?: number;
  faculty: FacultyKey;
  year: number;
  status: StudentStatus;
  /**
   * current: in the programme now; repeating: fourth year again, graduation a year later;
   * graduated: last March; withdrawn: left after the first term of `year`, last academic year.
   */
  path: 'current' | 'repeating' | 'graduated' | 'withdrawn';
  grades: 'strong' | 'average' | 'weak';
}
