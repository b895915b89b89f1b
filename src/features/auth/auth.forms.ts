import type { FieldError } from '../../platform/views/components.js';

/**
 * How each student form shows the auth services' violations: which field holds each path, and
 * the message of each code (all under `validation.` in the locales).
 */
const message = (code: string) => `validation.${code}`;

export const mailAddressForm = { message };

export const newSecondPasswordForm = { fields: { candidate: 'secondPassword' }, message };

export const changeSecondPasswordForm = {
  fields: { old: 'oldSecondPassword', candidate: 'newSecondPassword' },
  message,
};

/**
 * What a new-second-password form shows again after an error (#10 §1): the pair only when the
 * server refused neither — the check repeats the candidate, and a mismatch cannot be told apart
 * in masked fields — so a wrong old password (change) costs the student nothing else.
 */
export function keptNewSecondPassword(
  typed: { candidate: string; check: string },
  errors: FieldError[],
  fields: { candidate: string; check: string },
): { candidate: string; check: string } {
  const refused = errors.some((error) => error.field === fields.candidate || error.field === fields.check);
  return refused ? { candidate: '', check: '' } : typed;
}
