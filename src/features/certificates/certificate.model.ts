/**
 * What a certificate PDF is made from (#4 "What the PDFs must be", SPEC C-6). Pure data: the
 * order flow fills it from the tenant, the student record and the issuance record, and
 * pdf/certificate.renderer.ts turns it into signed PDF bytes.
 */

import type { CertificateType } from '../catalogue/catalogue.model.js';

export { type CertificateType, certificateTypes } from '../catalogue/catalogue.model.js';

export type Localized = { ja: string; en: string };

export const courseGrades = ['S', 'A', 'B', 'C', 'F'] as const;
export type CourseGrade = (typeof courseGrades)[number];

export interface TranscriptCourse {
  /** The academic year (年度, April–March) the course was taken in. */
  academicYear: number;
  term: Localized;
  name: Localized;
  credits: number;
  grade: CourseGrade;
}

export interface CertificateData {
  type: CertificateType;
  lang: 'ja' | 'en';
  /** Era (令和8年11月22日) or western dates on Japanese certificates; English always "November 22, 2026". */
  calendar: 'japanese' | 'western';
  university: { name: Localized; presidentTitle: Localized; presidentName: Localized; address?: Localized };
  holder: {
    nameKanji: string;
    nameKana: string;
    /** Family name in capitals first, as on official documents: 'YAMADA Taro'. */
    nameRoman: string;
    /** YYYY-MM-DD */
    birthDate: string;
    studentNumber: string;
    faculty: Localized;
    department: Localized;
    year: number;
    /** YYYY-MM-DD */
    admissionDate: string;
    /** YYYY-MM-DD */
    expectedGraduationDate: string;
  };
  /** YYYY-MM-DD (Japan time). */
  issueDate: string;
  /** e.g. 'DEMO-2026-000123-7KQ2' (issuance.service.ts says why the tag) */
  serial: string;
  /** Short human code, e.g. 'K7QM-X4TD-9PZR'. */
  verificationCode: string;
  /** https://…/verify?code=… (goes in the QR code). */
  verificationUrl: string;
  transcript?: {
    courses: TranscriptCourse[];
    creditsEarned: number;
    gpa: number;
    /** The tenant's policy: are failed (F / 不可) courses listed? When false they are left out. */
    includeFailed: boolean;
  };
  courseApplication?: { courseName: Localized; note?: Localized };
  /** The same statement as a Verifiable Credential (#9 §5), embedded in the PDF as an associated file. */
  credential?: AttachedCredential;
}

export interface AttachedCredential {
  fileName: string;
  mediaType: string;
  content: string;
  description: string;
}

/** Grade letters as Japanese transcripts print them. */
export const japaneseGrades: Record<CourseGrade, string> = { S: '秀', A: '優', B: '良', C: '可', F: '不可' };

/** Grade points on the 4.0 scale the GPA is computed with. */
export const gradePoints: Record<CourseGrade, number> = { S: 4, A: 3, B: 2, C: 1, F: 0 };
