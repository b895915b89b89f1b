import { expect, it } from 'vitest';
import { newStudent } from '../helpers/accounts.js';
import { uniqueEmail } from '../helpers/harness.js';
import { type DeviceName, describeBrowser } from './browser.js';
import {
  type Lang,
  authenticateWithMailedKey,
  browserAndSite,
  checkHome,
  checkScreen,
  endTour,
  mailedUrl,
  onScreen,
  openTour,
  submitLogin,
  switchLanguage,
  ui,
} from './site.js';

/**
 * §2.1 → §2.2 → §2.3 in a real browser: a student who has never logged in reaches the start
 * screen, in both languages, on a desktop and on a phone.
 */
describeBrowser('first login in a browser (§2.1–§2.3)', () => {
  const e2e = browserAndSite();

  const combinations: Array<{ lang: Lang; device: DeviceName; userId: string }> = [
    { lang: 'ja', device: 'desktop', userId: 'u2001' },
    { lang: 'en', device: 'desktop', userId: 'u2002' },
    { lang: 'ja', device: 'phone', userId: 'u2003' },
    { lang: 'en', device: 'phone', userId: 'u2004' },
  ];

  it.each(combinations)(
    'L-1 L-3 L-4 L-7 L-12 L-17: $lang on $device — mail address, second password, key, start screen',
    async ({ lang, device, userId }) => {
      const { h } = e2e.site;
      const student = await newStudent(h, { userId, password: `Univ-Pass-${userId.slice(1)}` });
      const email = uniqueEmail(student.userId);
      const secondPassword = `Shomei${userId.slice(1)}Zq`;
      const words = ui[lang];
      // The browser starts in the other language; the student picks theirs with LANG (§2.5).
      const other: Lang = lang === 'ja' ? 'en' : 'ja';
      const tour = await openTour(e2e.browser, { name: `first-login-${lang}-${device}`, device, lang: other });
      const { page } = tour;

      // §2.1 steps 1–3: the Student login screen, language switched with the pull-down.
      await page.goto(`${e2e.site.origin}/tu/login`);
      await onScreen(page, ui[other].loginTitle);
      await expect(page.getByRole('button', { name: ui[other].switchLanguage }).isHidden()).resolves.toBe(true);
      await switchLanguage(tour, lang);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
      for (const label of [words.userId, words.password, words.secondPassword])
        await page.getByLabel(label, { exact: true }).waitFor();
      await page.getByRole('link', { name: words.forgotLink }).waitFor();
      await checkScreen(tour, 'login');
      await submitLogin(tour, lang, student);

      // §2.1 steps 4–6: Mail address setting, then the confirmation mail.
      await page.waitForURL(/\/tu\/mail-address\?flow=/);
      await onScreen(page, words.mailAddressTitle);
      await checkScreen(tour, 'mail-address');
      await page.getByLabel(words.mailAddress, { exact: true }).fill(email);
      await page.getByLabel(words.check, { exact: true }).fill(email);
      const since = h.smtp.count();
      await page.getByRole('button', { name: words.check, exact: true }).click();
      await page.waitForURL(/\/tu\/mail-address\/sent\?flow=/);
      await page.getByText(words.confirmationSent).waitFor();
      await checkScreen(tour, 'mail-sent');

      // §2.1 steps 7–8: the URL from the real mail, then "Mail address setting complete".
      await page.goto(await mailedUrl(e2e.site, email, since));
      await onScreen(page, words.mailAddressTitle);
      await checkScreen(tour, 'mail-confirm', { screenshot: false });
      await page.getByRole('button', { name: words.setMailAddress, exact: true }).click();
      await page.waitForURL(/\/tu\/mail-address\/complete$/);
      await onScreen(page, words.mailAddressComplete);
      await checkScreen(tour, 'mail-complete');
      await page.getByRole('link', { name: words.toLogin, exact: true }).click();

      // §2.2: back on the login screen, in the chosen language, with the university password only.
      await page.waitForURL(/\/tu\/login\?notice=mailAddressSet$/);
      await onScreen(page, words.loginTitle);
      await checkScreen(tour, 'login-after-mail', { screenshot: false });
      await submitLogin(tour, lang, student);
      await page.waitForURL(/\/tu\/second-password\/setup\?flow=/);
      await onScreen(page, words.setSecondPasswordTitle);
      await checkScreen(tour, 'second-password');
      await page.getByLabel(words.secondPassword, { exact: true }).fill(secondPassword);
      await page.getByLabel(words.check, { exact: true }).fill(secondPassword);
      await page.getByRole('button', { name: words.set, exact: true }).click();
      await page.waitForURL(/\/tu\/second-password\/complete$/);
      await page.getByRole('alertdialog', { name: words.secondPasswordComplete }).waitFor();
      await checkScreen(tour, 'second-password-complete');
      await page.getByRole('link', { name: words.ok, exact: true }).click();

      // §2.3: all three, the key from the mail, "Authenticated", the start screen.
      await page.waitForURL(/\/tu\/login\?notice=secondPasswordSet$/);
      await onScreen(page, words.loginTitle);
      await checkScreen(tour, 'login-after-second-password', { screenshot: false });
      const keySince = h.smtp.count();
      await submitLogin(tour, lang, student, secondPassword);
      await authenticateWithMailedKey(e2e.site, tour, lang, email, keySince);
      await checkHome(tour, lang);

      await endTour(tour);
    },
    60_000,
  );
});
