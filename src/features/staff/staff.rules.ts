import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';
import type { Violation } from '../../platform/violation.js';
import { isStaffRole } from './staff.model.js';

/** NIST SP 800-63B for an account that reaches every student's data: long, not common, no composition rules. */
export const STAFF_PASSWORD_MIN = 12;
export const STAFF_PASSWORD_MAX = 256;
const NAME_MAX = 100;

let blocklist: Set<string> | undefined;

/** zxcvbn-ts' whole common list: only its long entries matter, shorter ones fail the length anyway. */
function commonPasswords(): Set<string> {
  blocklist ??= new Set(
    (dictionary['passwords-common'] as string[])
      .filter((word) => word.length >= STAFF_PASSWORD_MIN)
      .map((word) => word.toLowerCase()),
  );
  return blocklist;
}

/** Staff mail addresses are the university's own, compared without case. */
export function normalizeStaffEmail(address: string): string {
  return address.trim().toLowerCase();
}

export function normalizeStaffNumber(typed: string): string {
  return typed.trim();
}

/** The enrolment form: name, password and its repetition. */
export function enrolmentViolations(
  input: { name: string; password: string; confirm: string },
  member: { email: string; staffNumber: string | null },
): Violation[] {
  const violations: Violation[] = [];
  if (!input.name.trim()) violations.push({ code: 'staff.nameRequired', path: 'name' });
  else if (input.name.length > NAME_MAX)
    violations.push({ code: 'staff.nameTooLong', path: 'name', params: { max: NAME_MAX } });
  violations.push(...passwordViolations(input, member));
  return violations;
}

/** A staff password and its repetition: long, not the login, not a common one (no composition rules). */
export function passwordViolations(
  input: { password: string; confirm: string },
  member: { email: string; staffNumber: string | null },
): Violation[] {
  const violations: Violation[] = [];
  const { password } = input;
  const lower = password.toLowerCase();
  if (!password) violations.push({ code: 'staffPassword.required', path: 'password' });
  else if (password.length < STAFF_PASSWORD_MIN)
    violations.push({ code: 'staffPassword.tooShort', path: 'password', params: { min: STAFF_PASSWORD_MIN } });
  else if (password.length > STAFF_PASSWORD_MAX)
    violations.push({ code: 'staffPassword.tooLong', path: 'password', params: { max: STAFF_PASSWORD_MAX } });
  else if (
    lower === member.email ||
    lower === member.email.split('@')[0] ||
    lower === member.staffNumber?.toLowerCase()
  )
    violations.push({ code: 'staffPassword.sameAsLogin', path: 'password' });
  else if (commonPasswords().has(lower)) violations.push({ code: 'staffPassword.tooCommon', path: 'password' });
  if (password && violations.every((violation) => violation.path !== 'password') && input.confirm !== password)
    violations.push({ code: 'staffPassword.mismatch', path: 'confirm' });
  return violations;
}

const emailSchema = z.email();

/** An invitation: a mail address, a name, the staff ID if the university uses one, a role. */
export function invitationViolations(input: {
  email: string;
  name: string;
  staffNumber: string;
  role: string;
}): Violation[] {
  const violations: Violation[] = [];
  const email = normalizeStaffEmail(input.email);
  if (!email) violations.push({ code: 'staff.emailRequired', path: 'email' });
  else if (email.length > 254 || /[^\x21-\x7e]/.test(email) || !emailSchema.safeParse(email).success)
    violations.push({ code: 'staff.emailInvalid', path: 'email' });
  if (input.name.length > NAME_MAX)
    violations.push({ code: 'staff.nameTooLong', path: 'name', params: { max: NAME_MAX } });
  const staffNumber = normalizeStaffNumber(input.staffNumber);
  if (staffNumber && !/^[A-Za-z0-9._-]{1,40}$/.test(staffNumber))
    violations.push({ code: 'staff.staffNumberInvalid', path: 'staffNumber' });
  if (!isStaffRole(input.role)) violations.push({ code: 'staff.roleInvalid', path: 'role' });
  return violations;
}
