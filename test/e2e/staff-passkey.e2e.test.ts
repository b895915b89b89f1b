import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { say } from '../helpers/accounts.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { STAFF_PASSWORD, invite } from '../helpers/staff.js';
import { describeBrowser, launchBrowser } from './browser.js';
import { checkScreen, endTour, onScreen, openTour } from './site.js';

/** A free loopback port: the service must know its own address before it starts (PUBLIC_URL). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * #12 A-1 in a real browser: Chromium's virtual authenticator (DevTools protocol) answers
 * /static/staff-passkey.js, so the passkey is made and used by the browser's own WebAuthn. A
 * passkey belongs to a secure origin, so the service runs at http://localhost:<port> here.
 */
describeBrowser('#12 A-1 staff passkey in a browser', () => {
  let browser: Browser;
  let h: Harness;
  let origin: string;
  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    [browser, h] = await Promise.all([launchBrowser(), startHarness({ env: { PUBLIC_URL: origin } })]);
    await h.app.server.listen({ port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('#12 A-1 enrols with a passkey made by the browser, then logs in with it (ja)', { timeout: 90_000 }, async () => {
    const t = (key: string, params: Record<string, unknown> = {}) => say('ja', key, params);
    const email = 'passkey.browser@tu.example.ac.jp';
    const signedIn = t('staff.home.signedIn', { name: '鈴木 一郎', role: t('staff.role.administrator') });
    const link = await invite(h, h.tenant, email, 'administrator');
    const tour = await openTour(browser, { name: 'staff-passkey-ja', device: 'desktop', lang: 'ja' });
    const { page } = tour;
    const devtools = await tour.context.newCDPSession(page);
    await devtools.send('WebAuthn.enable');
    const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await page.goto(`${origin}${link}`);
    await onScreen(page, t('staff.enrol.title'));
    await page.getByLabel(t('staff.enrol.name'), { exact: true }).fill('鈴木 一郎');
    await page.getByLabel(t('staff.enrol.password'), { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel(t('staff.enrol.confirm'), { exact: true }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: t('staff.enrol.submit') }).click();
    await onScreen(page, t('staff.enrol.factorTitle'));
    await page.getByRole('button', { name: t('staff.passkey.create') }).click();
    await onScreen(page, t('staff.recovery.title'));
    const { credentials } = await devtools.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ rpId: 'localhost', isResidentCredential: true });
    await page.getByRole('button', { name: t('staff.recovery.kept') }).click();
    await onScreen(page, t('staff.home.title'));
    await page.getByText(signedIn).waitFor();
    const member = (await h.uow.repos.staff.findByEmail(h.tenant.id, email))!;
    expect(await h.uow.repos.staff.passkeys(h.tenant.id, member.id)).toEqual([
      expect.objectContaining({
        id: credentials[0]!.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
      }),
    ]);

    await page.getByRole('button', { name: t('staff.nav.logout') }).click();
    await onScreen(page, t('staff.login.title'));
    await page.getByText(t('staff.login.notice.loggedOut')).waitFor();
    await page.getByLabel(t('staff.login.login'), { exact: true }).fill(email);
    await page.getByLabel(t('staff.login.password'), { exact: true }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: t('staff.login.submit') }).click();
    await onScreen(page, t('staff.secondFactor.title'));
    await page.getByRole('button', { name: t('staff.passkey.use') }).click();
    await onScreen(page, t('staff.home.title'));
    await page.getByText(signedIn).waitFor();
    const [used] = await h.uow.repos.staff.passkeys(h.tenant.id, member.id);
    expect(used!.lastUsedAt).not.toBeNull();

    // My account lists the passkey, the only factor, which cannot be removed.
    await page.getByRole('link', { name: t('staff.nav.account') }).click();
    await onScreen(page, t('staff.account.title'));
    await page.getByText(t('staff.account.lastFactor')).waitFor();
    await checkScreen(tour, 'account');
    await endTour(tour);
  });
});
