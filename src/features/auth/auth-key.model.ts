/** An emailed authentication key of one login attempt (L-7): only its keyed hash is kept. */
export interface AuthKey {
  id: string;
  flowId: string;
  accountId: string;
  keyHash: string;
  issuedAt: number;
  expiresAt: number;
  failedAttempts: number;
  usedAt: number | null;
}
