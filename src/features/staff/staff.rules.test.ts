import { describe, expect, it } from 'vitest';
import { enrolmentViolations, invitationViolations } from './staff.rules.js';

const member = { email: 'hanako.sato@tu.example.ac.jp', staffNumber: 'E0001' };
const codes = (password: string, confirm = password, name = 'Hanako') =>
  enrolmentViolations({ name, password, confirm }, member).map((violation) => violation.code);

describe('staff password rules (#12 A-1: length and a blocklist, no composition rules)', () => {
  it('#12 A-1 a long passphrase of lower-case words is enough; no digit or capital is asked for', () => {
    expect(codes('correct horse battery staple')).toEqual([]);
  });

  it('#12 A-1 shorter than 12, on the common list, or the login itself is refused', () => {
    expect(codes('Aa1!Aa1!Aa1')).toEqual(['staffPassword.tooShort']);
    expect(codes('password1234')).toEqual(['staffPassword.tooCommon']);
    expect(codes('Hanako.Sato@tu.example.ac.jp')).toEqual(['staffPassword.sameAsLogin']);
    expect(codes('hanako.sato')).toEqual(['staffPassword.tooShort']);
    expect(codes('x'.repeat(257))).toEqual(['staffPassword.tooLong']);
  });

  it('#12 A-1 the repetition must match; the name is asked for', () => {
    expect(codes('correct horse battery staple', 'correct horse battery stapler')).toEqual(['staffPassword.mismatch']);
    expect(codes('correct horse battery staple', 'correct horse battery staple', ' ')).toEqual(['staff.nameRequired']);
  });
});

describe('staff invitation rules (#12 A-1)', () => {
  it('#12 A-1 a mail address, a known role, and a staff ID without spaces', () => {
    expect(
      invitationViolations({ email: 'Reg@TU.example.ac.jp', name: '', staffNumber: 'R-01', role: 'registrar' }),
    ).toEqual([]);
    expect(
      invitationViolations({ email: 'not an address', name: '', staffNumber: 'R 01', role: 'dean' }).map((v) => v.code),
    ).toEqual(['staff.emailInvalid', 'staff.staffNumberInvalid', 'staff.roleInvalid']);
  });
});
