/** A logged-in browser, stored under the hash of its random id. */
export interface SessionRecord {
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  /** When the second password was last given in it; null for sessions older than the column. */
  secondPasswordAt: number | null;
}
