import type { Violation } from '../../platform/violation.js';

/**
 * The registrar's order forms (#12 A-5, C-4), pure. Paths: `tracking`, `receipt`, `refundNote`,
 * `from`, `to`.
 */

const JAPAN_OFFSET_MS = 9 * 3_600_000;

/** Full-width digits and the dashes a Japanese keyboard types, as ASCII. */
function asciiDigitsAndHyphens(typed: string): string {
  return typed
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212\u30fc\uff70]/g, '-')
    .replace(/\s+/g, '');
}

/**
 * A Japan Post tracking number: 11 to 13 digits, hyphens allowed between groups (as printed on
 * the receipt, 1234-5678-9012). Kept as typed, tidied, so the student sees what the slip says.
 */
export function trackingNumberOf(typed: string): { value: string } | { violation: Violation } {
  const value = asciiDigitsAndHyphens(typed);
  if (value === '') return { violation: { code: 'orders.tracking.required', path: 'tracking' } };
  const digits = value.replace(/-/g, '');
  if (!/^\d+(-\d+)*$/.test(value) || digits.length < 11 || digits.length > 13)
    return { violation: { code: 'orders.tracking.invalid', path: 'tracking' } };
  return { value };
}

/** The cashier's receipt number: required, letters, digits and hyphens, at most 40 characters. */
export function receiptNumberOf(typed: string): { value: string } | { violation: Violation } {
  const value = asciiDigitsAndHyphens(typed).toUpperCase();
  if (value === '') return { violation: { code: 'orders.receipt.required', path: 'receipt' } };
  if (!/^[A-Z0-9][A-Z0-9-]{0,39}$/.test(value))
    return { violation: { code: 'orders.receipt.invalid', path: 'receipt' } };
  return { value };
}

/** The refund note the student reads on their order page: required, one short paragraph. */
export function refundNoteOf(typed: string): { value: string } | { violation: Violation } {
  const value = typed.replace(/\s+/g, ' ').trim();
  if (value === '') return { violation: { code: 'orders.refundNote.required', path: 'refundNote' } };
  if ([...value].length > 500) return { violation: { code: 'orders.refundNote.tooLong', path: 'refundNote' } };
  return { value };
}

/**
 * A date range typed as YYYY-MM-DD (Japan's calendar days), as epoch ms bounds: from the start of
 * `from` to the end of `to`. Empty ends are open; a malformed or reversed range is a violation.
 */
export function placedRangeOf(
  from: string,
  to: string,
): { placedFrom?: number; placedBefore?: number; violations: Violation[] } {
  const violations: Violation[] = [];
  const start = japanDayStart(from.trim());
  const end = japanDayStart(to.trim());
  if (start === null) violations.push({ code: 'orders.search.dateInvalid', path: 'from' });
  if (end === null) violations.push({ code: 'orders.search.dateInvalid', path: 'to' });
  if (start === null || end === null) return { violations };
  if (start !== undefined && end !== undefined && end < start)
    return { violations: [{ code: 'orders.search.rangeReversed', path: 'to' }] };
  return {
    ...(start !== undefined && { placedFrom: start }),
    ...(end !== undefined && { placedBefore: end + 86_400_000 }),
    violations,
  };
}

/** Undefined for an empty field, null for one that is not a date. */
function japanDayStart(typed: string): number | undefined | null {
  if (typed === '') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asciiDigitsAndHyphens(typed));
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, day);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return utc - JAPAN_OFFSET_MS;
}
