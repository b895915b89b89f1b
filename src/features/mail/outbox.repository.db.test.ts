import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import { newId } from '../../platform/crypto.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { MailPriority, Sealed } from './outbox.model.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

describe('OutboxRepository', () => {
  // The repository stores sealed bodies as they come; it never opens them.
  const opaque = (value: string) => value as Sealed;
  const mail = (tenantId: string, id = newId(), priority: MailPriority = 'urgent') => ({
    id,
    tenantId,
    event: 'authKey',
    to: 'taro@example.ac.jp',
    priority,
    subject: opaque('subject'),
    text: opaque('text'),
    html: opaque('<p>html</p>'),
  });

  it('#2 an enqueued mail keeps its tenant', async () => {
    const m = mail(a.id);
    await repos.outbox.enqueue(m, T0);
    expect(await repos.outbox.findAnyTenant(m.id)).toMatchObject({ ...m, attempts: 0, sentAt: null, createdAt: T0 });
  });

  it("#2 a mail of tenant A is not read or marked with tenant B's id", async () => {
    const m = mail(a.id);
    await repos.outbox.enqueue(m, T0);
    const claimed = await repos.outbox.claimNext('worker-1', T0, MINUTE);
    expect(claimed).toMatchObject(m);
    await repos.outbox.scheduleRetry(b.id, m.id, 'worker-1', 'boom', T0 + MINUTE);
    await repos.outbox.markSent(b.id, m.id, T0);
    await repos.outbox.markUndeliverable(b.id, m.id, 'worker-1', 'boom', T0);
    expect(await repos.outbox.findAnyTenant(m.id)).toMatchObject({
      attempts: 0,
      sentAt: null,
      failedAt: null,
      lastError: null,
    });
    await repos.outbox.scheduleRetry(a.id, m.id, 'worker-1', 'boom', T0 + MINUTE);
    expect((await repos.outbox.findAnyTenant(m.id))?.attempts).toBe(1);
    expect(await repos.outbox.listFailed(b.id, 10)).toEqual([]);
  });

  it('#2 the same mail id in two tenants is two mails', async () => {
    const id = newId();
    await repos.outbox.enqueue({ ...mail(a.id, id), subject: opaque('for A') }, T0);
    await repos.outbox.enqueue({ ...mail(b.id, id), subject: opaque('for B') }, T0);
    const claimed = [
      await repos.outbox.claimNext('worker-1', T0, MINUTE),
      await repos.outbox.claimNext('worker-1', T0, MINUTE),
    ];
    expect(claimed.map((m) => [m?.tenantId, m?.subject]).sort()).toEqual(
      [
        [a.id, 'for A'],
        [b.id, 'for B'],
      ].sort(),
    );
    await repos.outbox.markSent(b.id, id, T0, { keepBody: true });
    expect((await repos.outbox.listRecent(10)).map((m) => [m.subject, m.sentAt]).sort()).toEqual([
      ['for A', null],
      ['for B', T0],
    ]);
  });

  it('Q-2 a claimed mail is not claimed again until its lease ends, and a sent one never', async () => {
    const m = mail(a.id);
    await repos.outbox.enqueue(m, T0);
    expect(await repos.outbox.claimNext('w1', T0, MINUTE)).toBeDefined();
    expect(await repos.outbox.claimNext('w2', T0 + MINUTE - 1, MINUTE)).toBeUndefined();
    expect(await repos.outbox.claimNext('w2', T0 + MINUTE, MINUTE)).toBeDefined();
    // The first worker lost the lease: it may not send any more.
    expect(await repos.outbox.renewLease(a.id, m.id, 'w1', T0 + MINUTE, MINUTE)).toBe(false);
    expect(await repos.outbox.renewLease(a.id, m.id, 'w2', T0 + MINUTE, MINUTE)).toBe(true);
    await repos.outbox.markSent(a.id, m.id, T0 + MINUTE);
    expect(await repos.outbox.claimNext('w3', T0 + DAY, MINUTE)).toBeUndefined();
    expect(await repos.outbox.renewLease(a.id, m.id, 'w2', T0 + MINUTE, MINUTE)).toBe(false);
  });

  it('Q-2 a failed mail waits for its retry time', async () => {
    const m = mail(a.id);
    await repos.outbox.enqueue(m, T0);
    await repos.outbox.claimNext('w1', T0, MINUTE);
    await repos.outbox.scheduleRetry(a.id, m.id, 'w1', 'x'.repeat(5000), T0 + 15 * SECOND);
    expect((await repos.outbox.findAnyTenant(m.id))?.lastError).toHaveLength(1000);
    expect(await repos.outbox.claimNext('w1', T0 + 15 * SECOND - 1, MINUTE)).toBeUndefined();
    expect(await repos.outbox.claimNext('w1', T0 + 15 * SECOND, MINUTE)).toBeDefined();
  });

  it('#8 urgent mail is claimed before older bulk mail, and the urgent lane takes no bulk mail', async () => {
    const bulk = mail(a.id, newId(), 'bulk');
    const urgent = mail(a.id, newId(), 'urgent');
    await repos.outbox.enqueue(bulk, T0);
    await repos.outbox.enqueue(urgent, T0 + SECOND);
    expect((await repos.outbox.claimNext('w1', T0 + SECOND, MINUTE))?.id).toBe(urgent.id);
    expect(await repos.outbox.claimNext('w1', T0 + SECOND, MINUTE, true)).toBeUndefined();
    expect((await repos.outbox.claimNext('w1', T0 + SECOND, MINUTE))?.id).toBe(bulk.id);
  });

  it('#8 an undeliverable mail is never claimed again, keeps its reason for staff and loses its body', async () => {
    const m = mail(a.id);
    await repos.outbox.enqueue(m, T0);
    await repos.outbox.claimNext('w1', T0, MINUTE);
    await repos.outbox.markUndeliverable(a.id, m.id, 'w1', '550 mailbox unavailable', T0 + SECOND);
    expect(await repos.outbox.claimNext('w1', T0 + DAY, MINUTE)).toBeUndefined();
    expect(await repos.outbox.listFailed(a.id, 10)).toEqual([
      {
        id: m.id,
        event: 'authKey',
        to: 'taro@example.ac.jp',
        createdAt: T0,
        failedAt: T0 + SECOND,
        attempts: 1,
        reason: '550 mailbox unavailable',
      },
    ]);
    expect(await repos.outbox.findAnyTenant(m.id)).toMatchObject({ subject: '', text: '', html: '' });
  });

  it('#8 a sent mail loses its body', async () => {
    const m = mail(a.id);
    await repos.outbox.enqueue(m, T0);
    await repos.outbox.claimNext('w1', T0, MINUTE);
    await repos.outbox.markSent(a.id, m.id, T0);
    expect(await repos.outbox.findAnyTenant(m.id)).toMatchObject({ sentAt: T0, subject: '', text: '', html: '' });
  });

  it('#8 mail that never went out is deleted a week after it failed or was queued; fresh failures stay', async () => {
    const failedLongAgo = mail(a.id);
    const failedToday = mail(a.id);
    const stuck = mail(a.id);
    const pending = mail(a.id);
    for (const m of [failedLongAgo, failedToday, stuck]) await repos.outbox.enqueue(m, T0);
    await repos.outbox.enqueue(pending, T0 + 7 * DAY);
    await repos.outbox.claimNext('w1', T0, MINUTE);
    await repos.outbox.markUndeliverable(a.id, failedLongAgo.id, 'w1', '550', T0);
    await repos.outbox.claimNext('w1', T0, MINUTE);
    await repos.outbox.markUndeliverable(a.id, failedToday.id, 'w1', '550', T0 + 7 * DAY);
    expect(await repos.outbox.deleteUndeliverableBefore(T0 + 1)).toBe(3);
    expect((await repos.outbox.listRecent(10)).map((m) => m.id)).toEqual([pending.id]);
  });
});
