import { expect, it } from 'vitest';
import { newStudent } from '../helpers/accounts.js';
import { TestBrowser, uniqueEmail } from '../helpers/harness.js';
import { setUpStudent } from '../helpers/journeys.js';
import { type DeviceName, describeBrowser } from './browser.js';
import {
  type Lang,
  authenticateWithMailedKey,
  browserAndSite,
  checkScreen,
  endTour,
  mailedUrl,
  onScreen,
  openTour,
  submitLogin,
  ui,
} from './site.js';

/** §2.4c in a real browser: a student who forgot the second password sets a new one by mail. */
describeBrowser('forgotten second password in a browser (§2.4c)', () => {
  const e2e = browserAndSite();

  const combinations: Array<{ lang: Lang; device: DeviceName; userId: string }> = [
    { lang: 'ja', device: 'desktop', userId: 'u3001' },
    { lang: 'en', device: 'desktop', userId: 'u3002' },
    { lang: 'ja', device: 'phone', userId: 'u3003' },
    { lang: 'en', device: 'phone', userId: 'u3004' },
  ];

  it.each(combinations)(
    'L-11 L-6 L-17: $lang on $device — reset mail, new second password, login with it',
    async ({ lang, device, userId }) => {
      const { h } = e2e.site;
      const student = await newStudent(h, { userId, password: `Univ-Pass-${userId.slice(1)}` });
      const email = uniqueEmail(student.userId);
      const forgotten = `Forgot${userId.slice(1)}Aa`;
      const renewed = `Renewed${userId.slice(1)}Bb`;
      // §2.1 and §2.2 were walked in the browser elsewhere; here the student arrives set up.
      await setUpStudent(h, new TestBrowser(h, { lang }), student, email, forgotten);

      const words = ui[lang];
      const tour = await openTour(e2e.browser, { name: `forgot-${lang}-${device}`, device, lang });
      const { page } = tour;

      // Steps 1–3: the link on the login screen, Reset second password, Send.
      await page.goto(`${e2e.site.origin}/tu/login`);
      await onScreen(page, words.loginTitle);
      await page.getByRole('link', { name: words.forgotLink, exact: true }).click();
      await page.waitForURL(/\/tu\/forgot$/);
      await onScreen(page, words.forgotTitle);
      await checkScreen(tour, 'forgot');
      await page.getByLabel(words.mailAddress, { exact: true }).fill(email);
      const since = h.smtp.count();
      await page.getByRole('button', { name: words.send, exact: true }).click();

      // Step 4: "Second password reset mail sent".
      await page.waitForURL(/\/tu\/forgot\/sent$/);
      await onScreen(page, words.resetSent);
      await checkScreen(tour, 'forgot-sent');

      // Steps 5–8: the URL from the mail, Set second password, Change, the dialog, OK.
      await page.goto(await mailedUrl(e2e.site, email, since));
      await onScreen(page, words.setSecondPasswordTitle);
      await checkScreen(tour, 'reset');
      await page.getByLabel(words.secondPassword, { exact: true }).fill(renewed);
      await page.getByLabel(words.check, { exact: true }).fill(renewed);
      await page.getByRole('button', { name: words.change, exact: true }).click();
      await page.waitForURL(/\/tu\/forgot\/complete$/);
      await page.getByRole('alertdialog', { name: words.secondPasswordComplete }).waitFor();
      await checkScreen(tour, 'reset-complete');
      await page.getByRole('link', { name: words.ok, exact: true }).click();
      await page.waitForURL(/\/tu\/login\?notice=secondPasswordSet$/);
      await onScreen(page, words.loginTitle);

      // The forgotten second password no longer opens the account (L-6: one message for any field).
      tour.expectedHttp.add('401 GET /tu/login');
      await submitLogin(tour, lang, student, forgotten);
      await page.getByRole('alert').filter({ hasText: words.problem }).waitFor();
      await expect(page.getByRole('alert').textContent()).resolves.toContain(words.wrongLogin);
      await checkScreen(tour, 'login-wrong');

      // The new one does, with the key mailed to the registered address.
      const keySince = h.smtp.count();
      await submitLogin(tour, lang, student, renewed);
      await authenticateWithMailedKey(e2e.site, tour, lang, email, keySince);
      await checkScreen(tour, 'home');

      await endTour(tour);
    },
    60_000,
  );
});
