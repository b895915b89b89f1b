import type { ActorKind } from '../../platform/actor.js';

/** Every security event the issue and SPEC A-6 name; the list is closed so reports can rely on it. */
export type AuditEvent =
  | 'login.success'
  | 'login.failure'
  | 'login.locked'
  | 'key.sent'
  | 'key.failure'
  | 'key.invalidated'
  | 'key.success'
  | 'email.registration_requested'
  | 'email.registered'
  | 'email.change_requested'
  | 'email.changed'
  | 'second_password.set'
  | 'second_password.changed'
  | 'second_password.change_failure'
  | 'second_password.reauth_failure'
  | 'second_password.reset_requested'
  | 'second_password.reset'
  | 'two_factor.enabled'
  | 'two_factor.disabled'
  | 'trusted_browser.added'
  | 'trusted_browser.revoked'
  | 'session.logout'
  | 'order.placed'
  | 'order.cancelled'
  | 'order.advanced'
  | 'order.paid'
  | 'order.voided'
  | 'order.released'
  | 'order.refund_noted'
  | 'certificate.revoked'
  | 'tenant.settings_changed'
  | 'tenant.enabled'
  | 'tenant.disabled'
  | 'roster.disabled'
  | 'catalogue.set'
  | 'records.imported'
  | 'terminal.created'
  | 'terminal.rotated'
  | 'terminal.disabled'
  | 'signing_key.imported'
  | 'staff.invited'
  | 'staff.password_set'
  | 'staff.enrolled'
  | 'staff.passkey_added'
  | 'staff.login_success'
  | 'staff.login_failure'
  | 'staff.login_locked'
  | 'staff.second_factor_failure'
  | 'staff.recovery_code_used'
  | 'staff.reauthenticated'
  | 'staff.role_changed'
  | 'staff.disabled'
  | 'staff.logout'
  | 'support.registration_resent'
  | 'support.registration_cleared'
  | 'support.trusted_browsers_cleared'
  | 'support.unlocked'
  | 'support.second_password_reset_required'
  | 'support.sessions_ended'
  | 'support.mail_resent'
  | 'audit.exported'
  | 'staff.totp_added'
  | 'staff.totp_removed'
  | 'staff.passkey_removed'
  | 'staff.recovery_codes_regenerated'
  | 'staff.password_changed'
  | 'staff.password_change_failure';

export interface AuditEntry {
  event: AuditEvent;
  accountId?: string | null;
  staffId?: string | null;
  actorKind?: ActorKind | null;
  subject?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  at: number;
}

/** What the console's log is narrowed to (#12 A-6); every part optional, all parts together. */
export interface AuditFilter {
  /** Inclusive, epoch ms. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
  /** A student: entries about or by their account, and those naming the user ID as typed (failures). */
  student?: { accountId: string | null; userId: string };
  staffId?: string;
  event?: AuditEvent;
  /** An address as the server saw it; `prefix` for a network (`192.0.2.` or `2001:db8:`). */
  address?: { value: string; prefix: boolean };
}

/** Where a page of the log starts: after this entry, newest first. */
export interface AuditCursor {
  at: number;
  id: string;
}

/** An entry as the console shows it: with the student's user ID and the staff member's name. */
export interface AuditLogEntry extends AuditRecord {
  id: string;
  userId: string | null;
  staffName: string | null;
  staffNumber: string | null;
}
