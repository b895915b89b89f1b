/** A mail in the outbox, written in the transaction that caused it and sent after commit. */
export interface OutgoingMail {
  id: string;
  tenantId: string;
  event: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface StoredMail extends OutgoingMail {
  createdAt: number;
  attempts: number;
  sentAt: number | null;
  lastError: string | null;
}
