import type { Locator } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { seedDemoCatalogue } from '../../src/dev/demo/demo-catalogue.js';
import { readyStudent, say } from '../helpers/accounts.js';
import { TestBrowser } from '../helpers/harness.js';
import { postalAddress, putRecord, studentRecord } from '../helpers/orders.js';
import { type DeviceName, describeBrowser } from './browser.js';
import { type Lang, browserAndSite, checkScreen, endTour, logInInBrowser, onScreen, openTour } from './site.js';

/** How many lines a button's label takes on screen. */
async function labelLines(button: Locator): Promise<number> {
  return button.evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top))).size;
  });
}

/** Issue #10 §4–§5 in a browser: tables on phones, the landing page's LANG switch, history in the menu. */
describeBrowser('#10 phone tables, landing page and menu in a browser', () => {
  const e2e = browserAndSite();
  beforeAll(async () => {
    const { h } = e2e.site;
    await seedDemoCatalogue(h.uow.repos, h.tenant.id);
    await h.uow.repos.tenants.updatePolicy(h.tenant.id, {
      ...h.tenant.policy,
      destinations: ['campus', 'convenience', 'postal', 'digital'],
    });
  });

  const cases: Array<[DeviceName, Lang]> = [
    ['phone', 'ja'],
    ['phone', 'en'],
    ['desktop', 'ja'],
    ['desktop', 'en'],
  ];

  it.each(cases)(
    '#10 L-19 trusted browsers on %s (%s): Remove stays inside the screen on one line; order history is in the menu; axe clean',
    async (device, lang) => {
      const { h } = e2e.site;
      const tour = await openTour(e2e.browser, { name: `ux-browsers-${device}-${lang}`, device, lang });
      const { page } = tour;
      const student = await readyStudent(h, new TestBrowser(h, { lang }));
      await putRecord(h, studentRecord(student.userId));
      await logInInBrowser(e2e.site, tour, lang, student);

      await page.locator('summary', { hasText: say(lang, 'menu.open') }).click();
      const menu = page.getByRole('navigation', { name: say(lang, 'menu.open') });
      await menu.getByRole('link', { name: say(lang, 'menu.orders'), exact: true }).click();
      await onScreen(page, say(lang, 'orders.history.title'));

      await page.goto(`${e2e.site.origin}/tu/settings/browsers`);
      await onScreen(page, say(lang, 'browsers.title'));
      const remove = page.getByRole('button', { name: say(lang, 'browsers.revoke'), exact: true }).first();
      await remove.waitFor();
      const box = await remove.boundingBox();
      const width = page.viewportSize()!.width;
      expect(box, 'the Remove button has a box').toBeTruthy();
      expect(box!.x, `Remove cut off at the left on ${tour.name}`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `Remove pushed off the screen on ${tour.name}`).toBeLessThanOrEqual(width);
      expect(await labelLines(remove), `Remove wraps on ${tour.name}`).toBe(1);
      await checkScreen(tour, 'trusted-browsers');

      // The review's fee table stacks on a phone too: checkScreen fails on any sideways scroll.
      await page.goto(`${e2e.site.origin}/tu/orders/new?destination=postal`);
      await page.locator('input[name="copies-enrollment-ja"]').fill('1');
      await page.getByLabel(say(lang, 'orders.address.postalCode'), { exact: true }).fill(postalAddress.postalCode);
      await page.locator('select[name="prefecture"]').selectOption(postalAddress.prefecture);
      await page.getByLabel(say(lang, 'orders.address.city'), { exact: true }).fill(postalAddress.city);
      await page.getByLabel(say(lang, 'orders.address.street'), { exact: true }).fill(postalAddress.street);
      await page.getByLabel(say(lang, 'orders.address.recipient'), { exact: true }).fill(postalAddress.recipient);
      await page.getByRole('button', { name: say(lang, 'orders.form.next'), exact: true }).click();
      await onScreen(page, say(lang, 'orders.review.title'));
      await checkScreen(tour, 'review');
      await endTour(tour);
    },
    90_000,
  );

  it.each(['desktop', 'phone'] as const)(
    '#10 L-20 without JavaScript on %s: the landing page lists the catalogue and switches language with its own LANG button',
    async (device) => {
      const tour = await openTour(e2e.browser, { name: `ux-landing-${device}`, device, lang: 'ja', javaScript: false });
      const { page } = tour;
      await page.goto(`${e2e.site.origin}/tu/`);
      await onScreen(page, say('ja', 'landing.title'));
      await page
        .getByText('卒業見込み証明書：在学中の方（最終学年のみ、最終学年の4月1日から）', { exact: true })
        .waitFor();
      await checkScreen(tour, 'landing-ja');
      await page.locator('select#lang-select').selectOption('en');
      await page.getByRole('button', { name: say('ja', 'common.switchLanguage'), exact: true }).click();
      await page.waitForURL(/[?&]lang=en\b/);
      await onScreen(page, say('en', 'landing.title'));
      await page.getByText('Digital delivery', { exact: true }).waitFor();
      await checkScreen(tour, 'landing-en');
      await endTour(tour);
    },
    60_000,
  );

  it.each(['ja', 'en'] as const)(
    '#10 L-20 the landing page passes axe at 390 px (%s)',
    async (lang) => {
      const tour = await openTour(e2e.browser, { name: `ux-landing-axe-${lang}`, device: 'phone', lang });
      await tour.page.goto(`${e2e.site.origin}/tu/`);
      await onScreen(tour.page, say(lang, 'landing.title'));
      await checkScreen(tour, 'landing');
      await endTour(tour);
    },
    60_000,
  );
});
