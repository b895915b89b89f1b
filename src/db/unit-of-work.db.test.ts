import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/helpers/database.js';
import { type Actor, operatorActor } from '../platform/actor.js';
import { ManualClock } from '../platform/clock.js';
import { newId } from '../platform/crypto.js';
import { RateLimits } from '../platform/rate-limit.js';
import { newTenant } from '../features/tenants/tenant.service.js';
import { UnitOfWork } from './unit-of-work.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
let testDatabase: Awaited<ReturnType<typeof freshDatabase>>;
let uow: UnitOfWork;
const tenant = newTenant({ slug: 'uow', name: { ja: '単位大学', en: 'Unit University' } });

beforeEach(async () => {
  testDatabase = await freshDatabase();
  uow = new UnitOfWork(testDatabase.handle.db, new ManualClock(T0));
  await uow.repos.tenants.insert(tenant, T0);
});

afterEach(async () => {
  await testDatabase.drop();
});

describe('#7 the unit of work carries the actor', () => {
  const student: Actor = {
    tenantId: tenant.id,
    kind: 'student',
    accountId: 'acc-1',
    ip: '192.0.2.7',
    userAgent: 'Test Browser',
    lang: 'ja',
    binding: 'b',
  };

  it('audit entries take who and where from the actor, and the event’s own account when given', async () => {
    await uow.run(student, async (tx) => {
      await tx.audit('session.logout', { subject: 's2026001' });
      await tx.audit('login.success', { accountId: 'acc-2', detail: { factor: 'none' } });
    });
    const entries = await uow.repos.auditLog.list(tenant.id);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          event: 'session.logout',
          accountId: 'acc-1',
          subject: 's2026001',
          ip: '192.0.2.7',
          userAgent: 'Test Browser',
          at: T0,
        }),
        expect.objectContaining({ event: 'login.success', accountId: 'acc-2', detail: { factor: 'none' } }),
      ]),
    );
  });

  it('runs after-commit hooks once the transaction commits, and never when it rolls back', async () => {
    const ran: string[] = [];
    await uow.run(student, async (tx) => {
      tx.afterCommit(() => ran.push('committed'));
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['committed']);

    await expect(
      uow.run(operatorActor(tenant.id), async (tx) => {
        tx.afterCommit(() => ran.push('rolled back'));
        await tx.audit('session.logout');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(ran).toEqual(['committed']);
    expect(await uow.repos.auditLog.list(tenant.id, { event: 'session.logout' })).toHaveLength(0);
  });

  it('refuses a rate limit inside a transaction: limiters write on connections of their own', async () => {
    const limits = new RateLimits(testDatabase.handle);
    await expect(uow.run(student, () => limits.consume('mailsPerAccount', `${tenant.id}:${newId()}`))).rejects.toThrow(
      'must not be called inside a unit of work',
    );
    await expect(limits.consume('mailsPerAccount', `${tenant.id}:${newId()}`)).resolves.toBeUndefined();
  });
});
