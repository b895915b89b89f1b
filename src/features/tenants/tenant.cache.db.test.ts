import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tenant, tenantsAandB } from '../../../test/factories/tenant.js';
import { type TestDatabase, freshDatabase } from '../../../test/helpers/database.js';
import { UnitOfWork } from '../../db/unit-of-work.js';
import { operatorActor } from '../../platform/actor.js';
import { ManualClock } from '../../platform/clock.js';
import { TenantCache } from './tenant.cache.js';
import type { Tenant } from './tenant.model.js';
import { TenantRepository } from './tenant.repository.js';

const T0 = Date.UTC(2026, 10, 29, 11, 0, 0);

let testDatabase: TestDatabase;
let uow: UnitOfWork;
let a: Tenant;
let b: Tenant;

/** A change made behind the repository's back, as another instance or the `shomei` command would. */
async function renameElsewhere(tenant: Tenant, en: string): Promise<void> {
  await testDatabase.handle.db.updateTable('tenants').set({ name_en: en }).where('id', '=', tenant.id).execute();
}

beforeEach(async () => {
  testDatabase = await freshDatabase();
  uow = new UnitOfWork(testDatabase.handle.db, new ManualClock(T0));
  ({ a, b } = await tenantsAandB(uow.repos.tenants, T0));
});

afterEach(async () => {
  await testDatabase.drop();
});

describe('#11 the university of each page is kept for a few seconds, never stale after a change here', () => {
  it('#11 a repeated lookup is answered from the cache, not the database', async () => {
    expect((await uow.repos.tenants.findBySlug('univ-a'))?.name.en).toBe('univ-a University');
    await renameElsewhere(a, 'Changed elsewhere');
    expect((await uow.repos.tenants.findBySlug('univ-a'))?.name.en).toBe('univ-a University');
  });

  it('#11 a write through the repository is seen by the next lookup', async () => {
    await uow.repos.tenants.findBySlug('univ-a');
    await renameElsewhere(a, 'Renamed');
    await uow.repos.tenants.updatePolicy(a.id, { ...a.policy, keyMaxAttempts: 3 });
    const after = await uow.repos.tenants.findBySlug('univ-a');
    expect(after?.policy.keyMaxAttempts).toBe(3);
    expect(after?.name.en).toBe('Renamed');
  });

  it('#11 a write inside a unit of work clears what requests outside it see', async () => {
    await uow.repos.tenants.findBySlug('univ-a');
    await uow.run(operatorActor(a.id), (tx) => tx.tenants.updatePolicy(a.id, { ...a.policy, keyLength: 8 }));
    expect((await uow.repos.tenants.findBySlug('univ-a'))?.policy.keyLength).toBe(8);
  });

  it('#11 each slug gets its own university, and an unknown slug is not remembered', async () => {
    expect((await uow.repos.tenants.findBySlug('univ-a'))?.id).toBe(a.id);
    expect((await uow.repos.tenants.findBySlug('univ-b'))?.id).toBe(b.id);
    expect((await uow.repos.tenants.findBySlug('univ-a'))?.id).toBe(a.id);
    expect(await uow.repos.tenants.findBySlug('univ-c')).toBeUndefined();
    await new TenantRepository(testDatabase.handle.db).insert(tenant('univ-c'), T0);
    expect((await uow.repos.tenants.findBySlug('univ-c'))?.slug).toBe('univ-c');
  });

  it('#11 another instance sees a change once the time to live has passed', async () => {
    const other = new TenantRepository(testDatabase.handle.db, new TenantCache(0));
    await other.findBySlug('univ-a');
    await renameElsewhere(a, 'Seen after the TTL');
    expect((await other.findBySlug('univ-a'))?.name.en).toBe('Seen after the TTL');
  });

  it('#11 a kept value that does not belong to the slug asked for is never served', async () => {
    const cache = new TenantCache();
    await cache.get(
      'slug:univ-a',
      async () => b,
      () => true,
    );
    const served = await cache.get(
      'slug:univ-a',
      async () => a,
      (tenant) => tenant.slug === 'univ-a',
    );
    expect(served?.id).toBe(a.id);
  });
});
