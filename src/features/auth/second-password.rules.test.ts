import { dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it } from 'vitest';
import {
  SECOND_PASSWORD_MAX,
  SECOND_PASSWORD_MIN,
  type SecondPasswordRule,
  blocklistSize,
  secondPasswordRuleViolations,
} from './second-password.rules.js';

/** Satisfies every composition rule and is in no common-password list. */
const GOOD = 'Kq7mZt2x';
const USER = 's2026001';

function violations(candidate: string, userId = USER): SecondPasswordRule[] {
  return secondPasswordRuleViolations(candidate, userId);
}

describe('second-password composition rules (L-5, §2.2)', () => {
  it('L-5 accepts a password that keeps every rule', () => {
    expect(violations(GOOD)).toEqual([]);
    expect(violations('Shomei2026Ok')).toEqual([]);
  });

  it('L-5 an empty password only says it is required', () => {
    expect(violations('')).toEqual(['required']);
  });

  it('L-5 tooShort alone: 7 characters are refused, 8 accepted', () => {
    expect(SECOND_PASSWORD_MIN).toBe(8);
    expect(violations('Kq7mZt2')).toEqual(['tooShort']);
    expect(violations('Kq7mZt2x')).toEqual([]);
    expect(violations('Ab1')).toEqual(['tooShort']);
  });

  it('L-5 tooLong alone: 64 characters are accepted, 65 refused', () => {
    expect(SECOND_PASSWORD_MAX).toBe(64);
    const sixtyFour = GOOD + 'abcdefgh'.repeat(7);
    expect(sixtyFour).toHaveLength(64);
    expect(violations(sixtyFour)).toEqual([]);
    expect(violations(sixtyFour + 'a')).toEqual(['tooLong']);
    expect(violations(GOOD.repeat(50))).toEqual(['tooLong']);
  });

  it('L-5 needsUpper alone', () => {
    expect(violations('kq7mzt2x')).toEqual(['needsUpper']);
  });

  it('L-5 needsLower alone', () => {
    expect(violations('KQ7MZT2X')).toEqual(['needsLower']);
  });

  it('L-5 needsDigit alone', () => {
    expect(violations('KqbmZtax')).toEqual(['needsDigit']);
  });

  it.each([
    ['a full-width letter Ａ', `${GOOD}Ａ`],
    ['a full-width digit １', `${GOOD}１`],
    ['a half-width space', 'Kq7m Zt2x'],
    ['a full-width space', 'Kq7m\u3000Zt2x'],
    ['a tab', 'Kq7m\tZt2x'],
    ['a symbol !', `${GOOD}!`],
    ['a hyphen', 'Kq7m-Zt2x'],
    ['an underscore', 'Kq7m_Zt2x'],
    ['an at sign', 'Kq7m@Zt2x'],
    ['hiragana', `${GOOD}あ`],
    ['katakana', `${GOOD}ア`],
    ['half-width katakana', `${GOOD}ｱ`],
    ['kanji', `${GOOD}証明`],
    ['an accented letter', `${GOOD}é`],
    ['an emoji', `${GOOD}😀`],
  ])('L-5 onlyHalfWidthAlphanumeric alone for %s', (_label, candidate) => {
    expect(violations(candidate)).toEqual(['onlyHalfWidthAlphanumeric']);
  });

  it('L-5 full-width letters and digits do not count as the required A–Z, a–z, 0–9', () => {
    expect(violations('Ａｂｃｄｅｆｇ１')).toEqual([
      'needsUpper',
      'needsLower',
      'needsDigit',
      'onlyHalfWidthAlphanumeric',
    ]);
    expect(violations('Ａq7mzt2x')).toEqual(['needsUpper', 'onlyHalfWidthAlphanumeric']);
  });

  it('L-5 several broken rules are reported together, each once', () => {
    expect(violations('abc')).toEqual(['tooShort', 'needsUpper', 'needsDigit']);
    expect(violations('ｱ')).toEqual([
      'tooShort',
      'needsUpper',
      'needsLower',
      'needsDigit',
      'onlyHalfWidthAlphanumeric',
    ]);
    expect(violations('ABC 1')).toEqual(['tooShort', 'needsLower', 'onlyHalfWidthAlphanumeric']);
    expect(violations(`${'a'.repeat(70)}!`)).toEqual([
      'tooLong',
      'needsUpper',
      'needsDigit',
      'onlyHalfWidthAlphanumeric',
    ]);
    const all = violations('!!!');
    expect(new Set(all).size).toBe(all.length);
  });

  it('L-5 refuses the user ID itself, whatever the case', () => {
    const userId = 'Student2024A';
    expect(violations('Student2024A', userId)).toEqual(['sameAsUserId']);
    expect(violations('sTUDENT2024a', userId)).toEqual(['sameAsUserId']);
    expect(violations('Student2024A', 'student2024a')).toEqual(['sameAsUserId']);
    // Only equality counts: a password that merely contains the ID is the student's choice.
    expect(violations('Student2024Ax', userId)).toEqual([]);
  });

  it('L-5 an empty user ID never makes a password equal to it', () => {
    expect(violations(GOOD, '')).toEqual([]);
  });

  it('L-5 the blocklist holds at least the 3,000 most common passwords', () => {
    expect(blocklistSize()).toBeGreaterThanOrEqual(3000);
  });

  it('L-5 refuses well-known common passwords, whatever the case', () => {
    for (const common of ['Password1', 'Qwerty123', 'Password123', 'PassWord1', 'pASSWORD1']) {
      expect(violations(common), common).toEqual(['tooCommon']);
    }
  });

  it('L-5 refuses every entry of the top 3,000 that would otherwise pass the composition rules', () => {
    const top = (dictionary['passwords-common'] as string[]).slice(0, 3000);
    const candidates = top
      .filter((word) => /^[A-Za-z0-9]{8,64}$/.test(word) && /[A-Za-z]/.test(word) && /[0-9]/.test(word))
      .map((word) => {
        // Capitalise the first letter and lower the rest, so upper and lower case are both present.
        const lower = word.toLowerCase();
        const first = lower.search(/[a-z]/);
        return lower.slice(0, first) + lower.charAt(first).toUpperCase() + lower.slice(first + 1);
      })
      .filter((word) => /[a-z]/.test(word));
    expect(candidates.length).toBeGreaterThan(20);
    const accepted = candidates.filter((word) => !violations(word, 'nobody').includes('tooCommon'));
    expect(accepted).toEqual([]);
  });

  it('L-5 never truncates: the whole input is checked, not a prefix', () => {
    // A common password with more after it is a different password.
    expect(violations('Password1Zq')).toEqual([]);
    // The only capital letter sits at the 64th character: found, so the whole string was read.
    const upperLast = `${'a1'.repeat(31)}bZ`;
    expect(upperLast).toHaveLength(64);
    expect(violations(upperLast)).toEqual([]);
    // A bad character at the 65th position is still seen, next to the length.
    const badAt65 = `${GOOD}${'a'.repeat(56)}!`;
    expect(badAt65).toHaveLength(65);
    expect(violations(badAt65)).toEqual(['tooLong', 'onlyHalfWidthAlphanumeric']);
    // A 64-character prefix that would be fine does not make a longer password fine.
    expect(violations(`${GOOD.repeat(8)}x`)).toEqual(['tooLong']);
  });
});
