import { expect, it } from 'vitest';
import { newStudent } from '../helpers/accounts.js';
import { TestBrowser, uniqueEmail } from '../helpers/harness.js';
import { setUpStudent } from '../helpers/journeys.js';
import { describeBrowser } from './browser.js';
import {
  authenticateWithMailedKey,
  browserAndSite,
  checkScreen,
  endTour,
  onScreen,
  openTour,
  submitLogin,
  switchLanguage,
  ui,
} from './site.js';

/** L-17: every screen works without JavaScript; the script only enhances. */
describeBrowser('without JavaScript (L-17)', () => {
  const e2e = browserAndSite();

  it('L-12: the LANG pull-down switches with the Change / 切替 button', async () => {
    const tour = await openTour(e2e.browser, { name: 'nojs-lang', device: 'phone', lang: 'ja', javaScript: false });
    const { page } = tour;
    await page.goto(`${e2e.site.origin}/tu/login`);
    await onScreen(page, ui.ja.loginTitle);
    await expect(page.getByRole('button', { name: ui.ja.switchLanguage, exact: true }).isVisible()).resolves.toBe(true);
    await checkScreen(tour, 'login-ja');

    await switchLanguage(tour, 'en');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.getByRole('button', { name: ui.en.switchLanguage, exact: true }).isVisible()).resolves.toBe(true);
    await checkScreen(tour, 'login-en');

    // The choice is remembered: the next visit without ?lang= stays in English.
    await page.goto(`${e2e.site.origin}/tu/login`);
    await onScreen(page, ui.en.loginTitle);

    await switchLanguage(tour, 'ja');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ja');
    await endTour(tour);
  }, 60_000);

  it('Q-4: the page as a browser without JavaScript shows it, with the Change button, passes axe', async () => {
    // axe needs JavaScript, so here the page runs it but never gets the app's own script.
    const tour = await openTour(e2e.browser, { name: 'nojs-axe', device: 'desktop', lang: 'en' });
    await tour.context.route('**/static/app.js', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
    );
    const { page } = tour;
    await page.goto(`${e2e.site.origin}/tu/login`);
    await onScreen(page, ui.en.loginTitle);
    await expect(page.getByRole('button', { name: ui.en.switchLanguage, exact: true }).isVisible()).resolves.toBe(true);
    await checkScreen(tour, 'login-without-script');
    await endTour(tour);
  }, 60_000);

  it.each(['desktop', 'phone'] as const)(
    'L-6 L-7: a set-up student logs in on %s with ID, passwords and the mailed key',
    async (device) => {
      const { h } = e2e.site;
      const userId = device === 'desktop' ? 'u4001' : 'u4002';
      const student = await newStudent(h, { userId, password: `Univ-Pass-${userId.slice(1)}` });
      const email = uniqueEmail(student.userId);
      const secondPassword = `NoScript${userId.slice(1)}Cc`;
      await setUpStudent(h, new TestBrowser(h, { lang: 'en' }), student, email, secondPassword);

      const lang = device === 'desktop' ? 'ja' : 'en';
      const tour = await openTour(e2e.browser, { name: `nojs-login-${device}`, device, lang, javaScript: false });
      const { page } = tour;
      await page.goto(`${e2e.site.origin}/tu/login`);
      await onScreen(page, ui[lang].loginTitle);
      const since = h.smtp.count();
      await submitLogin(tour, lang, student, secondPassword);
      await authenticateWithMailedKey(e2e.site, tour, lang, email, since);
      await checkScreen(tour, 'home');
      // The menu is a <details> element: it opens without script too.
      await page.locator('summary', { hasText: ui[lang].menu }).click();
      await page
        .getByRole('navigation', { name: ui[lang].menu })
        .getByRole('link', { name: ui[lang].menuItems[0] })
        .waitFor();
      await endTour(tour);
    },
    60_000,
  );
});
