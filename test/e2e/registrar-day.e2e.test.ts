import { beforeAll, expect, it } from 'vitest';
import { seedDemoCatalogue } from '../../src/dev/demo/demo-catalogue.js';
import { readyStudent, say, submitLogin } from '../helpers/accounts.js';
import { type Harness, TestBrowser } from '../helpers/harness.js';
import { orderingStudent, placeOrder, postalAddress, putRecord, studentRecord } from '../helpers/orders.js';
import { pdftotext } from '../helpers/poppler.js';
import { STAFF_PASSWORD, enrolWithTotp, invite, totpCode } from '../helpers/staff.js';
import { describeBrowser } from './browser.js';
import { type Lang, browserAndSite, checkScreen, endTour, onScreen, openTour } from './site.js';

/** A student's name per language run, so each run finds only its own locked-out student. */
const lockedName = {
  ja: { kanji: '施錠 花子', kana: 'セジョウ ハナコ', roman: 'SEJO Hanako' },
  en: { kanji: '鍵谷 次郎', kana: 'カギヤ ジロウ', roman: 'KAGIYA Jiro' },
} as const;

/** What the statistics count so far: each run reads its own day on top of the runs before it. */
async function certificatesIn(h: Harness): Promise<number> {
  const row = await h.database.db
    .selectFrom('issued_certificates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', h.tenant.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function shippedOrdersIn(h: Harness): Promise<number> {
  const row = await h.database.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', h.tenant.id)
    .where('state', '=', 'shipped')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * #12 Tests: a registrar's day in a real browser, once in each language — log in with TOTP, unlock
 * a locked-out student, take a postal order from cashier payment to shipping, revoke a certificate
 * and see the public verification page say so, and read today's numbers beside the chart.
 */
describeBrowser('#12 a registrar’s day in a browser', () => {
  const e2e = browserAndSite();
  beforeAll(async () => {
    const { h } = e2e.site;
    await seedDemoCatalogue(h.uow.repos, h.tenant.id);
    await h.uow.repos.tenants.updatePolicy(h.tenant.id, {
      ...h.tenant.policy,
      destinations: ['campus', 'convenience', 'postal', 'digital'],
    });
  });

  for (const lang of ['ja', 'en'] as const satisfies Lang[]) {
    it(
      `#12 a registrar's day: TOTP login, unlock, postal order paid → printed → shipped, revoke, statistics (${lang})`,
      { timeout: 90_000 },
      async () => {
        const { h, origin } = e2e.site;
        const t = (key: string, params: Record<string, unknown> = {}) => say(lang, key, params);
        const issuedBefore = await certificatesIn(h);
        const shippedBefore = await shippedOrdersIn(h);

        // The registrar's account exists (the operator invited them); the day starts at the login screen.
        const email = `registrar.${lang}@tu.example.ac.jp`;
        const enrolled = await enrolWithTotp(
          h,
          await invite(h, h.tenant, email, 'registrar'),
          email,
          '伊藤 佳奈',
          lang,
        );

        // The locked-out student: ten wrong passwords through the real student login.
        const lockedBrowser = new TestBrowser(h, { lang, ip: `10.12.30.${lang === 'ja' ? 1 : 2}` });
        const locked = await readyStudent(h, lockedBrowser);
        await putRecord(h, studentRecord(locked.userId, { name: lockedName[lang] }));
        for (let i = 0; i < 10; i++) await submitLogin(lockedBrowser, locked, '', { password: 'Wrong-Univ-Pass' });
        expect((await submitLogin(lockedBrowser, locked, locked.secondPassword)).status).toBe(429);

        // The postal order, placed through the student's real order journey.
        const customer = await orderingStudent(h, lang);
        const { orderId } = await placeOrder(customer, 'postal', { 'copies-enrollment-ja': '1', ...postalAddress });

        const tour = await openTour(e2e.browser, { name: `registrar-day-${lang}`, device: 'desktop', lang });
        const { page } = tour;
        const click = (name: string) => page.getByRole('button', { name, exact: true }).click();
        const nav = (name: string) =>
          page
            .getByRole('navigation', { name: t('staff.nav.label') })
            .getByRole('link', { name, exact: true })
            .click();
        const notice = (text: string) => page.getByText(text).first().waitFor();

        // 1. Password, then the authenticator app's code at the harness clock's time.
        h.clock.advance(30_000);
        await page.goto(`${origin}/tu/staff/login`);
        await onScreen(page, t('staff.login.title'));
        await page.getByLabel(t('staff.login.login'), { exact: true }).fill(email);
        await page.getByLabel(t('staff.login.password'), { exact: true }).fill(STAFF_PASSWORD);
        await click(t('staff.login.submit'));
        await onScreen(page, t('staff.secondFactor.title'));
        await page.getByLabel(t('staff.secondFactor.code'), { exact: true }).fill(totpCode(h, enrolled.secret));
        await click(t('staff.secondFactor.submit'));
        await onScreen(page, t('staff.home.title'));
        await checkScreen(tour, 'home');

        // 2. Find the locked-out student by name, see the lock, unlock with the confirmation.
        await nav(t('staff.nav.students'));
        await onScreen(page, t('support.search.title'));
        await page.getByLabel(t('support.search.label'), { exact: true }).fill(lockedName[lang].roman);
        await click(t('support.search.button'));
        await page.getByRole('link', { name: locked.userId, exact: true }).click();
        await onScreen(page, t('support.student.titleNamed', { name: lockedName[lang].kanji, userId: locked.userId }));
        // The definition beside "Lock" says until when.
        const lockText = await page
          .locator('dt', { hasText: new RegExp(`^${t('support.state.lock')}$`) })
          .locator('xpath=following-sibling::dd[1]')
          .innerText();
        for (const part of t('support.state.locked', { until: '§' }).split('§'))
          expect(lockText).toContain(part.trim());
        await checkScreen(tour, 'student-locked');
        const unlock = page
          .locator('form')
          .filter({ has: page.getByRole('button', { name: t('support.actions.unlock.button') }) });
        await unlock.getByLabel(t('support.actions.unlock.confirm')).check();
        await unlock.getByRole('button', { name: t('support.actions.unlock.button') }).click();
        await notice(t('support.notice.unlock'));
        await page.getByText(t('support.state.notLocked'), { exact: true }).waitFor();
        const afterUnlock = await submitLogin(lockedBrowser, locked, locked.secondPassword);
        expect(afterUnlock.status).toBe(303);
        expect(afterUnlock.location).toMatch(/^\/tu\/(home|login\/key\?flow=)/);

        // 3. The postal order: paid at the cashier, its packing slip, printed, shipped with a tracking number.
        await nav(t('staff.nav.orders'));
        await onScreen(page, t('orders.console.title'));
        await page.getByLabel(t('orders.console.userId'), { exact: true }).fill(customer.userId);
        await click(t('orders.console.search'));
        await page.getByRole('link', { name: orderId }).click();
        await onScreen(page, t('orders.console.order.title', { id: orderId }));
        await page.getByText(t('orders.console.notPaid')).waitFor();
        await checkScreen(tour, 'order');
        let since = h.smtp.count();
        await page.getByLabel(t('orders.console.receipt'), { exact: true }).fill('R-2026-0042');
        await page.getByLabel(t('orders.console.pay.confirm')).check();
        await click(t('orders.console.pay.submit'));
        await notice(t('orders.console.notice.paid'));
        await h.smtp.waitFor(customer.email, { since, match: (mail) => mail.text.includes('R-2026-0042') });

        const slipHref = await page.getByRole('link', { name: t('orders.console.slip.download') }).getAttribute('href');
        const slip = await tour.context.request.get(`${origin}${slipHref}`);
        expect(slip.status()).toBe(200);
        expect(slip.headers()['content-type']).toBe('application/pdf');
        const slipText = await pdftotext(await slip.body());
        expect(slipText).toContain(orderId);
        expect(slipText).toContain('山田 太郎');

        // The certificate to print is issued when the registrar opens it.
        const pdfHref = await page.getByRole('link', { name: t('orders.console.certificatePdf') }).getAttribute('href');
        const pdf = await tour.context.request.get(`${origin}${pdfHref}`);
        expect(pdf.headers()['content-type']).toBe('application/pdf');
        expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');

        await page.getByLabel(t('orders.console.print.confirm')).check();
        await click(t('orders.console.print.submit'));
        await notice(t('orders.console.notice.printed'));
        since = h.smtp.count();
        await page.getByLabel(t('orders.console.tracking'), { exact: true }).fill('1234-5678-9012');
        await page.getByLabel(t('orders.console.ship.confirm')).check();
        await click(t('orders.console.ship.submit'));
        await notice(t('orders.console.notice.shipped'));
        const shipped = await h.smtp.waitFor(customer.email, {
          since,
          match: (mail) => mail.text.includes('1234-5678-9012'),
        });
        expect(shipped.subject).toContain(say(customer.lang, 'mail.orderStatus.subject_postal_shipped'));
        await checkScreen(tour, 'order-shipped');

        // 4. Revocation asks for the second factor again once it is older than five minutes.
        const [certificate] = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
        expect(certificate).toBeDefined();
        h.clock.advance(6 * 60_000);
        await page
          .getByRole('link', { name: t('orders.console.revoke.open') })
          .first()
          .click();
        await onScreen(page, t('staff.reauth.title'));
        await page.getByLabel(t('staff.secondFactor.code'), { exact: true }).fill(totpCode(h, enrolled.secret));
        await click(t('staff.secondFactor.submit'));
        await onScreen(page, t('orders.console.revoke.title', { serial: certificate!.serial }));
        await page.getByLabel(t('certificates.revocation.record_corrected'), { exact: true }).check();
        await page.getByLabel(t('orders.console.revoke.note')).fill('Birth date typo reported at the counter');
        await page.getByLabel(t('orders.console.revoke.confirm')).check();
        await checkScreen(tour, 'revoke');
        await click(t('orders.console.revoke.submit'));
        await notice(t('orders.console.notice.revoked'));

        // The public verification page, in a stranger's browser: revoked, with the category, not the note.
        const verifier = await openTour(e2e.browser, { name: `registrar-day-verify-${lang}`, device: 'desktop', lang });
        await verifier.page.goto(`${origin}/tu/verify`);
        await onScreen(verifier.page, t('certificates.verify.title'));
        await verifier.page
          .getByLabel(t('certificates.verify.code'), { exact: true })
          .fill(certificate!.verificationCode);
        await verifier.page.getByRole('button', { name: t('certificates.verify.checkCode') }).click();
        await verifier.page
          .getByText(t('certificates.verify.verdict.revoked.title'), { exact: true })
          .first()
          .waitFor();
        const verdict = await verifier.page.locator('main').innerText();
        expect(verdict).toContain(t('certificates.revocation.record_corrected'));
        expect(verdict).not.toContain('typo');
        await checkScreen(verifier, 'verify-revoked');
        await endTour(verifier);

        // 5. Today's numbers in the table beside the chart.
        await nav(t('staff.nav.statistics'));
        await onScreen(page, t('statistics.title'));
        // This run made one certificate and shipped one order; the other language's run, the same.
        const issued = await certificatesIn(h);
        expect(issued).toBe(issuedBefore + 1);
        const table = (title: string) =>
          page.locator('section').filter({ has: page.getByRole('heading', { name: t(title), exact: true }) });
        const issuedToday = table('statistics.issued.title')
          .getByRole('row')
          .filter({ hasText: t('statistics.todayMark') });
        expect(await issuedToday.locator('td').first().innerText()).toBe(String(issued));
        const shippedRow = table('statistics.orders.title')
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name: t('orders.states.shipped'), exact: true }) });
        expect(await shippedRow.locator('td').first().innerText()).toBe(String(shippedBefore + 1));
        // The console's own rules apply: the filter lays its fields out in a grid (#12; an unclosed
        // rule in app.css once left every rule after it unapplied).
        expect(await page.locator('.filter-grid').evaluate((grid) => getComputedStyle(grid).display)).toBe('grid');
        await checkScreen(tour, 'statistics');
        await endTour(tour);
      },
    );
  }
});
