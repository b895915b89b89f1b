import { startOfJstDay } from '../../db/jst-day.js';
import type { Violation } from '../../platform/violation.js';
import { isAuditEvent } from './audit-events.js';
import type { AuditFilter } from './audit.model.js';

/** The filter as typed into the console's form (#12 A-6); every field may be empty. */
export interface AuditFilterInput {
  from: string;
  to: string;
  student: string;
  staff: string;
  event: string;
  address: string;
}

export const emptyAuditFilterInput: AuditFilterInput = {
  from: '',
  to: '',
  student: '',
  staff: '',
  event: '',
  address: '',
};

/** What the rules can check alone; the student's account and the staff member are the service's to look up. */
export type ParsedAuditFilter = Omit<AuditFilter, 'student' | 'staffId'> & { userId?: string; staffId?: string };

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/;
const MINUTE = 60_000;

/**
 * A Japan-time date or minute ('2026-11-30', '2026-11-30 09:00', or a datetime-local value) as
 * the half-open range of instants it names; undefined when it is no real date or time.
 */
export function parseJapanTime(typed: string): { start: number; end: number } | undefined {
  const match = TIME.exec(typed.normalize('NFKC').trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match;
  const date = `${year}-${month}-${day}`;
  const midnight = startOfJstDay(date);
  if (Number.isNaN(midnight) || new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10) !== date)
    return undefined;
  if (hour === undefined) return { start: midnight, end: midnight + 86_400_000 };
  if (Number(hour) > 23 || Number(minute) > 59) return undefined;
  const start = midnight + (Number(hour) * 60 + Number(minute)) * MINUTE;
  return { start, end: start + MINUTE };
}

/** A user ID as typed at login: printable, no spaces (the log keeps failures under what was typed). */
const USER_ID = /^[^\s\u0000-\u001f\u007f]{1,100}$/;
/**
 * Hex digits, dots and colons only: an IPv4 or IPv6 address or the start of one. This also keeps
 * LIKE's wildcards out of the prefix search. A trailing '.', ':' or '*' asks for a prefix.
 */
const ADDRESS = /^[0-9a-f.:]{1,45}$/;

export function parseAuditFilter(input: AuditFilterInput): { filter: ParsedAuditFilter; violations: Violation[] } {
  const violations: Violation[] = [];
  const filter: ParsedAuditFilter = {};
  if (input.from) {
    const from = parseJapanTime(input.from);
    if (from) filter.from = from.start;
    else violations.push({ code: 'timeInvalid', path: 'from' });
  }
  if (input.to) {
    const to = parseJapanTime(input.to);
    if (to) filter.to = to.end;
    else violations.push({ code: 'timeInvalid', path: 'to' });
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from)
    violations.push({ code: 'rangeReversed', path: 'to' });
  const student = input.student.normalize('NFKC').trim();
  if (student) {
    if (USER_ID.test(student)) filter.userId = student;
    else violations.push({ code: 'studentInvalid', path: 'student' });
  }
  if (input.staff) filter.staffId = input.staff;
  if (input.event) {
    if (isAuditEvent(input.event)) filter.event = input.event;
    else violations.push({ code: 'eventUnknown', path: 'event' });
  }
  const address = input.address.normalize('NFKC').trim().toLowerCase();
  if (address) {
    const prefix = /[.:*]$/.test(address);
    const value = address.endsWith('*') ? address.slice(0, -1) : address;
    if (ADDRESS.test(value) && /[0-9a-f]/.test(value)) filter.address = { value, prefix };
    else violations.push({ code: 'addressInvalid', path: 'address' });
  }
  return { filter, violations };
}
