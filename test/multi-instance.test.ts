import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { UnitOfWork } from '../src/db/unit-of-work.js';
import { sealMail } from '../src/features/mail/mail.seal.js';
import { OutboxRepository } from '../src/features/mail/outbox.repository.js';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { TenantService } from '../src/features/tenants/tenant.service.js';
import { systemClock } from '../src/platform/clock.js';
import { SecretBox, newId } from '../src/platform/crypto.js';
import { PasswordHasher } from '../src/platform/password-hasher.js';
import { type TestDatabase, freshDatabase, testDialect } from './helpers/database.js';
import { HttpBrowser } from './helpers/http-browser.js';
import { TestSmtpServer, keyIn, urlIn } from './helpers/smtp.js';

/**
 * #3: two Shomei processes behind one PostgreSQL behave as one service. Runs in the PostgreSQL
 * pass of the suite (TEST_DATABASE_URL set), which CI always makes.
 */
const describePostgres = testDialect === 'postgres' ? describe : describe.skip;

const SECRET_KEY = 'multi-instance-test-secret-key-0123456789abcdef';
let database: TestDatabase;
let smtp: TestSmtpServer;
let tenant: Tenant;
let tenants: TenantService;
const instances: Array<{ process: ChildProcess; base: string }> = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startInstance(smtpUrl: string): Promise<{ process: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      SMTP_URL: smtpUrl,
      SECRET_KEY,
      PUBLIC_URL: 'http://shomei.test',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { process: child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('instance did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let studentCounter = 0;
async function newStudent(): Promise<{ userId: string; password: string }> {
  const student = { userId: `mi${++studentCounter}${newId().slice(0, 4)}`, password: `Multi-pass-${studentCounter}` };
  await tenants.setRosterPassword(tenant, student.userId, student.password);
  return student;
}

/** First login on A, the mail address confirmed, and the second password set on B. */
async function setUp(a: string, b: string, student: { userId: string; password: string }, email: string) {
  const browser = new HttpBrowser({ lang: 'en' });
  await browser.get(`${a}/mi/login`);
  const start = await browser.post(`${a}/mi/login`, { ...student, secondPassword: '' });
  expect(start.location).toMatch(/\/mi\/mail-address\?flow=/);
  await browser.get(`${b}${start.location}`);
  const since = smtp.count();
  const sent = await browser.post(`${b}${start.location}`, { address: email, check: email });
  expect(sent.status).toBe(303);
  const link = urlIn(await smtp.waitFor(email, { since }));
  await browser.get(`${a}${link.pathname}${link.search}`);
  expect((await browser.post(`${a}/mi/mail-address/confirm`, { token: link.searchParams.get('token')! })).status).toBe(
    303,
  );
  await browser.get(`${b}/mi/login`);
  const setup = await browser.post(`${b}/mi/login`, { ...student, secondPassword: '' });
  await browser.get(`${a}${setup.location}`);
  expect(
    (await browser.post(`${a}${setup.location}`, { secondPassword: 'Multi2026Set', check: 'Multi2026Set' })).status,
  ).toBe(303);
  return browser;
}

describePostgres('#3 several instances on one PostgreSQL', () => {
  beforeAll(async () => {
    smtp = new TestSmtpServer();
    const smtpUrl = await smtp.start();
    database = await freshDatabase();
    tenants = new TenantService({
      uow: new UnitOfWork(database.handle.db, systemClock),
      clock: systemClock,
      hasher: new PasswordHasher({ concurrency: 2, queueLimit: 100 }),
      config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, PUBLIC_URL: 'http://shomei.test' }),
    });
    tenant = await tenants.create({ slug: 'mi', name: { ja: '複数大学', en: 'Multi University' } });
    instances.push(await startInstance(smtpUrl), await startInstance(smtpUrl));
  }, 90_000);

  afterAll(async () => {
    for (const instance of instances) {
      instance.process.kill('SIGTERM');
      await new Promise((resolve) => instance.process.once('exit', resolve));
    }
    await database?.drop();
    await smtp?.stop();
  }, 60_000);

  it('#3 a login begun on one instance finishes on the other, and its session works on both', async () => {
    const [a, b] = instances.map((i) => i.base) as [string, string];
    const student = await newStudent();
    const email = `${student.userId}@mail.test`;
    const browser = await setUp(a, b, student, email);

    await browser.get(`${a}/mi/login`);
    const since = smtp.count();
    const login = await browser.post(`${a}/mi/login`, { ...student, secondPassword: 'Multi2026Set' });
    expect(login.location).toMatch(/\/mi\/login\/key\?flow=/);
    const key = keyIn(await smtp.waitFor(email, { since }));
    await browser.get(`${b}${login.location}`);
    const done = await browser.post(`${b}${login.location}`, { key });
    expect(done.location).toBe('/mi/login/authenticated');
    expect((await browser.get(`${a}/mi/home`)).status).toBe(200);
    expect((await browser.get(`${b}/mi/home`)).status).toBe(200);
    await browser.get(`${a}/mi/home`);
    expect((await browser.post(`${b}/mi/logout`, {})).location).toBe('/mi/login?notice=loggedOut');
    const afterLogout = new HttpBrowser();
    for (const [name, value] of browser.cookies) afterLogout.cookies.set(name, value);
    expect((await afterLogout.get(`${a}/mi/home`)).status).toBe(303);
  });

  it('#3 one one-time URL raced on both instances is used exactly once', async () => {
    const [a, b] = instances.map((i) => i.base) as [string, string];
    const student = await newStudent();
    const email = `${student.userId}@mail.test`;
    const browser = new HttpBrowser();
    await browser.get(`${a}/mi/login`);
    const start = await browser.post(`${a}/mi/login`, { ...student, secondPassword: '' });
    await browser.get(`${a}${start.location}`);
    const since = smtp.count();
    await browser.post(`${a}${start.location}`, { address: email, check: email });
    const link = urlIn(await smtp.waitFor(email, { since }));
    const racers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const racer = new HttpBrowser();
        const base = i % 2 === 0 ? a : b;
        await racer.get(`${base}${link.pathname}${link.search}`);
        return { racer, base };
      }),
    );
    const results = await Promise.all(
      racers.map(({ racer, base }) =>
        racer.post(`${base}/mi/mail-address/confirm`, { token: link.searchParams.get('token')! }),
      ),
    );
    const completed = (r: { location: string | null }) => r.location === '/mi/mail-address/complete';
    expect(results.filter(completed)).toHaveLength(1);
    // #10: the others are sent to the link's page, which says it was used.
    const losers = await Promise.all(
      results.flatMap((r, i) => (completed(r) ? [] : [racers[i]!.racer.get(`${racers[i]!.base}${r.location}`)])),
    );
    expect(losers.filter((r) => r.status === 410)).toHaveLength(19);
  });

  it('#3 wrong-key counters are shared: entries on both instances kill the key at exactly the limit', async () => {
    const [a, b] = instances.map((i) => i.base) as [string, string];
    const student = await newStudent();
    const email = `${student.userId}@mail.test`;
    const browser = await setUp(a, b, student, email);
    await browser.get(`${a}/mi/login`);
    const since = smtp.count();
    const login = await browser.post(`${a}/mi/login`, { ...student, secondPassword: 'Multi2026Set' });
    const key = keyIn(await smtp.waitFor(email, { since }));
    const wrong = key === '000000' ? '111111' : '000000';
    await browser.get(`${a}${login.location}`);
    const csrf = browser.csrf();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => browser.post(`${i % 2 ? a : b}${login.location}`, { key: wrong }, csrf)),
    );
    const row = await database.handle.db
      .selectFrom('auth_keys')
      .select('failed_attempts')
      .where('tenant_id', '=', tenant.id)
      .orderBy('issued_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(5);
    const right = await browser.post(`${b}${login.location}`, { key }, csrf);
    expect(right.status).toBe(422);
    expect(right.body).toContain('Authentication key invalidated');
  });

  it('#3 rate limits are shared: failures spread over both instances lock the user ID after 10', async () => {
    const [a, b] = instances.map((i) => i.base) as [string, string];
    const student = await newStudent();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const base = i % 2 ? a : b;
      const browser = new HttpBrowser();
      await browser.get(`${base}/mi/login`);
      statuses.push(
        (
          await browser.post(`${base}/mi/login`, {
            userId: student.userId,
            password: 'wrong-password',
            secondPassword: '',
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('#3 both instances drain the outbox and no mail is sent twice', async () => {
    const outbox = new OutboxRepository(database.handle.db);
    const box = new SecretBox(SECRET_KEY);
    const before = smtp.count();
    const ids = Array.from({ length: 60 }, () => newId());
    for (const id of ids) {
      await outbox.enqueue(
        {
          id,
          tenantId: tenant.id,
          event: 'test',
          to: 'outbox@mail.test',
          priority: 'bulk',
          ...sealMail(box, { subject: `outbox ${id}`, text: id, html: `<p>${id}</p>` }),
        },
        Date.now(),
      );
    }
    const deadline = Date.now() + 30_000;
    while (smtp.count('outbox@mail.test') < ids.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 2_500));
    const received = smtp.mails
      .slice(before)
      .filter((m) => m.to.includes('outbox@mail.test'))
      .map((m) => m.subject);
    expect(received).toHaveLength(ids.length);
    expect(new Set(received).size).toBe(ids.length);
    const unsent = await database.handle.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(unsent).toHaveLength(0);
  });
});
