import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import { ManualClock } from '../../platform/clock.js';
import {
  IDEMPOTENCY_ABANDONED_MS,
  IDEMPOTENCY_TTL_MS,
  TerminalIdempotencyService,
} from './terminal-idempotency.service.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

let uow: UnitOfWork;
eachWithTwoTenants(T0, (fresh) => ({ uow } = fresh));

describe('TerminalIdempotencyService (#9 C-5 safe retries)', () => {
  it('#9 C-5 the first request claims the key; the same request is answered from the store, another is a mismatch', async () => {
    const clock = new ManualClock(T0);
    const retries = new TerminalIdempotencyService({ uow, clock });
    expect(await retries.begin('gw', 'k1', 'f1')).toEqual({ status: 'fresh' });
    expect(await retries.begin('gw', 'k1', 'f1')).toEqual({ status: 'in_progress' });
    await retries.finish('gw', 'k1', 200, '{"ok":true}');
    expect(await retries.begin('gw', 'k1', 'f1')).toEqual({ status: 'replay', statusCode: 200, body: '{"ok":true}' });
    expect(await retries.begin('gw', 'k1', 'f2')).toEqual({ status: 'mismatch' });
    // Keys are per terminal.
    expect(await retries.begin('other', 'k1', 'f2')).toEqual({ status: 'fresh' });
  });

  it('#9 C-5 failures on our side are not kept; answers expire after a day; an abandoned claim frees the key', async () => {
    const clock = new ManualClock(T0);
    const retries = new TerminalIdempotencyService({ uow, clock });
    await retries.begin('gw', 'k5', 'f');
    await retries.finish('gw', 'k5', 500, '{"error":"internal"}');
    expect(await retries.begin('gw', 'k5', 'f')).toEqual({ status: 'fresh' });
    await retries.finish('gw', 'k5', 409, '{"error":"not_paid"}');
    clock.advance(IDEMPOTENCY_TTL_MS);
    expect(await retries.begin('gw', 'k5', 'f2')).toEqual({ status: 'fresh' });
    clock.advance(IDEMPOTENCY_ABANDONED_MS - 1);
    expect(await retries.begin('gw', 'k5', 'f2')).toEqual({ status: 'in_progress' });
    clock.advance(1);
    expect(await retries.begin('gw', 'k5', 'f2')).toEqual({ status: 'fresh' });
    expect(await uow.repos.terminalIdempotency.deleteExpired(clock.now() + IDEMPOTENCY_TTL_MS)).toBe(1);
  });
});
