/** Times are stored as UTC epoch milliseconds: portable across SQLite and PostgreSQL and compared as numbers. */
export type EpochMs = number;
/** Booleans are stored as 0/1 for portability. */
export type Flag = 0 | 1;
