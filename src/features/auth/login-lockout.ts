import { type LimitName, type RateLimits, limitDefinitions } from '../../platform/rate-limit.js';

/** One try at the Login button, as the lockout counts it. */
export interface LoginAttempt {
  /** Tenant and user ID as typed, normalized: the same user however it was written. */
  userKey: string;
  /** Tenant and network address. */
  addressKey: string;
  /** Set when the browser carries a device cookie issued for this user (known-device.ts). */
  deviceId: string | undefined;
  /** Staff unlocks of this user ID so far (#12 A-2): each one starts the user's counters over. */
  generation?: number;
}

export type LockScope = 'device' | 'user' | 'ip';

/**
 * Failures one address may have from unknown devices in 15 minutes: a base, plus an allowance
 * for each user ID whose password was right from that address in the last hour. A campus NAT
 * full of real students earns room for their typos; an address that only guesses does not.
 */
export const addressCeiling = { base: 50, perAccount: 5 } as const;

/** The user ID as every counter and unlock knows it: one student however the ID was typed. */
export function lockoutUserId(normalizedUserId: string): string {
  return normalizedUserId.toLowerCase();
}

export function userKeyOf(tenantId: string, normalizedUserId: string): string {
  return `${tenantId}:${lockoutUserId(normalizedUserId)}`;
}

/**
 * The key of the user's own counters (per user, per known device). A device's counter is keyed by
 * a device id that nobody stores, so staff cannot delete it; a new generation leaves it behind.
 */
export function countedUserKey(attempt: Pick<LoginAttempt, 'userKey' | 'generation'>): string {
  return attempt.generation ? `${attempt.userKey}#${attempt.generation}` : attempt.userKey;
}

interface Counter {
  scope: LockScope;
  name: LimitName;
  key: string;
  ceiling: number;
}

/**
 * Password lockout that a stranger cannot turn against the owner (OWASP "device cookies",
 * docs/security/lockout.md). A known device has its own counter for its own user and meets no
 * other; unknown devices share a counter per user ID and one per address.
 */
export class LoginLockout {
  constructor(private readonly limits: RateLimits) {}

  /** Seconds until this attempt may be made; 0 when it may be made now. */
  async waitSeconds(attempt: LoginAttempt): Promise<number> {
    let wait = 0;
    for (const counter of await this.counters(attempt)) {
      const { count, secondsLeft } = await this.limits.count(counter.name, counter.key);
      if (count >= counter.ceiling) wait = Math.max(wait, secondsLeft);
    }
    return wait;
  }

  /** Counts a wrong password; tells which counters it brought to their ceiling (for the audit log). */
  async failed(attempt: LoginAttempt): Promise<LockScope[]> {
    const locked: LockScope[] = [];
    for (const counter of await this.counters(attempt)) {
      if ((await this.limits.penalize(counter.name, counter.key)) >= counter.ceiling) locked.push(counter.scope);
    }
    return locked;
  }

  /** The password was right: this attempt's counter starts over, and the address earns room. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    const { limits } = this;
    if (attempt.deviceId) await limits.reset('loginFailuresPerDevice', deviceKey(attempt));
    else if ((await limits.count('loginFailuresPerUser', countedUserKey(attempt))).count > 0)
      await limits.reset('loginFailuresPerUser', countedUserKey(attempt));
    const mark = `${attempt.addressKey}/${attempt.userKey}`;
    if ((await limits.penalize('loginSuccessPerIpAndUser', mark)) === 1)
      await limits.penalize('loginAccountsPerIp', attempt.addressKey);
  }

  private async counters(attempt: LoginAttempt): Promise<Counter[]> {
    if (attempt.deviceId)
      return [
        {
          scope: 'device',
          name: 'loginFailuresPerDevice',
          key: deviceKey(attempt),
          ceiling: limitDefinitions.loginFailuresPerDevice.points,
        },
      ];
    const accounts = (await this.limits.count('loginAccountsPerIp', attempt.addressKey)).count;
    return [
      {
        scope: 'user',
        name: 'loginFailuresPerUser',
        key: countedUserKey(attempt),
        ceiling: limitDefinitions.loginFailuresPerUser.points,
      },
      {
        scope: 'ip',
        name: 'loginFailuresPerIp',
        key: attempt.addressKey,
        ceiling: addressCeiling.base + addressCeiling.perAccount * accounts,
      },
    ];
  }
}

function deviceKey(attempt: LoginAttempt): string {
  return `${countedUserKey(attempt)}:${attempt.deviceId}`;
}
