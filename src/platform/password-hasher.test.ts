import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { PasswordHasher } from './password-hasher.js';

const ARGON2ID_OWASP = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

describe('PasswordHasher (L-2, ARCHITECTURE "Secrets": argon2id off the event loop, bounded)', () => {
  const hasher = new PasswordHasher({ concurrency: 2, queueLimit: 100 });

  it('L-2 hashes with argon2id at the OWASP minimum, parameters visible in the hash', async () => {
    const hash = await hasher.hash('Univ-Pass-1001');
    expect(hash).toMatch(ARGON2ID_OWASP);
    expect(hash).not.toContain('Univ-Pass-1001');
  });

  it('L-2 the same password hashes differently each time (salted)', async () => {
    const [one, two] = await Promise.all([hasher.hash('same'), hasher.hash('same')]);
    expect(one).not.toBe(two);
  });

  it('L-2 verify: the right password matches, a wrong one does not', async () => {
    const hash = await hasher.hash('Kq7mZt2x');
    expect(await hasher.verify(hash, 'Kq7mZt2x')).toBe(true);
    expect(await hasher.verify(hash, 'kq7mZt2x')).toBe(false);
    expect(await hasher.verify(hash, 'Kq7mZt2x ')).toBe(false);
    expect(await hasher.verify(hash, '')).toBe(false);
  });

  it('L-2 verify answers false, not an exception, for a broken stored hash', async () => {
    expect(await hasher.verify('not-a-hash', 'x')).toBe(false);
    expect(await hasher.verify('', 'x')).toBe(false);
  });

  it('Q-1 verifyDummy is always false, even for the dummy password itself', async () => {
    expect(await hasher.verifyDummy('anything')).toBe(false);
    expect(await hasher.verifyDummy('shomei-dummy-password')).toBe(false);
  });

  it('Q-1 verifyDummy spends about the time of a real verify (no user enumeration by timing)', async () => {
    const hash = await hasher.hash('Univ-Pass-1001');
    await hasher.verifyDummy('warm-up');
    const time = async (work: () => Promise<unknown>) => {
      const start = performance.now();
      for (let i = 0; i < 3; i++) await work();
      return performance.now() - start;
    };
    const real = await time(() => hasher.verify(hash, 'wrong'));
    const dummy = await time(() => hasher.verifyDummy('wrong'));
    expect(dummy).toBeGreaterThan(real * 0.3);
    expect(dummy).toBeLessThan(real * 3.5);
  });

  it('Q-1 with concurrency 1 and queue limit 2, of 10 hashes at once 3 run and 7 get 503 overloaded', async () => {
    const small = new PasswordHasher({ concurrency: 1, queueLimit: 2 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => small.hash(`password-${i}`)));
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    // One running plus two waiting are accepted: the first three asked.
    expect(results.slice(0, 3).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const result of refused) {
      const error = result.reason as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('overloaded');
      expect(error.status).toBe(503);
      expect(error.options.retryAfterSeconds).toBeGreaterThan(0);
    }
    for (const [i, result] of results.slice(0, 3).entries()) {
      const hash = (result as PromiseFulfilledResult<string>).value;
      expect(hash).toMatch(ARGON2ID_OWASP);
      expect(await small.verify(hash, `password-${i}`)).toBe(true);
    }
  });

  it('Q-1 verify is bounded by the same queue, and the queue frees up when the burst is over', async () => {
    const small = new PasswordHasher({ concurrency: 1, queueLimit: 1 });
    const hash = await small.hash('x');
    const burst = await Promise.allSettled(Array.from({ length: 5 }, () => small.verify(hash, 'x')));
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(burst.filter((r) => r.status === 'rejected')).toHaveLength(3);
    expect(small.pending).toBe(0);
    expect(await small.verify(hash, 'x')).toBe(true);
  });

  it('Q-1 pending counts the running and the waiting hashes', async () => {
    const small = new PasswordHasher({ concurrency: 1, queueLimit: 5 });
    const work = [small.hash('a'), small.hash('b'), small.hash('c')];
    expect(small.pending).toBe(3);
    await Promise.all(work);
    expect(small.pending).toBe(0);
  });

  it('Q-1 a queue limit of 0 still lets the hashes that can run at once run', async () => {
    const none = new PasswordHasher({ concurrency: 2, queueLimit: 0 });
    const results = await Promise.allSettled([none.hash('a'), none.hash('b'), none.hash('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });
});
