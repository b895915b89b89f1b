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
  | 'certificate.revoked'
  | 'tenant.settings_changed'
  | 'tenant.enabled'
  | 'tenant.disabled'
  | 'roster.disabled'
  | 'catalogue.set'
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
  | 'staff.totp_added'
  | 'staff.totp_removed'
  | 'staff.passkey_removed'
  | 'staff.recovery_codes_regenerated'
  | 'staff.password_changed'
  | 'staff.password_change_failure';

export interface AuditEntry {
  event: AuditEvent;
  accountId?: string | null;
  subject?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  at: number;
}
