/** The benchmarks' students and their passwords, shared by Shomei's bench database and the floor. */
export const UNIVERSITY_PASSWORD = 'Campus-pass-bench';
export const SECOND_PASSWORD = 'Bench2026Second';

export function studentId(i: number): string {
  return `b${String(i).padStart(4, '0')}`;
}
