import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MIN_LENGTH } from '../../platform/password-hasher.js';

export const SECOND_PASSWORD_MIN = PASSWORD_MIN_LENGTH;
/** Long enough for a passphrase-like choice; longer input is refused, never cut (L-5). */
export const SECOND_PASSWORD_MAX = 64;
const BLOCKLIST_SIZE = 10_000;

export type SecondPasswordRule =
  | 'required'
  | 'tooShort'
  | 'tooLong'
  | 'needsUpper'
  | 'needsLower'
  | 'needsDigit'
  | 'onlyHalfWidthAlphanumeric'
  | 'sameAsUserId'
  | 'tooCommon';

let blocklist: Set<string> | undefined;

/** The most common passwords (ranked list shipped by zxcvbn-ts), compared without case. */
function commonPasswords(): Set<string> {
  blocklist ??= new Set(
    (dictionary['passwords-common'] as string[]).slice(0, BLOCKLIST_SIZE).map((word) => word.toLowerCase()),
  );
  return blocklist;
}

/**
 * The manuals' composition rules (§2.2) plus a blocklist. Every broken rule is reported, so the
 * student can fix them all at once. Equality with the university password needs the directory
 * and is checked by the service.
 */
export function secondPasswordRuleViolations(candidate: string, userId: string): SecondPasswordRule[] {
  if (candidate.length === 0) return ['required'];
  const violations: SecondPasswordRule[] = [];
  if (candidate.length < SECOND_PASSWORD_MIN) violations.push('tooShort');
  if (candidate.length > SECOND_PASSWORD_MAX) violations.push('tooLong');
  if (!/[A-Z]/.test(candidate)) violations.push('needsUpper');
  if (!/[a-z]/.test(candidate)) violations.push('needsLower');
  if (!/[0-9]/.test(candidate)) violations.push('needsDigit');
  if (/[^A-Za-z0-9]/.test(candidate)) violations.push('onlyHalfWidthAlphanumeric');
  if (violations.length === 0) {
    if (userId && candidate.toLowerCase() === userId.toLowerCase()) violations.push('sameAsUserId');
    else if (commonPasswords().has(candidate.toLowerCase())) violations.push('tooCommon');
  }
  return violations;
}

export function blocklistSize(): number {
  return commonPasswords().size;
}
