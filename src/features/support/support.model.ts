import type { AuditRecord } from '../audit/audit.model.js';
import type { MailTrouble } from '../mail/outbox.model.js';
import type { Order } from '../orders/order.model.js';
import type { StudentIdentity, StudentMatch } from './student-search.repository.js';

export type SearchResult = { status: 'empty' } | { status: 'found'; students: StudentMatch[]; more: boolean };

/** Violation codes are `support.<rule>`; their messages are under `support.validation.`. */
export const supportForm = {
  fields: { confirm: 'confirm' },
  message: (code: string) => `support.validation.${code.replace(/^support\./, '')}`,
};

/** The registrar's actions on a student (#12 A-2), each named in the path of its form. */
export const supportActions = [
  'resend-registration',
  'clear-registration',
  'clear-browsers',
  'unlock',
  'second-password-reset',
  'end-sessions',
] as const;
export type SupportAction = (typeof supportActions)[number];

export function isSupportAction(value: string): value is SupportAction {
  return (supportActions as readonly string[]).includes(value);
}

/** One counter of the lockout: how many failures it holds of how many, and until when it refuses. */
export interface LockCounter {
  failures: number;
  ceiling: number;
  lockedUntil: number | null;
}

/** A student's account as staff may see it: dates and states, never a secret. */
export interface SupportAccount {
  id: string;
  email: string | null;
  emailVerifiedAt: number | null;
  /** The address a registration link was last mailed to, while the address is not confirmed. */
  pendingEmail: { address: string; sentAt: number; expired: boolean } | null;
  secondPasswordSetAt: number | null;
  secondPasswordSet: boolean;
  twoFactor: 'on' | 'off' | 'mandatory';
  createdAt: number;
}

/** A mail the student did not get, and whether staff can send it again now. */
export interface SupportMail extends MailTrouble {
  /** Why it cannot be re-sent from the console, when it cannot. */
  resend: 'ok' | 'retrying' | 'notResendable' | 'noAddress' | 'addressUnchanged' | 'noLongerNeeded';
}

export interface StudentSupportView {
  identity: StudentIdentity;
  /** Null until the student's first login. */
  account: SupportAccount | null;
  trustedBrowsers: { count: number; lastUsedAt: number | null };
  sessions: number;
  lock: {
    /** Failures of the university or second password from browsers the student has not used. */
    user: LockCounter;
    /** Wrong mailed keys, across every key of the last hour. */
    keys: LockCounter | null;
    /** The latest lockout of a browser the student had used, while it lasts (from the audit log). */
    deviceLockedUntil: number | null;
    unlockedAt: number | null;
  };
  events: AuditRecord[];
  orders: Order[];
  mail: SupportMail[];
}
