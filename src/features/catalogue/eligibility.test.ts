import { todayInJapan } from '../../platform/clock.js';
import { describe, expect, it } from 'vitest';
import type { StudentRecord } from '../records/record.model.js';
import { type CatalogueItem, catalogueItemSchema, monthDaySchema } from './catalogue.model.js';
import { demoCatalogue } from '../../dev/demo/catalogue.data.js';
import {
  type Availability,
  type EligibilityRecord,
  FeeError,
  availability,
  availableFromDate,
  feeFor,
  offerings,
} from './eligibility.js';

function item(type: CatalogueItem['type'], overrides: Partial<CatalogueItem> = {}): CatalogueItem {
  const found = demoCatalogue.find((entry) => entry.type === type);
  if (!found) throw new Error(type);
  return { ...found, ...overrides };
}

const enrollment = item('enrollment');
const transcript = item('transcript');
const expected = item('expected_graduation');
const courseForm = item('course_application');

/** A fourth-year (final-year) student graduating in March 2027. */
const finalYear: EligibilityRecord = {
  status: 'enrolled',
  year: 4,
  programYears: 4,
  expectedGraduationDate: '2027-03-31',
};
const secondYear: EligibilityRecord = { ...finalYear, year: 2, expectedGraduationDate: '2029-03-31' };
const as = (status: StudentRecord['status'], base = finalYear): EligibilityRecord => ({ ...base, status });

const yes: Availability = { available: true };
const no = (reason: Exclude<Availability, { available: true }>['reason'], availableFrom?: string): Availability =>
  availableFrom ? { available: false, reason, availableFrom } : { available: false, reason };
/** #10: a refusal by status names the student's status, so the screen can say it. */
const notWith = (status: StudentRecord['status']): Availability => ({ available: false, reason: 'status', status });

describe('C-10 availability', () => {
  const cases: [string, CatalogueItem, EligibilityRecord, Parameters<typeof availability>[2], string, Availability][] =
    [
      ['final-year student, expected graduation, in November', expected, finalYear, 'convenience', '2026-11-22', yes],
      [
        'final-year student, expected graduation, on 1 April (the first day)',
        expected,
        finalYear,
        'campus',
        '2026-04-01',
        yes,
      ],
      [
        'final-year student, expected graduation, on 31 March (the day before)',
        expected,
        finalYear,
        'campus',
        '2026-03-31',
        no('notYet', '2026-04-01'),
      ],
      [
        'final-year student, expected graduation, a year early',
        expected,
        finalYear,
        'campus',
        '2025-11-22',
        no('notYet', '2026-04-01'),
      ],
      [
        'final-year student, expected graduation, in March just before graduating',
        expected,
        finalYear,
        'postal',
        '2027-03-20',
        yes,
      ],
      ['second-year student, expected graduation', expected, secondYear, 'campus', '2026-11-22', no('finalYearOnly')],
      ['second-year student, enrollment', enrollment, secondYear, 'campus', '2026-11-22', yes],
      [
        'second-year student, transcript in English by digital delivery',
        transcript,
        secondYear,
        'digital',
        '2026-11-22',
        yes,
      ],
      ['withdrawn student, enrollment', enrollment, as('withdrawn'), 'campus', '2026-11-22', notWith('withdrawn')],
      ['withdrawn student, transcript', transcript, as('withdrawn'), 'campus', '2026-11-22', notWith('withdrawn')],
      [
        'withdrawn student, expected graduation',
        expected,
        as('withdrawn'),
        'campus',
        '2026-11-22',
        notWith('withdrawn'),
      ],
      [
        'withdrawn student, course application',
        courseForm,
        as('withdrawn'),
        'campus',
        '2026-11-22',
        notWith('withdrawn'),
      ],
      ['suspended student, enrollment', enrollment, as('suspended'), 'campus', '2026-11-22', notWith('suspended')],
      ['suspended student, transcript', transcript, as('suspended'), 'campus', '2026-11-22', notWith('suspended')],
      ['graduated student, enrollment', enrollment, as('graduated'), 'campus', '2026-11-22', notWith('graduated')],
      [
        'graduated student, transcript (the tenant allows it)',
        transcript,
        as('graduated'),
        'postal',
        '2026-11-22',
        yes,
      ],
      [
        'student on leave, enrollment',
        enrollment,
        as('leave_of_absence', secondYear),
        'campus',
        '2026-11-22',
        notWith('leave_of_absence'),
      ],
      ['student on leave, transcript', transcript, as('leave_of_absence', secondYear), 'campus', '2026-11-22', yes],
      [
        'status is told before final year',
        expected,
        as('withdrawn', secondYear),
        'campus',
        '2026-11-22',
        notWith('withdrawn'),
      ],
      ['final year is told before the opening day', expected, secondYear, 'campus', '2020-01-01', no('finalYearOnly')],
      ['course application by post', courseForm, finalYear, 'postal', '2026-11-22', no('destination')],
      ['course application by digital delivery', courseForm, finalYear, 'digital', '2026-11-22', no('destination')],
      ['course application at a convenience store', courseForm, finalYear, 'convenience', '2026-11-22', yes],
      [
        'the opening day is told before the destination',
        expected,
        finalYear,
        'postal',
        '2026-03-31',
        no('notYet', '2026-04-01'),
      ],
      [
        'a type the university withdrew',
        { ...enrollment, active: false },
        finalYear,
        'campus',
        '2026-11-22',
        no('inactive'),
      ],
      [
        'a type that allows no destination but campus',
        { ...enrollment, destinations: ['campus'] },
        finalYear,
        'convenience',
        '2026-11-22',
        no('destination'),
      ],
    ];
  it.each(cases)('C-10 #4 %s', (_name, catalogueItem, record, destination, today, result) => {
    expect(availability(catalogueItem, record, destination, today)).toEqual(result);
  });

  it('C-10 a language the type is not issued in is refused with the reason; one it is issued in passes', () => {
    expect(availability(courseForm, finalYear, 'campus', '2026-11-22', 'en')).toEqual(no('language'));
    expect(availability(courseForm, finalYear, 'campus', '2026-11-22', 'ja')).toEqual(yes);
    expect(availability(transcript, finalYear, 'campus', '2026-11-22', 'en')).toEqual(yes);
  });

  it('C-10 leap years are irrelevant: 29 February is an ordinary day before the opening', () => {
    const leapFinal: EligibilityRecord = { ...finalYear, expectedGraduationDate: '2029-03-31' };
    expect(availability(expected, leapFinal, 'campus', '2028-02-29', 'ja')).toEqual(no('notYet', '2028-04-01'));
    expect(availability(expected, leapFinal, 'campus', '2028-04-01', 'ja')).toEqual(yes);
    const fromMarch = { ...expected, eligibility: { ...expected.eligibility, availableFromMonthDay: '03-01' } };
    expect(
      availability(fromMarch, { ...finalYear, expectedGraduationDate: '2028-09-20' }, 'campus', '2028-02-29'),
    ).toEqual(no('notYet', '2028-03-01'));
    expect(
      availability(fromMarch, { ...finalYear, expectedGraduationDate: '2028-09-20' }, 'campus', '2028-03-01'),
    ).toEqual(yes);
    // An opening day that only leap years have would move with the calendar: refused.
    expect(monthDaySchema.safeParse('02-29').success).toBe(false);
    expect(monthDaySchema.safeParse('04-31').success).toBe(false);
    expect(monthDaySchema.safeParse('04-01').success).toBe(true);
  });

  it('C-10 the opening day is the last one on or before the expected graduation', () => {
    expect(availableFromDate(expected, { expectedGraduationDate: '2027-03-31' })).toBe('2026-04-01');
    expect(availableFromDate(expected, { expectedGraduationDate: '2027-09-20' })).toBe('2027-04-01');
    expect(availableFromDate(expected, { expectedGraduationDate: '2027-04-01' })).toBe('2027-04-01');
    expect(availableFromDate(enrollment, { expectedGraduationDate: '2027-03-31' })).toBeUndefined();
  });

  it('C-10 a date that is not YYYY-MM-DD is a programming error', () => {
    expect(() => availability(enrollment, finalYear, 'campus', '2026-2-1')).toThrow(RangeError);
    expect(() => availability(enrollment, finalYear, 'campus', '2026-02-30')).toThrow(RangeError);
  });

  it('C-10 the screen lists every offered type with its reason instead of hiding it, in catalogue order', () => {
    const listed = offerings([...demoCatalogue].reverse(), secondYear, 'postal', '2026-11-22');
    expect(listed.map((o) => [o.item.type, o.availability])).toEqual([
      ['enrollment', yes],
      ['transcript', yes],
      ['expected_graduation', no('finalYearOnly')],
      ['course_application', no('destination')],
    ]);
    expect(offerings([{ ...enrollment, active: false }], secondYear, 'campus', '2026-11-22')).toEqual([]);
  });

  it('C-2 the demo catalogue is valid as the schema says', () => {
    for (const entry of demoCatalogue) expect(catalogueItemSchema.parse(entry)).toEqual(entry);
    expect(demoCatalogue.map((entry) => entry.type)).toEqual([
      'enrollment',
      'transcript',
      'expected_graduation',
      'course_application',
    ]);
  });
});

describe('C-2 C-4 fees', () => {
  it('C-2 prices lines in integer yen per copy and totals them', () => {
    const quote = feeFor(
      [
        { type: 'transcript', lang: 'ja', copies: 2 },
        { type: 'transcript', lang: 'en', copies: 1 },
        { type: 'course_application', lang: 'ja', copies: 3 },
      ],
      demoCatalogue,
    );
    expect(quote.lines.map((line) => [line.type, line.lang, line.unitFeeYen, line.subtotalYen])).toEqual([
      ['transcript', 'ja', 300, 600],
      ['transcript', 'en', 300, 300],
      ['course_application', 'ja', 100, 300],
    ]);
    expect(quote.totalYen).toBe(1200);
    expect(feeFor([], demoCatalogue).totalYen).toBe(0);
  });

  it('C-2 copies of one type across lines may not pass its limit; zero, fractions and unknown types are refused', () => {
    expect(() => feeFor([{ type: 'transcript', copies: 10 }], demoCatalogue)).not.toThrow();
    const tooMany = () =>
      feeFor(
        [
          { type: 'transcript', copies: 6 },
          { type: 'transcript', copies: 5 },
        ],
        demoCatalogue,
      );
    expect(tooMany).toThrow(FeeError);
    expect(() => feeFor([{ type: 'transcript', copies: 0 }], demoCatalogue)).toThrow(
      expect.objectContaining({ code: 'copies' }),
    );
    expect(() => feeFor([{ type: 'transcript', copies: 1.5 }], demoCatalogue)).toThrow(
      expect.objectContaining({ code: 'copies' }),
    );
    expect(() => feeFor([{ type: 'diploma', copies: 1 }], demoCatalogue)).toThrow(
      expect.objectContaining({ code: 'unknown_type' }),
    );
    expect(() => feeFor([{ type: 'enrollment', copies: 1 }], [{ ...enrollment, active: false }])).toThrow(
      expect.objectContaining({ code: 'inactive' }),
    );
  });
});

describe('C-10 today in Japan', () => {
  it('C-10 the day turns at midnight Japan time, not UTC', () => {
    expect(todayInJapan(Date.UTC(2026, 2, 31, 14, 59, 59, 999))).toBe('2026-03-31');
    expect(todayInJapan(Date.UTC(2026, 2, 31, 15, 0, 0))).toBe('2026-04-01');
    expect(todayInJapan(Date.UTC(2028, 1, 28, 15, 0, 0))).toBe('2028-02-29');
  });
});
