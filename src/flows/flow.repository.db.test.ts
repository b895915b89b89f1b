import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tenantsAandB } from '../../test/factories/tenant.js';
import { type TestDatabase, freshDatabase } from '../../test/helpers/database.js';
import type { DatabaseHandle } from '../db/database.js';
import { TenantRepository } from '../features/tenants/tenant.repository.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import { newId } from '../platform/crypto.js';
import { FlowRepository } from './flow.repository.js';
import type { Flow } from './flow.model.js';
import type { FlowKind, FlowState } from './flow.state.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const MINUTE = 60_000;

let database: DatabaseHandle;
let testDatabase: TestDatabase;
let flows: FlowRepository;
let a: Tenant;
let b: Tenant;

beforeEach(async () => {
  testDatabase = await freshDatabase();
  database = testDatabase.handle;
  ({ a, b } = await tenantsAandB(new TenantRepository(database.db), T0));
  flows = new FlowRepository(database.db);
});

afterEach(async () => {
  await testDatabase.drop();
});

function newFlow(
  tenantId: string,
  kind: FlowKind,
  state: FlowState,
  overrides: Partial<Flow<unknown>> = {},
): Flow<unknown> {
  return {
    tenantId,
    id: newId(),
    kind,
    state,
    subjectId: 'account-1',
    issuedAt: T0,
    expiresAt: T0 + 30 * MINUTE,
    context: { lang: 'ja' },
    ...overrides,
  };
}

async function stateOf(tenantId: string, id: string, kind: FlowKind): Promise<FlowState | undefined> {
  return (await flows.find(tenantId, id, kind))?.state;
}

describe('FlowRepository (ARCHITECTURE "Flows", "Secrets and one-time things")', () => {
  it('#2 stores a flow and reads it back whole, by tenant, id and kind', async () => {
    const flow = newFlow(a.id, 'email_registration', 'awaiting_address', { context: { lang: 'en', n: 1 } });
    await flows.insert(flow, 'hash-1');
    expect(await flows.find(a.id, flow.id, 'email_registration')).toEqual(flow);
    expect(await flows.find(a.id, flow.id, 'email_change')).toBeUndefined();
    expect(await flows.findByToken(a.id, 'email_registration', 'hash-1')).toEqual(flow);
    expect(await flows.findByToken(a.id, 'email_change', 'hash-1')).toBeUndefined();
    expect(await flows.findByToken(a.id, 'email_registration', 'hash-2')).toBeUndefined();
  });

  describe('advance is compare-and-set', () => {
    it('#2 moves a live flow once; a second advance from the same state fails', async () => {
      const flow = newFlow(a.id, 'email_registration', 'awaiting_address');
      await flows.insert(flow);
      expect(await flows.advance(a.id, flow.id, 'awaiting_address', 'mail_sent', T0 + MINUTE)).toBe(true);
      expect(await flows.advance(a.id, flow.id, 'awaiting_address', 'mail_sent', T0 + MINUTE)).toBe(false);
      expect(await stateOf(a.id, flow.id, 'email_registration')).toBe('mail_sent');
    });

    it('#2 of two racing advances from the same state exactly one wins', async () => {
      const flow = newFlow(a.id, 'second_password_setup', 'awaiting_password');
      await flows.insert(flow);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => flows.advance(a.id, flow.id, 'awaiting_password', 'completed', T0 + MINUTE)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await stateOf(a.id, flow.id, 'second_password_setup')).toBe('completed');
    });

    it('#2 refuses when the flow is not in the expected state, and changes nothing', async () => {
      const flow = newFlow(a.id, 'email_key', 'awaiting_key');
      await flows.insert(flow);
      expect(
        await flows.advance(a.id, flow.id, 'mail_sent', 'completed', T0 + MINUTE, { context: { hacked: true } }),
      ).toBe(false);
      expect(await flows.find(a.id, flow.id, 'email_key')).toEqual(flow);
    });

    it('#2 applies the requested changes with the move', async () => {
      const flow = newFlow(a.id, 'email_registration', 'awaiting_address');
      await flows.insert(flow);
      expect(
        await flows.advance(a.id, flow.id, 'awaiting_address', 'mail_sent', T0 + MINUTE, {
          context: { lang: 'en', email: 'taro@example.ac.jp' },
          tokenHash: 'token-hash',
          expiresAt: T0 + 31 * MINUTE,
        }),
      ).toBe(true);
      const moved = await flows.findByToken(a.id, 'email_registration', 'token-hash');
      expect(moved).toEqual({
        ...flow,
        state: 'mail_sent',
        expiresAt: T0 + 31 * MINUTE,
        context: { lang: 'en', email: 'taro@example.ac.jp' },
      });
    });

    it('#2 leaves what was not asked for alone', async () => {
      const flow = newFlow(a.id, 'email_registration', 'awaiting_address');
      await flows.insert(flow, 'kept-hash');
      expect(await flows.advance(a.id, flow.id, 'awaiting_address', 'mail_sent', T0 + MINUTE)).toBe(true);
      expect(await flows.findByToken(a.id, 'email_registration', 'kept-hash')).toEqual({ ...flow, state: 'mail_sent' });
    });

    it('L-18 an expired flow cannot advance, even from its current state', async () => {
      const flow = newFlow(a.id, 'email_key', 'awaiting_key', { expiresAt: T0 + 10 * MINUTE });
      await flows.insert(flow);
      expect(await flows.advance(a.id, flow.id, 'awaiting_key', 'completed', T0 + 10 * MINUTE)).toBe(false);
      expect(await flows.advance(a.id, flow.id, 'awaiting_key', 'completed', T0 + 11 * MINUTE)).toBe(false);
      expect(await stateOf(a.id, flow.id, 'email_key')).toBe('awaiting_key');
      // One millisecond before the end it still can.
      expect(await flows.advance(a.id, flow.id, 'awaiting_key', 'completed', T0 + 10 * MINUTE - 1)).toBe(true);
    });
  });

  describe('consumeToken', () => {
    it('Q-1 L-18 a mailed token works once only', async () => {
      const flow = newFlow(a.id, 'email_change', 'mail_sent');
      await flows.insert(flow, 'link-hash');
      const first = await flows.consumeToken(a.id, 'email_change', 'link-hash', 'mail_sent', 'completed', T0 + MINUTE);
      expect(first).toEqual({ ...flow, state: 'completed' });
      expect(
        await flows.consumeToken(a.id, 'email_change', 'link-hash', 'mail_sent', 'completed', T0 + MINUTE),
      ).toBeUndefined();
    });

    it('Q-1 of racing uses of one token exactly one wins', async () => {
      const flow = newFlow(a.id, 'second_password_reset', 'mail_sent');
      await flows.insert(flow, 'race-hash');
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          flows.consumeToken(a.id, 'second_password_reset', 'race-hash', 'mail_sent', 'completed', T0 + MINUTE),
        ),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });

    it('Q-1 L-18 an expired token cannot be consumed and the flow stays as it was', async () => {
      const flow = newFlow(a.id, 'email_change', 'mail_sent', { expiresAt: T0 + 30 * MINUTE });
      await flows.insert(flow, 'old-hash');
      expect(
        await flows.consumeToken(a.id, 'email_change', 'old-hash', 'mail_sent', 'completed', T0 + 30 * MINUTE),
      ).toBeUndefined();
      expect(
        await flows.consumeToken(a.id, 'email_change', 'old-hash', 'mail_sent', 'completed', T0 + 60 * MINUTE),
      ).toBeUndefined();
      expect(await stateOf(a.id, flow.id, 'email_change')).toBe('mail_sent');
    });

    it('Q-1 a token is bound to its kind and its expected state', async () => {
      const flow = newFlow(a.id, 'email_registration', 'mail_sent');
      await flows.insert(flow, 'kind-hash');
      expect(
        await flows.consumeToken(a.id, 'second_password_reset', 'kind-hash', 'mail_sent', 'completed', T0 + MINUTE),
      ).toBeUndefined();
      expect(
        await flows.consumeToken(a.id, 'email_registration', 'kind-hash', 'awaiting_address', 'completed', T0 + MINUTE),
      ).toBeUndefined();
      expect(
        await flows.consumeToken(a.id, 'email_registration', 'other-hash', 'mail_sent', 'completed', T0 + MINUTE),
      ).toBeUndefined();
      expect(await stateOf(a.id, flow.id, 'email_registration')).toBe('mail_sent');
    });

    it('L-18 a token replaced by a newer one (advance with tokenHash) no longer works', async () => {
      const flow = newFlow(a.id, 'email_registration', 'mail_sent');
      await flows.insert(flow, 'first-hash');
      expect(
        await flows.advance(a.id, flow.id, 'mail_sent', 'mail_sent', T0 + MINUTE, { tokenHash: 'second-hash' }),
      ).toBe(true);
      expect(
        await flows.consumeToken(a.id, 'email_registration', 'first-hash', 'mail_sent', 'completed', T0 + MINUTE),
      ).toBeUndefined();
      expect(
        await flows.consumeToken(a.id, 'email_registration', 'second-hash', 'mail_sent', 'completed', T0 + MINUTE),
      ).toBeDefined();
    });
  });

  describe('expireOpen', () => {
    it('L-9 L-11 a new link makes the open flows of that account and kind useless', async () => {
      const open1 = newFlow(a.id, 'second_password_reset', 'mail_sent', { subjectId: 'acc-1' });
      const open2 = newFlow(a.id, 'second_password_reset', 'mail_sent', { subjectId: 'acc-1' });
      await flows.insert(open1, 'h1');
      await flows.insert(open2, 'h2');
      const now = T0 + 5 * MINUTE;
      await flows.expireOpen(a.id, 'acc-1', 'second_password_reset', now);
      for (const [flow, hash] of [
        [open1, 'h1'],
        [open2, 'h2'],
      ] as const) {
        expect((await flows.find(a.id, flow.id, 'second_password_reset'))?.expiresAt).toBe(now);
        expect(
          await flows.consumeToken(a.id, 'second_password_reset', hash, 'mail_sent', 'completed', now),
        ).toBeUndefined();
      }
    });

    it('L-9 L-11 leaves completed flows, other kinds, other accounts and other tenants alone', async () => {
      const completed = newFlow(a.id, 'email_change', 'completed', { subjectId: 'acc-1' });
      const otherKind = newFlow(a.id, 'second_password_reset', 'mail_sent', { subjectId: 'acc-1' });
      const otherAccount = newFlow(a.id, 'email_change', 'mail_sent', { subjectId: 'acc-2' });
      const otherTenant = newFlow(b.id, 'email_change', 'mail_sent', { subjectId: 'acc-1' });
      const alreadyExpired = newFlow(a.id, 'email_change', 'mail_sent', { subjectId: 'acc-1', expiresAt: T0 + MINUTE });
      for (const flow of [completed, otherKind, otherAccount, otherTenant, alreadyExpired]) await flows.insert(flow);
      await flows.expireOpen(a.id, 'acc-1', 'email_change', T0 + 5 * MINUTE);
      expect(await flows.find(a.id, completed.id, 'email_change')).toEqual(completed);
      expect(await flows.find(a.id, otherKind.id, 'second_password_reset')).toEqual(otherKind);
      expect(await flows.find(a.id, otherAccount.id, 'email_change')).toEqual(otherAccount);
      expect(await flows.find(b.id, otherTenant.id, 'email_change')).toEqual(otherTenant);
      // Its end stays where it was, not moved later.
      expect(await flows.find(a.id, alreadyExpired.id, 'email_change')).toEqual(alreadyExpired);
    });
  });

  it('#2 deleteExpiredBefore removes only flows that ended before the cut-off', async () => {
    const old = newFlow(a.id, 'email_key', 'awaiting_key', { expiresAt: T0 });
    const edge = newFlow(b.id, 'email_key', 'awaiting_key', { expiresAt: T0 + MINUTE });
    const live = newFlow(a.id, 'email_key', 'awaiting_key', { expiresAt: T0 + 30 * MINUTE });
    for (const flow of [old, edge, live]) await flows.insert(flow);
    expect(await flows.deleteExpiredBefore(T0 + MINUTE)).toBe(1);
    expect(await flows.find(a.id, old.id, 'email_key')).toBeUndefined();
    expect(await flows.find(b.id, edge.id, 'email_key')).toBeDefined();
    expect(await flows.find(a.id, live.id, 'email_key')).toBeDefined();
  });

  describe('tenant isolation (ARCHITECTURE "Data")', () => {
    it("#2 a flow of tenant A is not found with tenant B's id", async () => {
      const flow = newFlow(a.id, 'email_registration', 'mail_sent');
      await flows.insert(flow, 'a-hash');
      expect(await flows.find(b.id, flow.id, 'email_registration')).toBeUndefined();
      expect(await flows.findByToken(b.id, 'email_registration', 'a-hash')).toBeUndefined();
    });

    it("#2 a flow of tenant A cannot be advanced with tenant B's id", async () => {
      const flow = newFlow(a.id, 'email_registration', 'awaiting_address');
      await flows.insert(flow);
      expect(
        await flows.advance(b.id, flow.id, 'awaiting_address', 'mail_sent', T0 + MINUTE, { tokenHash: 'evil' }),
      ).toBe(false);
      expect(await flows.find(a.id, flow.id, 'email_registration')).toEqual(flow);
    });

    it("#2 a token of tenant A is not consumed with tenant B's id, and still works for A", async () => {
      const flow = newFlow(a.id, 'second_password_reset', 'mail_sent');
      await flows.insert(flow, 'shared-looking-hash');
      expect(
        await flows.consumeToken(
          b.id,
          'second_password_reset',
          'shared-looking-hash',
          'mail_sent',
          'completed',
          T0 + MINUTE,
        ),
      ).toBeUndefined();
      expect(await stateOf(a.id, flow.id, 'second_password_reset')).toBe('mail_sent');
      expect(
        await flows.consumeToken(
          a.id,
          'second_password_reset',
          'shared-looking-hash',
          'mail_sent',
          'completed',
          T0 + MINUTE,
        ),
      ).toBeDefined();
    });

    it("#2 expireOpen with tenant B's id does not touch tenant A's flows", async () => {
      const flow = newFlow(a.id, 'email_change', 'mail_sent', { subjectId: 'acc-1' });
      await flows.insert(flow);
      await flows.expireOpen(b.id, 'acc-1', 'email_change', T0 + MINUTE);
      expect(await flows.find(a.id, flow.id, 'email_change')).toEqual(flow);
    });

    it('#2 the same flow id and token hash in two tenants stay two separate flows', async () => {
      const id = newId();
      const inA = newFlow(a.id, 'email_change', 'mail_sent', { id, context: { who: 'a' } });
      const inB = newFlow(b.id, 'email_change', 'mail_sent', { id, context: { who: 'b' } });
      await flows.insert(inA, 'same-hash');
      await flows.insert(inB, 'same-hash');
      const consumed = await flows.consumeToken(b.id, 'email_change', 'same-hash', 'mail_sent', 'completed', T0 + 1);
      expect(consumed?.context).toEqual({ who: 'b' });
      expect(consumed?.tenantId).toBe(b.id);
      expect(await stateOf(a.id, id, 'email_change')).toBe('mail_sent');
    });
  });
});
