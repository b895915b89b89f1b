import type { Lang } from '../../platform/i18n.js';

/** A student's account with Shomei: what the university's directory does not hold. */
export interface Account {
  tenantId: string;
  id: string;
  userId: string;
  email: string | null;
  emailVerified: boolean;
  secondPasswordHash: string | null;
  twoFactorEnabled: boolean;
  lang: Lang;
}

/** The logged-in student of a request: the session (only its hash) and its account. */
export interface CurrentSession {
  idHash: string;
  account: Account;
  /** When the second password was last given in this session (#8 re-authentication). */
  secondPasswordAt: number | null;
}
