import { z } from 'zod';
import type { Violation } from '../../platform/violation.js';

export type EmailAddressRule = 'required' | 'singleByte' | 'noSpaces' | 'invalid' | 'tooLong' | 'mismatch';

const addressSchema = z.email();

/** Lower-cases the domain only: the local part is the mail server's business. */
export function normalizeEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/** The checks the manual's Notes list (§2.1): single-byte characters, no spaces, a real address, both fields the same. */
export function emailAddressViolations(
  address: string,
  check: string,
): { address: EmailAddressRule[]; check: EmailAddressRule[] } {
  const result: { address: EmailAddressRule[]; check: EmailAddressRule[] } = { address: [], check: [] };
  if (address.length === 0) result.address.push('required');
  else if (/[^\x20-\x7e]/.test(address)) result.address.push('singleByte');
  else if (/\s/.test(address)) result.address.push('noSpaces');
  else if (address.length > 254) result.address.push('tooLong');
  else if (!addressSchema.safeParse(address).success) result.address.push('invalid');
  if (check.length === 0) result.check.push('required');
  else if (result.address.length === 0 && check !== address) result.check.push('mismatch');
  return result;
}

/** An address form's two fields as violations: the address at `addressPath`, its copy at `check`. */
export function emailPairViolations(address: string, check: string, addressPath = 'address'): Violation[] {
  const violations = emailAddressViolations(address, check);
  return [
    ...violations.address.map((rule) => ({ code: `email.${rule}`, path: addressPath })),
    ...violations.check.map((rule) => ({ code: `email.${rule}`, path: 'check' })),
  ];
}
