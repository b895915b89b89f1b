import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Housekeeping } from '../src/db/housekeeping.js';
import { openMail } from '../src/features/mail/mail.seal.js';
import type { Sealed } from '../src/features/mail/outbox.model.js';
import { newId } from '../src/platform/crypto.js';
import { newStudent, readyStudent, submitLogin } from './helpers/accounts.js';
import { type Harness, TestBrowser, startHarness, uniqueEmail } from './helpers/harness.js';
import { keyIn, urlIn } from './helpers/smtp.js';

/**
 * #8 §3: a copy of the database alone hands out no live key or link. The worker is stopped while
 * the mail is queued so the rows are read as a thief would find them, before any send.
 */
let h: Harness;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function rawRows() {
  return h.database.db.selectFrom('mail_outbox').selectAll().where('sent_at', 'is', null).execute();
}

describe('mail outbox (#8 §3: no live secret readable from the database alone)', () => {
  it('#8 the outbox holds neither an authentication key nor a registration token in any column; sent mail keeps no body', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const keyed = await readyStudent(h, browser);
    const { mailWorker, box } = h.app.services;
    await mailWorker.stop();

    // An authentication-key mail …
    const login = await submitLogin(new TestBrowser(h, { lang: 'en' }), keyed, keyed.secondPassword);
    expect(login.location).toMatch(/^\/tu\/login\/key\?flow=/);
    // … and a registration link mail.
    const fresh = await newStudent(h);
    const freshEmail = uniqueEmail(fresh.userId);
    const registering = new TestBrowser(h, { lang: 'en' });
    const form = await submitLogin(registering, fresh, '');
    await registering.get(form.location!);
    expect((await registering.post(form.location!, { address: freshEmail, check: freshEmail })).status).toBe(200);

    const rows = await rawRows();
    expect(rows.map((row) => row.event).sort()).toEqual(['authKey', 'emailRegistration']);
    const secrets: string[] = [];
    for (const row of rows) {
      const opened = openMail(box, {
        subject: row.subject as Sealed,
        text: row.body_text as Sealed,
        html: row.body_html as Sealed,
      });
      if (!opened) throw new Error('a queued mail has no body');
      const received = { to: [], subject: opened.subject, text: opened.text, html: opened.html, headers: {} };
      secrets.push(row.event === 'authKey' ? keyIn(received) : urlIn(received).searchParams.get('token')!);
    }
    expect(secrets).toHaveLength(2);
    for (const row of rows)
      for (const [column, value] of Object.entries(row))
        for (const secret of secrets) expect(String(value), `column ${column}`).not.toContain(secret);

    const since = h.smtp.count();
    mailWorker.start();
    await h.flushMail();
    const delivered = [await h.smtp.waitFor(keyed.email, { since }), await h.smtp.waitFor(freshEmail, { since })];
    expect([keyIn(delivered[0]!), urlIn(delivered[1]!).searchParams.get('token')].sort()).toEqual([...secrets].sort());
    const sent = await h.database.db
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text', 'body_html', 'sent_at'])
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    expect(sent).toHaveLength(2);
    for (const row of sent) {
      expect(row.sent_at).not.toBeNull();
      expect([row.subject, row.body_text, row.body_html]).toEqual(['', '', '']);
    }
  });

  it('#8 housekeeping purges undeliverable mail a week after it failed, and mail that never went out', async () => {
    // The harness's worker would race this test for the mail it claims by hand.
    await h.app.services.mailWorker.stop();
    const outbox = h.uow.repos.outbox;
    const failed = newId();
    const stuck = newId();
    const body = { subject: 's' as Sealed, text: 't' as Sealed, html: 'h' as Sealed };
    const base = { tenantId: h.tenant.id, event: 'orderStatus', to: 'gone@example.ac.jp', priority: 'bulk' as const };
    const now = h.clock.now();
    await outbox.enqueue({ ...base, id: failed, ...body }, now);
    await outbox.enqueue({ ...base, id: stuck, ...body }, now + DAY);
    const claimed = await outbox.claimNext('housekeeping-test', now, 60_000);
    expect(claimed?.id).toBe(failed);
    await outbox.markUndeliverable(h.tenant.id, failed, 'housekeeping-test', '550 no such user', now);
    expect((await outbox.listFailed(h.tenant.id, 10)).map((m) => m.id)).toContain(failed);

    const housekeeping = new Housekeeping(h.uow, h.clock, pino({ level: 'silent' }));
    h.clock.advance(7 * DAY + 1);
    expect((await housekeeping.run()).undeliverable).toBe(1);
    expect(await outbox.findAnyTenant(failed)).toBeUndefined();
    expect(await outbox.findAnyTenant(stuck)).toBeDefined();
    h.clock.advance(DAY);
    expect((await housekeeping.run()).undeliverable).toBe(1);
    expect(await outbox.findAnyTenant(stuck)).toBeUndefined();
  });
});

describe('dev mailbox (#8 §3: the one place besides the worker that opens a sealed mail)', () => {
  it('#8 without SMTP the dev mailbox shows the opened subject and body of a sealed mail', async () => {
    const dev = await startHarness({ env: { SMTP_URL: '' } });
    try {
      const student = await newStudent(dev);
      const email = uniqueEmail(student.userId);
      const browser = new TestBrowser(dev, { lang: 'en' });
      const form = await submitLogin(browser, student, '');
      await browser.get(form.location!);
      expect((await browser.post(form.location!, { address: email, check: email })).status).toBe(200);
      await dev.flushMail();
      const [row] = await dev.database.db.selectFrom('mail_outbox').selectAll().execute();
      expect(row?.sent_at).not.toBeNull();
      expect(row?.body_text).not.toContain('token=');
      const list = await browser.get('/dev/mailbox');
      const opened = openMail(dev.app.services.box, {
        subject: row!.subject as Sealed,
        text: row!.body_text as Sealed,
        html: row!.body_html as Sealed,
      })!;
      expect(list.body).toContain(opened.subject);
      const page = await browser.get(`/dev/mailbox/${row!.id}`);
      expect(page.body).toContain(urlIn({ ...opened, to: [], headers: {} }).searchParams.get('token'));
    } finally {
      await dev.close();
    }
  });
});
