/**
 * C-10 availability rules and C-2/C-4 fees, pure: no clock, no database. The order screen asks
 * `offerings` (or `availability` for one type) and shows every type, with the reason when a
 * type cannot be had, instead of hiding it.
 *
 * The reasons, checked in this order (the first that applies is the one shown):
 *   inactive       the university does not offer the type (now)
 *   status         the student's status is not among the type's statuses (withdrawn, …)
 *   finalYearOnly  only for students in the last year of their programme
 *   notYet         not before `availableFrom` (e.g. 1 April of the final year)
 *   destination    the type cannot go to the chosen destination
 *   language       the type is not issued in the chosen language
 */
import type { Lang } from '../../platform/i18n.js';
import {
  type IsoDate,
  type StudentRecord,
  type StudentStatus,
  isFinalYear,
  isIsoDate,
} from '../records/record.model.js';
import type { CatalogueItem, CertificateType, Destination } from './catalogue.model.js';

export type UnavailableReason = 'status' | 'finalYearOnly' | 'notYet' | 'destination' | 'language' | 'inactive';

export type Availability =
  | { available: true }
  | {
      available: false;
      reason: UnavailableReason;
      /** 'YYYY-MM-DD', with 'notYet'. */
      availableFrom?: IsoDate;
      /** The student's status, with 'status': the refusal names it (#10). */
      status?: StudentStatus;
    };

/** The parts of a record the rules read. */
export type EligibilityRecord = Pick<StudentRecord, 'status' | 'year' | 'programYears' | 'expectedGraduationDate'>;

/**
 * The first day the type may be issued to this student, when the type has an opening day: the
 * last `availableFromMonthDay` on or before the expected graduation date ('04-01' and a
 * graduation on 2027-03-31 give 2026-04-01). Undefined when the type has no opening day.
 */
export function availableFromDate(
  item: Pick<CatalogueItem, 'eligibility'>,
  record: Pick<EligibilityRecord, 'expectedGraduationDate'>,
): IsoDate | undefined {
  const monthDay = item.eligibility.availableFromMonthDay;
  if (!monthDay) return undefined;
  const graduation = record.expectedGraduationDate;
  const year = Number(graduation.slice(0, 4));
  const sameYear = `${String(year).padStart(4, '0')}-${monthDay}`;
  return sameYear <= graduation ? sameYear : `${String(year - 1).padStart(4, '0')}-${monthDay}`;
}

/**
 * Whether this student may have this type at this destination today (Japan's date, see
 * `todayInJapan`), and if not, why. `lang`, when given, is checked against the type's languages.
 */
export function availability(
  item: CatalogueItem,
  record: EligibilityRecord,
  destination: Destination,
  today: IsoDate,
  lang?: Lang,
): Availability {
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
  if (!item.active) return { available: false, reason: 'inactive' };
  if (!item.eligibility.statuses.includes(record.status))
    return { available: false, reason: 'status', status: record.status };
  if (item.eligibility.finalYearOnly && !isFinalYear(record)) return { available: false, reason: 'finalYearOnly' };
  const from = availableFromDate(item, record);
  if (from !== undefined && today < from) return { available: false, reason: 'notYet', availableFrom: from };
  if (!item.destinations.includes(destination)) return { available: false, reason: 'destination' };
  if (lang !== undefined && !item.languages.includes(lang)) return { available: false, reason: 'language' };
  return { available: true };
}

export interface Offering {
  item: CatalogueItem;
  availability: Availability;
}

/**
 * What the order screen lists for one destination: every type the university offers (inactive
 * ones left out), in catalogue order, each with its availability. Languages are chosen per line
 * later, so they are not checked here; `item.languages` says which to offer.
 */
export function offerings(
  catalogue: readonly CatalogueItem[],
  record: EligibilityRecord,
  destination: Destination,
  today: IsoDate,
): Offering[] {
  return [...catalogue]
    .filter((item) => item.active)
    .sort((a, b) => a.sortOrder - b.sortOrder || a.type.localeCompare(b.type))
    .map((item) => ({ item, availability: availability(item, record, destination, today) }));
}

export type FeeErrorCode = 'unknown_type' | 'inactive' | 'copies';

/** A line the catalogue cannot price: a type it lacks or has withdrawn, or a bad number of copies. */
export class FeeError extends Error {
  constructor(
    readonly code: FeeErrorCode,
    readonly type: string,
  ) {
    super(`${code}: ${type}`);
    this.name = 'FeeError';
  }
}

export interface FeeQuote<L> {
  lines: (L & { unitFeeYen: number; subtotalYen: number })[];
  totalYen: number;
}

/**
 * Prices order lines (integer yen). A type may appear on several lines (say Japanese and
 * English); its copies together must be 1..maxCopies. Throws FeeError otherwise. Postage is the
 * orders feature's business, not the catalogue's.
 */
export function feeFor<L extends { type: CertificateType | string; copies: number }>(
  lines: readonly L[],
  catalogue: readonly CatalogueItem[],
): FeeQuote<L> {
  const byType = new Map(catalogue.map((item) => [item.type as string, item]));
  const copiesByType = new Map<string, number>();
  const priced = lines.map((line) => {
    const item = byType.get(line.type);
    if (!item) throw new FeeError('unknown_type', line.type);
    if (!item.active) throw new FeeError('inactive', line.type);
    if (!Number.isInteger(line.copies) || line.copies < 1) throw new FeeError('copies', line.type);
    const copies = (copiesByType.get(line.type) ?? 0) + line.copies;
    if (copies > item.maxCopies) throw new FeeError('copies', line.type);
    copiesByType.set(line.type, copies);
    return { ...line, unitFeeYen: item.feeYen, subtotalYen: item.feeYen * line.copies };
  });
  return { lines: priced, totalYen: priced.reduce((sum, line) => sum + line.subtotalYen, 0) };
}
