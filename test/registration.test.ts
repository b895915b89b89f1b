import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TestBrowser, startHarness, textOf, uniqueEmail } from './helpers/harness.js';
import { advance, errorMessages, mailsTo, newStudent, say, settleMail, submitLogin } from './helpers/accounts.js';
import { type Student } from './helpers/journeys.js';
import { urlIn } from './helpers/smtp.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** Logs in with the university password alone and lands on "Mail address setting" (§2.1 step 4). */
async function openMailAddressForm(browser: TestBrowser, student: Student): Promise<string> {
  const first = await submitLogin(browser, student, '');
  expect(first.status).toBe(303);
  expect(first.location).toMatch(/^\/tu\/mail-address\?flow=/);
  const form = await browser.get(first.location!);
  expect(form.status).toBe(200);
  return first.location!;
}

/** Submits an address and returns the mailed one-time URL (§2.1 steps 5–7). */
async function requestLink(browser: TestBrowser, flowUrl: string, email: string): Promise<URL> {
  await browser.get(flowUrl);
  const since = h.smtp.count();
  const sent = await browser.post(flowUrl, { address: email, check: email }, { follow: false });
  expect(sent.status).toBe(303);
  expect(sent.location).toMatch(/^\/tu\/mail-address\/sent\?flow=/);
  await browser.get(sent.location!);
  return urlIn(await h.smtp.waitFor(email, { since }));
}

function path(link: URL): string {
  return `${link.pathname}${link.search}`;
}

describe.each(['en', 'ja'] as const)('§2.1 mail address setting in %s', (lang) => {
  let browser: TestBrowser;
  let flowUrl: string;
  beforeAll(async () => {
    browser = new TestBrowser(h, { lang, ip: `10.1.0.${lang === 'en' ? 1 : 2}` });
    flowUrl = await openMailAddressForm(browser, await newStudent(h));
  });

  it('L-3 shows the form of the manual: Mail address, Check, Notes with the 30-minute hint, Back and Check', async () => {
    const page = await browser.get(flowUrl);
    const text = textOf(page.body);
    for (const key of [
      'mailAddress.title',
      'mailAddress.address',
      'mailAddress.check',
      'mailAddress.notes.freeMail',
      'mailAddress.notes.checkAfter',
      'mailAddress.notes.check4',
      'common.back',
    ]) {
      expect(text).toContain(say(lang, key));
    }
    expect(text).toContain(lang === 'en' ? 'after 30 minutes' : '30分経っても');
    expect(page.body).toContain('href="/tu/login"');
  });

  const cases: Array<{ name: string; address: string; check: string; expected: string[] }> = [
    { name: 'a mismatch of Check', address: 'taro@example.ac.jp', check: 'jiro@example.ac.jp', expected: ['mismatch'] },
    {
      name: 'full-width characters',
      address: 'ｔａｒｏ@example.ac.jp',
      check: 'ｔａｒｏ@example.ac.jp',
      expected: ['singleByte'],
    },
    {
      name: 'a full-width at sign',
      address: 'taro＠example.ac.jp',
      check: 'taro＠example.ac.jp',
      expected: ['singleByte'],
    },
    { name: 'spaces', address: 'taro @example.ac.jp', check: 'taro @example.ac.jp', expected: ['noSpaces'] },
    { name: 'a trailing space', address: 'taro@example.ac.jp ', check: 'taro@example.ac.jp ', expected: ['noSpaces'] },
    { name: 'no domain', address: 'taro@', check: 'taro@', expected: ['invalid'] },
    { name: 'no at sign', address: 'taro.example.ac.jp', check: 'taro.example.ac.jp', expected: ['invalid'] },
    { name: 'empty fields', address: '', check: '', expected: ['required', 'required'] },
    { name: 'an empty Check', address: 'taro@example.ac.jp', check: '', expected: ['required'] },
    {
      name: 'an address over 254 characters',
      address: `${'a'.repeat(250)}@example.ac.jp`,
      check: `${'a'.repeat(250)}@example.ac.jp`,
      expected: ['tooLong'],
    },
  ];

  it.each(cases)('L-3 refuses $name with its own message and sends nothing', async ({ address, check, expected }) => {
    const since = h.smtp.count();
    const page = await browser.post(flowUrl, { address, check }, { follow: false });
    expect(page.status).toBe(422);
    expect(errorMessages(page.body)).toEqual(expected.map((rule) => say(lang, `validation.email.${rule}`)));
    expect(textOf(page.body)).toContain(lang === 'en' ? 'Error:' : 'エラー：');
    expect(page.body).toContain('aria-invalid="true"');
    await settleMail(h);
    expect(h.smtp.count()).toBe(since);
  });

  it('L-3 words the mismatch message in the chosen language', async () => {
    const page = await browser.post(flowUrl, { address: 'a@example.ac.jp', check: 'b@example.ac.jp' });
    expect(textOf(page.body)).toContain(lang === 'en' ? 'does not match' : '一致しません');
  });

  it('L-3 L-18 sends a mail valid 30 minutes; the link page shows a button and completes only on POST', async () => {
    const email = uniqueEmail(`reg-${lang}`);
    const since = h.smtp.count();
    const sent = await browser.post(flowUrl, { address: email, check: email });
    expect(sent.status).toBe(200);
    const sentText = textOf(sent.body);
    expect(sentText).toContain(say(lang, 'mailAddress.sent.line1'));
    expect(sentText).toContain(say(lang, 'mailAddress.sent.validFor', { minutes: 30 }));
    expect(sentText).not.toContain(email);

    const mail = await h.smtp.waitFor(email, { since });
    expect(mail.subject).toContain(say(lang, 'mail.emailRegistration.subject'));
    expect(mail.text).toContain(lang === 'en' ? 'Due date for the URL: 30 minutes' : 'URLの有効期限：30分');
    const link = urlIn(mail);
    expect(link.pathname).toBe('/tu/mail-address/confirm');
    expect(link.searchParams.get('token')!.length).toBeGreaterThanOrEqual(22);

    // A mail scanner (or the student twice) opening the link uses nothing.
    const scanner = new TestBrowser(h, { lang });
    for (const opener of [scanner, browser]) {
      const page = await opener.get(path(link));
      expect(page.status).toBe(200);
      expect(textOf(page.body)).toContain(email);
      expect(page.body).toContain('method="post"');
    }
    expect((await h.uow.repos.accounts.findByVerifiedEmail(h.tenant.id, email)).length).toBe(0);

    const done = await browser.post(
      '/tu/mail-address/confirm',
      { token: link.searchParams.get('token')! },
      { follow: false },
    );
    expect(done.status).toBe(303);
    expect(done.location).toBe('/tu/mail-address/complete');
    const complete = await browser.get(done.location!);
    expect(textOf(complete.body)).toContain(say(lang, 'mailAddress.complete.title'));
    expect(textOf(complete.body)).toContain(say(lang, 'mailAddress.complete.toLogin'));
    expect(complete.body).toContain('href="/tu/login?notice=mailAddressSet"');
    expect((await h.uow.repos.accounts.findByVerifiedEmail(h.tenant.id, email)).length).toBe(1);
  });
});

describe.each(['en', 'ja'] as const)('L-18 one-time registration URLs in %s', (lang) => {
  it('L-3 L-18 a used URL says so on POST and on GET, never 500', async () => {
    const browser = new TestBrowser(h, { lang });
    const flowUrl = await openMailAddressForm(browser, await newStudent(h));
    const link = await requestLink(browser, flowUrl, uniqueEmail('used'));
    const token = link.searchParams.get('token')!;
    await browser.get(path(link));
    const csrf = browser.csrf();
    const first = await browser.post('/tu/mail-address/confirm', { token }, { follow: false });
    expect(first.status).toBe(303);

    await browser.get(path(link));
    const again = await browser.post('/tu/mail-address/confirm', { token }, { csrf });
    expect(again.status).toBe(410);
    expect(textOf(again.body)).toContain(say(lang, 'link.used.title'));
    expect(textOf(again.body)).toContain(say(lang, 'link.next.registration'));
    expect(again.body).toContain('href="/tu/login"');

    const reopened = await browser.get(path(link));
    expect(reopened.status).toBe(410);
    expect(textOf(reopened.body)).toContain(say(lang, 'link.used.title'));
  });

  it('L-3 L-18 an expired URL (after 30 minutes) says expired, offers the next step, and a new login sends a new mail', async () => {
    const browser = new TestBrowser(h, { lang });
    const student = await newStudent(h);
    const email = uniqueEmail('expired');
    const flowUrl = await openMailAddressForm(browser, student);
    const link = await requestLink(browser, flowUrl, email);
    await browser.get(path(link));
    const csrf = browser.csrf();
    await advance(h, 30 * 60_000 + 1_000);

    const page = await browser.get(path(link));
    expect(page.status).toBe(410);
    const text = textOf(page.body);
    expect(text).toContain(say(lang, 'link.expired.title'));
    expect(text).toContain(say(lang, 'link.next.registration'));
    expect(text).toContain(say(lang, 'common.toLogin'));
    expect(text).toContain(lang === 'en' ? 'expired' : '有効期限');

    // The page of an old link may still be open in a tab: its button says expired too.
    const posted = await browser.post('/tu/mail-address/confirm', { token: link.searchParams.get('token')! }, { csrf });
    expect(posted.status).toBe(410);
    expect(textOf(posted.body)).toContain(say(lang, 'link.expired.title'));
    expect((await h.uow.repos.accounts.findByVerifiedEmail(h.tenant.id, email)).length).toBe(0);

    // The next step works: log in again, a new mail, a new URL.
    const again = await openMailAddressForm(browser, student);
    const fresh = await requestLink(browser, again, email);
    await browser.get(path(fresh));
    const done = await browser.post('/tu/mail-address/confirm', { token: fresh.searchParams.get('token')! });
    expect(done.status).toBe(200);
    expect(textOf(done.body)).toContain(say(lang, 'mailAddress.complete.title'));
  });

  it('L-18 garbage and unknown tokens get the plain "not valid" page, never 500', async () => {
    const browser = new TestBrowser(h, { lang });
    await browser.get('/tu/login');
    const csrf = browser.csrf();
    for (const token of ['', 'x', 'A'.repeat(43), '../../etc/passwd', '<script>alert(1)</script>', 'a'.repeat(600)]) {
      const page = await browser.get(`/tu/mail-address/confirm?token=${encodeURIComponent(token)}`);
      expect(page.status).toBe(410);
      expect(textOf(page.body)).toContain(say(lang, 'link.unknown.title'));
      const posted = await browser.post('/tu/mail-address/confirm', { token }, { csrf });
      expect(posted.status).toBe(410);
      expect(textOf(posted.body)).toContain(say(lang, 'link.unknown.title'));
      expect(posted.body).not.toContain('<script>alert(1)</script>');
    }
  });
});

describe('§2.1 more of the registration journey', () => {
  it('L-18 the URL can be opened in another browser (the phone that got the mail)', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const email = uniqueEmail('phone');
    const flowUrl = await openMailAddressForm(browser, await newStudent(h));
    const link = await requestLink(browser, flowUrl, email);
    const phone = new TestBrowser(h, { lang: 'ja', userAgent: 'Mozilla/5.0 (iPhone) Safari/604.1' });
    await phone.get(path(link));
    const done = await phone.post('/tu/mail-address/confirm', { token: link.searchParams.get('token')! });
    expect(done.status).toBe(200);
    expect(textOf(done.body)).toContain('メールアドレス設定完了');
  });

  it('L-3 a second address submitted on the same screen replaces the first: only the newest URL works', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const flowUrl = await openMailAddressForm(browser, await newStudent(h));
    const wrong = await requestLink(browser, flowUrl, uniqueEmail('typo'));
    const right = await requestLink(browser, flowUrl, uniqueEmail('right'));
    const csrf = browser.csrf(await browser.get(flowUrl).then((page) => page.body));
    const opened = await browser.get(path(wrong));
    expect(opened.status).toBe(410);
    const old = await browser.post('/tu/mail-address/confirm', { token: wrong.searchParams.get('token')! }, { csrf });
    expect(old.status).toBe(410);
    expect(textOf(old.body)).toContain('This URL is not valid');
    await browser.get(path(right));
    const done = await browser.post('/tu/mail-address/confirm', { token: right.searchParams.get('token')! });
    expect(done.status).toBe(200);
  });

  it('L-3 L-4 after the address is confirmed the next login goes to "Set second password"', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const student = await newStudent(h);
    const link = await requestLink(browser, await openMailAddressForm(browser, student), uniqueEmail('next'));
    await browser.get(path(link));
    await browser.post('/tu/mail-address/confirm', { token: link.searchParams.get('token')! });
    const login = await browser.get('/tu/login?notice=mailAddressSet');
    expect(textOf(login.body)).toContain('The mail address has been set.');
    const next = await submitLogin(browser, student, '');
    expect(next.location).toMatch(/^\/tu\/second-password\/setup\?flow=/);
  });

  it('L-3 "Back" leads to the login screen and an abandoned screen can be reopened from login', async () => {
    const browser = new TestBrowser(h, { lang: 'ja' });
    const student = await newStudent(h);
    const flowUrl = await openMailAddressForm(browser, student);
    const page = await browser.get(flowUrl);
    expect(page.body).toMatch(/<a class="button button--secondary" href="\/tu\/login">戻る<\/a>/);
    const again = await openMailAddressForm(browser, student);
    expect(again).not.toBe(flowUrl);
  });

  it('L-3 Q-1 the registration screen of an expired flow sends the student back to login, never 500', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const flowUrl = await openMailAddressForm(browser, await newStudent(h));
    await advance(h, 31 * 60_000);
    const page = await browser.get(flowUrl, { follow: false });
    expect(page.status).toBe(303);
    expect(page.location).toBe('/tu/login?notice=flowEnded');
    await browser.get('/tu/login');
    const posted = await browser.post(flowUrl, { address: 'a@example.ac.jp', check: 'a@example.ac.jp' });
    expect(posted.status).toBe(200);
    expect(textOf(posted.body)).toContain('That screen has expired');
  });

  it('Q-1 confirmation mails for one account are rate-limited: the sixth in an hour is refused with a page, not sent', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const flowUrl = await openMailAddressForm(browser, await newStudent(h));
    const email = uniqueEmail('flood');
    const since = h.smtp.count();
    for (let i = 0; i < 5; i++) {
      const sent = await browser.post(flowUrl, { address: email, check: email }, { follow: false });
      expect(sent.status).toBe(303);
    }
    const refused = await browser.post(flowUrl, { address: email, check: email }, { follow: false });
    expect(refused.status).toBe(429);
    expect(textOf(refused.body)).toContain('Too many attempts');
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await mailsTo(h, email, since)).length).toBe(5);
  });
});
