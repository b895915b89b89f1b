import { type RawBuilder, sql } from 'kysely';

const DAY_MS = 86_400_000;
/** Japan keeps no daylight saving time, so its days are fixed nine-hour shifts of UTC's. */
const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * The Japan-time day of an epoch-ms column as a whole number of days since 1970-01-01 (JST), in
 * integer arithmetic both SQLite and PostgreSQL share: statistics group by day in the database
 * without time-zone functions of either dialect.
 */
export function jstDayNumber(column: string): RawBuilder<number | string> {
  return sql<number | string>`(${sql.ref(column)} + ${sql.lit(JST_OFFSET_MS)}) / ${sql.lit(DAY_MS)}`;
}

/** The day number of an instant, as `jstDayNumber` computes it in SQL. */
export function jstDayNumberOf(ms: number): number {
  return Math.floor((ms + JST_OFFSET_MS) / DAY_MS);
}

/** 'YYYY-MM-DD' of a day number. */
export function isoDateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The instant a Japan-time day ('YYYY-MM-DD', checked by the caller) begins. */
export function startOfJstDay(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) - JST_OFFSET_MS;
}
