import { describe, expect, it } from 'vitest';
import { order } from '../../../test/factories/order.js';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import type { Tenant } from '../tenants/tenant.model.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

describe('OrderRepository tenant isolation (ARCHITECTURE "Data")', () => {
  it("#2 an order of tenant A is not read with tenant B's id", async () => {
    const placed = order(a.id);
    await repos.orders.insert(placed);
    expect(await repos.orders.find(a.id, placed.id)).toEqual(placed);
    expect(await repos.orders.listForAccount(a.id, placed.accountId)).toEqual([placed]);
    expect(await repos.orders.listByState(a.id, 'campus', 'reserved')).toEqual([placed]);
    expect(await repos.orders.find(b.id, placed.id)).toBeUndefined();
    expect(await repos.orders.listForAccount(b.id, placed.accountId)).toEqual([]);
    expect(await repos.orders.listByState(b.id, 'campus', 'reserved')).toEqual([]);
  });

  it("#12 A-5 the console's search pages newest first and never finds tenant A's orders with tenant B's id", async () => {
    const older = order(a.id, { createdAt: T0, destination: 'postal', state: 'submitted' });
    const newer = order(a.id, { createdAt: T0 + 1000 });
    await repos.orders.insert(older);
    await repos.orders.insert(newer);
    const page = { limit: 1, offset: 0 };
    expect(await repos.orders.search(a.id, {}, page)).toEqual({ orders: [newer], more: true });
    expect(await repos.orders.search(a.id, {}, { limit: 1, offset: 1 })).toEqual({ orders: [older], more: false });
    expect((await repos.orders.search(a.id, { destinations: ['postal'] }, { limit: 5, offset: 0 })).orders).toEqual([
      older,
    ]);
    expect((await repos.orders.search(a.id, { placedFrom: T0 + 1, placedBefore: T0 + 2000 }, page)).orders).toEqual([
      newer,
    ]);
    expect(await repos.orders.search(b.id, {}, { limit: 5, offset: 0 })).toEqual({ orders: [], more: false });
    await repos.auditLog.record(a.id, { event: 'order.placed', subject: older.id }, T0);
    expect(await repos.auditLog.listForSubject(a.id, older.id)).toHaveLength(1);
    expect(await repos.auditLog.listForSubject(b.id, older.id)).toEqual([]);
  });

  it("#2 an order of tenant A is not moved, nor its print failures counted, with tenant B's id", async () => {
    const paid = order(a.id);
    await repos.orders.insert(paid);
    await repos.orders.advance(a.id, paid.id, 'reserved', 'paid', T0, { terminalId: 'campus-1', paidAt: T0 });
    const before = await repos.orders.find(a.id, paid.id);
    expect(await repos.orders.advance(b.id, paid.id, 'paid', 'printed', T0 + 1, { printedAt: T0 + 1 })).toBe(false);
    expect(await repos.orders.countPrintFailure(b.id, paid.id, 'campus-1', T0 + 1)).toBe(false);
    expect(await repos.orders.find(a.id, paid.id)).toEqual(before);
    expect(await repos.orders.countPrintFailure(a.id, paid.id, 'campus-1', T0 + 1)).toBe(true);
    expect(await repos.orders.advance(a.id, paid.id, 'paid', 'printed', T0 + 2)).toBe(true);
  });

  it('#2 the same order id in two tenants is two orders, each with its own lines', async () => {
    const inA = order(a.id);
    const inB = order(b.id, {
      id: inA.id,
      accountId: inA.accountId,
      items: [
        { seq: 1, type: 'transcript', lang: 'en', copies: 2, unitFeeYen: 300 },
        { seq: 2, type: 'enrollment', lang: 'en', copies: 1, unitFeeYen: 300 },
      ],
    });
    await repos.orders.insert(inA);
    await repos.orders.insert(inB);
    expect(await repos.orders.find(a.id, inA.id)).toEqual(inA);
    expect(await repos.orders.find(b.id, inA.id)).toEqual(inB);
    expect(await repos.orders.listForAccount(a.id, inA.accountId)).toEqual([inA]);
    expect(await repos.orders.advance(b.id, inA.id, 'reserved', 'cancelled', T0 + 1, { cancelledAt: T0 + 1 })).toBe(
      true,
    );
    expect((await repos.orders.find(a.id, inA.id))?.state).toBe('reserved');
  });

  it("#2 C-6 certificate serial counters are per tenant: B's count does not move A's", async () => {
    expect(await repos.orders.nextCounter(a.id, 'serial-2026')).toBe(1);
    expect(await repos.orders.nextCounter(a.id, 'serial-2026')).toBe(2);
    expect(await repos.orders.nextCounter(b.id, 'serial-2026')).toBe(1);
    expect(await repos.orders.nextCounter(a.id, 'serial-2026')).toBe(3);
  });
});
