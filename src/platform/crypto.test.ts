import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SecretHasher,
  constantTimeEqual,
  newId,
  randomBase64url,
  randomDigits,
  randomToken,
  sha256,
} from './crypto.js';

const KEY = 'test-secret-key-that-is-long-enough-0123456789';

describe('randomToken (Q-1: one-time URLs ≥128 bits)', () => {
  it('Q-1 the default token carries 256 random bits in URL-safe characters', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).toHaveLength(43);
    const bits = Buffer.from(token, 'base64url').length * 8;
    expect(bits).toBeGreaterThanOrEqual(128);
    expect(bits).toBe(256);
  });

  it('Q-1 a 16-byte token is exactly 128 bits, 22 URL-safe characters', () => {
    const token = randomToken(16);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(16);
  });

  it('#11 pooled random bytes: every size, across refills of the pool, never handed out twice', () => {
    const sizes = [1, 18, 32, 4095, 4096, 5000];
    for (const size of sizes) expect(Buffer.from(randomBase64url(size), 'base64url')).toHaveLength(size);
    // 600 × 18 bytes spans three refills of the 4 KB pool; a repeated slice would repeat a secret.
    const drawn = Array.from({ length: 600 }, () => randomBase64url(18));
    expect(new Set(drawn).size).toBe(drawn.length);
  });

  it('Q-1 tokens do not repeat and use the whole alphabet', () => {
    const tokens = Array.from({ length: 2000 }, () => randomToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    const chars = new Set(tokens.join(''));
    // 64 symbols in base64url; 86,000 draws miss none of them unless the source is broken.
    expect(chars.size).toBe(64);
  });

  it('Q-1 tokens need no escaping in a URL', () => {
    const token = randomToken();
    expect(encodeURIComponent(token)).toBe(token);
  });
});

describe('randomDigits (L-7: the mailed authentication key)', () => {
  it.each([6, 8, 10])('L-7 gives %i digits and nothing else', (length) => {
    for (let i = 0; i < 200; i++) {
      const digits = randomDigits(length);
      expect(digits).toHaveLength(length);
      expect(digits).toMatch(/^[0-9]+$/);
    }
  });

  it('L-7 zero length gives an empty string', () => {
    expect(randomDigits(0)).toBe('');
  });

  it('L-7 every digit turns up in every position, leading zeros included', () => {
    const keys = Array.from({ length: 3000 }, () => randomDigits(6));
    for (let position = 0; position < 6; position++) {
      const seen = new Set(keys.map((key) => key[position]));
      expect(seen.size, `position ${position}`).toBe(10);
    }
    // Each digit is about 10 % of all; a biased source (e.g. modulo of a byte) would show.
    const counts = new Map<string, number>();
    for (const ch of keys.join('')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    for (const [, count] of counts) {
      expect(count / (keys.length * 6)).toBeGreaterThan(0.085);
      expect(count / (keys.length * 6)).toBeLessThan(0.115);
    }
  });

  it('L-7 keys vary', () => {
    const keys = new Set(Array.from({ length: 500 }, () => randomDigits(6)));
    expect(keys.size).toBeGreaterThan(480);
  });
});

describe('SecretHasher (ARCHITECTURE "Secrets": stored only as HMAC)', () => {
  const hasher = new SecretHasher(KEY);

  it('Q-1 is HMAC-SHA256 over purpose, a separator and the value, as hex', () => {
    const expected = createHmac('sha256', KEY).update('link\0secret-token').digest('hex');
    expect(hasher.hash('link', 'secret-token')).toBe(expected);
    expect(hasher.hash('link', 'secret-token')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('Q-1 is deterministic for the same key, purpose and value', () => {
    expect(hasher.hash('authKey', '123456')).toBe(new SecretHasher(KEY).hash('authKey', '123456'));
  });

  it('Q-1 is keyed: another server key gives another hash, and a plain hash is not it', () => {
    const other = new SecretHasher(`${KEY}-other`);
    expect(other.hash('authKey', '123456')).not.toBe(hasher.hash('authKey', '123456'));
    expect(hasher.hash('authKey', '123456')).not.toBe(sha256('123456'));
    expect(hasher.hash('authKey', '123456')).not.toBe(createHash('sha256').update('authKey\u0000123456').digest('hex'));
  });

  it('Q-1 is purpose-separated: the same value under another purpose hashes differently', () => {
    expect(hasher.hash('session', 'value')).not.toBe(hasher.hash('trustedBrowser', 'value'));
    // The separator keeps purpose and value from sliding into each other.
    expect(hasher.hash('ab', 'c')).not.toBe(hasher.hash('a', 'bc'));
  });

  it('Q-1 matches accepts exactly the right value, purpose and key', () => {
    const stored = hasher.hash('link', 'token-1');
    expect(hasher.matches('link', 'token-1', stored)).toBe(true);
    expect(hasher.matches('link', 'token-2', stored)).toBe(false);
    expect(hasher.matches('session', 'token-1', stored)).toBe(false);
    expect(new SecretHasher(`${KEY}x`).matches('link', 'token-1', stored)).toBe(false);
  });

  it('Q-1 matches answers false, without throwing, for a malformed stored hash', () => {
    const stored = hasher.hash('link', 'token-1');
    expect(hasher.matches('link', 'token-1', '')).toBe(false);
    expect(hasher.matches('link', 'token-1', stored.slice(0, 63))).toBe(false);
    expect(hasher.matches('link', 'token-1', `${stored}0`)).toBe(false);
    expect(hasher.matches('link', 'token-1', stored.toUpperCase())).toBe(false);
    expect(hasher.matches('link', 'token-1', 'é'.repeat(32))).toBe(false);
  });
});

describe('constantTimeEqual', () => {
  it('Q-1 compares whole strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
    expect(constantTimeEqual('認証', '認証')).toBe(true);
  });
});

describe('sha256 and newId', () => {
  it('#2 sha256 is the standard digest in hex', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('#2 newId is a random UUID', () => {
    const ids = Array.from({ length: 100 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(100);
  });
});
