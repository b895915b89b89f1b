import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import { newId } from '../../platform/crypto.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { DigitalDelivery } from './delivery.model.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const DAY = 86_400_000;

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

function delivery(overrides: Partial<DigitalDelivery> = {}): DigitalDelivery {
  return {
    orderId: newId(),
    recipientName: 'Sample Corporation, Human Resources',
    recipientEmail: 'hr@sample-corp.example.com',
    expiresAt: T0 + 90 * DAY,
    firstRetrievedAt: null,
    retrievals: 0,
    ...overrides,
  };
}

describe('DeliveryRepository tenant isolation (ARCHITECTURE "Data")', () => {
  it("#2 C-9 a delivery of tenant A is not found by its token or order with tenant B's id", async () => {
    const sent = delivery();
    await repos.deliveries.insert(a.id, sent, 'token-hash-a');
    expect(await repos.deliveries.findByToken(a.id, 'token-hash-a')).toEqual(sent);
    expect(await repos.deliveries.findForOrder(a.id, sent.orderId)).toEqual(sent);
    expect(await repos.deliveries.findByToken(b.id, 'token-hash-a')).toBeUndefined();
    expect(await repos.deliveries.findForOrder(b.id, sent.orderId)).toBeUndefined();
  });

  it("#2 C-9 a retrieval is not counted on tenant A's delivery with tenant B's id", async () => {
    const sent = delivery();
    await repos.deliveries.insert(a.id, sent, 'token-hash-a');
    expect(await repos.deliveries.recordRetrieval(b.id, sent.orderId, T0 + DAY)).toBe(false);
    expect(await repos.deliveries.findForOrder(a.id, sent.orderId)).toEqual(sent);
    expect(await repos.deliveries.recordRetrieval(a.id, sent.orderId, T0 + DAY)).toBe(true);
    expect(await repos.deliveries.findForOrder(a.id, sent.orderId)).toEqual({
      ...sent,
      firstRetrievedAt: T0 + DAY,
      retrievals: 1,
    });
  });

  it('#2 C-9 the same order id in two tenants is two deliveries, each opened by its own token only', async () => {
    const inA = delivery();
    const inB = delivery({ orderId: inA.orderId, recipientEmail: 'admissions@other.example.ac.jp' });
    await repos.deliveries.insert(a.id, inA, 'token-hash-a');
    await repos.deliveries.insert(b.id, inB, 'token-hash-b');
    expect(await repos.deliveries.findByToken(a.id, 'token-hash-b')).toBeUndefined();
    expect(await repos.deliveries.findByToken(b.id, 'token-hash-b')).toEqual(inB);
    expect(await repos.deliveries.recordRetrieval(b.id, inA.orderId, T0 + DAY)).toBe(true);
    expect((await repos.deliveries.findForOrder(a.id, inA.orderId))?.retrievals).toBe(0);
  });
});
