import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browsers } from './factories/browser.js';
import { type Harness, TestBrowser, keptFormState } from './helpers/harness.js';
import { advance, errorMessages, keyMail, readyStudent, say, startKeyLogin, submitLogin } from './helpers/accounts.js';
import { keyIn } from './helpers/smtp.js';
import { logIn } from './helpers/journeys.js';
import { orderingStudent, postalAddress, startIssuanceHarness } from './helpers/orders.js';

let h: Harness;
beforeAll(async () => {
  h = await startIssuanceHarness();
});
afterAll(async () => {
  await h.close();
});

const browserFor = browsers(() => h, '10.70.0');

/** The value a field of the page holds, as the browser would fill it in. */
function valueOf(html: string, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  if (!input) throw new Error(`no field ${name}`);
  const value = /\svalue(?:="([^"]*)")?(?=[\s/>])/.exec(input);
  return value ? (value[1] ?? '') : undefined;
}

async function loggedIn(lang: 'en' | 'ja') {
  const browser = browserFor(lang);
  const student = await readyStudent(h, browser);
  await logIn(h, browser, student, student.secondPassword, student.email);
  return { browser, student };
}

describe.each(['en', 'ja'] as const)('#10 §1 error answers are redirects (post/redirect/get) in %s', (lang) => {
  it('#10 a wrong login answers 303 to the login page; that GET shows the User ID and the error, never a password, on every reload', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    await browser.get('/tu/login');
    const wrong = await browser.post(
      '/tu/login',
      { userId: student.userId, password: 'Wrong-University-1', secondPassword: 'Wrong2026Second' },
      { follow: 'never' },
    );
    expect(wrong.status).toBe(303);
    expect(wrong.location).toMatch(/^\/tu\/login\?form=/);
    expect(wrong.location).toMatch(keptFormState);
    for (let reload = 0; reload < 2; reload++) {
      const page = await browser.get(wrong.location!);
      expect(page.status).toBe(401);
      expect(valueOf(page.body, 'userId')).toBe(student.userId);
      expect(valueOf(page.body, 'password')).toBeUndefined();
      expect(valueOf(page.body, 'secondPassword')).toBeUndefined();
      expect(page.body).not.toContain('Wrong-University-1');
      expect(page.body).not.toContain('Wrong2026Second');
      expect(errorMessages(page.body)).toEqual([say(lang, 'validation.login.invalid')]);
    }
  });

  it('#10 a kept form state shows only in the browser and on the page it was kept for', async () => {
    const browser = browserFor(lang);
    await browser.get('/tu/login');
    const wrong = await browser.post('/tu/login', { userId: 'someone', password: '' }, { follow: 'never' });
    const id = new URL(wrong.location!, 'http://x').searchParams.get('form')!;
    const stranger = browserFor(lang);
    const theirs = await stranger.get(wrong.location!);
    expect(theirs.status).toBe(200);
    expect(errorMessages(theirs.body)).toEqual([]);
    expect(valueOf(theirs.body, 'userId')).toBe('');
    const elsewhere = await browser.get(`/tu/forgot?form=${id}`);
    expect(elsewhere.status).toBe(200);
    expect(errorMessages(elsewhere.body)).toEqual([]);
    // After half an hour the page is the empty form again, never an error.
    await advance(h, 31 * 60_000);
    const late = await browser.get(wrong.location!);
    expect(late.status).toBe(200);
    expect(errorMessages(late.body)).toEqual([]);
  });

  it('#10 a wrong key answers 303 to the key screen, which shows the error; Reissue too early answers 303 and the screen counts down', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    const login = await startKeyLogin(h, browser, student);
    const wrong = await browser.post(login.url, { key: '000000' }, { follow: 'never' });
    expect(wrong.status).toBe(303);
    expect(wrong.location!.startsWith(`${login.url}&form=`)).toBe(true);
    const page = await browser.get(wrong.location!);
    expect(page.status).toBe(422);
    expect(valueOf(page.body, 'key')).toBeUndefined();
    expect(errorMessages(page.body)).toHaveLength(1);
    const reissue = await browser.post(login.url.replace('/login/key', '/login/key/reissue'), {}, { follow: 'never' });
    expect(reissue.status).toBe(303);
    const cooldown = await browser.get(reissue.location!);
    expect(cooldown.status).toBe(429);
    expect(Number(cooldown.headers['retry-after'])).toBeGreaterThan(50);
    await advance(h, 20_000);
    const reloaded = await browser.get(reissue.location!);
    expect(Number(reloaded.headers['retry-after'])).toBeLessThanOrEqual(40);
  });

  it('#10 Change mail address: the Check field is kept with the address; the second password never is', async () => {
    const { browser } = await loggedIn(lang);
    await advance(h, 11 * 60_000);
    await browser.get('/tu/settings/mail-address');
    const answer = await browser.post(
      '/tu/settings/mail-address',
      { newAddress: 'new@example.ac.jp', check: 'neu@example.ac.jp', secondPassword: 'Wrong2026Second' },
      { follow: 'never' },
    );
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^\/tu\/settings\/mail-address\?form=/);
    const page = await browser.get(answer.location!);
    expect(page.status).toBe(422);
    expect(valueOf(page.body, 'newAddress')).toBe('new@example.ac.jp');
    expect(valueOf(page.body, 'check')).toBe('neu@example.ac.jp');
    expect(valueOf(page.body, 'secondPassword')).toBeUndefined();
    expect(page.body).not.toContain('Wrong2026Second');
    expect(page.body).toContain('id="field-secondPassword-error"');
  });

  it('#10 Change second password: a wrong old one is dropped, the new one and its check are kept; a refused new one is not', async () => {
    const { browser } = await loggedIn(lang);
    await browser.get('/tu/settings/second-password');
    const wrongOld = await browser.post(
      '/tu/settings/second-password',
      { oldSecondPassword: 'Wrong2026Second', newSecondPassword: 'Atarashii2027', check: 'Atarashii2027' },
      { follow: 'never' },
    );
    expect(wrongOld.status).toBe(303);
    const page = await browser.get(wrongOld.location!);
    expect(page.status).toBe(422);
    expect(valueOf(page.body, 'oldSecondPassword')).toBeUndefined();
    expect(valueOf(page.body, 'newSecondPassword')).toBe('Atarashii2027');
    expect(valueOf(page.body, 'check')).toBe('Atarashii2027');
    expect(page.body).toContain('id="field-oldSecondPassword-error"');
    expect(page.body).not.toContain('Wrong2026Second');

    await browser.get('/tu/settings/second-password');
    const weak = await browser.post(
      '/tu/settings/second-password',
      { oldSecondPassword: 'Wrong2026Second', newSecondPassword: 'weak', check: 'weak' },
      { follow: 'never' },
    );
    const refused = await browser.get(weak.location!);
    expect(valueOf(refused.body, 'newSecondPassword')).toBeFalsy();
    expect(valueOf(refused.body, 'check')).toBeFalsy();
    expect(refused.body).toContain('id="field-newSecondPassword-error"');
  });

  it('#10 the order form answers 303 with its values kept; the review page Back link returns to the filled form', async () => {
    const student = await orderingStudent(h, lang, {}, `10.71.0.${lang === 'en' ? 1 : 2}`);
    const { browser } = student;
    await browser.get('/tu/orders/new?destination=postal');
    const empty = await browser.post('/tu/orders/new?destination=postal', {}, { follow: 'never' });
    expect(empty.status).toBe(303);
    expect(empty.location).toMatch(/^\/tu\/orders\/new\?destination=postal&form=/);
    const bare = await browser.get(empty.location!);
    expect(bare.status).toBe(422);
    expect(errorMessages(bare.body).length).toBeGreaterThan(0);

    await browser.get('/tu/orders/new?destination=postal');
    const partial = await browser.post(
      '/tu/orders/new?destination=postal',
      { 'copies-enrollment-ja': '2', ...postalAddress, city: '' },
      { follow: 'never' },
    );
    const kept = await browser.get(partial.location!);
    expect(kept.status).toBe(422);
    expect(valueOf(kept.body, 'copies-enrollment-ja')).toBe('2');
    expect(valueOf(kept.body, 'street')).toBe(postalAddress.street);
    expect(valueOf(kept.body, 'recipient')).toBe(postalAddress.recipient);
    expect(kept.body).toContain('id="field-city-error"');

    const drafted = await browser.post(
      '/tu/orders/new?destination=postal',
      { 'copies-enrollment-ja': '2', 'copies-enrollment-en': '1', ...postalAddress },
      { follow: 'never' },
    );
    expect(drafted.status).toBe(303);
    const review = await browser.get(drafted.location!);
    const back = /<a class="button button--secondary" href="([^"]+)"/.exec(review.body)?.[1]?.replace(/&amp;/g, '&');
    expect(back).toMatch(/^\/tu\/orders\/new\?destination=postal&flow=/);
    const form = await browser.get(back!);
    expect(form.status).toBe(200);
    expect(valueOf(form.body, 'copies-enrollment-ja')).toBe('2');
    expect(valueOf(form.body, 'copies-enrollment-en')).toBe('1');
    for (const field of ['postalCode', 'city', 'street', 'building', 'recipient'] as const)
      expect(valueOf(form.body, field)).toBe(postalAddress[field]);
    expect(form.body).toMatch(/<option value="13" selected/);

    // The browser's own Back from the review reloads the plain form page (no-store): it is filled too.
    const plain = await browser.get('/tu/orders/new?destination=postal');
    expect(valueOf(plain.body, 'copies-enrollment-en')).toBe('1');
    expect(valueOf(plain.body, 'street')).toBe(postalAddress.street);
    // Another destination's form is not filled from this draft.
    const campus = await browser.get('/tu/orders/new?destination=campus');
    expect(valueOf(campus.body, 'copies-enrollment-ja') ?? '').not.toBe('2');
  });

  it('#10 a verification code left empty answers 303; the page shows the error', async () => {
    const browser = browserFor(lang);
    await browser.get('/tu/verify');
    const answer = await browser.post('/tu/verify', { code: '' }, { follow: 'never' });
    expect(answer.status).toBe(303);
    const page = await browser.get(answer.location!);
    expect(page.status).toBe(422);
    expect(page.body).toContain('id="field-code-error"');
  });
});

describe.each(['en', 'ja'] as const)('#10 §1 Please log in, and back to the page asked for, in %s', (lang) => {
  it('#10 a browser that never logged in is asked to log in (not "session ended")', async () => {
    const browser = browserFor(lang);
    const home = await browser.get('/tu/home', { follow: false });
    expect(home.location).toBe('/tu/login?notice=loginRequired&next=%2Ftu%2Fhome');
    const page = await browser.get(home.location!);
    expect(page.body).toContain(say(lang, 'login.notice.loginRequired'));
    expect(page.body).not.toContain(say(lang, 'login.notice.sessionEnded'));
    expect(page.body).toContain('action="/tu/login?next=%2Ftu%2Fhome"');
  });

  it('#10 after login (through the key step) the student lands on the page first asked for', async () => {
    const browser = browserFor(lang);
    const student = await readyStudent(h, browser);
    const asked = await browser.get('/tu/orders', { follow: false });
    expect(asked.location).toBe('/tu/login?notice=loginRequired&next=%2Ftu%2Forders');
    await browser.get(asked.location!);
    const since = h.smtp.count();
    const first = await browser.post(
      '/tu/login?next=%2Ftu%2Forders',
      { userId: student.userId, password: student.password, secondPassword: student.secondPassword },
      { follow: 'never' },
    );
    expect(first.location).toMatch(/^\/tu\/login\/key\?flow=[^&]+&next=%2Ftu%2Forders$/);
    const keyPage = await browser.get(first.location!);
    expect(keyPage.body).toContain(`action="${first.location!.replace(/&/g, '&amp;')}"`);
    // A wrong key first: the return path survives the error answer too.
    const wrong = await browser.post(first.location!, { key: '000000' }, { follow: 'never' });
    expect(wrong.location).toContain('&next=%2Ftu%2Forders&form=');
    await browser.get(wrong.location!);
    const key = keyIn(await keyMail(h, student.email, since));
    const done = await browser.post(first.location!, { key }, { follow: 'never' });
    expect(done.location).toBe('/tu/login/authenticated?next=%2Ftu%2Forders');
    const dialog = await browser.get(done.location!);
    expect(dialog.body).toContain('href="/tu/orders"');
  });

  it('#10 a student without the key step goes straight to the page asked for', async () => {
    const { browser, student } = await loggedIn(lang);
    await browser.post('/tu/logout', {});
    const asked = await browser.get('/tu/settings/browsers', { follow: false });
    expect(asked.location).toBe('/tu/login?notice=loginRequired&next=%2Ftu%2Fsettings%2Fbrowsers');
    await browser.get(asked.location!);
    // This browser is trusted after its key: no key this time.
    const back = await browser.post(
      '/tu/login?next=%2Ftu%2Fsettings%2Fbrowsers',
      { userId: student.userId, password: student.password, secondPassword: student.secondPassword },
      { follow: 'never' },
    );
    expect(back.location).toBe('/tu/settings/browsers');
  });

  it('#10 Q-1 the return path never leads off this university: other sites, other tenants and odd paths go home', async () => {
    const { browser, student } = await loggedIn(lang);
    for (const next of [
      'https://evil.example/phish',
      '//evil.example/phish',
      '/\\evil.example',
      '/tu\\@evil.example',
      '/%2F%2Fevil.example',
      'javascript:alert(1)',
      '/ou/home',
      '/tu/../ou/home',
      '/tu/%2e%2e/ou/home',
      '/tu/login',
      '/tu/home\r\nSet-Cookie: x=1',
    ]) {
      await browser.post('/tu/logout', {});
      const login = await browser.get(`/tu/login?next=${encodeURIComponent(next)}`);
      expect(login.body, next).toContain('action="/tu/login"');
      const answer = await browser.post(
        `/tu/login?next=${encodeURIComponent(next)}`,
        { userId: student.userId, password: student.password, secondPassword: student.secondPassword },
        { follow: 'never' },
      );
      expect(answer.status, next).toBe(303);
      expect(answer.location, next).toBe('/tu/home');
    }
  });

  it('#10 a session that really ended still says so', async () => {
    const { browser } = await loggedIn(lang);
    await advance(h, 31 * 60_000);
    const page = await browser.get('/tu/home', { follow: false });
    expect(page.location).toBe('/tu/login?notice=sessionEnded&next=%2Ftu%2Fhome');
    const login = await browser.get(page.location!);
    expect(login.body).toContain(say(lang, 'login.notice.sessionEnded'));
  });
});

describe('#10 §1 a failed login stays a redirect for a failing student as well', () => {
  it('#10 missing fields answer 303; the page answers 422 with both messages', async () => {
    const browser = new TestBrowser(h, { lang: 'en', ip: '10.72.0.1' });
    const page = await submitLogin(browser, { userId: '', password: '' }, '');
    expect(page.postStatus).toBe(303);
    expect(page.status).toBe(422);
    expect(errorMessages(page.body)).toEqual([
      say('en', 'validation.login.userIdRequired'),
      say('en', 'validation.login.passwordRequired'),
    ]);
  });
});
