import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Algorithm, hash } from '@node-rs/argon2';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { seedDemoCatalogue } from '../src/dev/demo/demo-catalogue.js';
import { sealMail } from '../src/features/mail/mail.seal.js';
import { MailWorker } from '../src/features/mail/mail.worker.js';
import { operatorActor } from '../src/platform/actor.js';
import { newId } from '../src/platform/crypto.js';
import { createLogger } from '../src/runtime.js';
import {
  type ReadyStudent,
  readyStudent,
  settleMail,
  startKeyLogin,
  submitLogin,
  wrongKeyFor,
} from './helpers/accounts.js';
import { testDialect } from './helpers/database.js';
import { type Harness, TestBrowser, startHarness } from './helpers/harness.js';
import {
  type OrderingStudent,
  issuancePolicy,
  orderingStudent,
  placeOrder,
  registerTerminal,
  reservationNumberIn,
  terminalCall,
} from './helpers/orders.js';

const TOKEN = 'metrics-token-for-the-tests-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The JSON lines the app logged, as written. */
class LogLines extends Writable {
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line) this.raw.push(line);
    done();
  }
  get parsed(): Array<Record<string, unknown>> {
    return this.raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, one series a line. */
function parseExposition(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!;
    series.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return series;
}

function valueOf(series: Series[], name: string, labels: Record<string, string> = {}): number {
  return series
    .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(h: Harness): Promise<Series[]> {
  const response = await h.app.server.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(response.statusCode).toBe(200);
  return parseExposition(response.body);
}

/** What a metric moved by between two scrapes. */
function moved(before: Series[], after: Series[], name: string, labels: Record<string, string> = {}): number {
  return valueOf(after, name, labels) - valueOf(before, name, labels);
}

const DAY = 86_400_000;

describe('#13 metrics behind a token on the public port, and request ids', () => {
  let h: Harness;
  const logs = new LogLines();
  /** Every person, address and secret the tests use: none may appear in a label. */
  const personal: string[] = [TOKEN];

  beforeAll(async () => {
    const logger = createLogger(loadConfig({ LOG_LEVEL: 'info' }), logs);
    h = await startHarness({ policy: issuancePolicy, env: { METRICS_TOKEN: TOKEN, HASH_QUEUE_LIMIT: '1' }, logger });
    await h.uow.run(operatorActor(h.tenant.id), async (repos) => seedDemoCatalogue(repos, h.tenant.id));
  });
  afterAll(async () => {
    await h.close();
  });

  it('#13 /metrics answers 401 without the token or with a wrong one, and the Prometheus text with it', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const refused = await h.app.server.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(refused.body).not.toContain('shomei_');
    }
    const ok = await h.app.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.body).toContain('# TYPE shomei_http_requests_total counter');
    expect(ok.body).toContain('# TYPE shomei_http_request_duration_seconds histogram');
  });

  it('#13 HTTP requests are counted by route pattern and status, never the URL sent, with a latency histogram', async () => {
    const before = await scrape(h);
    expect((await h.app.server.inject({ method: 'GET', url: '/tu/login?lang=en&token=secret-xyz' })).statusCode).toBe(
      200,
    );
    expect((await h.app.server.inject({ method: 'GET', url: '/nobody-here/at/all/s2026001' })).statusCode).toBe(404);
    const after = await scrape(h);
    const login = { method: 'GET', route: '/:tenant/login', status: '200' };
    expect(moved(before, after, 'shomei_http_requests_total', login)).toBe(1);
    expect(moved(before, after, 'shomei_http_request_duration_seconds_count', { route: '/:tenant/login' })).toBe(1);
    expect(
      moved(before, after, 'shomei_http_request_duration_seconds_sum', { route: '/:tenant/login' }),
    ).toBeGreaterThan(0);
    expect(moved(before, after, 'shomei_http_requests_total', { status: '404' })).toBe(1);
    const routes = new Set(after.filter((s) => s.labels.route !== undefined).map((s) => s.labels.route!));
    for (const route of routes) {
      expect(route).toMatch(/^(unmatched|\/[\w:/*.-]*)$/);
      expect(route).not.toMatch(/secret|nobody-here|s2026001|\/tu\//);
    }
  });

  it('#13 logins by outcome per university: key sent, key failed, success, wrong credentials, locked', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const student = await readyStudent(h, browser);
    personal.push(student.userId, student.email, student.password, student.secondPassword);
    const tu = (outcome: string) => ({ tenant: 'tu', outcome });

    const before = await scrape(h);
    const { url, key } = await startKeyLogin(h, browser, student);
    personal.push(key);
    expect((await browser.post(url, { key: wrongKeyFor(key) }, { follow: false })).status).toBe(422);
    expect((await browser.post(url, { key }, { follow: false })).location).toBe('/tu/login/authenticated');
    const afterKey = await scrape(h);
    expect(moved(before, afterKey, 'shomei_logins_total', tu('key_sent'))).toBe(1);
    expect(moved(before, afterKey, 'shomei_logins_total', tu('key_failed'))).toBe(1);
    expect(moved(before, afterKey, 'shomei_logins_total', tu('success'))).toBe(1);

    const stranger = new TestBrowser(h, { lang: 'en', ip: '192.0.2.13' });
    const ghost = { userId: 'ghost-13', password: 'Not-The-Password-13' };
    personal.push(ghost.userId, ghost.password);
    let failures = 0;
    for (;;) {
      const page = await submitLogin(stranger, ghost, 'Nope-2026-13');
      if (page.status === 429) break;
      expect(page.status).toBe(401);
      failures++;
      expect(failures).toBeLessThan(20);
    }
    const afterLock = await scrape(h);
    expect(moved(afterKey, afterLock, 'shomei_logins_total', tu('wrong_credentials'))).toBe(failures);
    expect(moved(afterKey, afterLock, 'shomei_logins_total', tu('locked'))).toBe(1);
  });

  it('#13 the hash queue: hashes running and waiting, and a login refused with 503 when it is full', async () => {
    // A hash made with a high time cost keeps both workers busy long enough to be seen.
    const slow = await hash('slow', {
      algorithm: Algorithm.Argon2id,
      memoryCost: 19_456,
      timeCost: 24,
      parallelism: 1,
    });
    const hasher = h.app.services.hasher;
    const before = await scrape(h);
    const checks = [hasher.verify(slow, 'x'), hasher.verify(slow, 'y'), hasher.verify(slow, 'z')];
    const busy = await scrape(h);
    expect(valueOf(busy, 'shomei_hash_queue', { state: 'running' })).toBe(2);
    expect(valueOf(busy, 'shomei_hash_queue', { state: 'waiting' })).toBe(1);
    const browser = new TestBrowser(h, { lang: 'en' });
    await browser.get('/tu/login');
    const refused = await browser.post(
      '/tu/login',
      { userId: 'u1001', password: 'x', secondPassword: '' },
      { follow: false },
    );
    expect(refused.status).toBe(503);
    const after = await scrape(h);
    expect(moved(before, after, 'shomei_hash_refused_total')).toBe(1);
    expect(moved(before, after, 'shomei_http_requests_total', { route: '/:tenant/login', status: '503' })).toBe(1);
    await Promise.all(checks);
    const idle = await scrape(h);
    expect(valueOf(idle, 'shomei_hash_queue', { state: 'running' })).toBe(0);
    expect(valueOf(idle, 'shomei_hash_queue', { state: 'waiting' })).toBe(0);
  });

  /** The terminal calls' request ids: the development signer is made during one of them. */
  const terminalRequestIds: string[] = [];

  it('#13 orders by destination and state, terminal calls by operation and outcome, certificates issued', async () => {
    const student: OrderingStudent = await orderingStudent(h, 'ja');
    personal.push(student.userId, student.email, student.record.studentNumber, student.record.name.roman);
    const terminal = await registerTerminal(h, 'campus', h.tenant.id);
    personal.push(terminal.authorization.slice('Bearer '.length));
    const before = await scrape(h);

    const { page } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '2', 'copies-transcript-en': '1' });
    const number = reservationNumberIn(page.body);
    personal.push(number);
    const reserved = await scrape(h);
    expect(moved(before, reserved, 'shomei_orders', { destination: 'campus', state: 'reserved' })).toBe(1);

    expect(
      (await terminalCall(h, { authorization: 'Bearer nobody.nothing' }, 'GET', `/reservations/${number}`)).statusCode,
    ).toBe(401);
    const lookup = await terminalCall(h, terminal, 'GET', `/reservations/${number}`);
    expect(lookup.statusCode).toBe(200);
    terminalRequestIds.push(String(lookup.headers['x-request-id']));
    const amountYen = (lookup.json() as { amountYen: number }).amountYen;
    expect(
      (await terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: amountYen + 1 }))
        .statusCode,
    ).toBe(422);
    const payment = await terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen });
    expect(payment.statusCode).toBe(200);
    terminalRequestIds.push(String(payment.headers['x-request-id']));
    const documents = await terminalCall(h, terminal, 'GET', `/reservations/${number}/documents`);
    expect(documents.statusCode).toBe(200);
    terminalRequestIds.push(String(documents.headers['x-request-id']));
    expect((await terminalCall(h, terminal, 'GET', '/no-such-operation')).statusCode).toBe(404);

    const after = await scrape(h);
    const call = (operation: string, outcome: string) =>
      moved(before, after, 'shomei_terminal_requests_total', { operation, outcome });
    expect(call('lookup', 'unauthorized')).toBe(1);
    expect(call('lookup', 'ok')).toBe(1);
    expect(call('pay', 'amount_mismatch')).toBe(1);
    expect(call('pay', 'ok')).toBe(1);
    expect(call('documents', 'ok')).toBe(1);
    expect(call('unknown', 'not_found')).toBe(1);
    expect(moved(before, after, 'shomei_certificates_issued_total', { tenant: 'tu', type: 'enrollment' })).toBe(1);
    expect(moved(before, after, 'shomei_certificates_issued_total', { tenant: 'tu', type: 'transcript' })).toBe(1);
    expect(moved(reserved, after, 'shomei_orders', { destination: 'campus', state: 'reserved' })).toBe(-1);
    expect(moved(reserved, after, 'shomei_orders', { destination: 'campus', state: 'paid' })).toBe(1);
  });

  it('#13 every answer carries its request id in X-Request-Id, and every line logged for it carries the id', async () => {
    const forged = 'chosen-by-the-client-13';
    const response = await h.app.server.inject({
      method: 'GET',
      url: '/tu/login',
      headers: { 'x-request-id': forged },
    });
    const id = String(response.headers['x-request-id']);
    // Without a trusted proxy, a client does not choose the id its requests are logged under.
    expect(id).toMatch(UUID);
    const lines = logs.raw.filter((line) => line.includes(id));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ reqId: id });
      expect(line.match(/"reqId":/g)).toHaveLength(1);
    }
    expect(logs.raw.some((line) => line.includes(forged))).toBe(false);

    for (const url of ['/no-such-university/login', '/tu/%E0%A4%A']) {
      const failed = await h.app.server.inject({ method: 'GET', url });
      expect(failed.headers['x-request-id'], url).toMatch(UUID);
    }

    // A service logs with the shared logger, not the request's: the id reaches its lines too. The
    // development key is made by the first request that needs it (the order form checks the signer, C-11).
    const serviceLine = logs.parsed.find((line) => String(line.msg).includes('self-signed development signing'));
    expect(serviceLine?.reqId).toMatch(UUID);
    const requestLines = logs.parsed.filter((line) => line.reqId === serviceLine?.reqId && line.req !== undefined);
    expect(requestLines.length).toBeGreaterThan(0);
  });

  it('#13 process metrics come from this instance’s registry and move', async () => {
    const before = await scrape(h);
    await hash('some work for the CPU', {
      algorithm: Algorithm.Argon2id,
      memoryCost: 19_456,
      timeCost: 8,
      parallelism: 1,
    });
    for (let i = 0; i < 2e6; i++) Math.sqrt(i);
    const after = await scrape(h);
    expect(valueOf(after, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(valueOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(moved(before, after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it.runIf(testDialect === 'postgres')('#13 the PostgreSQL pool: connections open, idle and waited for', async () => {
    await h.database.db.connection().execute(async (held) => {
      await held.selectFrom('tenants').select('id').execute();
      const during = await scrape(h);
      const total = valueOf(during, 'shomei_db_pool_connections', { state: 'total' });
      const idle = valueOf(during, 'shomei_db_pool_connections', { state: 'idle' });
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total - idle).toBeGreaterThanOrEqual(1);
      expect(during.some((s) => s.name === 'shomei_db_pool_connections' && s.labels.state === 'waiting')).toBe(true);
    });
  });

  it.runIf(testDialect === 'sqlite')('#13 SQLite has no pool: no pool series', async () => {
    expect((await scrape(h)).some((s) => s.name === 'shomei_db_pool_connections')).toBe(false);
  });

  it('#13 the mail outbox per priority: queued, sending, failed, the oldest waiting; deliveries sent, retried, failed', async () => {
    await settleMail(h);
    const before = await scrape(h);
    const now = h.clock.now();
    const row = (overrides: Record<string, unknown>) => ({
      tenant_id: h.tenant.id,
      id: newId(),
      event: 'orderStatus',
      to_address: 'outbox-13@student.uni.example',
      subject: '',
      body_text: '',
      body_html: '',
      priority: 1,
      created_at: now,
      attempts: 0,
      next_attempt_at: now,
      locked_until: null,
      locked_by: null,
      sent_at: null,
      failed_at: null,
      last_error: null,
      ...overrides,
    });
    await h.database.db
      .insertInto('mail_outbox')
      .values([
        row({ priority: 0, event: 'authKey', next_attempt_at: now + DAY, attempts: 1 }),
        row({ locked_until: now + DAY, locked_by: 'another-instance', attempts: 1 }),
        row({ failed_at: now, last_error: 'refused', attempts: 1 }),
      ])
      .execute();
    h.clock.advance(90_000);
    const queued = await scrape(h);
    const outbox = (priority: string, state: string) =>
      moved(before, queued, 'shomei_mail_outbox', { priority, state });
    expect(outbox('urgent', 'queued')).toBe(1);
    expect(outbox('bulk', 'sending')).toBe(1);
    expect(outbox('bulk', 'failed')).toBe(1);
    expect(valueOf(queued, 'shomei_mail_outbox_oldest_age_seconds', { priority: 'urgent' })).toBeGreaterThanOrEqual(90);
    expect(valueOf(before, 'shomei_mail_outbox_oldest_age_seconds', { priority: 'urgent' })).toBe(0);

    // A key mail goes out through the app's own worker.
    const browser = new TestBrowser(h, { lang: 'en' });
    const student: ReadyStudent = await readyStudent(h, browser);
    personal.push(student.userId, student.email);
    const beforeKey = await scrape(h);
    await startKeyLogin(h, browser, student);
    await settleMail(h);
    const sent = await scrape(h);
    expect(moved(beforeKey, sent, 'shomei_mail_deliveries_total', { priority: 'urgent', outcome: 'sent' })).toBe(1);

    // A relay that defers one mail (451) and refuses another naming its recipient (550).
    const relay = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const code = address.address.startsWith('later') ? 451 : 550;
        callback(Object.assign(new Error(`<${address.address}> refused here`), { responseCode: code }));
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    await h.app.services.mailWorker.stop();
    const worker = new MailWorker(h.uow.repos.outbox, h.app.services.box, h.clock, h.app.services.logger, {
      smtpUrl: `smtp://127.0.0.1:${(relay.server.address() as AddressInfo).port}`,
      from: 'Shomei Test <no-reply@shomei.test>',
      metrics: h.app.services.metrics,
    });
    const recipients = ['later-13@student.uni.example', 'gone-13@student.uni.example'];
    personal.push(...recipients);
    for (const to of recipients)
      await h.uow.repos.outbox.enqueue(
        {
          id: newId(),
          tenantId: h.tenant.id,
          event: 'orderStatus',
          to,
          priority: 'bulk',
          ...sealMail(h.app.services.box, { subject: 'Your order', text: 'Shipped', html: '<p>Shipped</p>' }),
        },
        h.clock.now(),
      );
    try {
      await worker.drain();
    } finally {
      await worker.stop();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
    const refused = await scrape(h);
    expect(moved(sent, refused, 'shomei_mail_deliveries_total', { priority: 'bulk', outcome: 'retry' })).toBe(1);
    expect(moved(sent, refused, 'shomei_mail_deliveries_total', { priority: 'bulk', outcome: 'failed' })).toBe(1);
    expect(moved(sent, refused, 'shomei_mail_outbox', { priority: 'bulk', state: 'failed' })).toBe(1);

    // The worker's lines say which mail and what happened, never to whom.
    const undeliverable = logs.parsed.find((line) => line.msg === 'mail undeliverable' && line.event === 'orderStatus');
    expect(undeliverable).toMatchObject({ tenantId: h.tenant.id, reason: expect.stringContaining('[address]') });
    expect(logs.parsed.some((line) => line.msg === 'mail delivery failed, will retry')).toBe(true);
    expect(logs.parsed.some((line) => line.msg === 'mail delivered' && line.event === 'authKey')).toBe(true);
    // A value counts as leaked where it stands as itself: a six-digit key inside a response time
    // (111.530842…) is a coincidence of digits, not the key.
    for (const line of logs.raw)
      for (const value of personal)
        expect(line).not.toMatch(new RegExp(`(?<![0-9A-Za-z])${escaped(value)}(?![0-9A-Za-z])`));
  });

  it('#13 no label carries a user id, mail address, token, reservation number or raw URL', async () => {
    const series = await scrape(h);
    const values = new Set(series.flatMap((s) => Object.values(s.labels)));
    expect(values.size).toBeGreaterThan(10);
    for (const value of values) {
      expect(value).not.toMatch(/@|\?|\d{12}/);
      for (const secret of personal) expect(value).not.toBe(secret);
      for (const secret of personal) if (secret.length >= 6) expect(value).not.toContain(secret);
    }
    const names = new Set(series.flatMap((s) => Object.keys(s.labels)));
    for (const name of names) expect(['user', 'userId', 'email', 'address', 'ip', 'token', 'url']).not.toContain(name);
  });
});

describe('#13 metrics on a port of their own, or off', () => {
  let withPort: Harness;
  let withPortAndToken: Harness;
  let off: Harness;

  beforeAll(async () => {
    withPort = await startHarness({ env: { METRICS_PORT: '0' } });
    withPortAndToken = await startHarness({ env: { METRICS_PORT: '0', METRICS_TOKEN: TOKEN } });
    off = await startHarness();
  });
  afterAll(async () => {
    await Promise.all([withPort.close(), withPortAndToken.close(), off.close()]);
  });

  it('#13 with METRICS_PORT, /metrics is served on loopback there and is not reachable on the public port', async () => {
    const server = withPort.app.metricsServer!;
    expect(server).toBeDefined();
    expect((await withPort.app.server.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    const scraped = await fetch(`http://127.0.0.1:${address.port}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('shomei_logins_total');
    expect((await fetch(`http://127.0.0.1:${address.port}/healthz`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${address.port}/tu/login`)).status).toBe(404);
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsHost).toBe('127.0.0.1');
  });

  it('#13 with METRICS_PORT and METRICS_TOKEN, the port asks for the token too', async () => {
    const server = withPortAndToken.app.metricsServer!;
    expect((await server.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const ok = await server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    const publicPort = await withPortAndToken.app.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(publicPort.statusCode).toBe(404);
  });

  it('#13 with neither, there is no /metrics anywhere', async () => {
    expect(off.app.metricsServer).toBeUndefined();
    const response = await off.app.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('shomei_');
  });
});

function escaped(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
