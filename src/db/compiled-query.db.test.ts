import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/helpers/database.js';
import { reusableQuery } from './compiled-query.js';

let testDatabase: Awaited<ReturnType<typeof freshDatabase>>;

beforeEach(async () => {
  testDatabase = await freshDatabase();
});

afterEach(async () => {
  await testDatabase.drop();
});

/** A table of the test's own: the query's shape is what matters, not the schema's rules. */
interface Probes {
  probes: { tenant_id: string; id_hash: string; account_id: string; idle_expires_at: number; ip: string };
}

async function probes(): Promise<Kysely<Probes>> {
  const db = testDatabase.handle.db as unknown as Kysely<Probes>;
  await db.schema
    .createTable('probes')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('idle_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .execute();
  return db;
}

async function addSession(db: Kysely<Probes>, tenantId: string, idHash: string, idleExpiresAt: number) {
  await db
    .insertInto('probes')
    .values({
      tenant_id: tenantId,
      id_hash: idHash,
      account_id: `account-of-${idHash}`,
      idle_expires_at: idleExpiresAt,
      ip: '127.0.0.1',
    })
    .execute();
}

let builds = 0;
const live = reusableQuery((db: Kysely<Probes>, tenantId: string, idHash: string, now: number) => {
  builds++;
  return db
    .selectFrom('probes')
    .select(['id_hash', 'account_id'])
    .where('tenant_id', '=', tenantId)
    .where('id_hash', '=', idHash)
    .where('idle_expires_at', '>', now)
    .where('ip', '=', '127.0.0.1');
});

describe('#11 queries compiled once and run with new values', () => {
  it('#11 each run answers for its own arguments; constants stay; built once per connection', async () => {
    const db = await probes();
    await addSession(db, 't1', 'a', 100);
    await addSession(db, 't1', 'b', 200);
    await addSession(db, 't2', 'a', 300);
    const before = builds;
    expect(await live(db, 't1', 'a', 50)).toEqual([{ id_hash: 'a', account_id: 'account-of-a' }]);
    expect(await live(db, 't1', 'b', 150)).toEqual([{ id_hash: 'b', account_id: 'account-of-b' }]);
    expect(await live(db, 't1', 'a', 150)).toEqual([]);
    expect(await live(db, 't2', 'a', 150)).toEqual([{ id_hash: 'a', account_id: 'account-of-a' }]);
    expect(await live(db, 't3', 'a', 0)).toEqual([]);
    expect(builds - before).toBe(1);
  });

  it('#11 inside a transaction it runs on the transaction’s connection and sees its writes', async () => {
    const db = await probes();
    await db.transaction().execute(async (tx) => {
      await addSession(tx, 't1', 'c', 100);
      expect(await live(tx, 't1', 'c', 0)).toHaveLength(1);
    });
    expect(await live(db, 't1', 'c', 0)).toHaveLength(1);
  });
});
