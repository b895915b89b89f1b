import { afterEach, beforeEach } from 'vitest';
import type { Repositories } from '../../src/db/repositories.js';
import { UnitOfWork } from '../../src/db/unit-of-work.js';
import type { Tenant } from '../../src/features/tenants/tenant.model.js';
import { ManualClock } from '../../src/platform/clock.js';
import { type TestDatabase, freshDatabase } from '../helpers/database.js';
import { tenantsAandB } from './tenant.js';

export interface TwoTenants {
  database: TestDatabase;
  uow: UnitOfWork;
  repos: Repositories;
  a: Tenant;
  b: Tenant;
}

/**
 * The setup every repository test shares: before each test a fresh database holding universities
 * A and B (handed to `receive`), dropped after it.
 */
export function eachWithTwoTenants(now: number, receive: (fresh: TwoTenants) => void): void {
  let database: TestDatabase | undefined;
  beforeEach(async () => {
    database = await freshDatabase();
    const uow = new UnitOfWork(database.handle.db, new ManualClock(now));
    receive({ database, uow, repos: uow.repos, ...(await tenantsAandB(uow.repos.tenants, now)) });
  });
  afterEach(async () => {
    await database?.drop();
  });
}
