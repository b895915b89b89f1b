import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { seedDemoCatalogue } from '../../src/dev/demo/demo-catalogue.js';
import { newStudent } from '../helpers/accounts.js';
import { uniqueEmail } from '../helpers/harness.js';
import { putRecord, studentRecord } from '../helpers/orders.js';
import { type DeviceName, describeBrowser } from './browser.js';
import { type Lang, type Tour, browserAndSite, checkScreen, endTour, mailedKey, mailedUrl, openTour } from './site.js';

/**
 * #10 §1 in a real browser: every student form answered with an error keeps what may be kept
 * and says what was wrong, and reload and Back never resubmit (no POST reaches the server
 * again, no ERR_CACHE_MISS page), in both languages, at 1280 and 390 px, with and without
 * JavaScript. Fields are found by name, so the test holds whatever the labels say.
 */
describeBrowser('#10 §1 forms never lose input, Back never breaks', () => {
  const e2e = browserAndSite();
  beforeAll(async () => {
    const { h } = e2e.site;
    await seedDemoCatalogue(h.uow.repos, h.tenant.id);
    await h.uow.repos.tenants.updatePolicy(h.tenant.id, {
      ...h.tenant.policy,
      destinations: ['campus', 'convenience', 'postal', 'digital'],
    });
  });

  const combinations: Array<{ lang: Lang; device: DeviceName; javaScript: boolean; n: number }> = [
    { lang: 'ja', device: 'desktop', javaScript: true, n: 1 },
    { lang: 'en', device: 'phone', javaScript: true, n: 2 },
    { lang: 'ja', device: 'phone', javaScript: false, n: 3 },
    { lang: 'en', device: 'desktop', javaScript: false, n: 4 },
  ];

  /** Counts the POSTs that reach the server and watches for the browser's resubmission page. */
  function watch(tour: Tour) {
    const seen = { posts: 0 };
    tour.page.on('request', (request) => {
      if (request.method() === 'POST' && request.isNavigationRequest()) seen.posts++;
    });
    // The error pages answer with the error's status (422, 401, 429) on purpose.
    for (const path of [
      '/tu/login',
      '/tu/login/key',
      '/tu/mail-address',
      '/tu/second-password/setup',
      '/tu/forgot',
      '/tu/settings/mail-address',
      '/tu/settings/second-password',
      '/tu/orders/new',
      '/tu/verify',
    ])
      for (const status of [401, 422, 429]) tour.expectedHttp.add(`${status} GET ${path}`);
    // Back to a mailed link already used: its page says so.
    tour.expectedHttp.add('410 GET /tu/mail-address/confirm');
    return seen;
  }

  async function submit(page: Page, fields: Record<string, string>, button?: string) {
    for (const [name, value] of Object.entries(fields)) {
      const field = page.locator(`main [name="${name}"]`).first();
      if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    const form = page.locator(`main form:has([name="${Object.keys(fields)[0]}"])`).first();
    await (button ? form.locator(button) : form.locator('button[type="submit"]').last()).click();
    await page.waitForLoadState('load');
  }

  /** The page shows a kept state: its address is a GET with the state, with the errors on it. */
  async function expectErrorPage(page: Page, path: RegExp, fields: string[]) {
    await page.waitForURL(path);
    expect(page.url()).toMatch(/[?&]form=[A-Za-z0-9_-]{43}$/);
    await page.locator('.error-summary').waitFor();
    for (const field of fields) await page.locator(`#field-${field}[aria-invalid="true"]`).waitFor();
  }

  async function values(page: Page, names: string[]): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    for (const name of names) result[name] = await page.locator(`main [name="${name}"]`).first().inputValue();
    return result;
  }

  /** Reload: nothing is posted again, the same values and errors are there. */
  async function reloadKeeps(page: Page, seen: { posts: number }, kept: Record<string, string>, errors: string[]) {
    const posts = seen.posts;
    const url = page.url();
    await page.reload();
    expect(seen.posts, `reload of ${url} posted again`).toBe(posts);
    expect(page.url()).toBe(url);
    await page.locator('.error-summary').waitFor();
    for (const field of errors) await page.locator(`#field-${field}[aria-invalid="true"]`).waitFor();
    expect(await values(page, Object.keys(kept))).toEqual(kept);
  }

  /** Back (and Forward again): only GETs in the history, never a resubmission prompt. */
  async function backIsSafe(page: Page, seen: { posts: number }, to: RegExp) {
    const posts = seen.posts;
    await page.goBack();
    await page.waitForLoadState('load');
    expect(page.url(), 'Back landed on an error page of the browser').not.toMatch(/^chrome-error:/);
    expect(page.url()).toMatch(to);
    expect(seen.posts, `Back to ${page.url()} posted again`).toBe(posts);
  }

  it.each(combinations)(
    '#10 L-17 $lang at $device width, JavaScript $javaScript: error, reload, Back on every form',
    async ({ lang, device, javaScript, n }) => {
      const { h } = e2e.site;
      const student = await newStudent(h, { userId: `f${n}00${n}`, password: `Univ-Pass-F${n}` });
      await putRecord(h, studentRecord(student.userId));
      const email = uniqueEmail(student.userId);
      const secondPassword = `Keep${n}Shomei2026`;
      const tour = await openTour(e2e.browser, {
        name: `forms-${lang}-${device}-${javaScript}`,
        device,
        lang,
        javaScript,
      });
      const { page } = tour;
      const seen = watch(tour);
      const origin = e2e.site.origin;

      // Login: a wrong password keeps the User ID, never a password.
      await page.goto(`${origin}/tu/login`);
      await submit(page, { userId: student.userId, password: 'Wrong-University-1', secondPassword: 'Wrong2026Xx' });
      await expectErrorPage(page, /\/tu\/login\?form=/, ['userId']);
      await checkScreen(tour, 'login-error', { screenshot: false });
      await reloadKeeps(page, seen, { userId: student.userId, password: '', secondPassword: '' }, ['userId']);
      await backIsSafe(page, seen, /\/tu\/login$/);
      await page.goForward();
      await expectErrorPage(page, /\/tu\/login\?form=/, ['userId']);

      // Mail address setting: a mismatched Check keeps both fields; after success Back shows them again.
      await submit(page, { userId: student.userId, password: student.password, secondPassword: '' });
      await page.waitForURL(/\/tu\/mail-address\?flow=/);
      await submit(page, { address: email, check: `x${email}` });
      await expectErrorPage(page, /\/tu\/mail-address\?flow=[^&]+&form=/, ['check']);
      await checkScreen(tour, 'mail-address-error', { screenshot: false });
      await reloadKeeps(page, seen, { address: email, check: `x${email}` }, ['check']);
      const since = h.smtp.count();
      await submit(page, { address: email, check: email });
      await page.waitForURL(/\/tu\/mail-address\/sent\?flow=/);
      await backIsSafe(page, seen, /\/tu\/mail-address\?flow=[^&]+&form=/);
      expect(await values(page, ['address', 'check'])).toEqual({ address: email, check: `x${email}` });
      await page.goto(await mailedUrl(e2e.site, email, since));
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL(/\/tu\/mail-address\/complete$/);
      await backIsSafe(page, seen, /\/tu\/mail-address\/confirm\?token=/);

      // Set second password: a pair that does not match is typed again; nothing else was lost.
      await page.goto(`${origin}/tu/login`);
      await submit(page, { userId: student.userId, password: student.password, secondPassword: '' });
      await page.waitForURL(/\/tu\/second-password\/setup\?flow=/);
      await submit(page, { secondPassword, check: `${secondPassword}x` });
      await expectErrorPage(page, /\/tu\/second-password\/setup\?flow=[^&]+&form=/, ['check']);
      await checkScreen(tour, 'second-password-error', { screenshot: false });
      await reloadKeeps(page, seen, { secondPassword: '', check: '' }, ['check']);
      await submit(page, { secondPassword, check: secondPassword });
      await page.waitForURL(/\/tu\/second-password\/complete$/);
      // The finished journey's screen says so on the login screen instead of a resubmission prompt.
      await backIsSafe(page, seen, /\/tu\/login\?notice=flowEnded$/);

      // The key: one wrong key, then the right one, then Back twice (the issue's own steps).
      await page.goto(`${origin}/tu/login`);
      const keySince = h.smtp.count();
      await submit(page, { userId: student.userId, password: student.password, secondPassword });
      await page.waitForURL(/\/tu\/login\/key\?flow=/);
      const key = await mailedKey(e2e.site, email, keySince);
      await submit(page, { key: key === '000000' ? '111111' : '000000' });
      await expectErrorPage(page, /\/tu\/login\/key\?flow=[^&]+&form=/, ['key']);
      await checkScreen(tour, 'key-error', { screenshot: false });
      await reloadKeeps(page, seen, { key: '' }, ['key']);
      await submit(page, { key });
      await page.waitForURL(/\/tu\/login\/authenticated$/);
      // The used key screens lead a logged-in student to the start screen.
      await backIsSafe(page, seen, /\/tu\/home$/);
      await backIsSafe(page, seen, /\/tu\/home$/);

      // Change second password: a wrong old one is dropped; the new one and its check are kept.
      await page.goto(`${origin}/tu/settings/second-password`);
      const renewed = `Renew${n}Shomei2027`;
      await submit(page, { oldSecondPassword: 'Wrong2026Xx', newSecondPassword: renewed, check: renewed });
      await expectErrorPage(page, /\/tu\/settings\/second-password\?form=/, ['oldSecondPassword']);
      await checkScreen(tour, 'change-second-password-error', { screenshot: false });
      await reloadKeeps(page, seen, { oldSecondPassword: '', newSecondPassword: renewed, check: renewed }, [
        'oldSecondPassword',
      ]);
      await backIsSafe(page, seen, /\/tu\/settings\/second-password$/);

      // Change mail address: the Check field is kept.
      await page.goto(`${origin}/tu/settings/mail-address`);
      const newAddress = uniqueEmail(`${student.userId}-new`);
      await submit(page, { newAddress, check: `x${newAddress}` });
      await expectErrorPage(page, /\/tu\/settings\/mail-address\?form=/, ['check']);
      await checkScreen(tour, 'change-mail-error', { screenshot: false });
      await reloadKeeps(page, seen, { newAddress, check: `x${newAddress}` }, ['check']);
      await backIsSafe(page, seen, /\/tu\/settings\/mail-address$/);

      // The order form: errors keep copies and the whole address; the review's Back returns to it filled.
      await page.goto(`${origin}/tu/orders/new?destination=postal`);
      const address = {
        postalCode: '100-0005',
        prefecture: '13',
        city: '',
        street: '丸の内1-1-1',
        building: 'テストビル3階',
        recipient: '山田 太郎',
      };
      await submit(page, { 'copies-enrollment-ja': '2', ...address });
      await expectErrorPage(page, /\/tu\/orders\/new\?destination=postal&form=/, ['city']);
      await checkScreen(tour, 'order-error', { screenshot: false });
      await reloadKeeps(page, seen, { 'copies-enrollment-ja': '2', ...address }, ['city']);
      await submit(page, { city: '千代田区' });
      await page.waitForURL(/\/tu\/orders\/review\?flow=/);
      await backIsSafe(page, seen, /\/tu\/orders\/new\?destination=postal&form=/);
      await page.goForward();
      await page.waitForURL(/\/tu\/orders\/review\?flow=/);
      await page.locator('main a.button--secondary').click();
      await page.waitForURL(/\/tu\/orders\/new\?destination=postal&flow=/);
      expect(await values(page, ['copies-enrollment-ja', ...Object.keys(address)])).toEqual({
        'copies-enrollment-ja': '2',
        ...address,
        city: '千代田区',
      });
      await backIsSafe(page, seen, /\/tu\/orders\/review\?flow=/);

      // Forgot second password and verification (no login needed): the same, on their own forms.
      await page.goto(`${origin}/tu/forgot`);
      await submit(page, { address: 'not an address' });
      await expectErrorPage(page, /\/tu\/forgot\?form=/, ['address']);
      await checkScreen(tour, 'forgot-error', { screenshot: false });
      await reloadKeeps(page, seen, { address: 'not an address' }, ['address']);
      await backIsSafe(page, seen, /\/tu\/forgot$/);

      await page.goto(`${origin}/tu/verify`);
      await submit(page, { code: ' ' });
      await expectErrorPage(page, /\/tu\/verify\?form=/, ['code']);
      await checkScreen(tour, 'verify-error', { screenshot: false });
      await reloadKeeps(page, seen, {}, ['code']);
      await backIsSafe(page, seen, /\/tu\/verify$/);

      await endTour(tour);
    },
    180_000,
  );
});
