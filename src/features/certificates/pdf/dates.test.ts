import { describe, expect, it } from 'vitest';
import {
  academicYearOf,
  englishOrdinal,
  formatEnglishDate,
  formatEnglishYearMonth,
  formatJapaneseAcademicYear,
  formatJapaneseDate,
  formatJapaneseYearMonth,
  japaneseEra,
  parseCalendarDate,
} from './dates.js';

describe('certificate dates (C-6, #4: era and English formats)', () => {
  it('C-6: writes the era date of the SPEC examples (令和8年11月22日, 平成16年4月1日)', () => {
    expect(formatJapaneseDate('2026-11-22', 'japanese')).toBe('令和8年11月22日');
    expect(formatJapaneseDate('2004-04-01', 'japanese')).toBe('平成16年4月1日');
  });

  it('C-6: switches eras on the right day, with 元年 for the first year', () => {
    expect(formatJapaneseDate('2019-04-30', 'japanese')).toBe('平成31年4月30日');
    expect(formatJapaneseDate('2019-05-01', 'japanese')).toBe('令和元年5月1日');
    expect(formatJapaneseDate('2019-12-31', 'japanese')).toBe('令和元年12月31日');
    expect(formatJapaneseDate('2020-01-01', 'japanese')).toBe('令和2年1月1日');
    expect(formatJapaneseDate('1989-01-07', 'japanese')).toBe('昭和64年1月7日');
    expect(formatJapaneseDate('1989-01-08', 'japanese')).toBe('平成元年1月8日');
    expect(formatJapaneseDate('1926-12-24', 'japanese')).toBe('大正15年12月24日');
    expect(formatJapaneseDate('1926-12-25', 'japanese')).toBe('昭和元年12月25日');
    expect(japaneseEra('1912-07-29')).toEqual({ era: '明治', year: 45 });
    expect(japaneseEra('1912-07-30')).toEqual({ era: '大正', year: 1 });
  });

  it('C-6: writes the western calendar on Japanese certificates when the tenant prefers it', () => {
    expect(formatJapaneseDate('2026-11-22', 'western')).toBe('2026年11月22日');
    expect(formatJapaneseYearMonth('2027-03-31', 'western')).toBe('2027年3月');
    expect(formatJapaneseAcademicYear(2024, 'western')).toBe('2024年度');
  });

  it('C-6: year and month of an expected graduation, and academic years (April to March)', () => {
    expect(formatJapaneseYearMonth('2027-03-31', 'japanese')).toBe('令和9年3月');
    expect(formatJapaneseYearMonth('2019-05-01', 'japanese')).toBe('令和元年5月');
    expect(formatJapaneseAcademicYear(2024, 'japanese')).toBe('令和6年度');
    expect(formatJapaneseAcademicYear(2019, 'japanese')).toBe('令和元年度');
    expect(formatJapaneseAcademicYear(2018, 'japanese')).toBe('平成30年度');
    expect(formatJapaneseAcademicYear(1989, 'japanese')).toBe('平成元年度');
    expect(formatJapaneseAcademicYear(1988, 'japanese')).toBe('昭和63年度');
    expect(academicYearOf('2027-03-31')).toBe(2026);
    expect(academicYearOf('2027-04-01')).toBe(2027);
  });

  it('C-6: English certificates always write "November 22, 2026"', () => {
    expect(formatEnglishDate('2026-11-22')).toBe('November 22, 2026');
    expect(formatEnglishDate('2004-04-01')).toBe('April 1, 2004');
    expect(formatEnglishYearMonth('2027-03-31')).toBe('March 2027');
  });

  it('C-6: English ordinals for the year of study', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(englishOrdinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
    ]);
  });

  it('#4: refuses dates that are not real calendar days', () => {
    expect(() => parseCalendarDate('2026-02-30')).toThrow(RangeError);
    expect(() => parseCalendarDate('2026-13-01')).toThrow(RangeError);
    expect(() => parseCalendarDate('2026/11/22')).toThrow(RangeError);
    expect(() => parseCalendarDate('')).toThrow(RangeError);
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(() => formatJapaneseDate('1850-01-01', 'japanese')).toThrow(RangeError);
  });
});
