import { describe, expect, it } from 'vitest';
import { emailAddressViolations, normalizeEmail } from './email-address.rules.js';

const OK = 'taro.yamada@example.ac.jp';

describe('mail address rules (L-3, L-9, L-11, §2.1 Notes)', () => {
  it.each([OK, 'taro+cert@example.ac.jp', 'Taro_Yamada-1@mail.example.com', 'a1@ezweb.ne.jp'])(
    'L-3 accepts a well-formed single-byte address %s when Check matches',
    (address) => {
      expect(emailAddressViolations(address, address)).toEqual({ address: [], check: [] });
    },
  );

  it('L-3 both fields empty: each is required', () => {
    expect(emailAddressViolations('', '')).toEqual({ address: ['required'], check: ['required'] });
  });

  it('L-3 an empty Check is required even when the address is fine', () => {
    expect(emailAddressViolations(OK, '')).toEqual({ address: [], check: ['required'] });
  });

  it('L-3 an empty address with a filled Check reports only the address', () => {
    expect(emailAddressViolations('', OK)).toEqual({ address: ['required'], check: [] });
  });

  it.each([
    ['full-width letters', 'ｔａｒｏ@example.ac.jp'],
    ['a full-width at sign', 'taro＠example.ac.jp'],
    ['kanji in the domain', 'taro@例え.jp'],
    ['hiragana', 'たろう@example.ac.jp'],
    ['an accented letter', 'josé@example.com'],
  ])('L-3 singleByte: refuses %s', (_label, address) => {
    expect(emailAddressViolations(address, address)).toEqual({ address: ['singleByte'], check: [] });
  });

  it.each([
    ['inside', 'taro @example.ac.jp'],
    ['leading', ' taro@example.ac.jp'],
    ['trailing', 'taro@example.ac.jp '],
    ['in the domain', 'taro@example .ac.jp'],
  ])('L-3 noSpaces: refuses a half-width space %s', (_label, address) => {
    expect(emailAddressViolations(address, address)).toEqual({ address: ['noSpaces'], check: [] });
  });

  it.each([
    ['a full-width space', 'taro\u3000@example.ac.jp'],
    ['a tab', 'taro\t@example.ac.jp'],
    ['a newline', 'taro@example.ac.jp\n'],
  ])('L-3 refuses %s with one message about single-byte characters or spaces', (_label, address) => {
    const result = emailAddressViolations(address, address);
    expect(result.address).toHaveLength(1);
    expect(['singleByte', 'noSpaces']).toContain(result.address[0]);
  });

  it('L-3 tooLong: more than 254 characters is refused, 254 is not refused for its length', () => {
    const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.example.jp`;
    const at254 = `${'a'.repeat(254 - domain.length - 1)}@${domain}`;
    expect(at254).toHaveLength(254);
    expect(emailAddressViolations(at254, at254).address).not.toContain('tooLong');
    const at255 = `a${at254}`;
    expect(emailAddressViolations(at255, at255)).toEqual({ address: ['tooLong'], check: [] });
  });

  it.each([
    'taro',
    'taro@',
    '@example.ac.jp',
    'taro@@example.ac.jp',
    'taro@example',
    'taro@example..jp',
    'taro@-example.jp',
    '.taro@example.jp',
    'taro"@example.jp',
    'taro@example.jp>',
    '<taro@example.jp>',
    'Taro<taro@example.jp>',
  ])('L-3 invalid: refuses %s', (address) => {
    expect(emailAddressViolations(address, address)).toEqual({ address: ['invalid'], check: [] });
  });

  it('L-3 mismatch: Check must be exactly the same address', () => {
    expect(emailAddressViolations(OK, 'taro.yamada@example.ac.j')).toEqual({ address: [], check: ['mismatch'] });
    expect(emailAddressViolations(OK, `${OK} `)).toEqual({ address: [], check: ['mismatch'] });
    expect(emailAddressViolations(OK, 'hanako@example.ac.jp')).toEqual({ address: [], check: ['mismatch'] });
    // The local part may be case-sensitive at the receiving server: a case difference is a difference.
    expect(emailAddressViolations(OK, 'Taro.Yamada@example.ac.jp')).toEqual({ address: [], check: ['mismatch'] });
  });

  it('L-3 an address that is already wrong is not also reported as a mismatch', () => {
    expect(emailAddressViolations('taro', 'other')).toEqual({ address: ['invalid'], check: [] });
    expect(emailAddressViolations('ｔａｒｏ@example.jp', 'x@example.jp')).toEqual({
      address: ['singleByte'],
      check: [],
    });
  });

  it('L-3 each field gets at most one message', () => {
    for (const address of ['', 'ｔ ａ', ' @ ', 'a'.repeat(300), 'x y@z']) {
      const result = emailAddressViolations(address, 'zzz');
      expect(result.address.length).toBeLessThanOrEqual(1);
      expect(result.check.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('normalizeEmail (L-3, L-11)', () => {
  it('L-11 lower-cases the domain only, keeping the local part as typed', () => {
    expect(normalizeEmail('Taro.Yamada@Example.AC.JP')).toBe('Taro.Yamada@example.ac.jp');
    expect(normalizeEmail('taro@example.ac.jp')).toBe('taro@example.ac.jp');
  });

  it('L-11 uses the last at sign as the boundary', () => {
    expect(normalizeEmail('"A@B"@EXAMPLE.JP')).toBe('"A@B"@example.jp');
  });

  it('L-11 leaves a string without an at sign alone', () => {
    expect(normalizeEmail('NoAtSign')).toBe('NoAtSign');
    expect(normalizeEmail('')).toBe('');
  });

  it('L-11 is idempotent', () => {
    const once = normalizeEmail('Taro@Example.JP');
    expect(normalizeEmail(once)).toBe(once);
  });
});
