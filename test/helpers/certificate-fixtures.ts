/**
 * Sample certificate data for the PDF tests and bench/certificate.bench.ts (#4): a third-year
 * economics student of the demo university, with a transcript of real-looking courses.
 */
import type {
  CertificateData,
  CertificateType,
  CourseGrade,
  TranscriptCourse,
} from '../../src/features/certificates/certificate.model.js';

const courseNames: Array<[string, string]> = [
  ['経済学入門', 'Introduction to Economics'],
  ['ミクロ経済学Ⅰ', 'Microeconomics I'],
  ['マクロ経済学Ⅰ', 'Macroeconomics I'],
  ['統計学基礎', 'Foundations of Statistics'],
  ['英語コミュニケーションⅠ', 'English Communication I'],
  ['情報リテラシー', 'Information Literacy'],
  ['日本経済史', 'Economic History of Japan'],
  ['線形代数', 'Linear Algebra'],
  ['微分積分学', 'Calculus'],
  ['法学概論', 'Introduction to Law'],
  ['ミクロ経済学Ⅱ', 'Microeconomics II'],
  ['マクロ経済学Ⅱ', 'Macroeconomics II'],
  ['計量経済学', 'Econometrics'],
  ['財政学', 'Public Finance'],
  ['金融論', 'Monetary Economics'],
  ['国際経済学', 'International Economics'],
  ['労働経済学', 'Labor Economics'],
  ['産業組織論', 'Industrial Organization'],
  ['会計学入門', 'Introduction to Accounting'],
  ['経営学概論', 'Principles of Management'],
  ['英語コミュニケーションⅡ', 'English Communication II'],
  ['中国語初級', 'Elementary Chinese'],
  ['データサイエンス演習', 'Data Science Workshop'],
  ['公共経済学', 'Public Economics'],
  ['環境経済学', 'Environmental Economics'],
  ['開発経済学', 'Development Economics'],
  ['経済政策論', 'Economic Policy'],
  ['ゲーム理論', 'Game Theory'],
  ['行動経済学', 'Behavioral Economics'],
  ['地域経済論', 'Regional Economics'],
  ['日本国憲法', 'The Constitution of Japan'],
  ['キャリアデザイン', 'Career Design'],
  ['経済数学', 'Mathematics for Economists'],
  ['社会保障論', 'Social Security'],
  ['都市経済学', 'Urban Economics'],
  ['医療経済学', 'Health Economics'],
  ['国際金融論', 'International Finance'],
  ['ファイナンス入門', 'Introduction to Finance'],
  ['経済学史', 'History of Economic Thought'],
  ['アジア経済論', 'Asian Economies'],
  ['専門演習Ⅰ（ゼミナール）', 'Seminar in Economics I'],
  ['専門演習Ⅱ（ゼミナール）', 'Seminar in Economics II'],
  ['経済学特殊講義（デジタル経済と市場設計）', 'Special Lecture: Digital Economy and Market Design'],
  ['体育実技', 'Physical Education'],
  ['哲学', 'Philosophy'],
  ['心理学', 'Psychology'],
  ['社会学概論', 'Introduction to Sociology'],
  ['政治学', 'Political Science'],
  ['プログラミング基礎', 'Introduction to Programming'],
  ['簿記論', 'Bookkeeping'],
  ['マーケティング論', 'Marketing'],
  ['経営戦略論', 'Business Strategy'],
  ['国際関係論', 'International Relations'],
  ['英語プレゼンテーション', 'English Presentation'],
  ['農業経済学', 'Agricultural Economics'],
  ['エネルギー経済論', 'Energy Economics'],
  ['時系列分析', 'Time Series Analysis'],
  ['応用計量経済学', 'Applied Econometrics'],
  ['卒業研究準備演習', 'Thesis Preparation Seminar'],
  ['経済英語講読', 'Reading Economics in English'],
];

const grades: CourseGrade[] = ['S', 'A', 'A', 'B', 'A', 'S', 'B', 'C', 'A', 'B', 'F', 'A'];

/** `count` courses over three academic years from `firstYear`, two terms a year. */
export function sampleCourses(count: number, firstYear = 2024): TranscriptCourse[] {
  return Array.from({ length: count }, (_, i) => {
    const [ja, en] = courseNames[i % courseNames.length]!;
    // Three academic years (the third-year student of the sample), spring then fall.
    const perYear = Math.max(1, Math.ceil(count / 3));
    const yearIndex = Math.floor(i / perYear);
    const spring = i % perYear < perYear / 2;
    return {
      academicYear: firstYear + yearIndex,
      term: spring ? { ja: '前期', en: 'Spring' } : { ja: '後期', en: 'Fall' },
      name: { ja, en },
      credits: i % 7 === 3 ? 4 : 2,
      grade: grades[i % grades.length]!,
    };
  });
}

/** When the samples are issued, in epoch milliseconds: 10:00 in Japan on their issue date. */
export const sampleIssuedAt = Date.parse('2026-11-22T01:00:00Z');

export function sampleCertificate(
  type: CertificateType,
  lang: 'ja' | 'en',
  options: { courses?: number; includeFailed?: boolean; calendar?: 'japanese' | 'western' } = {},
): CertificateData {
  const finalYear = type === 'expected_graduation';
  const courses = sampleCourses(options.courses ?? 24);
  const passed = courses.filter((course) => course.grade !== 'F');
  const points = { S: 4, A: 3, B: 2, C: 1, F: 0 } as const;
  const attempted = courses.reduce((sum, course) => sum + course.credits, 0);
  const gpa = courses.reduce((sum, course) => sum + points[course.grade] * course.credits, 0) / attempted;
  return {
    type,
    lang,
    calendar: options.calendar ?? 'japanese',
    university: {
      name: { ja: 'デモ大学', en: 'Demo University' },
      presidentTitle: { ja: '学長', en: 'President' },
      presidentName: { ja: '鈴木 一郎', en: 'SUZUKI Ichiro' },
      address: { ja: '〒100-0001　東京都千代田区千代田1-1', en: '1-1 Chiyoda, Chiyoda-ku, Tokyo 100-0001, Japan' },
    },
    holder: {
      nameKanji: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      nameRoman: 'YAMADA Taro',
      birthDate: '2004-04-01',
      studentNumber: 's2026005',
      faculty: { ja: '経済学部', en: 'Faculty of Economics' },
      department: { ja: '経済学科', en: 'Department of Economics' },
      year: finalYear ? 4 : 3,
      admissionDate: finalYear ? '2023-04-01' : '2024-04-01',
      expectedGraduationDate: finalYear ? '2027-03-31' : '2028-03-31',
    },
    issueDate: '2026-11-22',
    serial: 'DEMO-2026-000123',
    verificationCode: 'K7QM-X4TD-9PZR',
    verificationUrl: 'https://shomei.demo.example/t/demo/verify?code=K7QM-X4TD-9PZR',
    ...(type === 'transcript'
      ? {
          transcript: {
            courses,
            creditsEarned: passed.reduce((sum, course) => sum + course.credits, 0),
            gpa: Math.round(gpa * 100) / 100,
            includeFailed: options.includeFailed ?? true,
          },
        }
      : {}),
    ...(type === 'course_application'
      ? {
          courseApplication: {
            courseName: { ja: '教職課程（中学校・高等学校 社会）', en: 'Teacher Training Course (Social Studies)' },
            note: {
              ja: '2027年度前期からの受講を希望します。',
              en: 'I would like to start in the spring term of 2027.',
            },
          },
        }
      : {}),
  };
}
