import net from 'node:net';
import pino from 'pino';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDatabase, freshDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ManualClock } from '../../platform/clock.js';
import { SecretBox, newId } from '../../platform/crypto.js';
import { sealMail } from './mail.seal.js';
import { MailWorker, isPermanentSmtpFailure, retryDelayMs, withTimeouts } from './mail.worker.js';
import { OutboxRepository } from './outbox.repository.js';

interface Received {
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
}

/** A real SMTP server on loopback that can be stopped and started again on the same port. */
class LoopbackSmtp {
  readonly mails: Received[] = [];
  private server: SMTPServer | undefined;

  constructor(public port = 0) {}

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          PostalMime.parse(Buffer.concat(chunks))
            .then((parsed) => {
              this.mails.push({
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                headers: Object.fromEntries(parsed.headers.map((h) => [h.key, h.value])),
              });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.server.address();
    if (!address || typeof address === 'string') throw new Error('smtp server has no port');
    this.port = address.port;
    this.server = server;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A loopback port nobody listens on (taken and released at once). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return address.port;
}

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const silent = pino({ level: 'silent' });
const box = new SecretBox('mail-worker-test-secret-key-0123456789');

let database: DatabaseHandle;
let testDatabase: TestDatabase;
let outbox: OutboxRepository;
let clock: ManualClock;
let smtp: LoopbackSmtp;
const workers: MailWorker[] = [];

function worker(smtpUrl: string | undefined, options: { concurrency?: number } = {}): MailWorker {
  const w = new MailWorker(outbox, box, clock, silent, {
    smtpUrl,
    from: 'Shomei Test <no-reply@shomei.test>',
    pollIntervalMs: 60_000,
    ...options,
  });
  workers.push(w);
  return w;
}

async function enqueue(subject = `Mail ${newId()}`, to = 'taro@example.ac.jp'): Promise<string> {
  const id = newId();
  await outbox.enqueue(
    {
      id,
      tenantId: 'tenant-a',
      event: 'authKey',
      to,
      priority: 'bulk',
      ...sealMail(box, { subject, text: `Body of ${subject}`, html: `<p>${subject}</p>` }),
    },
    clock.now(),
  );
  return id;
}

async function row(id: string) {
  return database.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

beforeEach(async () => {
  testDatabase = await freshDatabase();
  database = testDatabase.handle;
  outbox = new OutboxRepository(database.db);
  clock = new ManualClock(T0);
  smtp = new LoopbackSmtp();
  await smtp.start();
});

afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  await smtp.stop();
  await testDatabase.drop();
});

describe('MailWorker (Q-2: durable outbox, retried until delivered)', () => {
  it('Q-2 drain delivers a queued mail over SMTP and marks it sent', async () => {
    const id = await enqueue('Authentication key', 'hanako@example.ac.jp');
    expect(await worker(smtp.url).drain()).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({
      to: ['hanako@example.ac.jp'],
      subject: 'Authentication key',
      text: expect.stringContaining('Body of Authentication key') as unknown as string,
    });
    expect(smtp.mails[0]?.headers['x-shomei-event']).toBe('authKey');
    expect(smtp.mails[0]?.headers['auto-submitted']).toBe('auto-generated');
    const stored = await row(id);
    expect(stored.sent_at).toBe(T0);
    expect(stored.attempts).toBe(1);
    expect(stored.last_error).toBeNull();
    expect(stored.locked_until).toBeNull();
  });

  it('Q-2 a sent mail is never sent again', async () => {
    await enqueue();
    const w = worker(smtp.url);
    expect(await w.drain()).toBe(1);
    clock.advance(24 * 60 * 60 * 1000);
    expect(await w.drain()).toBe(0);
    expect(smtp.mails).toHaveLength(1);
  });

  it('Q-2 Japanese subjects and bodies arrive intact', async () => {
    await enqueue('【テスト大学】認証キー');
    await worker(smtp.url).drain();
    expect(smtp.mails[0]?.subject).toBe('【テスト大学】認証キー');
    expect(smtp.mails[0]?.text).toContain('Body of 【テスト大学】認証キー');
  });

  it('Q-2 drain delivers more mails than one batch holds', async () => {
    for (let i = 0; i < 7; i++) await enqueue(`Mail ${i}`);
    expect(await worker(smtp.url, { concurrency: 3 }).drain()).toBe(7);
    expect(smtp.mails.map((m) => m.subject).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `Mail ${i}`));
  });

  it('Q-2 an unreachable server: the mail is marked failed, attempts+1, retried later, not at once', async () => {
    const port = await closedPort();
    const id = await enqueue('Key mail');
    const w = worker(`smtp://127.0.0.1:${port}`);
    expect(await w.drain()).toBe(0);
    const failed = await row(id);
    expect(failed.sent_at).toBeNull();
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toBeTruthy();
    expect(failed.locked_until).toBeNull();
    expect(failed.next_attempt_at).toBe(T0 + retryDelayMs(1));
    expect(failed.next_attempt_at).toBeGreaterThan(clock.now());

    // Before the retry time a drain does not even try.
    clock.advance(retryDelayMs(1) - 1);
    expect(await w.drain()).toBe(0);
    expect((await row(id)).attempts).toBe(1);

    // Still down at the retry time: the second failure waits longer.
    clock.advance(1);
    expect(await w.drain()).toBe(0);
    const again = await row(id);
    expect(again.attempts).toBe(2);
    expect(again.next_attempt_at).toBe(clock.now() + retryDelayMs(2));
    expect(retryDelayMs(2)).toBeGreaterThan(retryDelayMs(1));
  });

  it('Q-2 a stopped server: failed now, delivered on a later drain once it is back and the retry time has come', async () => {
    const id = await enqueue('Confirmation');
    const w = worker(smtp.url);
    await smtp.stop();

    expect(await w.drain()).toBe(0);
    const failed = await row(id);
    expect(failed.attempts).toBe(1);
    expect(failed.sent_at).toBeNull();
    expect(failed.next_attempt_at).toBe(T0 + retryDelayMs(1));

    await smtp.start();
    // Back, but the retry time has not come: nothing is sent yet.
    expect(await w.drain()).toBe(0);
    expect(smtp.mails).toHaveLength(0);

    clock.advance(retryDelayMs(1));
    expect(await w.drain()).toBe(1);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Confirmation']);
    const sent = await row(id);
    expect(sent.sent_at).toBe(clock.now());
    expect(sent.attempts).toBe(2);
    expect(sent.last_error).toBeNull();
  });

  it('Q-2 one failing mail does not hold back the others', async () => {
    const good = await enqueue('Good');
    // The SMTP server refuses this recipient; the mail after it still goes.
    const badSmtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo: (address, _session, callback) =>
        address.address.startsWith('bad@') ? callback(new Error('mailbox unavailable')) : callback(),
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => badSmtp.listen(0, '127.0.0.1', () => resolve()));
    const address = badSmtp.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    try {
      clock.advance(1);
      const bad = await enqueue('Bad', 'bad@example.ac.jp');
      expect(await worker(`smtp://127.0.0.1:${address.port}`).drain()).toBe(1);
      expect((await row(good)).sent_at).not.toBeNull();
      expect((await row(bad)).sent_at).toBeNull();
      expect((await row(bad)).attempts).toBe(1);
      expect((await row(bad)).last_error).toContain('mailbox unavailable');
    } finally {
      await new Promise<void>((resolve) => badSmtp.close(() => resolve()));
    }
  });

  it('Q-2 two workers draining the same outbox at once never send a mail twice', async () => {
    const subjects = Array.from({ length: 16 }, (_, i) => `Mail ${String(i).padStart(2, '0')}`);
    const ids = [];
    for (const subject of subjects) ids.push(await enqueue(subject));
    const first = worker(smtp.url, { concurrency: 3 });
    const second = worker(smtp.url, { concurrency: 3 });
    const [one, two] = await Promise.all([first.drain(), second.drain()]);
    expect(one + two).toBe(subjects.length);
    expect(smtp.mails.map((m) => m.subject).sort()).toEqual(subjects);
    for (const id of ids) {
      const stored = await row(id);
      expect(stored.sent_at).not.toBeNull();
      expect(stored.attempts).toBe(1);
    }
    expect(await first.drain()).toBe(0);
    expect(await second.drain()).toBe(0);
    expect(smtp.mails).toHaveLength(subjects.length);
  });

  it('Q-2 kick delivers at once after start, without waiting for the poll', async () => {
    await enqueue('Kicked');
    const w = worker(smtp.url);
    w.start();
    w.kick();
    const deadline = Date.now() + 5_000;
    while (smtp.mails.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Kicked']);
  });

  it('#8 the database lost between claim and send: the holder sends the mail on its next pass, not after the lease', async () => {
    await enqueue('Claimed before the restart');
    let failures = 1;
    outbox = Object.assign(Object.create(OutboxRepository.prototype) as OutboxRepository, outbox, {
      renewLease: async (...args: Parameters<OutboxRepository['renewLease']>) => {
        if (failures-- > 0) throw new Error('Connection terminated unexpectedly');
        return OutboxRepository.prototype.renewLease.apply(outbox, args);
      },
    });
    const w = worker(smtp.url, { concurrency: 2 });
    await expect(w.drain()).rejects.toThrow('Connection terminated');
    expect(smtp.mails).toHaveLength(0);
    expect(await w.drain()).toBe(1);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Claimed before the restart']);
  });

  it('#8 a mail SMTP accepted is recorded as sent through a database outage, and never sent again', async () => {
    const id = await enqueue('Sent during the restart');
    let failures = 2;
    outbox = Object.assign(Object.create(OutboxRepository.prototype) as OutboxRepository, outbox, {
      markSent: async (...args: Parameters<OutboxRepository['markSent']>) => {
        if (failures-- > 0) throw new Error('Connection terminated unexpectedly');
        return OutboxRepository.prototype.markSent.apply(outbox, args);
      },
    });
    const w = worker(smtp.url);
    expect(await w.drain()).toBe(1);
    expect((await row(id)).sent_at).toBe(T0);
    clock.advance(24 * 60 * 60 * 1000);
    expect(await w.drain()).toBe(0);
    expect(smtp.mails).toHaveLength(1);
  });

  it('Q-2 without an SMTP URL (dev mailbox) drain marks the mail sent without sending', async () => {
    const id = await enqueue('Dev');
    expect(await worker(undefined).drain()).toBe(1);
    expect((await row(id)).sent_at).toBe(T0);
    expect(smtp.mails).toHaveLength(0);
  });
});

describe('retryDelayMs (Q-2: backoff)', () => {
  it('Q-2 doubles from 15 s and stops at one hour', () => {
    expect(retryDelayMs(0)).toBe(15_000);
    expect(retryDelayMs(1)).toBe(15_000);
    expect(retryDelayMs(2)).toBe(30_000);
    expect(retryDelayMs(3)).toBe(60_000);
    expect(retryDelayMs(9)).toBe(3_600_000);
    expect(retryDelayMs(50)).toBe(3_600_000);
    expect(retryDelayMs(5000)).toBe(3_600_000);
  });
});

describe('SMTP failures and bounds (#8 §4)', () => {
  it('#8 only a 5xx reply is permanent; 4xx and network errors are retried', () => {
    expect(isPermanentSmtpFailure(Object.assign(new Error('no such user'), { responseCode: 550 }))).toBe(true);
    expect(isPermanentSmtpFailure(Object.assign(new Error('try later'), { responseCode: 451 }))).toBe(false);
    expect(isPermanentSmtpFailure(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isPermanentSmtpFailure(undefined)).toBe(false);
  });

  it('#8 the SMTP URL gets connect, greeting and socket timeouts unless it sets its own', () => {
    const url = new URL(withTimeouts('smtps://user:p%40ss@mail.example.ac.jp:465?socketTimeout=20000', 5_000));
    expect(url.searchParams.get('connectionTimeout')).toBe('5000');
    expect(url.searchParams.get('greetingTimeout')).toBe('5000');
    expect(url.searchParams.get('socketTimeout')).toBe('20000');
    expect(url.password).toBe('p%40ss');
    expect(url.host).toBe('mail.example.ac.jp:465');
  });
});
