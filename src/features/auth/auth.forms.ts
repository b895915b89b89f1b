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
