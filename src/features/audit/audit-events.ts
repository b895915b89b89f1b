import type { AuditEvent } from './audit.model.js';

export const auditEventGroups = ['student', 'orders', 'university', 'staff'] as const;
export type AuditEventGroup = (typeof auditEventGroups)[number];

/**
 * Every event of the closed list with the group the console's filter shows it under (#12 A-6).
 * A Record over the union: an event added to audit.model.ts without a place here fails the
 * type check, so the filter can never miss one (its names: audit.events.* in both locales).
 */
const groupOf: Record<AuditEvent, AuditEventGroup> = {
  'login.success': 'student',
  'login.failure': 'student',
  'login.locked': 'student',
  'key.sent': 'student',
  'key.failure': 'student',
  'key.invalidated': 'student',
  'key.success': 'student',
  'email.registration_requested': 'student',
  'email.registered': 'student',
  'email.change_requested': 'student',
  'email.changed': 'student',
  'second_password.set': 'student',
  'second_password.changed': 'student',
  'second_password.change_failure': 'student',
  'second_password.reauth_failure': 'student',
  'second_password.reset_requested': 'student',
  'second_password.reset': 'student',
  'two_factor.enabled': 'student',
  'two_factor.disabled': 'student',
  'trusted_browser.added': 'student',
  'trusted_browser.revoked': 'student',
  'session.logout': 'student',
  'order.placed': 'orders',
  'order.cancelled': 'orders',
  'order.advanced': 'orders',
  'order.paid': 'orders',
  'order.voided': 'orders',
  'order.released': 'orders',
  'certificate.revoked': 'orders',
  'tenant.settings_changed': 'university',
  'tenant.enabled': 'university',
  'tenant.disabled': 'university',
  'roster.disabled': 'university',
  'catalogue.set': 'university',
  'terminal.created': 'university',
  'terminal.rotated': 'university',
  'terminal.disabled': 'university',
  'signing_key.imported': 'university',
  'staff.invited': 'staff',
  'staff.password_set': 'staff',
  'staff.enrolled': 'staff',
  'staff.passkey_added': 'staff',
  'staff.login_success': 'staff',
  'staff.login_failure': 'staff',
  'staff.login_locked': 'staff',
  'staff.second_factor_failure': 'staff',
  'staff.recovery_code_used': 'staff',
  'staff.reauthenticated': 'staff',
  'staff.role_changed': 'staff',
  'staff.disabled': 'staff',
  'staff.logout': 'staff',
  'audit.exported': 'staff',
  'order.refund_noted': 'orders',
  'records.imported': 'university',
  'support.registration_resent': 'student',
  'support.registration_cleared': 'student',
  'support.trusted_browsers_cleared': 'student',
  'support.unlocked': 'student',
  'support.second_password_reset_required': 'student',
  'support.sessions_ended': 'student',
  'support.mail_resent': 'student',
  'staff.totp_added': 'staff',
  'staff.totp_removed': 'staff',
  'staff.passkey_removed': 'staff',
  'staff.recovery_codes_regenerated': 'staff',
  'staff.password_changed': 'staff',
  'staff.password_change_failure': 'staff',
};

export const auditEvents = Object.keys(groupOf) as AuditEvent[];

export function isAuditEvent(value: string): value is AuditEvent {
  return Object.hasOwn(groupOf, value);
}

export function auditEventsOf(group: AuditEventGroup): AuditEvent[] {
  return auditEvents.filter((event) => groupOf[event] === group);
}

/** The locale key of an event's readable name. */
export function auditEventName(event: string): string {
  return `audit.events.${event}`;
}
