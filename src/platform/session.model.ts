/** A logged-in browser, stored under the hash of its random id. */
export interface SessionRecord {
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}
