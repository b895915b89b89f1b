/**
 * Dates as Japanese and English certificates write them (#4, SPEC appendix "what Japanese university
 * certificates say"): 令和8年11月22日 (era, the default on Japanese certificates), 2026年11月22日
 * (western calendar, when the tenant prefers it), November 22, 2026 (always on English ones).
 * Dates are calendar dates (YYYY-MM-DD, already in Japan time); no time zone arithmetic here.
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

interface Era {
  name: string;
  /** First day of the era, as YYYYMMDD. */
  start: number;
  startYear: number;
}

/** Newest first. Start days per the Imperial proclamations (明治 counted from the solar calendar). */
const eras: readonly Era[] = [
  { name: '令和', start: 20190501, startYear: 2019 },
  { name: '平成', start: 19890108, startYear: 1989 },
  { name: '昭和', start: 19261225, startYear: 1926 },
  { name: '大正', start: 19120730, startYear: 1912 },
  { name: '明治', start: 18730101, startYear: 1868 },
];

const englishMonths = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Parses YYYY-MM-DD strictly (a real calendar day), or throws. */
export function parseCalendarDate(value: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(value)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new RangeError(`no such day: ${value}`);
  }
  return { year, month, day };
}

function asDate(value: string | CalendarDate): CalendarDate {
  return typeof value === 'string' ? parseCalendarDate(value) : value;
}

/** The era and its year for a day: 2019-04-30 → 平成31, 2019-05-01 → 令和1 (written 元年). */
export function japaneseEra(value: string | CalendarDate): { era: string; year: number } {
  const date = asDate(value);
  const key = date.year * 10000 + date.month * 100 + date.day;
  const era = eras.find((candidate) => key >= candidate.start);
  if (!era) throw new RangeError(`before the Meiji solar calendar: ${date.year}-${date.month}-${date.day}`);
  return { era: era.name, year: date.year - era.startYear + 1 };
}

function eraYear(value: string | CalendarDate): string {
  const { era, year } = japaneseEra(value);
  return `${era}${year === 1 ? '元' : String(year)}年`;
}

/** 令和8年11月22日 / 2026年11月22日. */
export function formatJapaneseDate(value: string | CalendarDate, calendar: 'japanese' | 'western'): string {
  const date = asDate(value);
  const year = calendar === 'japanese' ? eraYear(date) : `${date.year}年`;
  return `${year}${date.month}月${date.day}日`;
}

/** 令和9年3月 / 2027年3月 (the month of an expected graduation). */
export function formatJapaneseYearMonth(value: string | CalendarDate, calendar: 'japanese' | 'western'): string {
  const date = asDate(value);
  const year = calendar === 'japanese' ? eraYear(date) : `${date.year}年`;
  return `${year}${date.month}月`;
}

/** November 22, 2026. */
export function formatEnglishDate(value: string | CalendarDate): string {
  const date = asDate(value);
  return `${englishMonths[date.month - 1]} ${date.day}, ${date.year}`;
}

/** March 2027. */
export function formatEnglishYearMonth(value: string | CalendarDate): string {
  const date = asDate(value);
  return `${englishMonths[date.month - 1]} ${date.year}`;
}

/** The academic year (年度) a day falls in: April to March. 2027-03-31 → 2026. */
export function academicYearOf(value: string | CalendarDate): number {
  const date = asDate(value);
  return date.month >= 4 ? date.year : date.year - 1;
}

/**
 * 2023年度 (western) or 令和5年度. The era is the one of 31 December of the year the academic
 * year starts in, as official usage has it: 2019年度 is 令和元年度 though it began under 平成.
 */
export function formatJapaneseAcademicYear(academicYear: number, calendar: 'japanese' | 'western'): string {
  if (calendar === 'western') return `${academicYear}年度`;
  return `${eraYear({ year: academicYear, month: 12, day: 31 })}度`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st. */
export function englishOrdinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}
