import { isoDateOfDayNumber, jstDayNumberOf, startOfJstDay } from '../../db/jst-day.js';
import type { Infrastructure } from '../../infrastructure.js';
import { todayInJapan } from '../../platform/clock.js';
import type { Lang } from '../../platform/i18n.js';
import type { Violation } from '../../platform/violation.js';

/** The longest range one page adds up: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Japan-time days, both ends included. */
export interface StatisticsRange {
  from: string;
  to: string;
  /** Every day of the range, in order: the per-day series line up with it. */
  days: string[];
}

export interface Count<K extends string = string> {
  key: K;
  count: number;
}

export interface StatisticsReport {
  range: StatisticsRange;
  today: string;
  issuedPerDay: number[];
  issuedByType: Count[];
  issuedByDestination: Count[];
  /** Orders placed in the range, by the state they are in now. */
  ordersByState: Count[];
  loginSuccessPerDay: number[];
  loginFailurePerDay: number[];
  mailFailuresPerDay: number[];
  /** The university's names of its certificate types, for the labels. */
  typeNames: Record<string, Record<Lang, string>>;
}

type TenantRef = { id: string };

function dayNumber(isoDate: string): number {
  return jstDayNumberOf(startOfJstDay(isoDate));
}

function realDate(typed: string): string | undefined {
  const value = typed.normalize('NFKC').trim();
  if (!DATE.test(value)) return undefined;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value ? value : undefined;
}

/** Sums to one number per day of the range, 0 where nothing happened. */
function perDay(range: StatisticsRange, rows: Array<{ day: number; count: number }>): number[] {
  const first = dayNumber(range.from);
  const series = new Array<number>(range.days.length).fill(0);
  for (const row of rows) {
    const index = row.day - first;
    if (index >= 0 && index < series.length) series[index]! += row.count;
  }
  return series;
}

function totals(entries: Array<[string, number]>): Count[] {
  const sums = new Map<string, number>();
  for (const [key, count] of entries) sums.set(key, (sums.get(key) ?? 0) + count);
  return [...sums]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/**
 * The console's statistics (#12 A-7): certificates issued per day, type and destination, orders by
 * state, student logins and mail given up on, for a range of Japan-time days of one university.
 */
export class StatisticsService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow' | 'clock'>) {}

  /** The typed range, or the last 30 days up to today (Japan time) when nothing was typed. */
  resolveRange(input: {
    from: string;
    to: string;
  }): { status: 'ok'; range: StatisticsRange } | { status: 'invalid'; violations: Violation[] } {
    const today = todayInJapan(this.deps.clock.now());
    const violations: Violation[] = [];
    const to = input.to ? realDate(input.to) : today;
    if (!to) violations.push({ code: 'dateInvalid', path: 'to' });
    const from = input.from ? realDate(input.from) : to && isoDateOfDayNumber(dayNumber(to) - (DEFAULT_RANGE_DAYS - 1));
    if (!from) violations.push({ code: 'dateInvalid', path: 'from' });
    if (!from || !to) return { status: 'invalid', violations };
    const length = dayNumber(to) - dayNumber(from) + 1;
    if (length < 1) return { status: 'invalid', violations: [{ code: 'rangeReversed', path: 'to' }] };
    if (length > MAX_RANGE_DAYS)
      return {
        status: 'invalid',
        violations: [{ code: 'rangeTooLong', path: 'from', params: { max: MAX_RANGE_DAYS } }],
      };
    const first = dayNumber(from);
    return {
      status: 'ok',
      range: { from, to, days: Array.from({ length }, (_, i) => isoDateOfDayNumber(first + i)) },
    };
  }

  async report(tenant: TenantRef, range: StatisticsRange): Promise<StatisticsReport> {
    const { repos } = this.deps.uow;
    const instants = { from: startOfJstDay(range.from), to: startOfJstDay(range.to) + 86_400_000 };
    const [issued, orders, logins, mail, catalogue] = await Promise.all([
      repos.statistics.certificatesIssued(tenant.id, instants),
      repos.statistics.ordersByState(tenant.id, instants),
      repos.auditLog.countByDay(tenant.id, ['login.success', 'login.failure'], instants),
      repos.statistics.mailFailures(tenant.id, instants),
      repos.catalogue.list(tenant.id),
    ]);
    return {
      range,
      today: todayInJapan(this.deps.clock.now()),
      issuedPerDay: perDay(range, issued),
      issuedByType: totals(issued.map((row) => [row.type, row.count])),
      issuedByDestination: totals(issued.map((row) => [row.destination, row.count])),
      ordersByState: totals(orders.map((row) => [row.state, row.count])),
      loginSuccessPerDay: perDay(
        range,
        logins.filter((row) => row.event === 'login.success'),
      ),
      loginFailurePerDay: perDay(
        range,
        logins.filter((row) => row.event === 'login.failure'),
      ),
      mailFailuresPerDay: perDay(range, mail),
      typeNames: Object.fromEntries(catalogue.map((item) => [item.type, item.name])),
    };
  }
}
