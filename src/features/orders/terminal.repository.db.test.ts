import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import type { Tenant } from '../tenants/tenant.model.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

// Terminals are the deployment's (a store gateway serves every university), so the repository
// takes no tenant id: the tenant it stores is what lets the terminal service refuse B's orders.
describe('TerminalRepository tenant isolation (ARCHITECTURE "Data")', () => {
  it("#2 C-5 a campus printer reads back as tenant A's, a store gateway as no tenant's", async () => {
    await repos.terminals.upsert({ id: 'campus-a', tenantId: a.id, kind: 'campus', name: 'A', secretHash: 'h1' }, T0);
    await repos.terminals.upsert(
      { id: 'gateway', tenantId: null, kind: 'convenience', name: 'Stores', secretHash: 'h2' },
      T0,
    );
    expect(await repos.terminals.findActive('campus-a')).toEqual({
      id: 'campus-a',
      tenantId: a.id,
      kind: 'campus',
      name: 'A',
      secretHash: 'h1',
    });
    expect((await repos.terminals.findActive('gateway'))?.tenantId).toBeNull();
  });

  it("#2 C-5 registering tenant A's terminal id again for tenant B renews its secret but does not move it to B", async () => {
    await repos.terminals.upsert({ id: 'campus-a', tenantId: a.id, kind: 'campus', name: 'A', secretHash: 'h1' }, T0);
    await repos.terminals.upsert(
      { id: 'campus-a', tenantId: b.id, kind: 'campus', name: 'A renamed', secretHash: 'h2' },
      T0 + 1,
    );
    expect(await repos.terminals.findActive('campus-a')).toEqual({
      id: 'campus-a',
      tenantId: a.id,
      kind: 'campus',
      name: 'A renamed',
      secretHash: 'h2',
    });
  });
});
