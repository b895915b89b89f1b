import type { DatabaseHandle } from './db/database.js';
import type { OutboxBacklog } from './features/mail/outbox.model.js';
import { destinations, orderStates } from './features/orders/order.state.js';
import type { UnitOfWork } from './db/unit-of-work.js';
import type { Clock } from './platform/clock.js';
import type { Metrics } from './platform/metrics.js';
import type { PasswordHasher } from './platform/password-hasher.js';

/**
 * The gauges read when Prometheus scrapes, not kept up to date as things happen: the hash queue
 * and the connection pool are this instance's, the outbox and the orders are the database's
 * (every instance reports the same numbers, so rules take max(), not sum()).
 */
export function observeAtScrape(
  metrics: Metrics,
  { uow, hasher, database, clock }: { uow: UnitOfWork; hasher: PasswordHasher; database: DatabaseHandle; clock: Clock },
): void {
  metrics.readAtScrape('shomei_hash_queue', 'Password hashes on this instance, running or waiting', ['state'], () => [
    { labels: { state: 'running' }, value: hasher.running },
    { labels: { state: 'waiting' }, value: hasher.waiting },
  ]);

  // Both outbox gauges are collected at once in a scrape: they share one read.
  let reading: Promise<OutboxBacklog[]> | undefined;
  const readBacklog = () =>
    (reading ??= uow.repos.outbox.backlog(clock.now()).finally(() => {
      reading = undefined;
    }));

  metrics.readAtScrape(
    'shomei_mail_outbox',
    'Mail in the outbox by priority and state: queued (incl. waiting for a retry), sending, failed',
    ['priority', 'state'],
    async () => {
      const samples = [];
      for (const priority of ['urgent', 'bulk'])
        for (const state of ['queued', 'sending', 'failed']) samples.push({ labels: { priority, state }, value: 0 });
      for (const row of await readBacklog()) {
        const sample = samples.find((s) => s.labels.priority === row.priority && s.labels.state === row.state);
        if (sample) sample.value = row.count;
      }
      return samples;
    },
  );

  metrics.readAtScrape(
    'shomei_mail_outbox_oldest_age_seconds',
    'Age of the oldest mail not yet sent (queued or sending), by priority; 0 when there is none',
    ['priority'],
    async () => {
      const rows = await readBacklog();
      const now = clock.now();
      const oldest = new Map<string, number>();
      for (const row of rows)
        if (row.oldestCreatedAt !== null)
          oldest.set(row.priority, Math.min(oldest.get(row.priority) ?? Infinity, row.oldestCreatedAt));
      return ['urgent', 'bulk'].map((priority) => ({
        labels: { priority },
        value: Math.max(0, (now - (oldest.get(priority) ?? now)) / 1000),
      }));
    },
  );

  metrics.readAtScrape(
    'shomei_orders',
    'Orders by destination and state, every university together',
    ['destination', 'state'],
    async () => {
      const counts = new Map<string, number>();
      for (const row of await uow.repos.orders.countByDestinationAndState())
        counts.set(`${row.destination}/${row.state}`, row.count);
      return destinations.flatMap((destination) =>
        orderStates.map((state) => ({
          labels: { destination, state },
          value: counts.get(`${destination}/${state}`) ?? 0,
        })),
      );
    },
  );

  if (database.dialect === 'postgres') {
    const pool = database.pool;
    metrics.readAtScrape(
      'shomei_db_pool_connections',
      'PostgreSQL connections of this instance: open (total), idle, and requests waiting for one',
      ['state'],
      () => [
        { labels: { state: 'total' }, value: pool.totalCount },
        { labels: { state: 'idle' }, value: pool.idleCount },
        { labels: { state: 'waiting' }, value: pool.waitingCount },
      ],
    );
  }
}
