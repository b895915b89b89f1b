/** A value sealed with the server key (SecretBox): a copy of the database alone does not read it. */
export type Sealed = string & { readonly sealedWithServerKey: unique symbol };

/** Keys and one-time links go before everything else and have a lane of their own. */
export type MailPriority = 'urgent' | 'bulk';

/** A mail in the outbox, written in the transaction that caused it and sent after commit. */
export interface OutgoingMail {
  id: string;
  tenantId: string;
  event: string;
  to: string;
  priority: MailPriority;
  subject: Sealed;
  text: Sealed;
  html: Sealed;
}

/** A mail a worker holds the lease on. */
export interface ClaimedMail extends OutgoingMail {
  createdAt: number;
  attempts: number;
}

export interface StoredMail extends ClaimedMail {
  sentAt: number | null;
  failedAt: number | null;
  lastError: string | null;
}

/** A mail that will never be sent, for the staff console: who it was for and why it failed. */
export interface FailedMail {
  id: string;
  event: string;
  to: string;
  createdAt: number;
  failedAt: number;
  attempts: number;
  reason: string;
}

/** Mail a student did not get (#12 A-2): given up (`failedAt`), or refused and waiting for a retry. */
export interface MailTrouble {
  id: string;
  event: string;
  to: string;
  createdAt: number;
  failedAt: number | null;
  attempts: number;
  reason: string;
}

/** How many mails of one priority are in one state, and when the oldest of them was queued. */
export interface OutboxBacklog {
  priority: MailPriority;
  state: 'queued' | 'sending' | 'failed';
  count: number;
  /** Only for mail still to be sent. */
  oldestCreatedAt: number | null;
}
