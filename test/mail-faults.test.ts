import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import PostalMime from 'postal-mime';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { sealMail } from '../src/features/mail/mail.seal.js';
import { MailWorker } from '../src/features/mail/mail.worker.js';
import { priorityOf } from '../src/features/mail/mailer.js';
import type { MailEvent } from '../src/features/mail/mail.templates.js';
import { OutboxRepository } from '../src/features/mail/outbox.repository.js';
import { systemClock } from '../src/platform/clock.js';
import { SecretBox, newId } from '../src/platform/crypto.js';
import { type TestDatabase, freshDatabase, testDialect } from './helpers/database.js';

/**
 * #8 §4: a bad day at the mail server. A real SMTP server on loopback hangs, is slow, refuses
 * with 4xx, then 5xx, depending on the recipient; two workers, each with its own database
 * connection pool, share one outbox (PostgreSQL in the suite's PostgreSQL pass, a SQLite file
 * otherwise). Every mail is delivered exactly once or recorded as failed, and keys go through.
 */
const SMTP_TIMEOUT_MS = 1_500;
const LEASE_MS = 1_200;
const STEP_DELAY_MS = 500; // per SMTP step of a "slow" recipient: three steps outlast the lease
const box = new SecretBox('mail-faults-test-secret-key-0123456789abc');
const silent = pino({ level: 'silent' });

type Behaviour = 'ok' | 'hang' | 'slow' | 'soft' | 'hard';

function behaviourOf(address: string): Behaviour {
  const kind = address.split('-')[0];
  return kind === 'hang' || kind === 'slow' || kind === 'soft' || kind === 'hard' ? kind : 'ok';
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One SMTP server whose manners depend on the recipient's local part (hang-…, slow-…, soft-…, hard-…). */
class BadDaySmtp {
  /** Subjects of the mails the server accepted, in arrival order, with the time they arrived. */
  readonly received: Array<{ subject: string; at: number }> = [];
  readonly softRefusals = new Map<string, number>();
  private readonly server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 200,
      onMailFrom: (_address, _session, callback) => callback(),
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const to = address.address;
        switch (behaviourOf(to)) {
          case 'hang':
            return; // never answers: the client's socket timeout must end it
          case 'slow':
            setTimeout(() => callback(), STEP_DELAY_MS);
            return;
          case 'soft': {
            const refused = this.softRefusals.get(to) ?? 0;
            if (refused < 2) {
              this.softRefusals.set(to, refused + 1);
              callback(smtpError(451, 'try again later'));
              return;
            }
            callback();
            return;
          }
          case 'hard':
            callback(smtpError(550, 'no such user here'));
            return;
          default:
            callback();
        }
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const slow = session.envelope.rcptTo.some((r) => behaviourOf(r.address) === 'slow');
          PostalMime.parse(Buffer.concat(chunks))
            .then(async (parsed) => {
              if (slow) await pause(STEP_DELAY_MS);
              this.received.push({ subject: parsed.subject ?? '', at: Date.now() });
              if (slow) await pause(STEP_DELAY_MS);
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as net.AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  count(subject: string): number {
    return this.received.filter((mail) => mail.subject === subject).length;
  }
}

/** Two database handles (two pools) on one database. */
async function sharedDatabase(): Promise<{ handles: [DatabaseHandle, DatabaseHandle]; drop(): Promise<void> }> {
  if (testDialect === 'postgres') {
    const fresh: TestDatabase = await freshDatabase();
    const second = openDatabase(fresh.url, { poolMax: 5 });
    return {
      handles: [fresh.handle, second],
      async drop() {
        await second.close();
        await fresh.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-mail-faults-'));
  const url = `sqlite:${path.join(dir, 'outbox.sqlite')}`;
  const first = openDatabase(url);
  await migrateToLatest(first.db);
  const second = openDatabase(url);
  return {
    handles: [first, second],
    async drop() {
      await first.close();
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let smtp: BadDaySmtp;
let smtpUrl: string;
let shared: Awaited<ReturnType<typeof sharedDatabase>>;
let outboxes: [OutboxRepository, OutboxRepository];
let workers: MailWorker[];
const tenantId = 'tenant-bad-day';

function startWorkers(options: { concurrency?: number } = {}): void {
  workers = outboxes.map(
    (outbox) =>
      new MailWorker(outbox, box, systemClock, silent, {
        smtpUrl,
        from: 'Shomei Test <no-reply@shomei.test>',
        pollIntervalMs: 100,
        leaseMs: LEASE_MS,
        smtpTimeoutMs: SMTP_TIMEOUT_MS,
        retryBaseMs: 200,
        giveUpAfterMs: 5_000,
        concurrency: options.concurrency ?? 3,
      }),
  );
  for (const worker of workers) worker.start();
}

async function queue(to: string, event: MailEvent = 'orderStatus'): Promise<{ id: string; subject: string }> {
  const id = newId();
  const subject = `${event} ${to} ${id.slice(0, 8)}`;
  await outboxes[0].enqueue(
    {
      id,
      tenantId,
      event,
      to,
      priority: priorityOf(event),
      ...sealMail(box, { subject, text: `Mail ${id}`, html: `<p>Mail ${id}</p>` }),
    },
    Date.now(),
  );
  for (const worker of workers) worker.kick();
  return { id, subject };
}

async function rows(ids: string[]) {
  return shared.handles[0].db
    .selectFrom('mail_outbox')
    .select(['id', 'sent_at', 'failed_at', 'last_error', 'attempts', 'body_text'])
    .where('id', 'in', ids)
    .execute();
}

/** Waits until every mail is sent or failed (or the time is up). */
async function settled(ids: string[], timeoutMs: number): Promise<Awaited<ReturnType<typeof rows>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await rows(ids);
    if (current.every((row) => row.sent_at !== null || row.failed_at !== null) || Date.now() > deadline) return current;
    await pause(100);
  }
}

beforeEach(async () => {
  smtp = new BadDaySmtp();
  smtpUrl = await smtp.start();
  shared = await sharedDatabase();
  outboxes = [new OutboxRepository(shared.handles[0].db), new OutboxRepository(shared.handles[1].db)];
  workers = [];
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await smtp.stop();
  await shared.drop();
});

describe(`mail worker on a bad day (#8 §4, ${testDialect})`, () => {
  it(
    '#8 a key mail arrives within a second while every bulk lane of both workers hangs on the server',
    { timeout: 15_000 },
    async () => {
      startWorkers();
      // As many hung bulk mails as the two workers have lanes: without a lane kept for keys, all would hang.
      for (let i = 0; i < 6; i++) await queue(`hang-${i}@example.ac.jp`);
      await pause(300);
      const queuedAt = Date.now();
      const key = await queue('taro@example.ac.jp', 'authKey');
      const deadline = queuedAt + 3_000;
      while (smtp.count(key.subject) === 0 && Date.now() < deadline) await pause(20);
      const arrived = smtp.received.find((mail) => mail.subject === key.subject);
      expect(arrived, 'the key mail arrived').toBeDefined();
      expect(arrived!.at - queuedAt).toBeLessThan(SMTP_TIMEOUT_MS * 0.66);
    },
  );

  it(
    '#8 a send that outlasts the lease goes out once, though another worker polls for due mail',
    { timeout: 15_000 },
    async () => {
      startWorkers();
      const slow = [];
      for (let i = 0; i < 4; i++) slow.push(await queue(`slow-${i}@example.ac.jp`));
      const final = await settled(
        slow.map((m) => m.id),
        10_000,
      );
      await pause(LEASE_MS + 500); // a second sender would have started by now
      expect(final.every((row) => row.sent_at !== null)).toBe(true);
      for (const mail of slow) expect(smtp.count(mail.subject), mail.subject).toBe(1);
    },
  );

  it(
    '#8 hangs, slowness, 4xx and 5xx across two workers: every mail delivered exactly once or recorded as failed',
    { timeout: 25_000 },
    async () => {
      startWorkers();
      const mails = [];
      for (let i = 0; i < 3; i++) {
        for (const kind of ['ok', 'hang', 'slow', 'soft', 'hard'])
          mails.push(await queue(`${kind}-${i}@example.ac.jp`));
        mails.push(await queue(`key-${i}@example.ac.jp`, 'authKey'));
      }
      const final = await settled(
        mails.map((m) => m.id),
        18_000,
      );
      const byId = new Map(final.map((row) => [row.id, row]));
      for (const mail of mails) {
        const row = byId.get(mail.id)!;
        const to = mail.subject.split(' ')[1]!;
        const kind = behaviourOf(to);
        if (kind === 'hang' || kind === 'hard') {
          expect(row.failed_at, `${to} recorded as failed`).not.toBeNull();
          expect(row.sent_at).toBeNull();
          expect(smtp.count(mail.subject), `${to} never delivered`).toBe(0);
        } else {
          expect(row.sent_at, `${to} sent`).not.toBeNull();
          expect(smtp.count(mail.subject), `${to} delivered once`).toBe(1);
        }
        expect(row.body_text, `${to} keeps no body`).toBe('');
        if (kind === 'hard') {
          expect(row.attempts, 'a 5xx is not retried').toBe(1);
          expect(row.last_error).toContain('550');
        }
        if (kind === 'soft') expect(row.attempts, 'a 4xx is retried until accepted').toBe(3);
        if (kind === 'hang') expect(row.attempts).toBeGreaterThan(1);
      }
      const failed = await outboxes[1].listFailed(tenantId, 50);
      expect(failed.map((m) => m.to).sort()).toEqual(
        mails
          .map((m) => m.subject.split(' ')[1]!)
          .filter((to) => ['hang', 'hard'].includes(behaviourOf(to)))
          .sort(),
      );
      expect(failed.find((m) => m.to.startsWith('hard-'))?.reason).toContain('no such user');
    },
  );

  it(
    '#8 a server that accepts the connection but never greets holds a lane for the greeting timeout only',
    { timeout: 15_000 },
    async () => {
      const silentServer = net.createServer(() => undefined);
      await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
      smtpUrl = `smtp://127.0.0.1:${(silentServer.address() as net.AddressInfo).port}`;
      try {
        startWorkers({ concurrency: 2 });
        const started = Date.now();
        const mail = await queue('taro@example.ac.jp', 'authKey');
        const deadline = started + 5_000;
        let row = (await rows([mail.id]))[0];
        while (row?.attempts === 0 && Date.now() < deadline) {
          await pause(50);
          row = (await rows([mail.id]))[0];
        }
        expect(row?.attempts).toBeGreaterThanOrEqual(1);
        expect(Date.now() - started).toBeLessThan(SMTP_TIMEOUT_MS + 1_500);
        expect(row?.sent_at).toBeNull();
        expect(row?.last_error).toMatch(/greeting|timeout/i);
      } finally {
        await Promise.all(workers.map((worker) => worker.stop()));
        workers = [];
        silentServer.close();
      }
    },
  );
});
