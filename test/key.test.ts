import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime, formatTime } from '../src/platform/format.js';
import { browsers } from './factories/browser.js';
import { type Harness, TestBrowser, startHarness, textOf } from './helpers/harness.js';
import {
  advance,
  type ReadyStudent,
  accountIdOf,
  auditEvents,
  dialogText,
  errorMessages,
  errorSummary,
  keyMail,
  mailsTo,
  readyStudent,
  say,
  startKeyLogin,
  submitLogin,
  wrongKeyFor,
} from './helpers/accounts.js';
import { logIn, setUpStudent } from './helpers/journeys.js';
import { keyIn } from './helpers/smtp.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const browserFor = browsers(() => h, '10.20.0');

async function enterKey(browser: TestBrowser, url: string, key: string) {
  return browser.post(url, { key }, { follow: false });
}

async function reissue(browser: TestBrowser, url: string) {
  const flow = new URL(url, 'http://x').searchParams.get('flow')!;
  await browser.get(url);
  return browser.post(`/tu/login/key/reissue?flow=${encodeURIComponent(flow)}`, {}, { follow: false });
}

describe.each(['en', 'ja'] as const)('§2.3 regular login in %s', (lang) => {
  let student: ReadyStudent;
  beforeAll(async () => {
    student = await readyStudent(h, browserFor(lang));
  });

  it('L-6 a wrong second password, a wrong university password and an unknown user get one and the same answer', async () => {
    const answers = [
      await submitLogin(browserFor(lang), student, 'Wrong2026Second'),
      await submitLogin(browserFor(lang), student, student.secondPassword, { password: 'Wrong-University-1' }),
      await submitLogin(browserFor(lang), student, student.secondPassword, { userId: 'nobody-here' }),
      await submitLogin(browserFor(lang), student, '', { password: 'Wrong-University-1' }),
    ];
    const message = say(lang, 'validation.login.invalid');
    for (const page of answers) {
      expect(page.status).toBe(401);
      expect(page.location).toBeUndefined();
      expect(errorMessages(page.body)).toEqual([message]);
      // The same message stands at the User ID field; no field is marked as the wrong one.
      expect((page.body.match(/aria-invalid="true"/g) ?? []).length).toBe(1);
      expect(page.body).toMatch(
        /id="field-userId"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="field-userId"|name="userId"[^>]*aria-invalid="true"/,
      );
    }
    expect(new Set(answers.map((page) => errorSummary(page.body))).size).toBe(1);
    // Neither password is echoed back.
    for (const page of answers) {
      expect(page.body).not.toContain('Wrong2026Second');
      expect(page.body).not.toContain('Wrong-University-1');
    }
  });

  it('L-1 L-6 missing fields get their own messages (not the combination message)', async () => {
    const browser = browserFor(lang);
    await browser.get('/tu/login');
    const page = await browser.post('/tu/login', { userId: '', password: '', secondPassword: '' });
    expect(page.status).toBe(422);
    expect(errorMessages(page.body)).toEqual([
      say(lang, 'validation.login.userIdRequired'),
      say(lang, 'validation.login.passwordRequired'),
    ]);
  });

  it('L-7 the key mail states the key and its expiry (date and time), matching the key screen', async () => {
    const browser = browserFor(lang);
    const expected = formatDateTime(h.clock.now() + 10 * 60_000, lang);
    const { url, mail, key } = await startKeyLogin(h, browser, student);
    expect(key).toMatch(/^\d{6}$/);
    expect(mail.subject).toContain(say(lang, 'mail.authKey.subject'));
    expect(mail.text).toContain(lang === 'en' ? `Date of Expiry : ${expected}` : `有効期限：${expected}`);
    expect(mail.text).toContain(student.userId);

    const page = await browser.get(url);
    const text = textOf(page.body);
    expect(text).toContain(say(lang, 'key.expiry', { expiry: expected }));
    for (const words of ['key.title', 'key.key', 'key.reissue', 'key.authenticate'])
      expect(text).toContain(say(lang, words));
    expect(page.body).toContain('autocomplete="one-time-code"');
  });

  it('L-7 the right key shows "Authenticated" + OK and leads to the start screen', async () => {
    const browser = browserFor(lang);
    const { url, key } = await startKeyLogin(h, browser, student);
    const done = await enterKey(browser, url, key);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/tu/login/authenticated');
    const dialog = await browser.get(done.location!);
    expect(dialogText(dialog.body)).toContain(say(lang, 'key.authenticated.heading'));
    expect(dialog.body).toContain('href="/tu/home"');
    const home = await browser.get('/tu/home');
    expect(textOf(home.body)).toContain(say(lang, 'home.title'));
  });

  it('L-7 the key typed with full-width digits or spaces still works', async () => {
    const browser = browserFor(lang);
    const { url, key } = await startKeyLogin(h, browser, student);
    const fullWidth = ` ${key.slice(0, 3)} ${key
      .slice(3)
      .split('')
      .map((digit) => String.fromCharCode(0xff10 + Number(digit)))
      .join('')} `;
    const done = await enterKey(browser, url, fullWidth);
    expect(done.location).toBe('/tu/login/authenticated');
  });

  it('L-7 an empty key is asked for again without counting as a wrong entry', async () => {
    const browser = browserFor(lang);
    const { url, flowId } = await startKeyLogin(h, browser, student);
    const page = await enterKey(browser, url, '   ');
    expect(page.status).toBe(422);
    expect(errorMessages(page.body)).toEqual([say(lang, 'validation.key.required')]);
    const row = await h.database.db
      .selectFrom('auth_keys')
      .select('failed_attempts')
      .where('flow_id', '=', flowId)
      .executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(0);
  });

  it('L-7 the key expires after 10 minutes: the screen says expired, and Reissue sends a key that works', async () => {
    const browser = browserFor(lang);
    const { url, key } = await startKeyLogin(h, browser, student);
    await advance(h, 10 * 60_000 + 1_000);
    const late = await enterKey(browser, url, key);
    expect(late.status).toBe(422);
    expect(dialogText(late.body)).toContain(say(lang, 'key.dialog.expired.title'));
    expect(dialogText(late.body)).toContain(say(lang, 'key.reissue'));

    const since = h.smtp.count();
    const again = await reissue(browser, url);
    expect(again.status).toBe(303);
    const fresh = keyIn(await keyMail(h, student.email, since));
    const done = await enterKey(browser, url, fresh);
    expect(done.location).toBe('/tu/login/authenticated');
  });

  it('L-7 a key is valid only for the login attempt that asked for it', async () => {
    const browser = browserFor(lang);
    const a = await startKeyLogin(h, browser, student);
    const b = await startKeyLogin(h, browser, student);
    expect(a.flowId).not.toBe(b.flowId);
    const crossed = await enterKey(browser, b.url, a.key);
    expect(crossed.status).toBe(422);
    expect(errorMessages(crossed.body)[0]).toContain(lang === 'en' ? 'incorrect' : '正しくありません');
    const done = await enterKey(browser, b.url, b.key);
    expect(done.location).toBe('/tu/login/authenticated');
    // The finished attempt's screen is gone, so its key cannot be used any more either.
    const reused = await enterKey(browser, b.url, b.key);
    expect(reused.location).toBe('/tu/login?notice=flowEnded');
  });

  it('L-7 Q-1 a key screen opened in another browser sends that browser to login (flow binding)', async () => {
    const browser = browserFor(lang);
    const { url, key } = await startKeyLogin(h, browser, student);
    const thief = browserFor(lang);
    const page = await thief.get(url, { follow: false });
    expect(page.location).toBe('/tu/login?notice=flowEnded');
    await thief.get('/tu/login');
    const posted = await enterKey(thief, url, key);
    expect(posted.location).toBe('/tu/login?notice=flowEnded');
    const notice = await thief.get(posted.location!);
    expect(textOf(notice.body)).toContain(say(lang, 'login.notice.flowEnded'));
    // The rightful browser can still finish.
    expect((await enterKey(browser, url, key)).location).toBe('/tu/login/authenticated');
  });
});

describe.each(['en', 'ja'] as const)('L-7 L-19 trusted browsers in %s', (lang) => {
  it('L-7 the trusted browser skips the key; another browser needs it; after the 30-day period it is asked again', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    await logIn(h, browser, student, student.secondPassword, student.email);
    await browser.get('/tu/home');
    await browser.post('/tu/logout', {});

    const since = h.smtp.count();
    const trusted = await submitLogin(browser, student, student.secondPassword);
    expect(trusted.status).toBe(303);
    expect(trusted.location).toBe('/tu/home');
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
    expect(
      (await mailsTo(h, student.email, since)).filter((m) => /Authentication key|認証キー/.test(m.subject)),
    ).toHaveLength(0);

    const other = browserFor(lang, 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1');
    const elsewhere = await submitLogin(other, student, student.secondPassword);
    expect(elsewhere.location).toMatch(/^\/tu\/login\/key\?flow=/);

    // 29 days later the trust holds; after 30 days the key is required again.
    await advance(h, 29 * 86_400_000);
    expect((await submitLogin(browser, student, student.secondPassword)).location).toBe('/tu/home');
    await advance(h, 1 * 86_400_000 + 60_000);
    const expired = await submitLogin(browser, student, student.secondPassword);
    expect(expired.location).toMatch(/^\/tu\/login\/key\?flow=/);
  });
});

describe.each(['en', 'ja'] as const)('§2.6 failed key entries in %s', (lang) => {
  it('L-8 five wrong keys invalidate the key: the right key then gets the "invalidated" dialog; Reissue mails a new key that works', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    const { url, key, flowId } = await startKeyLogin(h, browser, student);
    const wrong = wrongKeyFor(key);

    for (let remaining = 4; remaining >= 1; remaining--) {
      const page = await enterKey(browser, url, wrong);
      expect(page.status).toBe(422);
      expect(errorMessages(page.body)).toEqual([say(lang, 'validation.key.wrong', { count: remaining })]);
    }
    const fifth = await enterKey(browser, url, wrong);
    expect(fifth.status).toBe(422);
    expect(dialogText(fifth.body)).toContain(say(lang, 'key.dialog.invalidated.title'));

    const right = await enterKey(browser, url, key);
    expect(right.status).toBe(422);
    expect(right.location).toBeUndefined();
    expect(dialogText(right.body)).toContain(say(lang, 'key.dialog.invalidated.title'));
    expect(dialogText(right.body)).toContain(say(lang, 'key.dialog.invalidated.body'));
    const screen = await browser.get(url);
    expect(dialogText(screen.body)).toContain(say(lang, 'key.dialog.invalidated.title'));
    const row = await h.database.db
      .selectFrom('auth_keys')
      .select(['failed_attempts', 'used_at'])
      .where('flow_id', '=', flowId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_attempts: 5, used_at: null });

    await advance(h, 61_000);
    const since = h.smtp.count();
    const reissued = await reissue(browser, url);
    expect(reissued.status).toBe(303);
    expect(reissued.location).toContain('notice=reissued');
    const notice = await browser.get(reissued.location!);
    expect(dialogText(notice.body)).toContain(say(lang, 'key.dialog.reissued.title'));
    const fresh = keyIn(await keyMail(h, student.email, since));
    const done = await enterKey(browser, url, fresh);
    expect(done.location).toBe('/tu/login/authenticated');

    const events = await auditEvents(h, { accountId: await accountIdOf(h, student.userId) });
    expect(events.filter((event) => event === 'key.failure')).toHaveLength(5);
    expect(events).toContain('key.invalidated');
    expect(events.filter((event) => event === 'key.sent').length).toBeGreaterThanOrEqual(2);
  });

  it('L-8 L-19 Reissue within 60 seconds gets the cooldown dialog (429) and sends no mail', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    const { url, key } = await startKeyLogin(h, browser, student);
    const since = h.smtp.count();
    await advance(h, 30_000);
    const early = await reissue(browser, url);
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe('30');
    expect(dialogText(early.body)).toContain(say(lang, 'key.dialog.cooldown.title'));
    expect(dialogText(early.body)).toContain(
      say(lang, 'key.dialog.cooldown.body', { seconds: 30, time: formatTime(h.clock.now() + 30_000, lang) }),
    );
    expect(await mailsTo(h, student.email, since)).toHaveLength(0);
    // The key still works.
    expect((await enterKey(browser, url, key)).location).toBe('/tu/login/authenticated');
  });

  it('L-19 Reissue invalidates the earlier key', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    const { url, key: earlier } = await startKeyLogin(h, browser, student);
    await advance(h, 61_000);
    const since = h.smtp.count();
    expect((await reissue(browser, url)).status).toBe(303);
    const newer = keyIn(await keyMail(h, student.email, since));
    const old = await enterKey(browser, url, earlier === newer ? wrongKeyFor(newer) : earlier);
    expect(old.status).toBe(422);
    expect(errorMessages(old.body)).toEqual([say(lang, 'validation.key.wrong', { count: 4 })]);
    expect((await enterKey(browser, url, newer)).location).toBe('/tu/login/authenticated');
  });

  it('L-19 a reissue does not reset the wrong entries: 3 wrong, reissue, 2 wrong → invalidated', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    const { url, key } = await startKeyLogin(h, browser, student);
    for (let i = 0; i < 3; i++) await enterKey(browser, url, wrongKeyFor(key));
    await advance(h, 61_000);
    const since = h.smtp.count();
    expect((await reissue(browser, url)).status).toBe(303);
    const fresh = keyIn(await keyMail(h, student.email, since));
    const fourth = await enterKey(browser, url, wrongKeyFor(fresh));
    expect(errorMessages(fourth.body)).toEqual([say(lang, 'validation.key.wrong', { count: 1 })]);
    const fifth = await enterKey(browser, url, wrongKeyFor(fresh));
    expect(dialogText(fifth.body)).toContain(say(lang, 'key.dialog.invalidated.title'));
    const right = await enterKey(browser, url, fresh);
    expect(dialogText(right.body)).toContain(say(lang, 'key.dialog.invalidated.title'));
  });
});

describe('§2.6 limits around the key', () => {
  it('L-19 key failures are counted apart from password failures: an invalidated key does not lock the login', async () => {
    const browser = browserFor('en');
    const student = await readyStudent(h, browser);
    const { url, key } = await startKeyLogin(h, browser, student);
    for (let i = 0; i < 5; i++) await enterKey(browser, url, wrongKeyFor(key));
    const again = await startKeyLogin(h, browser, student);
    expect((await enterKey(browser, again.url, again.key)).location).toBe('/tu/login/authenticated');
  });

  it('L-8 L-19 Reissue is rate-limited per account: the eleventh in an hour is refused with a page, not 500', async () => {
    const browser = browserFor('en');
    const student = await readyStudent(h, browser);
    const { url } = await startKeyLogin(h, browser, student);
    for (let i = 0; i < 10; i++) {
      await advance(h, 61_000);
      expect((await reissue(browser, url)).status).toBe(303);
    }
    await advance(h, 61_000);
    const refused = await reissue(browser, url);
    expect(refused.status).toBe(429);
    expect(textOf(refused.body)).toContain('Too many attempts');
  });

  it('L-8 unknown or missing flow ids on the key screens go back to login, never 500', async () => {
    const browser = browserFor('en');
    await browser.get('/tu/login');
    const csrf = browser.csrf();
    for (const flow of ['', 'nope', '00000000-0000-0000-0000-000000000000', 'x'.repeat(500), '<script>']) {
      const q = `?flow=${encodeURIComponent(flow)}`;
      expect((await browser.get(`/tu/login/key${q}`, { follow: false })).location).toBe('/tu/login?notice=flowEnded');
      expect((await browser.post(`/tu/login/key${q}`, { key: '123456' }, { follow: false, csrf })).location).toBe(
        '/tu/login?notice=flowEnded',
      );
      expect((await browser.post(`/tu/login/key/reissue${q}`, {}, { follow: false, csrf })).location).toBe(
        '/tu/login?notice=flowEnded',
      );
    }
    const authenticated = await browser.get('/tu/login/authenticated', { follow: false });
    expect(authenticated.location).toBe('/tu/login?notice=loginRequired&next=%2Ftu%2Flogin%2Fauthenticated');
  });
});

describe("L-7 L-8 L-19 the university's own key policy", () => {
  let strict: Harness;
  beforeAll(async () => {
    strict = await startHarness({
      policy: {
        keyLength: 8,
        keyLifetimeMinutes: 5,
        keyMaxAttempts: 3,
        keyReissueCooldownSeconds: 120,
        trustedBrowserDays: 7,
        linkLifetimeMinutes: 15,
      },
    });
  });
  afterAll(async () => {
    await strict.close();
  });

  it('L-3 L-7 L-8 L-19 key length, key lifetime, attempts, cooldown, trusted period and URL lifetime follow the tenant', async () => {
    const browser = new TestBrowser(strict, { lang: 'en' });
    const student = { userId: 'u1001', password: 'Univ-Pass-1001' };
    const email = 'policy.u1001@mail.test';

    // The registration URL lives 15 minutes here.
    await browser.get('/tu/login');
    const first = await browser.post('/tu/login', { ...student, secondPassword: '' }, { follow: false });
    await browser.get(first.location!);
    const sent = await browser.post(first.location!, { address: email, check: email });
    expect(textOf(sent.body)).toContain('The URL is valid for 15 minutes.');
    const registration = await strict.smtp.waitFor(email, {});
    expect(registration.text).toContain('Due date for the URL: 15 minutes');
    await advance(strict, 15 * 60_000 + 1_000);
    const late = await browser.get(`/tu/mail-address/confirm?token=${/token=([\w-]+)/.exec(registration.text)![1]}`);
    expect(late.status).toBe(410);

    await setUpStudent(strict, browser, student, email, 'Shomei2026Zz');
    const ready = { ...student, email, secondPassword: 'Shomei2026Zz' };

    // An 8-digit key, valid 5 minutes.
    const expected = formatDateTime(strict.clock.now() + 5 * 60_000, 'en');
    const attempt = await startKeyLogin(strict, browser, ready);
    expect(attempt.key).toMatch(/^\d{8}$/);
    expect(attempt.mail.text).toContain(`Date of Expiry : ${expected}`);

    // Three wrong entries kill it.
    expect(errorMessages((await enterKey(browser, attempt.url, wrongKeyFor(attempt.key))).body)).toEqual([
      say('en', 'validation.key.wrong', { count: 2 }),
    ]);
    await enterKey(browser, attempt.url, wrongKeyFor(attempt.key));
    const third = await enterKey(browser, attempt.url, wrongKeyFor(attempt.key));
    expect(dialogText(third.body)).toContain('Authentication key invalidated');

    // The cooldown is two minutes.
    await advance(strict, 61_000);
    const early = await reissue(browser, attempt.url);
    expect(early.status).toBe(429);
    expect(dialogText(early.body)).toContain('59 seconds');
    await advance(strict, 60_000);
    const since = strict.smtp.count();
    expect((await reissue(browser, attempt.url)).status).toBe(303);
    const fresh = keyIn(await keyMail(strict, email, since));
    expect(fresh).toMatch(/^\d{8}$/);

    // 5 minutes later the new key has expired.
    await advance(strict, 5 * 60_000 + 1_000);
    expect(dialogText((await enterKey(browser, attempt.url, fresh)).body)).toContain('Authentication key expired');

    // A fresh login; the browser is trusted for 7 days.
    const again = await startKeyLogin(strict, browser, ready);
    expect((await enterKey(browser, again.url, again.key)).location).toBe('/tu/login/authenticated');
    const trust = (
      await strict.database.db.selectFrom('trusted_browsers').select(['created_at', 'expires_at']).execute()
    )[0]!;
    expect(Number(trust.expires_at) - Number(trust.created_at)).toBe(7 * 86_400_000);
    await advance(strict, 6 * 86_400_000);
    const trusted = await browser.post(
      '/tu/login',
      { ...student, secondPassword: 'Shomei2026Zz' },
      { follow: false, csrf: browser.csrf((await browser.get('/tu/login')).body) },
    );
    expect(trusted.location).toBe('/tu/home');
    await advance(strict, 86_400_000 + 60_000);
    await browser.get('/tu/login');
    const asked = await browser.post('/tu/login', { ...student, secondPassword: 'Shomei2026Zz' }, { follow: false });
    expect(asked.location).toMatch(/^\/tu\/login\/key\?flow=/);
  });
});
