import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { operatorActor } from '../src/platform/actor.js';
import { newId } from '../src/platform/crypto.js';
import { formatDateTime } from '../src/platform/format.js';
import { createServices } from '../src/services.js';
import { type Harness, TestBrowser, textOf, uniqueEmail } from './helpers/harness.js';
import { accountIdOf, advance, errorMessages, readyStudent, say } from './helpers/accounts.js';
import { logIn } from './helpers/journeys.js';
import { orderingStudent, placeOrder, startIssuanceHarness } from './helpers/orders.js';
import { needsPoppler, pdfText } from './helpers/pdf.js';
import { urlIn } from './helpers/smtp.js';

/** The smaller holes of #8 §5, each through HTTP or the services the CLI uses. */
let h: Harness;
beforeAll(async () => {
  h = await startIssuanceHarness();
});
afterAll(async () => {
  await h.close();
});

describe('#8 /forgot does the same work for any address', () => {
  /** How often each step of a reset request ran while `act` did. */
  async function workDone(act: () => Promise<unknown>): Promise<Record<string, number>> {
    const { services } = h.app;
    const spies = {
      transactions: vi.spyOn(services.uow, 'run'),
      links: vi.spyOn(services.flows, 'startWithLink'),
      mails: vi.spyOn(services.mailer, 'queue'),
      secretHashes: vi.spyOn(services.secrets, 'hash'),
      lookups: vi.spyOn(services.uow.repos.accounts, 'findByVerifiedEmail'),
    };
    try {
      await act();
      return Object.fromEntries(Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]));
    } finally {
      for (const spy of Object.values(spies)) spy.mockRestore();
    }
  }

  it('#8 an unknown address costs what a registered one costs, and leaves no link and no mail', async () => {
    const student = await readyStudent(h, new TestBrowser(h, { lang: 'en', ip: '10.81.0.1' }));
    const ask = (address: string, ip: string) => async () => {
      const browser = new TestBrowser(h, { lang: 'en', ip });
      await browser.get('/tu/forgot');
      const answer = await browser.post('/tu/forgot', { address }, { follow: false });
      expect(answer.location).toBe('/tu/forgot/sent');
    };
    const nobody = uniqueEmail('nobody');
    const known = await workDone(ask(student.email, '10.81.0.2'));
    const unknown = await workDone(ask(nobody, '10.81.0.3'));
    expect(known.links).toBe(1);
    expect(unknown).toEqual(known);

    await h.flushMail();
    const outbox = await h.database.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('to_address', '=', nobody)
      .execute();
    expect(outbox).toEqual([]);
    const flows = await h.database.db
      .selectFrom('flows')
      .select('id')
      .where('kind', '=', 'second_password_reset')
      .execute();
    expect(flows).toHaveLength(1);
  });
});

describe('#8 links come from the university, not from whoever runs the command', () => {
  it("#8 the CLI with another PUBLIC_URL still mails and prints the university's stored address", async (context) => {
    needsPoppler(context, 'pdftotext');
    expect(h.tenant.publicUrl).toBe('http://shomei.test');
    // What `shomei order advance` builds when run without the service's environment.
    const cli = createServices({
      config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', PUBLIC_URL: 'http://localhost:3000' }),
      database: h.database,
      clock: h.clock,
      secretKey: 'test-secret-key-that-is-long-enough-0123456789',
    });
    const student = await orderingStudent(h, 'en');
    const recipientEmail = uniqueEmail('hr');
    const { orderId } = await placeOrder(student, 'digital', {
      'copies-transcript-en': '1',
      recipientName: 'Sample Corporation',
      recipientEmail,
      recipientAccepts: 'yes',
    });
    const since = h.smtp.count();
    const moved = await cli.orderStaff.advance(h.tenant, orderId, 'paid', operatorActor(h.tenant.id));
    expect(moved.status).toBe('moved');
    const mail = await h.smtp.waitFor(recipientEmail, { since });
    expect(urlIn(mail).origin).toBe('http://shomei.test');
    expect(mail.text).toContain('http://shomei.test/tu/verify');
    expect(mail.text).not.toContain('localhost');
    const [certificate] = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    expect(pdfText(certificate!.pdf)).toContain('http://shomei.test/tu/verify');
    expect(pdfText(certificate!.pdf)).not.toContain('localhost');

    const reset = await readyStudent(h, new TestBrowser(h, { lang: 'en', ip: '10.82.0.1' }));
    const resetSince = h.smtp.count();
    await cli.auth.secondPassword.requestReset(h.tenant, reset.email, operatorActor(h.tenant.id));
    expect(urlIn(await h.smtp.waitFor(reset.email, { since: resetSince })).origin).toBe('http://shomei.test');
  });

  it("#8 a university made without an address gets the service's PUBLIC_URL, and keeps one given", async () => {
    const given = await h.tenants.create({
      slug: 'given-url',
      name: { ja: 'あ', en: 'A' },
      publicUrl: 'https://a.example/',
    });
    const defaulted = await h.tenants.create({ slug: 'default-url', name: { ja: 'い', en: 'B' } });
    expect((await h.uow.repos.tenants.findBySlug('given-url'))?.publicUrl).toBe('https://a.example');
    expect((await h.uow.repos.tenants.findBySlug('default-url'))?.publicUrl).toBe('http://shomei.test');
    expect(given.publicUrl).toBe('https://a.example');
    expect(defaulted.publicUrl).toBe('http://shomei.test');
  });
});

describe('#8 revocation stops digital delivery', () => {
  for (const lang of ['en', 'ja'] as const) {
    it(`#8 a revoked certificate is no longer served by its link, and the page says so (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const recipientEmail = uniqueEmail(`revoked-${lang}`);
      const { orderId } = await placeOrder(student, 'digital', {
        'copies-transcript-en': '1',
        'copies-enrollment-ja': '1',
        recipientName: 'Sample Corporation',
        recipientEmail,
        recipientAccepts: 'yes',
      });
      const since = h.smtp.count();
      expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
      const link = urlIn(await h.smtp.waitFor(recipientEmail, { since }));
      const [revoked, kept] = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
      expect(await h.revoke(revoked!.serial, 'issued_in_error')).toBe(true);

      const recipient = new TestBrowser(h, { lang, ip: `10.83.0.${lang === 'en' ? 1 : 2}` });
      const page = await recipient.get(`${link.pathname}${link.search}`);
      expect(page.status).toBe(200);
      const text = textOf(page.body);
      const at = formatDateTime(h.clock.now(), lang);
      expect(text).toContain(say(lang, 'orders.delivery.revokedOn', { at }));
      expect(page.body).not.toContain(`name="serial" value="${revoked!.serial}"`);
      expect(page.body).toContain(`name="serial" value="${kept!.serial}"`);

      const token = link.searchParams.get('token')!;
      const refused = await recipient.post('/tu/delivery', { token, serial: revoked!.serial }, { follow: false });
      expect(refused.status).toBe(410);
      expect(refused.headers['content-type']).not.toBe('application/pdf');
      expect(textOf(refused.body)).toContain(say(lang, 'orders.delivery.revoked.title'));
      const served = await recipient.post(
        '/tu/delivery',
        { token, serial: kept!.serial },
        { follow: false, csrf: recipient.csrf(page.body) },
      );
      expect(served.headers['content-type']).toBe('application/pdf');
    });
  }
});

describe('#8 security changes end what the old credentials allowed', () => {
  it('#8 a mail-address change logs out every other browser of the account, not the one confirming', async () => {
    const here = new TestBrowser(h, { lang: 'en', ip: '10.84.0.1' });
    const student = await readyStudent(h, here);
    await logIn(h, here, student, student.secondPassword, student.email);
    const elsewhere = new TestBrowser(h, { lang: 'en', ip: '10.84.0.2' });
    await logIn(h, elsewhere, student, student.secondPassword, student.email);
    expect((await elsewhere.get('/tu/home', { follow: false })).status).toBe(200);

    const newAddress = uniqueEmail('moved');
    const since = h.smtp.count();
    await here.get('/tu/settings/mail-address');
    await here.post('/tu/settings/mail-address', { newAddress, check: newAddress }, { follow: false });
    const link = urlIn(await h.smtp.waitFor(newAddress, { since }));
    await here.get(`${link.pathname}${link.search}`);
    const done = await here.post(link.pathname, { token: link.searchParams.get('token')! }, { follow: false });
    expect(done.location).toBe('/tu/settings/mail-address/changed');

    expect((await here.get('/tu/home', { follow: false })).status).toBe(200);
    expect((await elsewhere.get('/tu/home', { follow: false })).location).toMatch(/^\/tu\/login/);
  });

  it('#8 a second-password reset forgets every trusted browser of the account', async () => {
    const browser = new TestBrowser(h, { lang: 'en', ip: '10.84.0.3' });
    const student = await readyStudent(h, browser);
    const accountId = await accountIdOf(h, student.userId);
    const now = h.clock.now();
    await h.uow.repos.trustedBrowsers.insert(
      h.tenant.id,
      {
        id: newId(),
        accountId,
        userAgent: 'old',
        ip: '10.84.0.9',
        createdAt: now,
        lastUsedAt: now,
        expiresAt: now + 86_400_000,
      },
      'a'.repeat(64),
    );
    expect(await h.uow.repos.trustedBrowsers.listActive(h.tenant.id, accountId, now)).toHaveLength(1);

    const since = h.smtp.count();
    await browser.get('/tu/forgot');
    await browser.post('/tu/forgot', { address: student.email }, { follow: false });
    const link = urlIn(
      await h.smtp.waitFor(student.email, { since, match: (mail) => /forgot\/reset/.test(mail.text) }),
    );
    await browser.get(`${link.pathname}${link.search}`);
    const done = await browser.post(
      link.pathname,
      { token: link.searchParams.get('token')!, secondPassword: 'Another2026Yy', check: 'Another2026Yy' },
      { follow: false },
    );
    expect(done.location).toBe('/tu/forgot/complete');
    expect(await h.uow.repos.trustedBrowsers.listActive(h.tenant.id, accountId, h.clock.now())).toEqual([]);
  });
});

describe('#8 security settings ask for the second password again', () => {
  for (const lang of ['en', 'ja'] as const) {
    it(`#8 changing the mail address and turning two-factor off need the second password after a few minutes (${lang})`, async () => {
      const browser = new TestBrowser(h, { lang, ip: `10.85.0.${lang === 'en' ? 1 : 2}` });
      const student = await readyStudent(h, browser);
      await logIn(h, browser, student, student.secondPassword, student.email);

      // Just logged in: no second ask.
      expect((await browser.get('/tu/settings/mail-address')).body).not.toContain('name="secondPassword"');
      await advance(h, 6 * 60_000);

      const form = await browser.get('/tu/settings/mail-address');
      expect(form.body).toContain('name="secondPassword"');
      expect(textOf(form.body)).toContain(say(lang, 'reauth.hint'));
      const newAddress = uniqueEmail(`reauth-${lang}`);
      const bare = await browser.post(
        '/tu/settings/mail-address',
        { newAddress, check: newAddress },
        { follow: false },
      );
      expect(bare.status).toBe(422);
      expect(errorMessages(bare.body)).toEqual([say(lang, 'validation.secondPassword.reauthRequired')]);
      const wrong = await browser.post(
        '/tu/settings/mail-address',
        { newAddress, check: newAddress, secondPassword: 'Wrong2026Xx' },
        { follow: false },
      );
      expect(wrong.status).toBe(422);
      expect(errorMessages(wrong.body)).toEqual([say(lang, 'validation.secondPassword.oldWrong')]);
      const right = await browser.post(
        '/tu/settings/mail-address',
        { newAddress, check: newAddress, secondPassword: student.secondPassword },
        { follow: false },
      );
      expect(right.location).toBe('/tu/settings/mail-address/sent');

      await advance(h, 6 * 60_000);
      const dialog = await browser.get('/tu/settings/two-factor');
      expect(dialog.body).toContain('name="secondPassword"');
      const off = await browser.post('/tu/settings/two-factor', { enable: 'false' }, { follow: false });
      expect(off.status).toBe(422);
      expect((await accountRow(student.userId)).two_factor_enabled).toBeTruthy();
      const offAgain = await browser.post(
        '/tu/settings/two-factor',
        { enable: 'false', secondPassword: student.secondPassword },
        { follow: false },
      );
      expect(offAgain.location).toBe('/tu/settings/two-factor/changed');
      expect((await accountRow(student.userId)).two_factor_enabled).toBeFalsy();
    });
  }
});

function accountRow(userId: string) {
  return h.database.db
    .selectFrom('accounts')
    .select('two_factor_enabled')
    .where('tenant_id', '=', h.tenant.id)
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
}
