/** A browser the student chose to trust, so no key is asked there until it expires (L-19). */
export interface TrustedBrowser {
  id: string;
  accountId: string;
  userAgent: string;
  ip: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
}
