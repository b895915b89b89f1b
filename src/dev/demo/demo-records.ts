/**
 * Demo student records (C-3, #4 "Data in"): every demo student gets a record and a transcript of
 * real-looking courses, and a few record-only students (no login) cover every status. Dates are
 * relative to `now` (the academic year runs April–March, Japan time), so final-year students
 * are final-year whenever the demo is made. The same `now` always gives the same data.
 */
import type { Repositories, Store } from '../../db/repositories.js';
import type { Lang } from '../../platform/i18n.js';
import { todayInJapan } from '../../features/catalogue/eligibility.js';
import {
  type Grade,
  type StudentCourseInput,
  type StudentRecordInput,
  type StudentStatus,
  transcriptTotals,
} from '../../features/records/record.model.js';

import { seedDemoCatalogue } from './demo-catalogue.js';

export { demoCatalogue, seedDemoCatalogue } from './demo-catalogue.js';

type L = Record<Lang, string>;
type PoolCourse = { name: L; credits: 2 | 4 };

const c = (ja: string, en: string, credits: 2 | 4 = 2): PoolCourse => ({ name: { ja, en }, credits });

/** 共通教育: general education, taken mostly in the first two years. */
const generalCourses: PoolCourse[] = [
  c('基礎ゼミナール', 'First-Year Seminar'),
  c('英語コミュニケーションI', 'English Communication I'),
  c('情報リテラシー', 'Information Literacy'),
  c('哲学概論', 'Introduction to Philosophy'),
  c('英語コミュニケーションII', 'English Communication II'),
  c('日本国憲法', 'The Constitution of Japan'),
  c('心理学入門', 'Introduction to Psychology'),
  c('健康・スポーツ科学', 'Health and Sports Science'),
  c('英語リーディングI', 'English Reading I'),
  c('中国語初級I', 'Elementary Chinese I'),
  c('データサイエンス入門', 'Introduction to Data Science'),
  c('社会学概論', 'Introduction to Sociology'),
  c('英語リーディングII', 'English Reading II'),
  c('中国語初級II', 'Elementary Chinese II'),
  c('統計学入門', 'Introduction to Statistics'),
  c('日本史概説', 'Survey of Japanese History'),
  c('環境科学', 'Environmental Science'),
  c('文化人類学', 'Cultural Anthropology'),
  c('生命科学入門', 'Introduction to Life Sciences'),
  c('キャリアデザイン', 'Career Design'),
];

interface Faculty {
  code: string;
  faculty: L;
  department: L;
  programYears: number;
  /** In the order a student meets them. */
  courses: PoolCourse[];
}

const faculties = {
  letters: {
    code: 'L',
    faculty: { ja: '文学部', en: 'Faculty of Letters' },
    department: { ja: '日本文学科', en: 'Department of Japanese Literature' },
    programYears: 4,
    courses: [
      c('日本語学概論', 'Introduction to Japanese Linguistics'),
      c('日本文学概論', 'Introduction to Japanese Literature'),
      c('古典文学講読', 'Readings in Classical Japanese Literature'),
      c('漢文学', 'Classical Chinese Literature'),
      c('近代文学史', 'History of Modern Japanese Literature'),
      c('日本語文法論', 'Japanese Grammar'),
      c('書道', 'Calligraphy'),
      c('源氏物語研究', 'Studies in The Tale of Genji'),
      c('近現代詩歌論', 'Modern Japanese Poetry'),
      c('日本語教育学', 'Teaching Japanese as a Foreign Language'),
      c('中世文学演習', 'Seminar in Medieval Japanese Literature', 4),
      c('文献学演習', 'Seminar in Philology', 4),
      c('日本語史', 'History of the Japanese Language'),
      c('近世文学講読', 'Readings in Early Modern Japanese Literature'),
      c('比較文学論', 'Comparative Literature'),
      c('日本文学演習I', 'Seminar in Japanese Literature I', 4),
      c('日本文学演習II', 'Seminar in Japanese Literature II', 4),
      c('出版文化論', 'Publishing and Print Culture'),
      c('卒業論文', 'Graduation Thesis', 4),
    ],
  },
  economics: {
    code: 'E',
    faculty: { ja: '経済学部', en: 'Faculty of Economics' },
    department: { ja: '経済学科', en: 'Department of Economics' },
    programYears: 4,
    courses: [
      c('経済学入門', 'Principles of Economics'),
      c('経済数学', 'Mathematics for Economics'),
      c('ミクロ経済学I', 'Microeconomics I'),
      c('マクロ経済学I', 'Macroeconomics I'),
      c('会計学入門', 'Introduction to Accounting'),
      c('ミクロ経済学II', 'Microeconomics II'),
      c('マクロ経済学II', 'Macroeconomics II'),
      c('経済統計', 'Economic Statistics'),
      c('日本経済史', 'Japanese Economic History'),
      c('財政学', 'Public Finance'),
      c('金融論', 'Monetary Economics'),
      c('計量経済学', 'Econometrics', 4),
      c('国際経済学', 'International Economics'),
      c('労働経済学', 'Labor Economics'),
      c('ゲーム理論', 'Game Theory'),
      c('経済学演習I', 'Seminar in Economics I', 4),
      c('開発経済学', 'Development Economics'),
      c('経済学演習II', 'Seminar in Economics II', 4),
      c('卒業論文', 'Graduation Thesis', 4),
    ],
  },
  computing: {
    code: 'T',
    faculty: { ja: '理工学部', en: 'Faculty of Science and Engineering' },
    department: { ja: '情報工学科', en: 'Department of Computer Science and Engineering' },
    programYears: 4,
    courses: [
      c('線形代数学I', 'Linear Algebra I'),
      c('微分積分学I', 'Calculus I'),
      c('プログラミング基礎', 'Introduction to Programming'),
      c('線形代数学II', 'Linear Algebra II'),
      c('微分積分学II', 'Calculus II'),
      c('プログラミング演習', 'Programming Laboratory', 4),
      c('離散数学', 'Discrete Mathematics'),
      c('物理学実験', 'Physics Laboratory'),
      c('データ構造とアルゴリズム', 'Data Structures and Algorithms', 4),
      c('確率統計', 'Probability and Statistics'),
      c('コンピュータアーキテクチャ', 'Computer Architecture'),
      c('オペレーティングシステム', 'Operating Systems'),
      c('データベース', 'Database Systems'),
      c('情報工学実験I', 'Computer Engineering Laboratory I', 4),
      c('コンピュータネットワーク', 'Computer Networks'),
      c('情報理論', 'Information Theory'),
      c('計算理論', 'Theory of Computation'),
      c('ソフトウェア工学', 'Software Engineering'),
      c('情報工学実験II', 'Computer Engineering Laboratory II', 4),
      c('人工知能', 'Artificial Intelligence'),
      c('機械学習', 'Machine Learning'),
      c('卒業研究', 'Graduation Research', 4),
    ],
  },
  law: {
    code: 'J',
    faculty: { ja: '法学部', en: 'Faculty of Law' },
    department: { ja: '法律学科', en: 'Department of Law' },
    programYears: 4,
    courses: [
      c('法学入門', 'Introduction to Law'),
      c('憲法I', 'Constitutional Law I', 4),
      c('民法総則', 'Civil Law: General Provisions', 4),
      c('刑法総論', 'Criminal Law: General Part', 4),
      c('憲法II', 'Constitutional Law II'),
      c('物権法', 'Property Law'),
      c('債権総論', 'Law of Obligations: General Part'),
      c('刑法各論', 'Criminal Law: Specific Offences'),
      c('行政法', 'Administrative Law', 4),
      c('商法総則', 'Commercial Law: General Provisions'),
      c('会社法', 'Corporate Law'),
      c('民事訴訟法', 'Civil Procedure', 4),
      c('刑事訴訟法', 'Criminal Procedure'),
      c('国際法', 'Public International Law'),
      c('労働法', 'Labor Law'),
      c('法学演習I', 'Seminar in Law I', 4),
      c('知的財産法', 'Intellectual Property Law'),
      c('法学演習II', 'Seminar in Law II', 4),
    ],
  },
  english: {
    code: 'F',
    faculty: { ja: '外国語学部', en: 'Faculty of Foreign Studies' },
    department: { ja: '英米語学科', en: 'Department of British and American Studies' },
    programYears: 4,
    courses: [
      c('英語学概論', 'Introduction to English Linguistics'),
      c('アカデミック・ライティング', 'Academic Writing'),
      c('英語音声学', 'English Phonetics'),
      c('英米文学史', 'History of British and American Literature'),
      c('異文化コミュニケーション', 'Intercultural Communication'),
      c('英語ディベート', 'English Debate'),
      c('イギリス文化論', 'British Cultural Studies'),
      c('アメリカ研究', 'American Studies'),
      c('翻訳論', 'Translation Studies'),
      c('第二言語習得論', 'Second Language Acquisition'),
      c('通訳演習', 'Interpreting Practice', 4),
      c('英語教育法', 'English Teaching Methods'),
      c('社会言語学', 'Sociolinguistics'),
      c('英語圏文学演習', 'Seminar in Anglophone Literature', 4),
      c('英語学演習', 'Seminar in English Linguistics', 4),
      c('卒業論文', 'Graduation Thesis', 4),
    ],
  },
  pharmacy: {
    code: 'P',
    faculty: { ja: '薬学部', en: 'Faculty of Pharmaceutical Sciences' },
    department: { ja: '薬学科', en: 'Department of Pharmacy' },
    programYears: 6,
    courses: [
      c('有機化学I', 'Organic Chemistry I'),
      c('物理化学', 'Physical Chemistry'),
      c('解剖生理学', 'Anatomy and Physiology'),
      c('有機化学II', 'Organic Chemistry II'),
      c('分析化学', 'Analytical Chemistry'),
      c('生化学', 'Biochemistry'),
      c('微生物学', 'Microbiology'),
      c('薬理学I', 'Pharmacology I'),
      c('生薬学', 'Pharmacognosy'),
      c('薬理学II', 'Pharmacology II'),
      c('薬剤学', 'Pharmaceutics'),
      c('衛生薬学', 'Environmental and Health Pharmacy'),
      c('製剤学', 'Pharmaceutical Technology'),
      c('医療薬学', 'Clinical Pharmacy'),
      c('薬事関係法規', 'Pharmaceutical Laws and Regulations'),
      c('病院実務実習', 'Hospital Pharmacy Practice', 4),
      c('薬局実務実習', 'Community Pharmacy Practice', 4),
      c('卒業研究', 'Graduation Research', 4),
    ],
  },
  marine: {
    code: 'M',
    faculty: { ja: '海洋科学部', en: 'Faculty of Marine Science' },
    department: { ja: '海洋環境学科', en: 'Department of Ocean Environment' },
    programYears: 4,
    courses: [
      c('海洋学概論', 'Introduction to Oceanography'),
      c('基礎化学', 'Fundamentals of Chemistry'),
      c('海洋生物学', 'Marine Biology'),
      c('海洋物理学', 'Physical Oceanography'),
      c('水産資源学', 'Fisheries Resources'),
      c('海洋化学', 'Marine Chemistry'),
      c('沿岸環境学', 'Coastal Environment'),
      c('海洋観測実習', 'Ocean Observation Practice', 4),
      c('気候変動論', 'Climate Change'),
      c('海洋政策論', 'Ocean Policy'),
      c('環境アセスメント', 'Environmental Assessment'),
      c('海洋環境学演習', 'Seminar in Ocean Environment', 4),
      c('卒業研究', 'Graduation Research', 4),
    ],
  },
  business: {
    code: 'B',
    faculty: { ja: '経営学部', en: 'Faculty of Business Administration' },
    department: { ja: '経営学科', en: 'Department of Business Administration' },
    programYears: 4,
    courses: [
      c('経営学入門', 'Introduction to Business Administration'),
      c('簿記原理', 'Principles of Bookkeeping'),
      c('マーケティング論', 'Marketing'),
      c('経営組織論', 'Organizational Theory'),
      c('財務会計論', 'Financial Accounting'),
      c('経営戦略論', 'Business Strategy'),
      c('人的資源管理論', 'Human Resource Management'),
      c('国際経営論', 'International Business'),
      c('経営学演習I', 'Seminar in Business Administration I', 4),
    ],
  },
} satisfies Record<string, Faculty>;

type FacultyKey = keyof typeof faculties;

/** How one demo student looks; the rest (dates, courses, totals) follows from `now`. */
interface DemoStudent {
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

/** The demo university: s2026001…s2026006 log in (README), the rest are records only. */
export const demoRecordStudents: readonly DemoStudent[] = [
  {
    userId: 's2026001',
    serial: 12,
    kanji: '山田 太郎',
    kana: 'ヤマダ タロウ',
    roman: 'YAMADA Taro',
    born: '06-14',
    faculty: 'letters',
    year: 4,
    status: 'enrolled',
    path: 'current',
    grades: 'average',
  },
  {
    userId: 's2026002',
    serial: 41,
    kanji: '鈴木 花子',
    kana: 'スズキ ハナコ',
    roman: 'SUZUKI Hanako',
    born: '11-03',
    faculty: 'economics',
    year: 2,
    status: 'enrolled',
    path: 'current',
    grades: 'strong',
  },
  {
    userId: 's2026003',
    serial: 27,
    kanji: '高橋 健太',
    kana: 'タカハシ ケンタ',
    roman: 'TAKAHASHI Kenta',
    born: '02-21',
    faculty: 'computing',
    year: 3,
    status: 'leave_of_absence',
    path: 'current',
    grades: 'average',
  },
  {
    userId: 's2026004',
    serial: 8,
    kanji: '田中 陽菜',
    kana: 'タナカ ヒナ',
    roman: 'TANAKA Hina',
    born: '09-30',
    faculty: 'law',
    year: 1,
    status: 'enrolled',
    path: 'current',
    grades: 'strong',
  },
  {
    userId: 's2026005',
    serial: 33,
    kanji: '伊藤 翔太',
    kana: 'イトウ ショウタ',
    roman: 'ITO Shota',
    born: '04-02',
    gapYears: 1,
    faculty: 'computing',
    year: 4,
    status: 'enrolled',
    path: 'current',
    grades: 'average',
  },
  {
    userId: 's2026006',
    serial: 19,
    kanji: '渡辺 美咲',
    kana: 'ワタナベ ミサキ',
    roman: 'WATANABE Misaki',
    born: '12-25',
    faculty: 'english',
    year: 3,
    status: 'enrolled',
    path: 'current',
    grades: 'strong',
  },
  // Records only (no login): every other status and path.
  {
    userId: 's2026101',
    serial: 5,
    kanji: '中村 大輔',
    kana: 'ナカムラ ダイスケ',
    roman: 'NAKAMURA Daisuke',
    born: '07-07',
    faculty: 'economics',
    year: 2,
    status: 'withdrawn',
    path: 'withdrawn',
    grades: 'weak',
  },
  {
    userId: 's2026102',
    serial: 22,
    kanji: '小林 さくら',
    kana: 'コバヤシ サクラ',
    roman: 'KOBAYASHI Sakura',
    born: '03-28',
    faculty: 'letters',
    year: 4,
    status: 'graduated',
    path: 'graduated',
    grades: 'strong',
  },
  {
    userId: 's2026103',
    serial: 14,
    kanji: '加藤 拓海',
    kana: 'カトウ タクミ',
    roman: 'KATO Takumi',
    born: '08-19',
    faculty: 'computing',
    year: 4,
    status: 'graduated',
    path: 'graduated',
    grades: 'average',
  },
  {
    userId: 's2026104',
    serial: 3,
    kanji: '吉田 結衣',
    kana: 'ヨシダ ユイ',
    roman: 'YOSHIDA Yui',
    born: '05-05',
    faculty: 'pharmacy',
    year: 6,
    status: 'enrolled',
    path: 'current',
    grades: 'strong',
  },
  {
    userId: 's2026105',
    serial: 30,
    kanji: '山本 蓮',
    kana: 'ヤマモト レン',
    roman: 'YAMAMOTO Ren',
    born: '01-16',
    faculty: 'law',
    year: 3,
    status: 'suspended',
    path: 'current',
    grades: 'weak',
  },
  {
    userId: 's2026106',
    serial: 45,
    kanji: '松本 優斗',
    kana: 'マツモト ユウト',
    roman: 'MATSUMOTO Yuto',
    born: '10-10',
    faculty: 'computing',
    year: 4,
    status: 'enrolled',
    path: 'repeating',
    grades: 'weak',
  },
  {
    userId: 's2026107',
    serial: 11,
    kanji: '井上 葵',
    kana: 'イノウエ アオイ',
    roman: 'INOUE Aoi',
    born: '04-29',
    faculty: 'english',
    year: 2,
    status: 'leave_of_absence',
    path: 'current',
    grades: 'average',
  },
  {
    userId: 's2026108',
    serial: 2,
    kanji: '木村 颯',
    kana: 'キムラ ハヤテ',
    roman: 'KIMURA Hayate',
    born: '12-01',
    gapYears: 1,
    faculty: 'letters',
    year: 1,
    status: 'withdrawn',
    path: 'withdrawn',
    grades: 'average',
  },
];

/** The second demo university's two students (README: m1001, m1002). */
export const minatoRecordStudents: readonly DemoStudent[] = [
  {
    userId: 'm1001',
    serial: 101,
    kanji: '佐々木 健',
    kana: 'ササキ ケン',
    roman: 'SASAKI Ken',
    born: '07-22',
    faculty: 'marine',
    year: 4,
    status: 'enrolled',
    path: 'current',
    grades: 'average',
  },
  {
    userId: 'm1002',
    serial: 102,
    kanji: '森 彩花',
    kana: 'モリ アヤカ',
    roman: 'MORI Ayaka',
    born: '02-08',
    faculty: 'business',
    year: 2,
    status: 'enrolled',
    path: 'current',
    grades: 'strong',
  },
];

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

const terms: L[] = [
  { ja: '前期', en: 'Spring' },
  { ja: '後期', en: 'Fall' },
];

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

/** Gives the demo university's students their records and transcripts. Run inside Store.transaction. */
export async function seedDemoRecords(
  repos: Pick<Repositories, 'records'>,
  tenantId: string,
  now: number,
): Promise<void> {
  await writeRecords(repos, tenantId, now, demoRecords(now));
}

/** Gives minato's m1001 and m1002 their records and transcripts. Run inside Store.transaction. */
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
export async function backfillDemoRecords(store: Store, now: number): Promise<void> {
  const targets = [
    { slug: 'demo', seed: seedDemoRecords },
    { slug: 'minato', seed: seedMinatoRecords },
  ];
  for (const { slug, seed } of targets) {
    const tenant = await store.repos.tenants.findBySlug(slug);
    if (!tenant || (await store.repos.catalogue.list(tenant.id)).length > 0) continue;
    try {
      await store.transaction(async (repos) => {
        await seedDemoCatalogue(repos, tenant.id);
        await seed(repos, tenant.id, now);
      });
    } catch (error) {
      if ((await store.repos.catalogue.list(tenant.id)).length === 0) throw error;
    }
  }
}
