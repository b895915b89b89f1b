import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { UnitOfWork } from '../src/db/unit-of-work.js';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { TenantService } from '../src/features/tenants/tenant.service.js';
import { systemClock } from '../src/platform/clock.js';
import { PasswordHasher } from '../src/platform/password-hasher.js';
import { testDialect } from './helpers/database.js';
import { HttpBrowser } from './helpers/http-browser.js';
import { type ShomeiProcess, startShomei } from './helpers/shomei-process.js';
import { TestSmtpServer } from './helpers/smtp.js';
import { ThrowawayPostgres } from './helpers/throwaway-postgres.js';

/**
 * #8: faults that must not cost a request. Two Shomei processes on one PostgreSQL cluster of this
 * file's own (so it may restart it), under a bounded load of first logins that each end in a
 * queued confirmation mail. Every loop here has a fixed count or a deadline.
 */
const describeOnPostgres = testDialect === 'postgres' ? describe : describe.skip;

const PASSWORD = 'Fault-pass-2026';
const JOURNEYS = 48;
const CONCURRENCY = 4;
const STEP_TIMEOUT_MS = 15_000;

let cluster: ThrowawayPostgres;
let handle: DatabaseHandle;
let uow: UnitOfWork;
let smtp: TestSmtpServer;
let tenant: Tenant;
let passwordHash: string;
const instances: ShomeiProcess[] = [];

interface Exchange {
  base: string;
  /** 0 when no answer came (refused, reset, timed out). */
  status: number;
  startedAt: number;
  endedAt: number;
}

interface Journey {
  address: string;
  /** The confirmation mail was accepted (303). */
  mailed: boolean;
}

async function newStudents(prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  for (const id of ids) await uow.repos.roster.upsert(tenant.id, id, passwordHash, Date.now());
  return ids;
}

/** A first login: the login page, the password, the mail-address form, the address sent. */
async function firstLogin(userId: string, pick: () => string, log: Exchange[]): Promise<Journey> {
  const browser = new HttpBrowser({ lang: 'en' });
  const address = `${userId}@mail.test`;
  const step = async (request: (base: string) => Promise<{ status: number; location: string | null }>) => {
    const base = pick();
    const startedAt = Date.now();
    const signal = AbortSignal.timeout(STEP_TIMEOUT_MS);
    const expired = new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined)));
    const answer = await Promise.race([request(base), expired]).catch(() => undefined);
    log.push({ base, status: answer?.status ?? 0, startedAt, endedAt: Date.now() });
    return answer;
  };
  const page = await step((base) => browser.get(`${base}/fa/login`));
  if (page?.status !== 200) return { address, mailed: false };
  const login = await step((base) =>
    browser.post(`${base}/fa/login`, { userId, password: PASSWORD, secondPassword: '' }),
  );
  if (login?.status !== 303 || !login.location) return { address, mailed: false };
  const form = await step((base) => browser.get(`${base}${login.location}`));
  if (form?.status !== 200) return { address, mailed: false };
  const sent = await step((base) => browser.post(`${base}${login.location}`, { address, check: address }));
  return { address, mailed: sent?.status === 303 };
}

/** `students.length` journeys, `CONCURRENCY` at a time; `fault` is started once a quarter are done. */
async function underLoad(students: string[], pick: () => string, fault: () => Promise<void>) {
  const log: Exchange[] = [];
  const journeys: Journey[] = [];
  let next = 0;
  let faulted: Promise<void> | undefined;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < students.length) {
        const index = next++;
        journeys[index] = await firstLogin(students[index]!, pick, log);
        if (!faulted && journeys.filter(Boolean).length >= students.length / 4) faulted = fault();
      }
    }),
  );
  await faulted;
  return { log, journeys };
}

/**
 * Waits (bounded) until these addresses' mail is sent, or what is left unsent stays so for two
 * seconds (claimed by a killed instance: its lease has to run out first), then a little longer
 * for any second copy to show.
 */
/**
 * Waits until every committed mail to these addresses is sent; with `leasesMayBeLost` (an instance
 * was killed holding claims that run out only after a minute), until nothing has moved for 2 s.
 */
async function mailSettles(addresses: string[], { leasesMayBeLost = false } = {}): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const unsent = await handle.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('to_address', 'in', addresses)
      .where('sent_at', 'is', null)
      .execute();
    if (unsent.length === 0) break;
    if (unsent.length !== last) [last, stableSince] = [unsent.length, Date.now()];
    else if (leasesMayBeLost && Date.now() - stableSince > 2_000) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500));
}

async function outboxRows(address: string): Promise<Array<{ sent_at: number | null }>> {
  return handle.db.selectFrom('mail_outbox').select('sent_at').where('to_address', '=', address).execute();
}

describeOnPostgres(
  '#8 faults that must not cost a request (PostgreSQL only, on a cluster it restarts; skipped on SQLite, which has no server to lose)',
  () => {
    beforeAll(async () => {
      cluster = await ThrowawayPostgres.start();
      handle = openDatabase(cluster.url);
      await migrateToLatest(handle.db);
      uow = new UnitOfWork(handle.db, systemClock);
      const hasher = new PasswordHasher({ concurrency: 2, queueLimit: 10 });
      tenant = await new TenantService({
        uow,
        clock: systemClock,
        hasher,
        config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: cluster.url }),
      }).create({
        slug: 'fa',
        name: { ja: '障害大学', en: 'Fault University' },
      });
      passwordHash = await hasher.hash(PASSWORD);
      smtp = new TestSmtpServer();
      const smtpUrl = await smtp.start();
      // Kept as each is ready, so that afterAll stops them even when the other never starts.
      await Promise.all(
        [1, 2].map(async () => instances.push(await startShomei({ DATABASE_URL: cluster.url, SMTP_URL: smtpUrl }))),
      );
    }, 90_000);

    afterAll(async () => {
      await Promise.all(instances.map((instance) => instance.stop()));
      await handle?.close();
      await cluster?.destroy();
      await smtp?.stop();
    }, 30_000);

    it('#8 /readyz answers 503 within two seconds while PostgreSQL is down, pages 503 (not 500), and 200 once it is back', async () => {
      const [a] = instances as [ShomeiProcess];
      expect((await fetch(`${a.base}/readyz`)).status).toBe(200);
      await cluster.stop();
      try {
        const startedAt = Date.now();
        const ready = await fetch(`${a.base}/readyz`);
        expect(ready.status).toBe(503);
        expect(Date.now() - startedAt).toBeLessThan(2_000);
        const page = await fetch(`${a.base}/fa/login`);
        expect(page.status).toBe(503);
        expect(page.headers.get('retry-after')).toBe('5');
      } finally {
        await cluster.start();
      }
      expect((await fetch(`${a.base}/readyz`)).status).toBe(200);
      expect((await fetch(`${a.base}/fa/login`)).status).toBe(200);
    });

    it('#8 PostgreSQL restarted (pg_ctl restart -m fast) under load: no 500, nothing lost, no mail twice', async () => {
      const students = await newStudents('rs', JOURNEYS);
      const bases = instances.map((instance) => instance.base);
      let turn = 0;
      let down = { from: 0, until: 0 };
      const { log, journeys } = await underLoad(
        students,
        () => bases[turn++ % bases.length]!,
        async () => {
          const from = Date.now();
          await cluster.restart();
          down = { from, until: Date.now() };
        },
      );

      // The restart happened while requests were in flight, so the test proves something.
      expect(down.until).toBeGreaterThan(0);
      expect(log.some((e) => e.startedAt <= down.until && e.endedAt >= down.from)).toBe(true);
      expect(log.filter((e) => e.status === 500)).toEqual([]);
      // No request answers 500. One caught by the restart itself may be refused with 503 (a write
      // outside a transaction that was in flight is not run twice: docs/security/faults.md), and
      // only one that began while the database was away; the rest waited or ran again.
      const failed = log.filter((e) => e.status !== 200 && e.status !== 303);
      for (const exchange of failed) {
        expect(exchange.status).toBe(503);
        expect(exchange.startedAt).toBeLessThanOrEqual(down.until);
      }

      await mailSettles(journeys.map((journey) => journey.address));
      for (const journey of journeys) {
        const rows = await outboxRows(journey.address);
        // Committed once, never twice; each sent exactly as often as it was committed.
        expect(rows.length, journey.address).toBe(journey.mailed ? 1 : rows.length);
        expect(rows.length, journey.address).toBeLessThanOrEqual(1);
        expect(smtp.count(journey.address), journey.address).toBe(rows.length);
      }
    }, 60_000);

    it('#8 one instance killed (kill -9) under load: the other keeps serving, nothing lost, no mail twice', async () => {
      const students = await newStudents('kl', JOURNEYS);
      const [victim, survivor] = instances as [ShomeiProcess, ShomeiProcess];
      // As a load balancer does: the dead instance gets no new requests once it is gone.
      const live = [victim.base, survivor.base];
      let turn = 0;
      let killedAt = 0;
      const { log, journeys } = await underLoad(
        students,
        () => live[turn++ % live.length]!,
        async () => {
          killedAt = Date.now();
          live.splice(live.indexOf(victim.base), 1);
          victim.process.kill('SIGKILL');
        },
      );

      expect(killedAt).toBeGreaterThan(0);
      const fromSurvivor = log.filter((e) => e.base === survivor.base);
      expect(fromSurvivor.filter((e) => e.startedAt > killedAt).length).toBeGreaterThan(0);
      expect(fromSurvivor.filter((e) => e.status !== 200 && e.status !== 303)).toEqual([]);
      expect(log.filter((e) => e.status === 500)).toEqual([]);

      await mailSettles(
        journeys.map((journey) => journey.address),
        { leasesMayBeLost: true },
      );
      for (const journey of journeys) {
        const rows = await outboxRows(journey.address);
        if (journey.mailed) expect(rows.length, journey.address).toBe(1);
        expect(rows.length, journey.address).toBeLessThanOrEqual(1);
        // A mail the killed instance had claimed waits for its lease to run out: late, never twice.
        expect(smtp.count(journey.address), journey.address).toBeLessThanOrEqual(1);
        if (rows[0]?.sent_at) expect(smtp.count(journey.address), journey.address).toBe(1);
      }
    }, 60_000);
  },
);
