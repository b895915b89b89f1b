import { operatorActor } from '../src/platform/actor.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalogue } from '../src/dev/demo/demo-catalogue.js';
import { type FlowKind, flowKinds } from '../src/flows/flow.state.js';
import { formatDateTime } from '../src/platform/format.js';
import { browsers } from './factories/browser.js';
import { type Harness, type Page, TestBrowser, startHarness, textOf, uniqueEmail } from './helpers/harness.js';
import {
  GOOD_SECOND_PASSWORD,
  advance,
  accountIdOf,
  auditEvents,
  errorMessages,
  keyMail,
  newStudent,
  rawRequest,
  readyStudent,
  say,
  setCookies,
  startKeyLogin,
  submitLogin,
  wrongKeyFor,
} from './helpers/accounts.js';
import { logIn, registerEmail, setUpStudent } from './helpers/journeys.js';
import { fillOrderForm, orderingStudent } from './helpers/orders.js';
import { keyIn, urlIn } from './helpers/smtp.js';
import { STAFF_PASSWORD, enrolWithTotp, invite, logInStaff, totpCode } from './helpers/staff.js';
import { postFiles } from './helpers/staff-uploads.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const browserFor = browsers(() => h, '10.40.0', 'en');

const SESSION = 'shomei-session-tu';

describe.each(['en', 'ja'] as const)('Q-1 CSRF protection in %s', (lang) => {
  it("Q-1 a POST without a CSRF token gets a 403 page in the user's language, and does nothing", async () => {
    const student = await newStudent(h);
    const browser = browserFor(lang);
    await browser.get('/tu/login');
    const page = await browser.post(
      '/tu/login',
      { userId: student.userId, password: student.password, secondPassword: '' },
      { csrf: false, follow: false },
    );
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(`<html lang="${lang}"`);
    expect(textOf(page.body)).toContain(say(lang, 'errors.csrf_invalid.title'));
    expect(textOf(page.body)).toContain(say(lang, 'inquiry.about'));
    expect(await h.uow.repos.accounts.findByUserId(h.tenant.id, student.userId)).toBeUndefined();
  });

  it('Q-1 a wrong, foreign or duplicated CSRF token is refused on every form', async () => {
    const { browser } = await loggedInStudent(lang);
    const foreign = browserFor(lang);
    await foreign.get('/tu/login');
    const foreignToken = foreign.csrf();
    const forms: Array<[string, Record<string, string>]> = [
      ['/tu/logout', {}],
      ['/tu/settings/two-factor', { enable: 'false' }],
      ['/tu/settings/mail-address', { newAddress: 'x@example.ac.jp', check: 'x@example.ac.jp' }],
      ['/tu/settings/browsers/revoke', { browser: 'all' }],
      ['/tu/forgot', { address: 'x@example.ac.jp' }],
    ];
    for (const [url, form] of forms) {
      for (const csrf of ['garbage', foreignToken, '']) {
        const page = await browser.post(url, form, { csrf, follow: false });
        expect(page.status, `${url} with ${csrf}`).toBe(403);
        expect(textOf(page.body)).toContain(say(lang, 'errors.csrf_invalid.title'));
      }
    }
    await browser.get('/tu/home');
    const token = browser.csrf();
    const duplicated = await rawRequest(h, browser, {
      method: 'POST',
      url: '/tu/logout',
      payload: `_csrf=${token}&_csrf=${token}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(duplicated.statusCode).toBe(403);
    // Still logged in, two-factor still on.
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
    expect(textOf((await browser.get('/tu/settings/two-factor')).body)).toContain(
      say(lang, 'twoFactor.current', { state: 'ON' }),
    );
  });
});

async function loggedInStudent(lang: 'en' | 'ja' = 'en', browser = browserFor(lang)) {
  const student = await readyStudent(h, browser);
  await logIn(h, browser, student, student.secondPassword, student.email);
  return { browser, student };
}

describe('Q-1 sessions', () => {
  it('Q-1 the session id is rotated at login: a planted id is never adopted, and the old id stops working', async () => {
    const browser = browserFor();
    const student = await readyStudent(h, browser);
    browser.cookies.set(SESSION, 'planted-by-an-attacker-0123456789abcdefghijk');
    await logIn(h, browser, student, student.secondPassword, student.email);
    const first = browser.cookies.get(SESSION)!;
    expect(first).toBeDefined();
    expect(first).not.toBe('planted-by-an-attacker-0123456789abcdefghijk');

    // Logging in again (the trusted browser skips the key) gives a brand-new id.
    const again = await browser.post(
      '/tu/login',
      { userId: student.userId, password: student.password, secondPassword: student.secondPassword },
      { follow: false },
    );
    expect(again.location).toBe('/tu/home');
    const second = browser.cookies.get(SESSION)!;
    expect(second).not.toBe(first);

    const replay = browserFor();
    replay.cookies.set(SESSION, first);
    const old = await replay.get('/tu/home', { follow: false });
    expect(old.status).toBe(303);
    expect(old.location).toBe('/tu/login?notice=sessionEnded&next=%2Ftu%2Fhome');
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
  });

  it('Q-1 the session id is stored only as a hash', async () => {
    const { browser } = await loggedInStudent();
    const token = browser.cookies.get(SESSION)!;
    const rows = await h.database.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.id_hash).not.toContain(token);
  });

  it('Q-1 logout ends the session on the server: replaying the old cookie is sent to login', async () => {
    const { browser, student } = await loggedInStudent('ja');
    const token = browser.cookies.get(SESSION)!;
    await browser.get('/tu/home');
    const out = await browser.post('/tu/logout', {}, { follow: false });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/tu/login?notice=loggedOut');
    expect(setCookies(out).some((cookie) => cookie.startsWith(`${SESSION}=;`))).toBe(true);
    const notice = await browser.get(out.location!);
    expect(textOf(notice.body)).toContain('ログアウトしました。');

    const replay = browserFor('ja');
    replay.cookies.set(SESSION, token);
    const page = await replay.get('/tu/home', { follow: false });
    expect(page.location).toBe('/tu/login?notice=sessionEnded&next=%2Ftu%2Fhome');
    expect(await auditEvents(h, { accountId: await accountIdOf(h, student.userId) })).toContain('session.logout');
  });

  it('Q-1 an idle session ends after 30 minutes', async () => {
    const { browser } = await loggedInStudent();
    await advance(h, 29 * 60_000);
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
    await advance(h, 29 * 60_000);
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
    await advance(h, 30 * 60_000 + 1_000);
    const page = await browser.get('/tu/home', { follow: false });
    expect(page.location).toBe('/tu/login?notice=sessionEnded&next=%2Ftu%2Fhome');
  });

  it('#8 a short idle limit never ends a session in use: with 1 minute, a page every 50 seconds keeps it', async () => {
    const short = await startHarness({ env: { SESSION_IDLE_MINUTES: '1' } });
    try {
      const browser = new TestBrowser(short, { lang: 'en', ip: '10.44.0.1' });
      const student = await readyStudent(short, browser);
      await logIn(short, browser, student, student.secondPassword, student.email);
      for (let step = 0; step < 6; step++) {
        await advance(short, 50_000);
        expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
      }
      await advance(short, 61_000);
      expect((await browser.get('/tu/home', { follow: false })).location).toBe(
        '/tu/login?notice=sessionEnded&next=%2Ftu%2Fhome',
      );
    } finally {
      await short.close();
    }
  });

  it('Q-1 a busy session still ends after 8 hours (absolute timeout)', async () => {
    const { browser } = await loggedInStudent();
    for (let minutes = 0; minutes < 8 * 60 - 20; minutes += 20) {
      await advance(h, 20 * 60_000);
      expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
    }
    await advance(h, 21 * 60_000);
    expect((await browser.get('/tu/home', { follow: false })).location).toBe(
      '/tu/login?notice=sessionEnded&next=%2Ftu%2Fhome',
    );
  });

  it('Q-1 every logged-in page needs the session', async () => {
    const anonymous = browserFor();
    for (const url of [
      '/tu/home',
      '/tu/manual',
      '/tu/settings/second-password',
      '/tu/settings/second-password/changed',
      '/tu/settings/two-factor',
      '/tu/settings/two-factor/changed',
      '/tu/settings/browsers',
      '/tu/login/authenticated',
    ]) {
      const page = await anonymous.get(url, { follow: false });
      expect(page.location, url).toBe(`/tu/login?notice=loginRequired&next=${encodeURIComponent(url)}`);
    }
  });

  it('Q-1 a session of one university is not a session of another', async () => {
    const { browser } = await loggedInStudent();
    const other = await h.tenants.create({ slug: 'ou', name: { ja: '別大学', en: 'Other University' } });
    expect(other.slug).toBe('ou');
    const token = browser.cookies.get(SESSION)!;
    const page = await h.app.server.inject({
      method: 'GET',
      url: '/ou/home',
      headers: { cookie: `shomei-session-ou=${token}; ${SESSION}=${token}` },
    });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/ou/login?notice=sessionEnded&next=%2Fou%2Fhome');
  });
});

describe('Q-1 cookies and headers', () => {
  it('Q-1 #8 every cookie is HttpOnly, Path=/ and SameSite=Lax, the language and the device cookie too', async () => {
    const student = await readyStudent(h, browserFor());
    const browser = browserFor();
    await browser.get('/tu/login?lang=en');
    const since = h.smtp.count();
    const first = await browser.post(
      '/tu/login',
      { userId: student.userId, password: student.password, secondPassword: student.secondPassword },
      { follow: false },
    );
    await browser.get(first.location!);
    const key = keyIn(await keyMail(h, student.email, since));
    const done = await browser.post(first.location!, { key }, { follow: false });
    expect(done.location).toBe('/tu/login/authenticated');

    const byName = new Map(browser.setCookieHeaders.map((cookie) => [cookie.split('=')[0]!, cookie]));
    for (const name of ['shomei-csrf', SESSION, 'shomei-trust-tu', 'shomei-device-tu', 'shomei-flow', 'shomei-lang']) {
      const cookie = byName.get(name);
      expect(cookie, name).toBeDefined();
      expect(cookie, name).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie, name).toMatch(/;\s*Path=\//i);
      expect(cookie, name).toMatch(/;\s*HttpOnly/i);
    }
    expect(byName.get('shomei-trust-tu')).toMatch(/Max-Age=2592000/);
    expect(byName.get('shomei-device-tu')).toMatch(/Max-Age=31536000/);
    expect(byName.get(SESSION)).not.toMatch(/Max-Age|Expires/i);
  });

  it('Q-1 #8 over https every Set-Cookie of a whole journey is __Host-, Secure, HttpOnly, Path=/, SameSite, no Domain', async () => {
    const secure = await startHarness({ env: { PUBLIC_URL: 'https://shomei.test' } });
    try {
      const browser = new TestBrowser(secure, { lang: 'en' });
      await browser.get('/tu/login?lang=en');
      // First login, mail-address registration, second-password setup, login with the mailed key.
      const student = await newStudent(secure);
      const email = uniqueEmail('https');
      await setUpStudent(secure, browser, student, email, 'Shomei2026Zz');
      await logIn(secure, browser, student, 'Shomei2026Zz', email);
      for (const url of [
        '/tu/manual',
        '/tu/settings/mail-address',
        '/tu/settings/two-factor',
        '/tu/settings/browsers',
        '/tu/settings/second-password',
      ])
        expect((await browser.get(url)).status, url).toBe(200);
      const changed = await browser.post(
        '/tu/settings/second-password',
        { oldSecondPassword: 'Shomei2026Zz', newSecondPassword: 'Henkou2026Zz', check: 'Henkou2026Zz' },
        { follow: false },
      );
      expect(changed.location).toBe('/tu/settings/second-password/changed');
      await browser.get('/tu/home');
      expect((await browser.post('/tu/logout', {}, { follow: false })).location).toBe('/tu/login?notice=loggedOut');

      // Forgotten second password: request, mailed link, new second password, login again.
      await browser.get('/tu/forgot');
      const since = secure.smtp.count();
      expect((await browser.post('/tu/forgot', { address: email }, { follow: false })).location).toBe(
        '/tu/forgot/sent',
      );
      const link = urlIn(await secure.smtp.waitFor(email, { since, match: (m) => /\?token=/.test(m.text) }));
      expect(link.protocol).toBe('https:');
      await browser.get(`${link.pathname}${link.search}`);
      const reset = await browser.post(
        '/tu/forgot/reset',
        { token: link.searchParams.get('token')!, secondPassword: 'Atarashii2027', check: 'Atarashii2027' },
        { follow: false },
      );
      expect(reset.location).toBe('/tu/forgot/complete');
      await browser.get(reset.location!);
      const home = await logIn(secure, browser, student, 'Atarashii2027', email);
      expect(home.headers['strict-transport-security']).toContain('max-age=');

      const cookies = browser.setCookieHeaders;
      const names = new Set(cookies.map((cookie) => cookie.split('=')[0]));
      expect([...names].sort()).toEqual([
        '__Host-shomei-csrf',
        '__Host-shomei-device-tu',
        '__Host-shomei-flow',
        '__Host-shomei-lang',
        '__Host-shomei-session-tu',
        '__Host-shomei-setup',
        '__Host-shomei-trust-tu',
      ]);
      for (const cookie of cookies) {
        const [pair, ...attributes] = cookie.split(';').map((part) => part.trim());
        const flags = attributes.map((attribute) => attribute.split('=')[0]!.toLowerCase());
        expect(pair, cookie).toMatch(/^__Host-/);
        expect(flags, cookie).toContain('secure');
        expect(flags, cookie).toContain('httponly');
        expect(attributes, cookie).toContain('Path=/');
        expect(attributes, cookie).toContain('SameSite=Lax');
        expect(flags, cookie).not.toContain('domain');
      }
    } finally {
      await secure.close();
    }
  });

  it('Q-1 pages carry a strict Content-Security-Policy, no framing, no referrer, no caching', async () => {
    const browser = browserFor();
    for (const url of ['/tu/login', '/tu/forgot', '/tu/', '/nope/login', '/']) {
      const page = await browser.get(url);
      const csp = String(page.headers['content-security-policy']);
      expect(csp, url).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(page.headers['x-frame-options']).toBeDefined();
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['cache-control']).toBe('no-store');
      // No inline script at all.
      expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });
});

describe.each(['en', 'ja'] as const)('Q-1 output escaping in %s', (lang) => {
  it('Q-1 a user ID like <script>alert(1)</script> comes back escaped', async () => {
    const browser = browserFor(lang);
    const hostile = '<script>alert(1)</script>';
    await browser.get('/tu/login');
    const page = await browser.post('/tu/login', { userId: hostile, password: 'x', secondPassword: 'y' });
    expect(page.status).toBe(401);
    expect(page.body).not.toContain(hostile);
    // In the field's value and anywhere else, "<" and '"' are entities: no tag, no way out of the attribute.
    expect(page.body).toContain('value="&lt;script>alert(1)&lt;/script>"');
    expect(page.body.match(/<script/g)).toHaveLength(1); // only the layout's own script src
    const quote = await browser.post('/tu/login', {
      userId: '"><img src=x onerror=alert(1)>',
      password: 'x',
      secondPassword: '',
    });
    expect(quote.body).not.toContain('<img src=x');
    expect(quote.body).toContain('value="&quot;>&lt;img');
  });

  it('Q-1 an address with markup is escaped on the pages and in the mail', async () => {
    const browser = browserFor(lang);
    const student = await newStudent(h);
    await browser.get('/tu/login');
    const first = await browser.post(
      '/tu/login',
      { userId: student.userId, password: student.password, secondPassword: '' },
      { follow: false },
    );
    await browser.get(first.location!);
    const address = `"<b>x</b>"@example.ac.jp`;
    const page = await browser.post(first.location!, { address, check: address });
    expect(page.body).not.toContain('<b>x</b>');
  });
});

describe('Q-1 flow binding', () => {
  const ENDED = '/tu/login?notice=flowEnded';

  /** The id of the student's open flow of `kind`: what a flow-id URL carries, and what a thief could learn. */
  async function openFlowId(kind: FlowKind, userId: string): Promise<string> {
    const row = await h.database.db
      .selectFrom('flows')
      .select('id')
      .where('tenant_id', '=', h.tenant.id)
      .where('kind', '=', kind)
      .where('subject_id', '=', await accountIdOf(h, userId))
      .where('state', '!=', 'completed')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A browser with a CSRF token of its own, as a thief would have from any form of the site. */
  async function thiefWithToken(): Promise<{ thief: TestBrowser; csrf: string }> {
    const thief = browserFor();
    await thief.get('/tu/login');
    return { thief, csrf: thief.csrf() };
  }

  /**
   * Each kind, tried from another browser. Keyed by the closed union, so a kind added to
   * flow.state.ts does not compile here until its case is written. Flows reached by a flow id are
   * bound to the browser that started them; flows reached by a mailed link open with the link's
   * token only (whichever browser the mail is read in), never with the flow's id.
   */
  const takeovers: Record<FlowKind, () => Promise<void>> = {
    async email_registration() {
      const owner = browserFor();
      const student = await newStudent(h);
      const registration = await submitLogin(owner, student, '');
      expect(registration.location).toMatch(/^\/tu\/mail-address\?flow=/);
      const { thief, csrf } = await thiefWithToken();
      expect((await thief.get(registration.location!, { follow: false })).location).toBe(ENDED);
      const posted = await thief.post(
        registration.location!,
        { address: 'thief@example.ac.jp', check: 'thief@example.ac.jp' },
        { follow: false, csrf },
      );
      expect(posted.location).toBe(ENDED);
      const sent = registration.location!.replace('/mail-address', '/mail-address/sent');
      expect((await thief.get(sent, { follow: false })).location).toBe(ENDED);
      const email = uniqueEmail('bound');
      await owner.get(registration.location!);
      expect((await owner.post(registration.location!, { address: email, check: email })).status).toBe(200);
    },

    async second_password_setup() {
      const owner = browserFor();
      const student = await newStudent(h);
      await registerEmail(h, owner, student, uniqueEmail('setup'));
      const setup = await submitLogin(owner, student, '');
      expect(setup.location).toMatch(/^\/tu\/second-password\/setup\?flow=/);
      const { thief, csrf } = await thiefWithToken();
      expect((await thief.get(setup.location!, { follow: false })).location).toBe(ENDED);
      const posted = await thief.post(
        setup.location!,
        { secondPassword: 'Thief2026Zz', check: 'Thief2026Zz' },
        { follow: false, csrf },
      );
      expect(posted.location).toBe(ENDED);
      await owner.get(setup.location!);
      const done = await owner.post(setup.location!, {
        secondPassword: GOOD_SECOND_PASSWORD,
        check: GOOD_SECOND_PASSWORD,
      });
      expect(done.status).toBe(200);
      expect((await submitLogin(browserFor(), student, 'Thief2026Zz')).status).toBe(401);
    },

    async email_key() {
      const owner = browserFor();
      const ready = await readyStudent(h, owner);
      const { url, key } = await startKeyLogin(h, owner, ready);
      const { thief, csrf } = await thiefWithToken();
      expect((await thief.get(url, { follow: false })).location).toBe(ENDED);
      expect((await thief.post(url, { key }, { follow: false, csrf })).location).toBe(ENDED);
      // The thief's tries did not count against the owner's key.
      expect((await owner.post(url, { key }, { follow: false })).location).toBe('/tu/login/authenticated');
    },

    async email_change() {
      const { browser: owner, student } = await loggedInStudent();
      const newAddress = uniqueEmail('changed');
      const since = h.smtp.count();
      await owner.get('/tu/settings/mail-address');
      await owner.post('/tu/settings/mail-address', { newAddress, check: newAddress });
      const link = urlIn(await h.smtp.waitFor(newAddress, { since }));
      const flowId = await openFlowId('email_change', student.userId);
      const { thief, csrf } = await thiefWithToken();
      for (const query of [`token=${flowId}`, `flow=${flowId}`]) {
        expect((await thief.get(`/tu/settings/mail-address/confirm?${query}`)).status).toBe(410);
      }
      expect((await thief.post('/tu/settings/mail-address/confirm', { token: flowId }, { csrf })).status).toBe(410);
      await owner.get(`${link.pathname}${link.search}`);
      const confirmed = await owner.post(
        '/tu/settings/mail-address/confirm',
        { token: link.searchParams.get('token')! },
        { follow: false },
      );
      expect(confirmed.location).toBe('/tu/settings/mail-address/changed');
    },

    async second_password_reset() {
      const ready = await readyStudent(h, browserFor());
      const owner = browserFor();
      const since = h.smtp.count();
      await owner.get('/tu/forgot');
      await owner.post('/tu/forgot', { address: ready.email }, { follow: false });
      const link = urlIn(await h.smtp.waitFor(ready.email, { since }));
      const flowId = await openFlowId('second_password_reset', ready.userId);
      const { thief, csrf } = await thiefWithToken();
      for (const query of [`token=${flowId}`, `flow=${flowId}`]) {
        expect((await thief.get(`/tu/forgot/reset?${query}`)).status).toBe(410);
      }
      const forged = { token: flowId, secondPassword: 'Thief2026Zz', check: 'Thief2026Zz' };
      expect((await thief.post('/tu/forgot/reset', forged, { csrf })).status).toBe(410);
      await owner.get(`${link.pathname}${link.search}`);
      const token = link.searchParams.get('token')!;
      const reset = await owner.post(
        '/tu/forgot/reset',
        { token, secondPassword: 'Atarashii2027', check: 'Atarashii2027' },
        { follow: false },
      );
      expect(reset.location).toBe('/tu/forgot/complete');
    },

    async order_draft() {
      if (!(await h.uow.repos.catalogue.list(h.tenant.id)).length) {
        await h.uow.run(operatorActor(h.tenant.id), (repos) => seedDemoCatalogue(repos, h.tenant.id));
      }
      const owner = await orderingStudent(h, 'en', {}, '10.43.0.1');
      const drafted = await fillOrderForm(owner, 'campus', { 'copies-enrollment-ja': '1' });
      expect(drafted.location).toMatch(/^\/tu\/orders\/review\?flow=/);
      const place = drafted.location!.replace('/orders/review', '/orders/place');
      // Another student, logged in on another browser; and a browser with no session at all.
      const thief = await orderingStudent(h, 'en', {}, '10.43.0.2');
      expect((await thief.browser.get(drafted.location!, { follow: false })).location).toBe('/tu/home');
      await thief.browser.get('/tu/home');
      expect((await thief.browser.post(place, {}, { follow: false })).location).toBe('/tu/orders');
      const { thief: anonymous, csrf } = await thiefWithToken();
      expect((await anonymous.get(drafted.location!, { follow: false })).location).toMatch(/^\/tu\/login/);
      expect((await anonymous.post(place, {}, { follow: false, csrf })).location).toMatch(/^\/tu\/login/);
      for (const student of [owner, thief]) {
        const accountId = await accountIdOf(h, student.userId);
        expect(await h.uow.repos.orders.listForAccount(h.tenant.id, accountId)).toEqual([]);
      }
      await owner.browser.get(drafted.location!);
      const placed = await owner.browser.post(place, {}, { follow: false });
      expect(placed.location).toMatch(/^\/tu\/orders\/[^/?]+\?notice=placed$/);
    },

    async staff_enrolment() {
      const link = await invite(h, h.tenant, uniqueEmail('staff-bound'), 'registrar');
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      const owner = browserFor();
      await owner.get(link);
      const factor = await owner.post(
        '/tu/staff/enrol',
        { token, name: 'Bound', password: STAFF_PASSWORD, confirm: STAFF_PASSWORD },
        { follow: false },
      );
      expect(factor.location).toMatch(/^\/tu\/staff\/enrol\/second-factor\?flow=/);
      const { thief, csrf } = await thiefWithToken();
      const staffEnded = '/tu/staff/login?notice=flowEnded';
      expect((await thief.get(factor.location!, { follow: false })).location).toBe(staffEnded);
      const totp = factor.location!.replace('/enrol/second-factor', '/enrol/totp');
      expect((await thief.post(totp, { code: '123456' }, { follow: false, csrf })).location).toBe(staffEnded);
      // The used link opens nothing for the thief either.
      expect((await thief.get(link)).status).toBe(410);
      const page = await owner.get(factor.location!);
      const secret = /<code class="secret">([^<]+)<\/code>/.exec(page.body)![1]!.replace(/\s/g, '');
      expect((await owner.post(totp, { code: totpCode(h, secret) }, { follow: false })).location).toMatch(
        /recovery-codes/,
      );
    },

    async staff_login() {
      const email = uniqueEmail('staff-login-bound');
      const { secret } = await enrolWithTotp(h, await invite(h, h.tenant, email, 'registrar'), email, 'Bound');
      h.clock.advance(30_000);
      const owner = browserFor();
      await owner.get('/tu/staff/login');
      const second = await owner.post('/tu/staff/login', { login: email, password: STAFF_PASSWORD }, { follow: false });
      expect(second.location).toMatch(/^\/tu\/staff\/login\/second-factor\?flow=/);
      const { thief, csrf } = await thiefWithToken();
      const staffEnded = '/tu/staff/login?notice=flowEnded';
      expect((await thief.get(second.location!, { follow: false })).location).toBe(staffEnded);
      expect(
        (await thief.post(second.location!, { code: totpCode(h, secret) }, { follow: false, csrf })).location,
      ).toBe(staffEnded);
      await owner.get(second.location!);
      expect((await owner.post(second.location!, { code: totpCode(h, secret) }, { follow: false })).location).toBe(
        '/tu/staff',
      );
    },

    async records_import() {
      const email = uniqueEmail('import-bound');
      const owner = await enrolWithTotp(h, await invite(h, h.tenant, email, 'registrar'), email, 'Bound');
      await owner.browser.get('/tu/staff/imports');
      const posted = await postFiles(
        h,
        owner.browser,
        '/tu/staff/imports',
        {},
        {
          courses: 'student_number,academic_year,term_ja,term_en,course_ja,course_en,credits,grade\n',
        },
      );
      expect(posted.location).toMatch(/^\/tu\/staff\/imports\/[^/?]+$/);
      const report = await owner.browser.get(posted.location!);
      const hash = /name="hash" value="([0-9a-f]{64})"/.exec(report.body)![1]!;
      // The same member in another browser, another registrar, and a browser with no session.
      const sameMember = await logInStaff(h, 'tu', email, owner.secret);
      const otherEmail = uniqueEmail('import-thief');
      const colleague = await enrolWithTotp(h, await invite(h, h.tenant, otherEmail, 'registrar'), otherEmail, 'Thief');
      for (const thief of [sameMember.browser, colleague.browser]) {
        const csrf = thief.csrf((await thief.get('/tu/staff')).body);
        expect((await thief.get(posted.location!, { follow: false })).status).toBe(404);
        const apply = `${posted.location}/apply`;
        expect((await thief.post(apply, { hash, confirm: 'yes' }, { follow: 'never', csrf })).status).toBe(404);
      }
      const { thief, csrf } = await thiefWithToken();
      expect((await thief.get(posted.location!, { follow: false })).location).toMatch(/^\/tu\/staff\/login/);
      expect(
        (await thief.post(`${posted.location}/apply`, { hash, confirm: 'yes' }, { follow: 'never', csrf })).location,
      ).toMatch(/^\/tu\/staff\/login/);
      await owner.browser.get(posted.location!);
      const applied = await owner.browser.post(
        `${posted.location}/apply`,
        { hash, confirm: 'yes' },
        { follow: 'never' },
      );
      expect(applied.location).toBe(posted.location);
      await h.app.services.recordsImports.idle();
    },

    async staff_factor() {
      const email = uniqueEmail('staff-factor-bound');
      const { secret, browser: owner } = await enrolWithTotp(
        h,
        await invite(h, h.tenant, email, 'registrar'),
        email,
        'Bound',
      );
      await owner.get('/tu/staff/account');
      const step = await owner.post('/tu/staff/account/passkey', {}, { follow: false });
      expect(step.location).toMatch(/^\/tu\/staff\/account\/passkey\?flow=/);
      // Another browser of the same member, logged in on its own: the step is not its.
      const { browser: thief } = await logInStaff(h, 'tu', email, secret);
      const csrf = thief.csrf();
      expect((await thief.get(step.location!, { follow: false })).location).toBe('/tu/staff/account?notice=flowEnded');
      const confirm = step.location!.replace('/account/passkey', '/account/passkey/confirm');
      expect((await thief.post(confirm, { credential: '{}' }, { follow: 'never', csrf })).location).toBe(
        '/tu/staff/account?notice=flowEnded',
      );
      expect((await owner.get(step.location!, { follow: false })).status).toBe(200);
    },
  };

  it.each([...flowKinds])('Q-1 a flow of one browser cannot be used from another, for every kind of flow: %s', (kind) =>
    takeovers[kind](),
  );
});

describe('Q-1 #8 lockout with device cookies', () => {
  const DEVICE = 'shomei-device-tu';

  /** The locked-out message as the page must say it: the clock time (rounded up) and the minutes. */
  function lockedMessage(lang: 'en' | 'ja', page: Page, minutes: number): string {
    const retryAt = h.clock.now() + Number(page.headers['retry-after']) * 1000;
    const time = formatDateTime(Math.ceil(retryAt / 60_000) * 60_000, lang);
    return say(lang, 'validation.login.locked', { time, minutes });
  }

  async function loggedOut(browser: TestBrowser): Promise<void> {
    await browser.get('/tu/home');
    expect((await browser.post('/tu/logout', {}, { follow: false })).location).toBe('/tu/login?notice=loggedOut');
  }

  it.each(['en', 'ja'] as const)(
    "Q-1 #8 10 failures from unknown devices lock the user ID for unknown devices, not the owner's known device (%s)",
    async (lang) => {
      const { browser: owner, student } = await loggedInStudent(lang);
      expect(owner.cookies.get(DEVICE)).toBeDefined();
      await loggedOut(owner);
      for (let i = 0; i < 10; i++) {
        const page = await submitLogin(browserFor(lang), student, 'Wrong2026Second');
        expect(page.status).toBe(401);
      }
      // Unknown devices are refused even with the right password, and the page says until when.
      const locked = await submitLogin(browserFor(lang), student, student.secondPassword);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
      expect(errorMessages(locked.body)).toEqual([lockedMessage(lang, locked, 15)]);
      expect(errorMessages(locked.body)[0]).toMatch(/\d\d:\d\d/);
      // Typed differently (full-width, spaces) it is still the same user ID.
      const fullWidth = student.userId.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      expect(
        (await submitLogin(browserFor(lang), student, student.secondPassword, { userId: ` ${fullWidth} ` })).status,
      ).toBe(429);
      // The owner, on the browser that logged in before, gets in.
      const own = await submitLogin(owner, student, student.secondPassword);
      expect(own.status).toBe(303);
      expect(own.location).toBe('/tu/home');
      // Another student is not affected.
      const other = await readyStudent(h, browserFor(lang));
      expect((await submitLogin(browserFor(lang), other, other.secondPassword)).status).toBe(303);

      const accountId = await accountIdOf(h, student.userId);
      const events = await auditEvents(h, { accountId });
      expect(events.filter((event) => event === 'login.failure')).toHaveLength(10);
      expect(events).toContain('login.locked');
    },
  );

  it("Q-1 #8 a known device's own failures lock that device, and only that device", async () => {
    const { browser: laptop, student } = await loggedInStudent();
    const phone = browserFor();
    await logIn(h, phone, student, student.secondPassword, student.email);
    await loggedOut(laptop);
    await loggedOut(phone);
    for (let i = 0; i < 10; i++) expect((await submitLogin(laptop, student, 'Wrong2026Second')).status).toBe(401);
    const locked = await submitLogin(laptop, student, student.secondPassword);
    expect(locked.status).toBe(429);
    expect(errorMessages(locked.body)).toEqual([lockedMessage('en', locked, 15)]);
    expect((await submitLogin(phone, student, student.secondPassword)).location).toBe('/tu/home');
    // Unknown devices have a count of their own, which the laptop's failures did not touch.
    expect((await submitLogin(browserFor(), student, student.secondPassword)).location).toMatch(/^\/tu\/login\/key\?/);

    const rows = await h.database.db
      .selectFrom('audit_log')
      .select(['event', 'detail'])
      .where('account_id', '=', await accountIdOf(h, student.userId))
      .where('event', 'in', ['login.failure', 'login.locked'])
      .execute();
    expect(rows.filter((row) => row.event === 'login.failure').map((row) => JSON.parse(row.detail))).toEqual(
      Array.from({ length: 10 }, () => ({ reason: 'second_password', device: 'known' })),
    );
    expect(rows.filter((row) => row.event === 'login.locked').map((row) => JSON.parse(row.detail))).toEqual([
      { scope: 'device' },
    ]);
  });

  it('Q-1 #8 a device cookie of one student is unknown for another, and a forged one is unknown', async () => {
    const { browser, student } = await loggedInStudent();
    await loggedOut(browser);
    const victim = await readyStudent(h, browserFor());
    for (let i = 0; i < 10; i++) expect((await submitLogin(browser, victim, 'Wrong2026Second')).status).toBe(401);
    // The attacker's own device cookie counted as unknown for the victim: unknown devices are locked out.
    expect((await submitLogin(browserFor(), victim, victim.secondPassword)).status).toBe(429);
    const forged = browserFor();
    forged.cookies.set(DEVICE, `${'A'.repeat(22)}.${'0'.repeat(64)}`);
    expect((await submitLogin(forged, victim, victim.secondPassword)).status).toBe(429);
    // The attacker's failures against someone else did not touch the attacker's own device count.
    expect((await submitLogin(browser, student, student.secondPassword)).location).toBe('/tu/home');
  });

  it('Q-1 #8 50+ failures of many different students behind one address do not block a student who types the password right', async () => {
    const campus = () => new TestBrowser(h, { lang: 'en', ip: '10.42.0.1' });
    for (let i = 0; i < 60; i++) {
      const student = await newStudent(h);
      expect((await submitLogin(campus(), student, '', { password: 'typo' })).status).toBe(401);
      expect((await submitLogin(campus(), student, '')).status).toBe(303);
    }
    const latecomer = await newStudent(h);
    expect((await submitLogin(campus(), latecomer, '', { password: 'typo' })).status).toBe(401);
    expect((await submitLogin(campus(), latecomer, '')).status).toBe(303);
  }, 120_000);

  it('Q-1 #8 an address that only guesses is refused after 50 failures from unknown devices; known devices and other addresses are not', async () => {
    const ip = '10.41.0.1';
    const { browser: elsewhere, student: known } = await loggedInStudent();
    await loggedOut(elsewhere);
    // The same laptop, now behind the guessing address.
    const laptop = new TestBrowser(h, { lang: 'en', ip });
    for (const [name, value] of elsewhere.cookies) laptop.cookies.set(name, value);
    for (let i = 0; i < 50; i++) {
      const browser = new TestBrowser(h, { lang: 'en', ip });
      const page = await submitLogin(browser, { userId: `guess${i}`, password: 'x' }, '');
      expect(page.status).toBe(401);
    }
    const student = await newStudent(h);
    const refused = await submitLogin(new TestBrowser(h, { lang: 'en', ip }), student, '');
    expect(refused.status).toBe(429);
    expect(textOf(refused.body)).toContain('too many failed login attempts');
    expect((await submitLogin(laptop, known, known.secondPassword)).location).toBe('/tu/home');
    expect((await submitLogin(new TestBrowser(h, { lang: 'en', ip: '10.41.0.2' }), student, '')).status).toBe(303);
    expect(await auditEvents(h, { subject: 'guess49' })).toEqual(['login.failure', 'login.locked']);
  }, 120_000);
});

describe('Q-1 A-6 audit log', () => {
  it('Q-1 records login success and failure, key sent and failure, lockout, and every change of the account', async () => {
    const browser = browserFor();
    const student = await readyStudent(h, browser);
    const accountId = await accountIdOf(h, student.userId);
    await submitLogin(browserFor(), student, 'Wrong2026Second');
    await submitLogin(browserFor(), { userId: 'nobody-audit', password: 'x' }, '');

    const { url, key } = await startKeyLogin(h, browser, student);
    for (let i = 0; i < 5; i++) await browser.post(url, { key: wrongKeyFor(key) }, { follow: false });
    const again = await startKeyLogin(h, browser, student);
    await browser.post(again.url, { key: again.key });

    await browser.get('/tu/settings/second-password');
    await browser.post('/tu/settings/second-password', {
      oldSecondPassword: student.secondPassword,
      newSecondPassword: 'Kansa2026Log',
      check: 'Kansa2026Log',
    });
    const newAddress = uniqueEmail('audit');
    const since = h.smtp.count();
    await browser.get('/tu/settings/mail-address');
    await browser.post('/tu/settings/mail-address', { newAddress, check: newAddress });
    const link = urlIn(await h.smtp.waitFor(newAddress, { since }));
    await browser.get(`${link.pathname}${link.search}`);
    await browser.post('/tu/settings/mail-address/confirm', { token: link.searchParams.get('token')! });
    await browser.get('/tu/settings/two-factor');
    await browser.post('/tu/settings/two-factor', { enable: 'false' });
    await browser.get('/tu/settings/two-factor');
    await browser.post('/tu/settings/two-factor', { enable: 'true' });

    const events = await auditEvents(h, { accountId });
    for (const event of [
      'email.registration_requested',
      'email.registered',
      'second_password.set',
      'login.failure',
      'key.sent',
      'key.failure',
      'key.invalidated',
      'key.success',
      'login.success',
      'trusted_browser.added',
      'second_password.changed',
      'email.change_requested',
      'email.changed',
      'two_factor.disabled',
      'two_factor.enabled',
    ]) {
      expect(events, event).toContain(event);
    }
    const unknown = await auditEvents(h, { subject: 'nobody-audit' });
    expect(unknown).toEqual(['login.failure']);

    const row = await h.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('event', '=', 'login.failure')
      .executeTakeFirstOrThrow();
    expect(row.ip).toMatch(/^10\.40\./);
    expect(row.user_agent).toContain('Mozilla');
    expect(JSON.parse(row.detail)).toEqual({ reason: 'second_password', device: 'unknown' });
    // Nothing secret is ever written to the log.
    const all = await h.database.db.selectFrom('audit_log').select(['detail', 'subject']).execute();
    const dump = JSON.stringify(all);
    for (const secret of [
      student.secondPassword,
      'Kansa2026Log',
      student.password,
      key,
      link.searchParams.get('token')!,
      newAddress,
    ]) {
      expect(dump).not.toContain(secret);
    }
  });
});

describe.each(['en', 'ja'] as const)('Q-2 bad input never gives a 500 (%s)', (lang) => {
  it('Q-2 arrays, duplicate fields, JSON bodies, missing fields and huge values get a page, not a 500', async () => {
    const browser = browserFor(lang);
    await browser.get('/tu/login');
    const token = browser.csrf();
    const form = 'application/x-www-form-urlencoded';
    const bodies: Array<[string, string, string]> = [
      ['/tu/login', `_csrf=${token}&userId=a&userId=b&password=x&password=y`, form],
      ['/tu/login', `_csrf=${token}`, form],
      ['/tu/login', `_csrf=${token}&userId=${'u'.repeat(50_000)}&password=x`, form],
      ['/tu/login', `_csrf=${token}&userId[a]=1&password[]=2`, form],
      [
        '/tu/login',
        JSON.stringify({ _csrf: token, userId: ['a'], password: { x: 1 }, secondPassword: null }),
        'application/json',
      ],
      ['/tu/login', `{"_csrf":`, 'application/json'],
      ['/tu/login', 'hello', 'text/plain'],
      ['/tu/login', `_csrf=${token}&userId=%E0%A4%A&password=%`, form],
      ['/tu/login', `_csrf=${token}&${'x'.repeat(70_000)}=1`, form],
      ['/tu/forgot', `_csrf=${token}&address=a&address=b`, form],
      ['/tu/forgot', `_csrf=${token}&address=${'a'.repeat(10_000)}@example.ac.jp`, form],
      ['/tu/mail-address/confirm', `_csrf=${token}&token=a&token=b`, form],
      ['/tu/mail-address/confirm', `_csrf=${token}`, form],
      ['/tu/forgot/reset', `_csrf=${token}&token=${'A'.repeat(43)}&secondPassword=Abcdefg12&check=Abcdefg12`, form],
      ['/tu/settings/mail-address/confirm', `_csrf=${token}&token[]=x`, form],
      ['/tu/mail-address?flow=nope', `_csrf=${token}&address=a@example.ac.jp&check=a@example.ac.jp`, form],
      ['/tu/second-password/setup?flow=nope', `_csrf=${token}&secondPassword=x&check=x`, form],
      ['/tu/second-password/setup', `_csrf=${token}&secondPassword=x&check=x`, form],
      ['/tu/login/key?flow=nope&flow=again', `_csrf=${token}&key=123456`, form],
      ['/tu/logout', `_csrf=${token}`, form],
    ];
    for (const [url, payload, contentType] of bodies) {
      const response = await rawRequest(h, browser, { method: 'POST', url, payload, contentType });
      expect(response.statusCode, `${url} ${payload.slice(0, 60)}`).toBeLessThan(500);
      if (response.statusCode !== 303) {
        expect(response.headers['content-type'], url).toContain('text/html');
        expect(response.body).toContain(`<html lang="${lang}"`);
      }
    }
  });

  it("Q-2 unknown tenants, pages, flow ids and garbage tokens get a page in the user's language", async () => {
    const browser = browserFor(lang);
    const gets: Array<[string, number]> = [
      ['/nope/login', 404],
      ['/NOPE/login', 404],
      ['/a/login', 404],
      ['/tu/no-such-page', 404],
      ['/no-such-page-at-all', 404],
      ['/tu/mail-address?flow=', 303],
      ['/tu/mail-address/sent?flow=nope', 303],
      ['/tu/second-password/setup?flow=nope', 303],
      ['/tu/login/key?flow=' + encodeURIComponent('"><script>'), 303],
      ['/tu/mail-address/confirm', 410],
      ['/tu/mail-address/confirm?token=' + 'z'.repeat(5000), 410],
      ['/tu/forgot/reset?token=%00', 410],
      ['/tu/settings/mail-address/confirm?token[]=1', 410],
      ['/tu/login?notice=<script>', 200],
      ['/tu/settings/browsers?revoked=<b>', 303],
    ];
    for (const [url, status] of gets) {
      const response = await rawRequest(h, browser, { method: 'GET', url });
      expect(response.statusCode, url).toBe(status);
      if (status !== 303) {
        expect(response.headers['content-type'], url).toContain('text/html');
        expect(response.body, url).toContain(`<html lang="${lang}"`);
        expect(response.body, url).not.toContain('<script>');
      }
    }
    const unknownTenant = await rawRequest(h, browser, { method: 'GET', url: '/nope/login' });
    expect(textOf(unknownTenant.body)).toContain(say(lang, 'errors.tenant_not_found.title'));
    const notFound = await rawRequest(h, browser, { method: 'GET', url: '/tu/no-such-page' });
    expect(textOf(notFound.body)).toContain(say(lang, 'errors.not_found.title'));
  });

  it('Q-2 a malformed URL gets the "could not be processed" page, not raw JSON', async () => {
    const browser = browserFor(lang);
    const response = await rawRequest(h, browser, { method: 'GET', url: '/tu/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(textOf(response.body)).toContain(say(lang, 'errors.bad_request.title'));
  });

  it('Q-2 the key screen takes garbage keys without a 500 and counts them as wrong', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    const { url, flowId } = await startKeyLogin(h, browser, student);
    for (const key of ['abcdef', '１２３'.repeat(30), '<script>', '-1', '1e6']) {
      const page = await browser.post(url, { key }, { follow: false });
      expect(page.status).toBe(422);
      expect(page.body).not.toContain('<script>alert');
    }
    const row = await h.database.db
      .selectFrom('auth_keys')
      .select('failed_attempts')
      .where('flow_id', '=', flowId)
      .executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(5);
  });
});
