import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tenantsAandB } from '../../test/factories/tenant.js';
import { type TestDatabase, freshDatabase } from '../../test/helpers/database.js';
import type { Repositories } from '../db/repositories.js';
import { UnitOfWork } from '../db/unit-of-work.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import { ManualClock } from './clock.js';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const MINUTE = 60_000;

let testDatabase: TestDatabase;
let repos: Repositories;
let a: Tenant;
let b: Tenant;

beforeEach(async () => {
  testDatabase = await freshDatabase();
  repos = new UnitOfWork(testDatabase.handle.db, new ManualClock(T0)).repos;
  ({ a, b } = await tenantsAandB(repos.tenants, T0));
});

afterEach(async () => {
  await testDatabase.drop();
});

describe('#10 kept form states', () => {
  const key = { idHash: 'id-hash', bindingHash: 'binding-hash', path: '/a/login' };
  const state = { ...key, sealed: 'sealed-json', expiresAt: T0 + 30 * MINUTE };

  it("#10 a form state of tenant A is not readable with tenant B's id", async () => {
    await repos.formStates.insert(a.id, state);
    expect(await repos.formStates.findLive(a.id, key, T0)).toBe('sealed-json');
    expect(await repos.formStates.findLive(b.id, key, T0)).toBeUndefined();
  });

  it('#10 only the browser and the page it was kept for read it, and only until it expires', async () => {
    await repos.formStates.insert(a.id, state);
    expect(await repos.formStates.findLive(a.id, { ...key, bindingHash: 'other' }, T0)).toBeUndefined();
    expect(await repos.formStates.findLive(a.id, { ...key, path: '/a/forgot' }, T0)).toBeUndefined();
    expect(await repos.formStates.findLive(a.id, key, T0 + 30 * MINUTE)).toBeUndefined();
    expect(await repos.formStates.deleteExpired(T0 + 30 * MINUTE)).toBe(1);
  });
});
