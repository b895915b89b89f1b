import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantContent } from '../src/features/tenants/tenant.model.js';
import { browsers } from './factories/browser.js';
import { type Harness, TestBrowser, startHarness, textOf, uniqueEmail } from './helpers/harness.js';
import {
  advance,
  type ReadyStudent,
  accountIdOf,
  auditEvents,
  dialogText,
  errorMessages,
  keyMail,
  mailsTo,
  readyStudent,
  say,
  settleMail,
  startKeyLogin,
  submitLogin,
} from './helpers/accounts.js';
import { logIn, setUpStudent } from './helpers/journeys.js';
import { keyIn, urlIn } from './helpers/smtp.js';

let h: Harness;
const manual = {
  en: 'How to issue a certificate.\n\nChoose a destination, then the certificate.',
  ja: '証明書の発行方法。\n\n発行先を選び、証明書を選んでください。',
};
const chat = { en: 'https://chat.example.ac.jp/en', ja: 'https://chat.example.ac.jp/ja' };

beforeAll(async () => {
  h = await startHarness();
  // L-15 L-16: this university has published a manual and a chat-support link.
  const content: TenantContent = structuredClone(h.tenant.content);
  for (const lang of ['en', 'ja'] as const) {
    content[lang].manual = manual[lang];
    content[lang].inquiry.chat = { url: chat[lang], hours: lang === 'en' ? '24 hours' : '24時間' };
  }
  await h.database.db
    .updateTable('tenants')
    .set({ content: JSON.stringify(content) })
    .where('id', '=', h.tenant.id)
    .execute();
});
afterAll(async () => {
  await h.close();
});

const browserFor = browsers(() => h, '10.30.0');

/** A student logged in on `browser` (trusted after the key). */
async function loggedIn(
  lang: 'en' | 'ja',
  browser = browserFor(lang),
): Promise<{ browser: TestBrowser; student: ReadyStudent }> {
  const student = await readyStudent(h, browser);
  await logIn(h, browser, student, student.secondPassword, student.email);
  return { browser, student };
}

async function requestChange(browser: TestBrowser, address: string, check = address) {
  await browser.get('/tu/settings/mail-address');
  return browser.post('/tu/settings/mail-address', { newAddress: address, check }, { follow: false });
}

describe.each(['en', 'ja'] as const)('§2.4a change mail address in %s', (lang) => {
  it('L-9 confirmation goes to the NEW address; after confirming, the OLD address is told and the next key goes to the new one', async () => {
    const { browser, student } = await loggedIn(lang);
    const newAddress = uniqueEmail(`new-${lang}`);

    const home = await browser.get('/tu/home');
    expect(home.body).toContain('href="/tu/settings/mail-address"');
    const form = await browser.get('/tu/settings/mail-address');
    const formText = textOf(form.body);
    for (const key of [
      'changeMail.title',
      'changeMail.newAddress',
      'mailAddress.check',
      'mailAddress.notes.freeMail',
    ]) {
      expect(formText).toContain(say(lang, key));
    }
    expect(formText).not.toContain(student.email);

    const since = h.smtp.count();
    const sent = await browser.post('/tu/settings/mail-address', { newAddress, check: newAddress }, { follow: false });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/tu/settings/mail-address/sent');
    const sentPage = await browser.get(sent.location!);
    expect(textOf(sentPage.body)).toContain(say(lang, 'mailAddress.sent.line1'));
    expect(textOf(sentPage.body)).toContain(say(lang, 'mailAddress.sent.validFor', { minutes: 30 }));

    const confirmation = await h.smtp.waitFor(newAddress, { since });
    expect(confirmation.subject).toContain(say(lang, 'mail.emailChange.subject'));
    expect(confirmation.text).toContain(lang === 'en' ? 'Due date for the URL: 30 minutes' : 'URLの有効期限：30分');
    expect(await mailsTo(h, student.email, since)).toHaveLength(0);
    const link = urlIn(confirmation);
    expect(link.pathname).toBe('/tu/settings/mail-address/confirm');

    // Opening the link twice changes nothing (L-18).
    for (let i = 0; i < 2; i++) {
      const page = await browser.get(`${link.pathname}${link.search}`);
      expect(page.status).toBe(200);
      expect(textOf(page.body)).toContain(newAddress);
    }
    expect((await h.uow.repos.accounts.findByUserId(h.tenant.id, student.userId))!.email).toBe(student.email);

    const noticeSince = h.smtp.count();
    const done = await browser.post(
      '/tu/settings/mail-address/confirm',
      { token: link.searchParams.get('token')! },
      { follow: false },
    );
    expect(done.status).toBe(303);
    expect(done.location).toBe('/tu/settings/mail-address/changed');
    const changed = await browser.get(done.location!);
    expect(dialogText(changed.body)).toContain(say(lang, 'changeMail.changedTitle'));
    expect(changed.body).toContain('href="/tu/home"');

    const notice = await h.smtp.waitFor(student.email, { since: noticeSince });
    expect(notice.subject).toContain(say(lang, 'mail.emailChangedNotice.subject'));
    expect(notice.text).toContain(student.userId);
    expect(notice.text).not.toContain(newAddress);
    expect(notice.text).toContain(`${newAddress.slice(0, 2)}***@mail.test`);

    const other = browserFor(lang);
    const keySince = h.smtp.count();
    const login = await submitLogin(other, student, student.secondPassword);
    expect(login.location).toMatch(/^\/tu\/login\/key/);
    await keyMail(h, newAddress, keySince);
    expect(
      (await mailsTo(h, student.email, keySince)).filter((m) => /Authentication key|認証キー/.test(m.subject)),
    ).toHaveLength(0);

    const events = await auditEvents(h, { accountId: await accountIdOf(h, student.userId) });
    expect(events).toContain('email.change_requested');
    expect(events).toContain('email.changed');
  });

  it('L-9 refuses a bad new address with its own message, and the current address', async () => {
    const { browser, student } = await loggedIn(lang);
    const cases: Array<[string, string, string]> = [
      ['a@example.ac.jp', 'b@example.ac.jp', 'mismatch'],
      ['ａ@example.ac.jp', 'ａ@example.ac.jp', 'singleByte'],
      ['a b@example.ac.jp', 'a b@example.ac.jp', 'noSpaces'],
      ['a@b', 'a@b', 'invalid'],
      [student.email, student.email, 'sameAsCurrent'],
    ];
    for (const [address, check, message] of cases) {
      const page = await requestChange(browser, address, check);
      expect(page.status).toBe(422);
      expect(errorMessages(page.body)).toEqual([say(lang, `validation.email.${message}`)]);
    }
  });

  it('L-9 L-18 a used change URL and an expired one say so and offer a new change', async () => {
    const { browser } = await loggedIn(lang);
    const first = uniqueEmail('used');
    let since = h.smtp.count();
    await requestChange(browser, first);
    const used = urlIn(await h.smtp.waitFor(first, { since }));
    await browser.get(`${used.pathname}${used.search}`);
    const csrf = browser.csrf();
    await browser.post(
      '/tu/settings/mail-address/confirm',
      { token: used.searchParams.get('token')! },
      { follow: false },
    );
    const again = await browser.post(
      '/tu/settings/mail-address/confirm',
      { token: used.searchParams.get('token')! },
      { csrf },
    );
    expect(again.status).toBe(410);
    expect(textOf(again.body)).toContain(say(lang, 'link.used.title'));
    expect(textOf(again.body)).toContain(say(lang, 'link.next.change'));
    expect(again.body).toContain('href="/tu/settings/mail-address"');

    const second = uniqueEmail('late');
    since = h.smtp.count();
    await requestChange(browser, second);
    const late = urlIn(await h.smtp.waitFor(second, { since }));
    await advance(h, 30 * 60_000 + 1_000);
    const expired = await browser.get(`${late.pathname}${late.search}`);
    expect(expired.status).toBe(410);
    expect(textOf(expired.body)).toContain(say(lang, 'link.expired.title'));
    const posted = await browser.post(
      '/tu/settings/mail-address/confirm',
      { token: late.searchParams.get('token')! },
      { csrf },
    );
    expect(posted.status).toBe(410);
    expect(textOf(posted.body)).toContain(say(lang, 'link.expired.title'));
  });

  it('L-9 a newer change request makes the earlier URL useless', async () => {
    const { browser, student } = await loggedIn(lang);
    const a = uniqueEmail('first');
    const b = uniqueEmail('second');
    let since = h.smtp.count();
    await requestChange(browser, a);
    const older = urlIn(await h.smtp.waitFor(a, { since }));
    since = h.smtp.count();
    await requestChange(browser, b);
    const newer = urlIn(await h.smtp.waitFor(b, { since }));
    expect((await browser.get(`${older.pathname}${older.search}`)).status).toBe(410);
    await browser.get(`${newer.pathname}${newer.search}`);
    await browser.post('/tu/settings/mail-address/confirm', { token: newer.searchParams.get('token')! });
    expect((await h.uow.repos.accounts.findByUserId(h.tenant.id, student.userId))!.email).toBe(b);
  });

  it('L-9 L-14 the change screens need a session; the mailed link does not', async () => {
    const anonymous = browserFor(lang);
    for (const url of ['/tu/settings/mail-address', '/tu/settings/mail-address/sent']) {
      const page = await anonymous.get(url, { follow: false });
      expect(page.location).toBe(`/tu/login?notice=loginRequired&next=${encodeURIComponent(url)}`);
    }
  });
});

describe.each(['en', 'ja'] as const)('§2.7 two-factor settings in %s', (lang) => {
  it('L-13 L-14 shows the current state; Yes turns it off (no key at the next login); Yes again turns it on', async () => {
    const { browser, student } = await loggedIn(lang);
    const on = say(lang, 'twoFactor.current', { state: say(lang, 'twoFactor.stateOn') });
    const off = say(lang, 'twoFactor.current', { state: say(lang, 'twoFactor.stateOff') });

    const home = await browser.get('/tu/home');
    expect(home.body).toContain('<span class="badge">ON</span>');
    const page = await browser.get('/tu/settings/two-factor');
    expect(textOf(page.body)).toContain(on);
    expect(dialogText(page.body)).toContain(say(lang, 'twoFactor.confirmOff'));
    expect(dialogText(page.body)).toContain(say(lang, 'twoFactor.yes'));

    const since = h.smtp.count();
    const turnedOff = await browser.post('/tu/settings/two-factor', { enable: 'false' }, { follow: false });
    expect(turnedOff.status).toBe(303);
    expect(turnedOff.location).toBe('/tu/settings/two-factor/changed');
    const changed = await browser.get(turnedOff.location!);
    expect(dialogText(changed.body)).toContain(say(lang, 'twoFactor.changedTitle'));
    expect(dialogText(changed.body)).toContain(off);
    expect(changed.body).toContain('<span class="badge">OFF</span>');
    const notice = await h.smtp.waitFor(student.email, { since });
    expect(notice.subject).toContain(say(lang, 'mail.twoFactorChangedNotice.subject'));
    expect(notice.text).toContain(
      say(lang, 'mail.twoFactorChangedNotice.body', { context: 'off', userId: student.userId }),
    );

    const stranger = browserFor(lang);
    const noKey = await submitLogin(stranger, student, student.secondPassword);
    expect(noKey.location).toBe('/tu/home');

    const pageOff = await browser.get('/tu/settings/two-factor');
    expect(textOf(pageOff.body)).toContain(off);
    expect(dialogText(pageOff.body)).toContain(say(lang, 'twoFactor.confirmOn'));
    const turnedOn = await browser.post('/tu/settings/two-factor', { enable: 'true' });
    expect(dialogText(turnedOn.body)).toContain(on);
    const needsKey = await submitLogin(browserFor(lang), student, student.secondPassword);
    expect(needsKey.location).toMatch(/^\/tu\/login\/key\?flow=/);

    const events = await auditEvents(h, { accountId: await accountIdOf(h, student.userId) });
    expect(events).toContain('two_factor.disabled');
    expect(events).toContain('two_factor.enabled');
  });
});

describe('§2.7 a request without a clear answer', () => {
  it('L-13 Q-1 a POST without enable=true|false changes nothing and is not a 500', async () => {
    const { browser, student } = await loggedIn('en');
    const bodies: Array<Record<string, string>> = [{}, { enable: '' }, { enable: 'no' }, { enable: 'TRUE' }];
    for (const body of bodies) {
      await browser.get('/tu/settings/two-factor');
      const page = await browser.post('/tu/settings/two-factor', body, { follow: false });
      expect(page.status).toBeGreaterThanOrEqual(400);
      expect(page.status).toBeLessThan(500);
    }
    expect((await h.uow.repos.accounts.findByUserId(h.tenant.id, student.userId))!.twoFactorEnabled).toBe(true);
  });
});

describe('§2.7 a university that makes two-factor mandatory', () => {
  let strict: Harness;
  beforeAll(async () => {
    strict = await startHarness({ policy: { twoFactorMandatory: true } });
  });
  afterAll(async () => {
    await strict.close();
  });

  it.each(['en', 'ja'] as const)(
    'L-13 cannot be switched off (%s): the page says mandatory, POST off is refused, the key is still asked',
    async (lang) => {
      const browser = new TestBrowser(strict, { lang });
      const student =
        lang === 'en'
          ? { userId: 'u1001', password: 'Univ-Pass-1001' }
          : { userId: 'u1002', password: 'Univ-Pass-1002' };
      const email = uniqueEmail(`strict-${lang}`);
      await setUpStudent(strict, browser, student, email, 'Shomei2026Zz');
      await logIn(strict, browser, student, 'Shomei2026Zz', email);

      const page = await browser.get('/tu/settings/two-factor');
      expect(textOf(page.body)).toContain(say(lang, 'twoFactor.mandatory'));
      expect(textOf(page.body)).toContain(say(lang, 'twoFactor.current', { state: 'ON' }));
      expect(page.body).not.toContain('name="enable"');

      const since = strict.smtp.count();
      const refused = await browser.post('/tu/settings/two-factor', { enable: 'false' }, { follow: false });
      expect(refused.status).toBe(409);
      expect(textOf(refused.body)).toContain(say(lang, 'twoFactor.mandatory'));
      await settleMail(strict);
      expect(strict.smtp.mails.slice(since).filter((m) => m.to.includes(email))).toHaveLength(0);

      // Even with the account's own switch off, the tenant's rule wins.
      const account = (await strict.uow.repos.accounts.findByUserId(strict.tenant.id, student.userId))!;
      await strict.uow.repos.accounts.setTwoFactor(strict.tenant.id, account.id, false, strict.clock.now());
      const other = new TestBrowser(strict, { lang, ip: '10.31.0.1' });
      await other.get('/tu/login');
      const login = await other.post(
        '/tu/login',
        { userId: student.userId, password: student.password, secondPassword: 'Shomei2026Zz' },
        { follow: false },
      );
      expect(login.location).toMatch(/^\/tu\/login\/key\?flow=/);
      const menu = await browser.get('/tu/home');
      expect(menu.body).toContain('<span class="badge">ON</span>');
    },
  );
});

describe.each(['en', 'ja'] as const)('L-19 trusted browsers in %s', (lang) => {
  const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';

  function rowId(html: string, label: string): string {
    const row = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].find((match) => textOf(match[1]!).includes(label));
    const id = row && /name="browser" value="([^"]+)"/.exec(row[1]!)?.[1];
    if (!id) throw new Error(`no trusted browser row for ${label}`);
    return id;
  }

  it('L-19 the menu lists the trusted browsers (which, when); removing one asks that browser for the key again', async () => {
    const chrome = browserFor(lang);
    const { student } = await loggedIn(lang, chrome);
    await advance(h, 60_000);
    const fox = browserFor(lang, firefox);
    await logIn(h, fox, student, student.secondPassword, student.email);

    const home = await chrome.get('/tu/home');
    expect(home.body).toContain('href="/tu/settings/browsers"');
    const list = await chrome.get('/tu/settings/browsers');
    const text = textOf(list.body);
    expect(text).toContain(say(lang, 'browsers.title'));
    expect(text).toContain('Chrome / Linux');
    expect(text).toContain('Firefox / Windows');
    expect(text).toContain(say(lang, 'browsers.since'));
    expect(text).toContain(lang === 'en' ? '(JST)' : '（日本時間）');
    expect(list.body).not.toContain('Gecko/20100101');

    const removed = await chrome.post('/tu/settings/browsers/revoke', { browser: rowId(list.body, 'Firefox') });
    expect(textOf(removed.body)).toContain(say(lang, 'browsers.revoked', { count: 1 }));
    expect(textOf(removed.body)).not.toContain('Firefox / Windows');
    expect(textOf(removed.body)).toContain('Chrome / Linux');

    await fox.post('/tu/logout', {});
    expect((await submitLogin(fox, student, student.secondPassword)).location).toMatch(/^\/tu\/login\/key/);
    await chrome.post('/tu/logout', {});
    expect((await submitLogin(chrome, student, student.secondPassword)).location).toBe('/tu/home');
  });

  it('L-19 "remove all" asks every browser for the key again', async () => {
    const { browser, student } = await loggedIn(lang);
    const list = await browser.get('/tu/settings/browsers');
    expect(textOf(list.body)).toContain(say(lang, 'browsers.revokeAll'));
    const removed = await browser.post('/tu/settings/browsers/revoke', { browser: 'all' });
    expect(textOf(removed.body)).toContain(say(lang, 'browsers.none'));
    await browser.post('/tu/logout', {});
    expect((await submitLogin(browser, student, student.secondPassword)).location).toMatch(/^\/tu\/login\/key/);
    const events = await auditEvents(h, { accountId: await accountIdOf(h, student.userId) });
    expect(events).toContain('trusted_browser.added');
    expect(events).toContain('trusted_browser.revoked');
  });

  it("L-19 Q-1 a student cannot remove another student's trusted browser", async () => {
    const victim = await loggedIn(lang);
    const list = await victim.browser.get('/tu/settings/browsers');
    const id = rowId(list.body, 'Chrome');
    const attacker = await loggedIn(lang);
    await attacker.browser.get('/tu/settings/browsers');
    const attempt = await attacker.browser.post('/tu/settings/browsers/revoke', { browser: id });
    expect(textOf(attempt.body)).toContain(say(lang, 'browsers.revoked', { count: 0 }));
    await victim.browser.post('/tu/logout', {}, { csrf: victim.browser.csrf(list.body) });
    expect((await submitLogin(victim.browser, victim.student, victim.student.secondPassword)).location).toBe(
      '/tu/home',
    );
  });
});

describe.each(['en', 'ja'] as const)('L-14 L-15 L-16 menu, manual and inquiries in %s', (lang) => {
  let browser: TestBrowser;
  beforeAll(async () => {
    ({ browser } = await loggedIn(lang));
  });

  it('L-14 every logged-in page has the menu: mail address, second password, two-factor (with state), manual, logout', async () => {
    for (const url of [
      '/tu/home',
      '/tu/manual',
      '/tu/settings/mail-address',
      '/tu/settings/second-password',
      '/tu/settings/two-factor',
      '/tu/settings/browsers',
    ]) {
      const page = await browser.get(url);
      expect(page.status).toBe(200);
      const nav = /<nav[\s\S]*?<\/nav>/.exec(page.body)?.[0] ?? '';
      const text = textOf(nav);
      for (const key of [
        'menu.changeMailAddress',
        'menu.changeSecondPassword',
        'menu.twoFactorSettings',
        'menu.manual',
        'menu.logout',
      ]) {
        expect(text, `${key} on ${url}`).toContain(say(lang, key));
      }
      expect(text).toContain('ON');
      expect(nav).toContain('action="/tu/logout"');
    }
  });

  it('L-14 the login screen (no session) has no menu', async () => {
    const page = await browserFor(lang).get('/tu/login');
    expect(page.body).not.toContain('<nav');
    expect(page.body).not.toContain('/tu/logout');
  });

  it("L-15 the manual shows the university's own operating manual in the chosen language", async () => {
    const page = await browser.get('/tu/manual');
    const text = textOf(page.body);
    expect(text).toContain(say(lang, 'manual.title'));
    for (const paragraph of manual[lang].split('\n\n')) expect(text).toContain(paragraph);
    expect(page.body.match(/<main[\s\S]*<\/main>/)![0].match(/<p>/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('L-16 pages end with the inquiry block: call centre, phone and hours, chat support link', async () => {
    for (const url of ['/tu/home', '/tu/manual']) {
      const page = await browser.get(url);
      const footer = /<footer[\s\S]*<\/footer>/.exec(page.body)![0];
      const text = textOf(footer);
      expect(text).toContain(say(lang, 'inquiry.about'));
      expect(text).toContain(lang === 'en' ? 'Test University call centre' : 'テスト大学 コールセンター');
      expect(text).toContain(lang === 'en' ? '+81-3-0000-0000' : '03-0000-0000');
      expect(text).toContain(lang === 'en' ? 'Weekdays 9:00–17:00' : '平日 9:00～17:00');
      expect(text).toContain(say(lang, 'inquiry.chat'));
      expect(footer).toContain(`href="${chat[lang]}"`);
    }
    for (const url of ['/tu/login', '/tu/forgot', '/tu/', '/tu/no-such-page']) {
      const page = await browserFor(lang).get(url);
      expect(textOf(page.body), url).toContain(say(lang, 'inquiry.about'));
    }
  });

  it('L-16 mails end with the inquiry block, "delete if you don\'t recognize it" and "used only for sending"', async () => {
    // Make each kind of mail this service sends, in this language.
    const { student, browser: b } = await loggedIn(lang);
    const newAddress = uniqueEmail('footer');
    await requestChange(b, newAddress);
    const change = urlIn(await h.smtp.waitFor(newAddress, {}));
    await b.get(`${change.pathname}${change.search}`);
    await b.post('/tu/settings/mail-address/confirm', { token: change.searchParams.get('token')! });
    await b.get('/tu/settings/second-password');
    await b.post('/tu/settings/second-password', {
      oldSecondPassword: student.secondPassword,
      newSecondPassword: 'Footer2026Ok',
      check: 'Footer2026Ok',
    });
    await b.get('/tu/settings/two-factor');
    await b.post('/tu/settings/two-factor', { enable: 'false' });
    await b.get('/tu/forgot');
    await b.post('/tu/forgot', { address: newAddress });
    await settleMail(h);
    await h.smtp.waitFor(newAddress, { match: (m) => m.headers['x-shomei-event'] === 'secondPasswordReset' });

    const mine = h.smtp.mails.filter((m) => m.to.includes(student.email) || m.to.includes(newAddress));
    const events = new Set(mine.map((m) => m.headers['x-shomei-event']));
    expect([...events].sort()).toEqual(
      [
        'authKey',
        'emailChange',
        'emailChangedNotice',
        'emailRegistration',
        'secondPasswordChangedNotice',
        'secondPasswordReset',
        'twoFactorChangedNotice',
      ].sort(),
    );
    const closing = [
      say(lang, 'mail.footer.inquiryHeading'),
      say(lang, 'mail.footer.inquiryAbout'),
      lang === 'en' ? 'Test University call centre' : 'テスト大学 コールセンター',
      lang === 'en' ? '+81-3-0000-0000 Weekdays 9:00–17:00' : '03-0000-0000 平日 9:00～17:00',
      chat[lang],
      say(lang, 'mail.footer.deleteIfUnknown'),
      say(lang, 'mail.footer.sendOnly'),
    ];
    for (const mail of mine) {
      const lines = mail.text.trimEnd().split('\n');
      const tail = lines.slice(-10).join('\n');
      let position = 0;
      for (const words of closing) {
        const found = tail.indexOf(words, position);
        expect(found, `${mail.headers['x-shomei-event']} ends with "${words}"`).toBeGreaterThanOrEqual(0);
        position = found + words.length;
      }
      expect(lines.at(-1)).toBe(say(lang, 'mail.footer.sendOnly'));
      expect(mail.text).toContain(lang === 'en' ? "Please delete this message if you don't recognize it" : '破棄');
      expect(mail.text).toContain(lang === 'en' ? 'This email address is used only for sending' : '送信専用');
      expect(mail.html).toContain(lang === 'en' ? 'used only for sending' : '送信専用');
      expect(mail.subject).toContain(lang === 'en' ? '【Test University】' : '【テスト大学】');
    }
  });
});

describe('§2.5 languages', () => {
  it('L-12 the first visit follows Accept-Language', async () => {
    const english = new TestBrowser(h, { lang: 'en' });
    english.cookies.delete('shomei-lang');
    const page = await english.get('/tu/login');
    expect(page.body).toContain('<html lang="en"');
    expect(textOf(page.body)).toContain('Student login');

    const japanese = new TestBrowser(h);
    const ja = await japanese.get('/tu/login');
    expect(ja.body).toContain('<html lang="ja"');
    expect(textOf(ja.body)).toContain('在学生ログイン');

    const french = await h.app.server.inject({
      method: 'GET',
      url: '/tu/login',
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
    });
    expect(french.body).toContain('<html lang="ja"');
    const ranked = await h.app.server.inject({
      method: 'GET',
      url: '/tu/login',
      headers: { 'accept-language': 'fr;q=1, ja;q=0.2, en;q=0.8' },
    });
    expect(ranked.body).toContain('<html lang="en"');
  });

  it('L-12 LANG on the login screen switches the language, and the choice carries to later screens and mails', async () => {
    const browser = browserFor();
    const student = await readyStudent(h, browser);
    const switched = await browser.get('/tu/login?lang=en');
    expect(switched.body).toContain('<html lang="en"');
    expect(switched.body).toMatch(/<option value="en" selected/);
    expect(browser.cookies.get('shomei-lang')).toBe('en');

    const since = h.smtp.count();
    const { url } = await startKeyLogin(h, browser, student);
    const keyPage = await browser.get(url);
    expect(textOf(keyPage.body)).toContain('Two-factor authentication');
    const mail = await keyMail(h, student.email, since);
    expect(mail.subject).toContain('Authentication key');
    expect(mail.text).toContain('Date of Expiry');
    const done = await browser.post(url, { key: keyIn(mail) });
    expect(textOf(done.body)).toContain('Authenticated');
    const settings = await browser.get('/tu/settings/second-password');
    expect(textOf(settings.body)).toContain('Old second password');
  });

  it('L-12 without a choice the key mail is in Japanese', async () => {
    const browser = browserFor();
    const student = await readyStudent(h, browser);
    const { mail, url } = await startKeyLogin(h, browser, student);
    expect(mail.subject).toContain('認証キー');
    expect(mail.text).toContain('有効期限');
    expect(textOf((await browser.get(url)).body)).toContain('二要素認証');
  });

  it('L-12 the LANG pull-down is on Login and Select Printing Destination, and switching there carries on', async () => {
    const { browser } = await loggedIn('ja');
    const home = await browser.get('/tu/home');
    expect(home.body).toContain('name="lang"');
    expect((await browserFor('ja').get('/tu/login')).body).toContain('name="lang"');
    for (const url of ['/tu/manual', '/tu/settings/two-factor', '/tu/settings/mail-address']) {
      expect((await browser.get(url)).body, url).not.toContain('name="lang"');
    }
    const english = await browser.get('/tu/home?lang=en');
    expect(textOf(english.body)).toContain('Select Printing Destination');
    expect(textOf((await browser.get('/tu/settings/two-factor')).body)).toContain('Two-factor authentication settings');
    const back = await browser.get('/tu/home?lang=ja');
    expect(textOf(back.body)).toContain('発行先選択');
  });

  it('L-12 an unknown ?lang= value is ignored, never 500', async () => {
    const browser = browserFor('en');
    for (const url of ['/tu/login?lang=fr', '/tu/login?lang=', '/tu/login?lang[]=en', '/tu/login?lang=en&lang=ja']) {
      const page = await browser.get(url);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html lang="en"');
    }
  });
});
