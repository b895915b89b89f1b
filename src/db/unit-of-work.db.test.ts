import { type Dialect, type Driver, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, testDialect } from '../../test/helpers/database.js';
import { type Actor, operatorActor } from '../platform/actor.js';
import { ManualClock } from '../platform/clock.js';
import { SecretHasher, newId } from '../platform/crypto.js';
import { RateLimits } from '../platform/rate-limit.js';
import { newTenant } from '../features/tenants/tenant.service.js';
import type { DatabaseHandle } from './database.js';
import type { Database } from './schema.js';
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
    const limits = new RateLimits(testDatabase.handle, new SecretHasher('unit-of-work-test-secret-0123456789abcdef'));
    await expect(uow.run(student, () => limits.consume('mailsPerAccount', `${tenant.id}:${newId()}`))).rejects.toThrow(
      'must not be called inside a unit of work',
    );
    await expect(limits.consume('mailsPerAccount', `${tenant.id}:${newId()}`)).resolves.toBeUndefined();
  });
});

function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}

/**
 * Kysely on the test database's own connection whose first commit commits and then loses the
 * answer, as when the connection drops while the commit is on its way back.
 */
function commitAnswerLostOnce(handle: DatabaseHandle): Kysely<Database> {
  const inner: Dialect =
    handle.dialect === 'sqlite'
      ? new SqliteDialect({ database: handle.sqlite })
      : new PostgresDialect({ pool: handle.pool });
  let lost = 0;
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => inner.createAdapter(),
      createIntrospector: (db) => inner.createIntrospector(db),
      createQueryCompiler: () => inner.createQueryCompiler(),
      createDriver: () => {
        const driver = inner.createDriver();
        type Connection = Parameters<Driver['commitTransaction']>[0];
        return new Proxy(driver, {
          get(target, property) {
            if (property === 'commitTransaction' && lost === 0)
              return async (connection: Connection) => {
                await target.commitTransaction(connection);
                lost++;
                throw connectionReset();
              };
            // Kysely rolls back after a failed commit; there is nothing left to roll back.
            if (property === 'rollbackTransaction' && lost === 1)
              return async () => {
                lost++;
              };
            const value = Reflect.get(target, property);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    },
  });
}

describe('#8 a transaction whose connection breaks before the commit runs once more', () => {
  it('#8 a connection error in the first attempt: one retry, its hooks run once, its rows written once', async () => {
    const ran: number[] = [];
    let attempts = 0;
    const result = await uow.run(operatorActor(tenant.id), async (tx) => {
      attempts++;
      await tx.audit('session.logout', { subject: `attempt ${attempts}` });
      tx.afterCommit(() => ran.push(attempts));
      if (attempts === 1) throw connectionReset();
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toBe(2);
    expect(ran).toEqual([2]);
    const entries = await uow.repos.auditLog.list(tenant.id, { event: 'session.logout' });
    expect(entries.map((entry) => entry.subject)).toEqual(['attempt 2']);
  });

  it('#8 only once, and only for connection errors', async () => {
    let attempts = 0;
    await expect(
      uow.run(operatorActor(tenant.id), async () => {
        attempts++;
        throw connectionReset();
      }),
    ).rejects.toThrow('ECONNRESET');
    expect(attempts).toBe(2);

    attempts = 0;
    await expect(
      uow.run(operatorActor(tenant.id), async () => {
        attempts++;
        throw Object.assign(new Error('duplicate key'), { code: '23505' });
      }),
    ).rejects.toThrow('duplicate key');
    expect(attempts).toBe(1);
  });

  it('#8 never once the commit was sent: it may have committed', async () => {
    const failing = new UnitOfWork(commitAnswerLostOnce(testDatabase.handle), new ManualClock(T0));
    const ran: string[] = [];
    let attempts = 0;
    await expect(
      failing.run(operatorActor(tenant.id), async (tx) => {
        attempts++;
        await tx.audit('session.logout');
        tx.afterCommit(() => ran.push('hook'));
      }),
    ).rejects.toThrow('ECONNRESET');
    expect(attempts).toBe(1);
    expect(ran).toEqual([]);
    expect(await uow.repos.auditLog.list(tenant.id, { event: 'session.logout' })).toHaveLength(1);
  });

  it.skipIf(testDialect !== 'postgres')(
    '#8 PostgreSQL: the backend terminated inside the first attempt (57P01), the work is done once on a new connection',
    async () => {
      const pool = (testDatabase.handle as Extract<DatabaseHandle, { dialect: 'postgres' }>).pool;
      const ran: number[] = [];
      let attempts = 0;
      await uow.run(operatorActor(tenant.id), async (tx) => {
        attempts++;
        await tx.audit('session.logout', { subject: `attempt ${attempts}` });
        tx.afterCommit(() => ran.push(attempts));
        if (attempts === 1) {
          // As an administrator (or a restart) would: this transaction's backend is ended under it.
          const { rows } = await pool.query(
            `select pg_terminate_backend(pid) as ended from pg_stat_activity
              where datname = current_database() and state = 'idle in transaction' and pid <> pg_backend_pid()`,
          );
          expect(rows).toEqual([{ ended: true }]);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await tx.audit('session.logout', { subject: `attempt ${attempts}, second row` });
      });
      expect(attempts).toBe(2);
      expect(ran).toEqual([2]);
      const entries = await uow.repos.auditLog.list(tenant.id, { event: 'session.logout' });
      expect(entries.map((entry) => entry.subject).sort()).toEqual(['attempt 2', 'attempt 2, second row']);
    },
  );
});
