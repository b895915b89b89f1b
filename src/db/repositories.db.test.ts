import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tenantsAandB } from '../../test/factories/tenant.js';
import { type TestDatabase, freshDatabase } from '../../test/helpers/database.js';
import type { Account } from '../features/auth/account.model.js';
import type { AuthKey } from '../features/auth/auth-key.model.js';
import type { TrustedBrowser } from '../features/auth/trusted-browser.model.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import type { Flow } from '../flows/flow.model.js';
import type { Sealed } from '../features/mail/outbox.model.js';
import { newId } from '../platform/crypto.js';
import type { DatabaseHandle } from './database.js';
import type { Repositories } from './repositories.js';
import { UnitOfWork } from './unit-of-work.js';
import { operatorActor } from '../platform/actor.js';
import { ManualClock } from '../platform/clock.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

let database: DatabaseHandle;
let testDatabase: TestDatabase;
let uow: UnitOfWork;
let repos: Repositories;
let a: Tenant;
let b: Tenant;

beforeEach(async () => {
  testDatabase = await freshDatabase();
  database = testDatabase.handle;
  uow = new UnitOfWork(database.db, new ManualClock(T0));
  repos = uow.repos;
  ({ a, b } = await tenantsAandB(repos.tenants, T0));
});

afterEach(async () => {
  await testDatabase.drop();
});

async function account(tenantId: string, userId = 'u1001'): Promise<Account> {
  return repos.accounts.findOrCreate(tenantId, newId(), userId, { twoFactorEnabled: true, lang: 'ja' }, T0);
}

async function keyFlow(tenantId: string, accountId: string): Promise<Flow<unknown>> {
  const flow: Flow<unknown> = {
    tenantId,
    id: newId(),
    kind: 'email_key',
    state: 'awaiting_key',
    subjectId: accountId,
    issuedAt: T0,
    expiresAt: T0 + 30 * MINUTE,
    context: {},
  };
  await repos.flows.insert(flow);
  return flow;
}

async function key(
  tenantId: string,
  flowId: string,
  accountId: string,
  overrides: Partial<AuthKey> = {},
): Promise<AuthKey> {
  const authKey: AuthKey = {
    id: newId(),
    flowId,
    accountId,
    keyHash: `hash-${newId()}`,
    issuedAt: T0,
    expiresAt: T0 + 10 * MINUTE,
    failedAttempts: 0,
    usedAt: null,
    ...overrides,
  };
  await repos.keys.insert(tenantId, authKey);
  return authKey;
}

describe('AccountRepository', () => {
  it("#2 an account of tenant A is not readable with tenant B's id", async () => {
    const acc = await account(a.id);
    await repos.accounts.setVerifiedEmail(a.id, acc.id, 'taro@example.ac.jp', T0);
    expect(await repos.accounts.findById(a.id, acc.id)).toMatchObject({ tenantId: a.id, userId: 'u1001' });
    expect(await repos.accounts.findById(b.id, acc.id)).toBeUndefined();
    expect(await repos.accounts.findByUserId(b.id, 'u1001')).toBeUndefined();
    expect(await repos.accounts.findByVerifiedEmail(b.id, 'taro@example.ac.jp')).toEqual([]);
    expect(await repos.accounts.findByVerifiedEmail(a.id, 'taro@example.ac.jp')).toHaveLength(1);
  });

  it("#2 an account of tenant A is not changeable with tenant B's id", async () => {
    const acc = await account(a.id);
    const before = await repos.accounts.findById(a.id, acc.id);
    await repos.accounts.setVerifiedEmail(b.id, acc.id, 'evil@example.com', T0 + 1);
    await repos.accounts.setSecondPassword(b.id, acc.id, 'evil-hash', T0 + 1);
    expect(await repos.accounts.setFirstSecondPassword(b.id, acc.id, 'evil-hash', T0 + 1)).toBe(false);
    await repos.accounts.setTwoFactor(b.id, acc.id, false, T0 + 1);
    await repos.accounts.setLang(b.id, acc.id, 'en');
    expect(await repos.accounts.findById(a.id, acc.id)).toEqual(before);
  });

  it('#2 the same user ID in two tenants is two accounts', async () => {
    const inA = await account(a.id, 'u1001');
    const inB = await account(b.id, 'u1001');
    expect(inB.id).not.toBe(inA.id);
    expect(inB.tenantId).toBe(b.id);
    await repos.accounts.setVerifiedEmail(b.id, inB.id, 'b@example.jp', T0);
    expect((await repos.accounts.findById(a.id, inA.id))?.email).toBeNull();
  });

  it('L-3 findOrCreate: a racing twin finds the account already made', async () => {
    const [first, second] = await Promise.all([account(a.id, 'u2000'), account(a.id, 'u2000')]);
    expect(second).toEqual(first);
  });

  it('L-4 setFirstSecondPassword: of two tabs one wins', async () => {
    const acc = await account(a.id);
    expect(await repos.accounts.setFirstSecondPassword(a.id, acc.id, 'first', T0)).toBe(true);
    expect(await repos.accounts.setFirstSecondPassword(a.id, acc.id, 'second', T0)).toBe(false);
    expect((await repos.accounts.findById(a.id, acc.id))?.secondPasswordHash).toBe('first');
  });

  it('L-11 findByVerifiedEmail lists only verified accounts of the tenant, by user ID', async () => {
    const second = await account(a.id, 'u2');
    const first = await account(a.id, 'u1');
    const unverified = await account(a.id, 'u3');
    await repos.accounts.setVerifiedEmail(a.id, second.id, 'shared@example.jp', T0);
    await repos.accounts.setVerifiedEmail(a.id, first.id, 'shared@example.jp', T0);
    await database.db
      .updateTable('accounts')
      .set({ email: 'shared@example.jp' })
      .where('id', '=', unverified.id)
      .execute();
    const found = await repos.accounts.findByVerifiedEmail(a.id, 'shared@example.jp');
    expect(found.map((acc) => acc.userId)).toEqual(['u1', 'u2']);
  });
});

describe('AuthKeyRepository', () => {
  let acc: Account;
  let flow: Flow<unknown>;
  beforeEach(async () => {
    acc = await account(a.id);
    flow = await keyFlow(a.id, acc.id);
  });

  it("#2 a key of tenant A is not readable with tenant B's id", async () => {
    const k = await key(a.id, flow.id, acc.id);
    expect(await repos.keys.findCurrent(a.id, flow.id)).toEqual(k);
    expect(await repos.keys.findCurrent(b.id, flow.id)).toBeUndefined();
  });

  it("#2 a key of tenant A cannot be failed, consumed or superseded with tenant B's id", async () => {
    const k = await key(a.id, flow.id, acc.id);
    expect(await repos.keys.recordFailure(b.id, k.id, 5)).toBeUndefined();
    expect(await repos.keys.consume(b.id, k.id, 5, T0 + MINUTE)).toBe(false);
    expect(await repos.keys.supersedeCurrent(b.id, flow.id, T0 + DAY, T0 + DAY)).toBeUndefined();
    expect(await repos.keys.findCurrent(a.id, flow.id)).toEqual(k);
    expect(await repos.keys.consume(a.id, k.id, 5, T0 + MINUTE)).toBe(true);
  });

  it('L-8 recordFailure counts up to the limit and never past it', async () => {
    const k = await key(a.id, flow.id, acc.id);
    expect(await repos.keys.recordFailure(a.id, k.id, 3)).toBe(1);
    expect(await repos.keys.recordFailure(a.id, k.id, 3)).toBe(2);
    expect(await repos.keys.recordFailure(a.id, k.id, 3)).toBe(3);
    expect(await repos.keys.recordFailure(a.id, k.id, 3)).toBeUndefined();
    expect(await repos.keys.recordFailure(a.id, k.id, 3)).toBeUndefined();
    expect((await repos.keys.findCurrent(a.id, flow.id))?.failedAttempts).toBe(3);
  });

  it('L-8 racing wrong entries never push the count past the limit', async () => {
    const k = await key(a.id, flow.id, acc.id);
    const results = await Promise.all(Array.from({ length: 12 }, () => repos.keys.recordFailure(a.id, k.id, 5)));
    expect(results.filter((r) => r !== undefined).sort()).toEqual([1, 2, 3, 4, 5]);
    expect((await repos.keys.findCurrent(a.id, flow.id))?.failedAttempts).toBe(5);
  });

  it('L-8 a key that reached the limit cannot be consumed; one below it can', async () => {
    const k = await key(a.id, flow.id, acc.id);
    for (let i = 0; i < 4; i++) await repos.keys.recordFailure(a.id, k.id, 5);
    const atLimit = await key(a.id, (await keyFlow(a.id, acc.id)).id, acc.id, { failedAttempts: 5 });
    expect(await repos.keys.consume(a.id, atLimit.id, 5, T0 + MINUTE)).toBe(false);
    expect(await repos.keys.consume(a.id, k.id, 5, T0 + MINUTE)).toBe(true);
  });

  it('L-7 Q-1 consume works once only, also when racing', async () => {
    const k = await key(a.id, flow.id, acc.id);
    const results = await Promise.all(Array.from({ length: 5 }, () => repos.keys.consume(a.id, k.id, 5, T0 + MINUTE)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await repos.keys.consume(a.id, k.id, 5, T0 + MINUTE)).toBe(false);
    expect((await repos.keys.findCurrent(a.id, flow.id))?.usedAt).toBe(T0 + MINUTE);
  });

  it('L-7 a used key takes no more failures', async () => {
    const k = await key(a.id, flow.id, acc.id);
    expect(await repos.keys.consume(a.id, k.id, 5, T0 + MINUTE)).toBe(true);
    expect(await repos.keys.recordFailure(a.id, k.id, 5)).toBeUndefined();
  });

  it('L-7 an expired key cannot be consumed (the end itself is already too late)', async () => {
    const k = await key(a.id, flow.id, acc.id, { expiresAt: T0 + 10 * MINUTE });
    expect(await repos.keys.consume(a.id, k.id, 5, T0 + 10 * MINUTE)).toBe(false);
    expect(await repos.keys.consume(a.id, k.id, 5, T0 + 10 * MINUTE - 1)).toBe(true);
  });

  it('L-19 supersedeCurrent respects the cooldown cut-off', async () => {
    const cooldown = 60 * SECOND;
    const k = await key(a.id, flow.id, acc.id, { issuedAt: T0 });
    let now = T0 + cooldown - 1;
    expect(await repos.keys.supersedeCurrent(a.id, flow.id, now - cooldown, now)).toBeUndefined();
    expect(await repos.keys.findCurrent(a.id, flow.id)).toEqual(k);
    now = T0 + cooldown;
    expect(await repos.keys.supersedeCurrent(a.id, flow.id, now - cooldown, now)).toEqual(k);
    expect(await repos.keys.findCurrent(a.id, flow.id)).toBeUndefined();
  });

  it('L-19 of two racing reissues one retires the key; the superseded key cannot be used', async () => {
    const k = await key(a.id, flow.id, acc.id, { failedAttempts: 2 });
    const now = T0 + 2 * MINUTE;
    const results = await Promise.all([
      repos.keys.supersedeCurrent(a.id, flow.id, now - MINUTE, now),
      repos.keys.supersedeCurrent(a.id, flow.id, now - MINUTE, now),
    ]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    // The retired key carries its wrong-entry count to the caller (L-19: a reissue does not reset it).
    expect(results.find((r) => r !== undefined)?.failedAttempts).toBe(2);
    expect(await repos.keys.consume(a.id, k.id, 5, now)).toBe(false);
  });

  it('L-19 a used key is not superseded', async () => {
    const k = await key(a.id, flow.id, acc.id);
    expect(await repos.keys.consume(a.id, k.id, 5, T0 + SECOND)).toBe(true);
    expect(await repos.keys.supersedeCurrent(a.id, flow.id, T0 + DAY, T0 + DAY)).toBeUndefined();
  });

  it('L-19 after a reissue the new key is the current one', async () => {
    await key(a.id, flow.id, acc.id);
    const now = T0 + 2 * MINUTE;
    await repos.keys.supersedeCurrent(a.id, flow.id, now - MINUTE, now);
    const next = await key(a.id, flow.id, acc.id, { issuedAt: now, expiresAt: now + 10 * MINUTE });
    expect(await repos.keys.findCurrent(a.id, flow.id)).toEqual(next);
  });
});

describe('SessionRepository', () => {
  let acc: Account;
  const session = () => ({
    accountId: acc.id,
    createdAt: T0,
    lastSeenAt: T0,
    idleExpiresAt: T0 + 30 * MINUTE,
    absoluteExpiresAt: T0 + 8 * 60 * MINUTE,
    secondPasswordAt: T0,
    ip: '192.0.2.1',
    userAgent: 'Test',
  });
  beforeEach(async () => {
    acc = await account(a.id);
  });

  it("#2 a session of tenant A is not readable with tenant B's id", async () => {
    await repos.sessions.insert(a.id, 'sid-hash', session());
    expect(await repos.accounts.findByLiveSession(a.id, 'sid-hash', T0 + MINUTE)).toMatchObject({
      account: { id: acc.id },
    });
    expect(await repos.accounts.findByLiveSession(b.id, 'sid-hash', T0 + MINUTE)).toBeUndefined();
  });

  it("#2 a session of tenant A is not touched or deleted with tenant B's id", async () => {
    await repos.sessions.insert(a.id, 'sid-hash', session());
    await repos.sessions.touch(b.id, 'sid-hash', T0 + MINUTE, T0 + 999 * MINUTE);
    await repos.sessions.delete(b.id, 'sid-hash');
    await repos.sessions.deleteAllForAccount(b.id, acc.id);
    expect(await repos.accounts.findByLiveSession(a.id, 'sid-hash', T0 + MINUTE)).toMatchObject({
      account: { id: acc.id },
      lastSeenAt: T0,
      secondPasswordAt: T0,
    });
    // B's touch did not stretch A's session: it still ends 30 minutes after T0.
    expect(await repos.accounts.findByLiveSession(a.id, 'sid-hash', T0 + 30 * MINUTE)).toBeUndefined();
  });

  it('Q-1 #11 a live session and its account come in one read; past its idle or absolute end it is not live', async () => {
    await repos.sessions.insert(a.id, 'sid-hash', session());
    expect(await repos.accounts.findByLiveSession(a.id, 'sid-hash', T0 + MINUTE)).toEqual({
      account: await repos.accounts.findById(a.id, acc.id),
      lastSeenAt: T0,
      secondPasswordAt: T0,
    });
    expect(await repos.accounts.findByLiveSession(b.id, 'sid-hash', T0 + MINUTE)).toBeUndefined();
    expect(await repos.accounts.findByLiveSession(a.id, 'other-hash', T0 + MINUTE)).toBeUndefined();
    expect(await repos.accounts.findByLiveSession(a.id, 'sid-hash', T0 + 30 * MINUTE)).toBeUndefined();
    await repos.sessions.touch(a.id, 'sid-hash', T0 + 29 * MINUTE, T0 + 10 * 60 * MINUTE);
    expect(await repos.accounts.findByLiveSession(a.id, 'sid-hash', T0 + 31 * MINUTE)).toMatchObject({
      lastSeenAt: T0 + 29 * MINUTE,
    });
    expect(await repos.accounts.findByLiveSession(a.id, 'sid-hash', T0 + 8 * 60 * MINUTE)).toBeUndefined();
  });

  it('L-10 deleteAllForAccount keeps the one session it is told to keep', async () => {
    await repos.sessions.insert(a.id, 'keep', session());
    await repos.sessions.insert(a.id, 'drop', session());
    await repos.sessions.deleteAllForAccount(a.id, acc.id, 'keep');
    expect(await repos.accounts.findByLiveSession(a.id, 'keep', T0)).toBeDefined();
    expect(await repos.accounts.findByLiveSession(a.id, 'drop', T0)).toBeUndefined();
  });
});

describe('TrustedBrowserRepository', () => {
  let acc: Account;
  let browser: TrustedBrowser;
  beforeEach(async () => {
    acc = await account(a.id);
    browser = {
      id: newId(),
      accountId: acc.id,
      userAgent: 'Mozilla/5.0 Firefox',
      ip: '192.0.2.1',
      createdAt: T0,
      lastUsedAt: T0,
      expiresAt: T0 + 30 * DAY,
    };
    await repos.trustedBrowsers.insert(a.id, browser, 'cookie-hash');
  });

  it("#2 a trusted browser of tenant A is not readable or usable with tenant B's id", async () => {
    expect(await repos.trustedBrowsers.listActive(b.id, acc.id, T0)).toEqual([]);
    expect(await repos.trustedBrowsers.touchIfTrusted(b.id, acc.id, 'cookie-hash', T0 + 1)).toBe(false);
    expect(await repos.trustedBrowsers.listActive(a.id, acc.id, T0)).toEqual([browser]);
  });

  it("#2 a trusted browser of tenant A cannot be revoked with tenant B's id", async () => {
    expect(await repos.trustedBrowsers.revoke(b.id, acc.id, browser.id, T0 + 1)).toBe(false);
    expect(await repos.trustedBrowsers.revokeAll(b.id, acc.id, T0 + 1)).toBe(0);
    expect(await repos.trustedBrowsers.touchIfTrusted(a.id, acc.id, 'cookie-hash', T0 + 1)).toBe(true);
  });

  it('L-7 trust is bound to the account and ends with its period', async () => {
    const other = await account(a.id, 'u9999');
    expect(await repos.trustedBrowsers.touchIfTrusted(a.id, other.id, 'cookie-hash', T0 + 1)).toBe(false);
    expect(await repos.trustedBrowsers.touchIfTrusted(a.id, acc.id, 'cookie-hash', T0 + 30 * DAY)).toBe(false);
    expect(await repos.trustedBrowsers.listActive(a.id, acc.id, T0 + 30 * DAY)).toEqual([]);
  });

  it('#13 housekeeping deletes browsers a week after they expired or were revoked, and keeps the rest', async () => {
    const revoked = { ...browser, id: newId() };
    const expiredLately = { ...browser, id: newId(), expiresAt: T0 + 40 * DAY };
    await repos.trustedBrowsers.insert(a.id, revoked, 'revoked-hash');
    const inB = await account(b.id);
    await repos.trustedBrowsers.insert(b.id, { ...browser, id: newId(), accountId: inB.id }, 'other-tenant-hash');
    await repos.trustedBrowsers.insert(a.id, expiredLately, 'late-hash');
    await repos.trustedBrowsers.revoke(a.id, acc.id, revoked.id, T0 + DAY);
    // Now T0 + 41 days: `browser` (and B's) expired 11 days ago, `revoked` 40 days ago, `expiredLately` 1 day ago.
    expect(await repos.trustedBrowsers.deleteEndedBefore(T0 + 34 * DAY)).toBe(3);
    const left = await database.db.selectFrom('trusted_browsers').select('id').execute();
    expect(left.map((row) => row.id)).toEqual([expiredLately.id]);
  });

  it('L-19 revoke removes one browser once; revokeAll the rest', async () => {
    const second = { ...browser, id: newId(), createdAt: T0 + 1 };
    const third = { ...browser, id: newId(), createdAt: T0 + 2 };
    await repos.trustedBrowsers.insert(a.id, second, 'second-hash');
    await repos.trustedBrowsers.insert(a.id, third, 'third-hash');
    expect((await repos.trustedBrowsers.listActive(a.id, acc.id, T0 + 5)).map((x) => x.id)).toEqual([
      third.id,
      second.id,
      browser.id,
    ]);
    expect(await repos.trustedBrowsers.revoke(a.id, acc.id, browser.id, T0 + 5)).toBe(true);
    expect(await repos.trustedBrowsers.revoke(a.id, acc.id, browser.id, T0 + 5)).toBe(false);
    expect(await repos.trustedBrowsers.touchIfTrusted(a.id, acc.id, 'cookie-hash', T0 + 6)).toBe(false);
    expect(await repos.trustedBrowsers.revokeAll(a.id, acc.id, T0 + 7)).toBe(2);
    expect(await repos.trustedBrowsers.listActive(a.id, acc.id, T0 + 8)).toEqual([]);
  });

  it("L-19 revoking another account's browser by id does nothing", async () => {
    const other = await account(a.id, 'u9999');
    expect(await repos.trustedBrowsers.revoke(a.id, other.id, browser.id, T0 + 1)).toBe(false);
    expect(await repos.trustedBrowsers.touchIfTrusted(a.id, acc.id, 'cookie-hash', T0 + 1)).toBe(true);
  });
});

describe('AuditRepository', () => {
  it("#2 A-6 an audit entry of tenant A is not listed with tenant B's id", async () => {
    await repos.auditLog.record(a.id, { event: 'login.failure', subject: 'u1001', ip: '192.0.2.1' }, T0);
    expect(await repos.auditLog.list(b.id)).toEqual([]);
    expect(await repos.auditLog.list(b.id, { event: 'login.failure' })).toEqual([]);
    expect(await repos.auditLog.list(a.id)).toEqual([
      {
        at: T0,
        event: 'login.failure',
        accountId: null,
        staffId: null,
        actorKind: null,
        subject: 'u1001',
        ip: '192.0.2.1',
        userAgent: null,
        detail: {},
      },
    ]);
  });

  it('A-6 lists newest first, filters by event, and caps the user agent', async () => {
    await repos.auditLog.record(a.id, { event: 'login.success', userAgent: 'x'.repeat(1000) }, T0);
    await repos.auditLog.record(a.id, { event: 'key.failure', detail: { remaining: 4 } }, T0 + 1);
    await repos.auditLog.record(a.id, { event: 'login.success' }, T0 + 2);
    const all = await repos.auditLog.list(a.id);
    expect(all.map((e) => e.at)).toEqual([T0 + 2, T0 + 1, T0]);
    expect(all[2]?.userAgent).toHaveLength(300);
    expect(await repos.auditLog.list(a.id, { event: 'key.failure' })).toMatchObject([{ detail: { remaining: 4 } }]);
    expect(await repos.auditLog.list(a.id, { limit: 1 })).toHaveLength(1);
  });
});

describe('RosterRepository', () => {
  it("#2 L-2 a roster entry of tenant A is not readable with tenant B's id", async () => {
    await repos.roster.upsert(a.id, 'u1001', 'hash-a', T0);
    expect(await repos.roster.findActive(a.id, 'u1001')).toEqual({ userId: 'u1001', passwordHash: 'hash-a' });
    expect(await repos.roster.findActive(b.id, 'u1001')).toBeUndefined();
  });

  it("#2 L-2 writing tenant B's roster does not change tenant A's", async () => {
    await repos.roster.upsert(a.id, 'u1001', 'hash-a', T0);
    await repos.roster.upsert(b.id, 'u1001', 'hash-b', T0);
    expect(await repos.roster.findActive(a.id, 'u1001')).toEqual({ userId: 'u1001', passwordHash: 'hash-a' });
    expect(await repos.roster.findActive(b.id, 'u1001')).toEqual({ userId: 'u1001', passwordHash: 'hash-b' });
  });

  it('L-2 an inactive entry is not found; upsert replaces the hash', async () => {
    await repos.roster.upsert(a.id, 'u1001', 'old', T0);
    await repos.roster.upsert(a.id, 'u1001', 'new', T0 + 1);
    expect((await repos.roster.findActive(a.id, 'u1001'))?.passwordHash).toBe('new');
    await database.db.updateTable('roster').set({ active: 0 }).where('user_id', '=', 'u1001').execute();
    expect(await repos.roster.findActive(a.id, 'u1001')).toBeUndefined();
  });
});

describe('TenantRepository', () => {
  it("#2 updatePolicy changes only that tenant's policy", async () => {
    await repos.tenants.updatePolicy(a.id, { ...a.policy, keyMaxAttempts: 3 });
    expect((await repos.tenants.findBySlug('univ-a'))?.policy.keyMaxAttempts).toBe(3);
    expect((await repos.tenants.findBySlug('univ-b'))?.policy.keyMaxAttempts).toBe(5);
    expect(await repos.tenants.findBySlug('univ-c')).toBeUndefined();
    expect((await repos.tenants.list()).map((t) => t.slug)).toEqual(['univ-a', 'univ-b']);
  });
});

describe('UnitOfWork', () => {
  it('Q-2 a transaction that fails leaves no row behind', async () => {
    const acc = await account(a.id);
    await expect(
      uow.run(operatorActor(a.id), async (trx) => {
        await trx.accounts.setVerifiedEmail(a.id, acc.id, 'taro@example.ac.jp', T0);
        await trx.outbox.enqueue(
          {
            id: newId(),
            tenantId: a.id,
            event: 'emailRegistration',
            to: 'x@y.jp',
            priority: 'urgent',
            subject: 's' as Sealed,
            text: 't' as Sealed,
            html: 'h' as Sealed,
          },
          T0,
        );
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await repos.accounts.findById(a.id, acc.id))?.email).toBeNull();
    expect(await repos.outbox.listRecent(10)).toEqual([]);
  });
});
