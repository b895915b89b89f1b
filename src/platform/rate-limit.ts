import {
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { DatabaseHandle } from '../db/database.js';
import { assertOutsideTransaction } from '../db/unit-of-work.js';
import type { SecretHasher } from './crypto.js';
import { AppError } from './errors.js';

/** Each limit: how many events in how many seconds, and how long to refuse once it is reached. */
export const limitDefinitions = {
  // Login-button failures (university or second password; key failures apart, L-19), read by
  // features/auth/login-lockout.ts against its own ceilings (docs/security/lockout.md).
  /** From one known device (its device cookie), for its own user ID. */
  loginFailuresPerDevice: { points: 10, duration: 15 * 60, blockDuration: 15 * 60 },
  /** For one user ID, from every device without its device cookie. */
  loginFailuresPerUser: { points: 10, duration: 15 * 60, blockDuration: 15 * 60 },
  /** From one address by devices without a device cookie: the ceiling grows with loginAccountsPerIp. */
  loginFailuresPerIp: { points: 1_000_000, duration: 15 * 60, blockDuration: 0 },
  /** Distinct user IDs whose password was right from one address, and the marks that keep them distinct. */
  loginAccountsPerIp: { points: 1_000_000, duration: 60 * 60, blockDuration: 0 },
  loginSuccessPerIpAndUser: { points: 1_000_000, duration: 60 * 60, blockDuration: 0 },
  /** Wrong authentication keys for one account, across every key and reissue (L-8, L-19). */
  keyFailuresPerAccount: { points: 20, duration: 60 * 60, blockDuration: 60 * 60 },
  keyReissuesPerAccount: { points: 10, duration: 60 * 60, blockDuration: 60 * 60 },
  /** Confirmation and reset mails one account or one address can cause. */
  mailsPerAccount: { points: 5, duration: 60 * 60, blockDuration: 60 * 60 },
  resetRequestsPerIp: { points: 20, duration: 15 * 60, blockDuration: 15 * 60 },
  resetMailsPerAddress: { points: 3, duration: 60 * 60, blockDuration: 60 * 60 },
  /** Second-password checks of a logged-in student (change form). */
  passwordChecksPerAccount: { points: 10, duration: 15 * 60, blockDuration: 15 * 60 },
  /** Verifiable Credentials checked on the public verification page (#9 §5): per address, and by everyone. */
  credentialChecksPerIp: { points: 30, duration: 10 * 60, blockDuration: 10 * 60 },
  credentialChecksOverall: { points: 600, duration: 60, blockDuration: 60 },
  /** Checks on the public verification page (C-13): by code and by file, per address and per university. */
  verifyCodesPerIp: { points: 120, duration: 60 * 60, blockDuration: 15 * 60 },
  verifyCodesPerTenant: { points: 600, duration: 10 * 60, blockDuration: 0 },
  verifyFilesPerIp: { points: 60, duration: 60 * 60, blockDuration: 15 * 60 },
  verifyFilesPerTenant: { points: 120, duration: 10 * 60, blockDuration: 0 },
  /** Wrong second factors (TOTP, recovery code, passkey) of one staff member. */
  staffSecondFactorFailures: { points: 10, duration: 15 * 60, blockDuration: 15 * 60 },
} as const;

export type LimitName = keyof typeof limitDefinitions;

function limiterFor(database: DatabaseHandle, name: string, definition: (typeof limitDefinitions)[LimitName]) {
  // The table comes from our migration, so the store must not try to create it.
  const common = {
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: name,
    ...definition,
  };
  return database.dialect === 'sqlite'
    ? new RateLimiterSQLite({ storeClient: database.sqlite, storeType: 'better-sqlite3', ...common })
    : new RateLimiterPostgres({ storeClient: database.pool, storeType: 'pool', ...common });
}

/**
 * Counters live in the database, not in process memory, so every instance sees the same counts.
 * They write on connections of their own, so a call from inside a unit of work is refused.
 */
export class RateLimits {
  private readonly limiters: Record<LimitName, RateLimiterAbstract>;

  /**
   * Keys hold user IDs, mail addresses and network addresses: stored as a digest keyed with the
   * server secret, they can be neither read back from the table nor found by hashing guesses,
   * and always fit its 255-character key column whatever was typed.
   */
  private readonly storedKey: (key: string) => string;

  constructor(database: DatabaseHandle, secrets: SecretHasher) {
    this.storedKey = (key) => secrets.hash('rate-limit-key', key);
    const entries = Object.entries(limitDefinitions).map(([name, definition]) => [
      name,
      limiterFor(database, name, definition),
    ]);
    this.limiters = Object.fromEntries(entries) as Record<LimitName, RateLimiterAbstract>;
  }

  /** Refuses when the limit is already reached; otherwise tells how many events are counted. */
  async assertNotBlocked(name: LimitName, key: string): Promise<number> {
    assertOutsideTransaction('a rate limit');
    const state = await this.limiters[name].get(this.storedKey(key));
    if (state && state.remainingPoints <= 0) throw this.refusal(state);
    return state?.consumedPoints ?? 0;
  }

  /** Counts one event; refuses when this event goes over the limit. */
  async consume(name: LimitName, key: string): Promise<void> {
    assertOutsideTransaction('a rate limit');
    try {
      await this.limiters[name].consume(this.storedKey(key));
    } catch (error) {
      if (error instanceof RateLimiterRes) throw this.refusal(error);
      throw error;
    }
  }

  /** Counts one failure without refusing this request; the next one is refused. Tells the new count. */
  async penalize(name: LimitName, key: string): Promise<number> {
    assertOutsideTransaction('a rate limit');
    return (await this.limiters[name].penalty(this.storedKey(key))).consumedPoints;
  }

  /** The events counted now and the seconds until the count starts over, for ceilings set by the caller. */
  async count(name: LimitName, key: string): Promise<{ count: number; secondsLeft: number }> {
    assertOutsideTransaction('a rate limit');
    const state = await this.limiters[name].get(this.storedKey(key));
    if (!state) return { count: 0, secondsLeft: 0 };
    return { count: state.consumedPoints, secondsLeft: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) };
  }

  async reset(name: LimitName, key: string): Promise<void> {
    assertOutsideTransaction('a rate limit');
    await this.limiters[name].delete(this.storedKey(key));
  }

  private refusal(state: RateLimiterRes): AppError {
    return new AppError('rate_limited', { retryAfterSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) });
  }
}
