import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorActor } from '../src/platform/actor.js';
import { STAFF_SESSION_ABSOLUTE_MS, STAFF_SESSION_IDLE_MS } from '../src/features/staff/staff-session.service.js';
import { type Harness, TestBrowser, startHarness, textOf } from './helpers/harness.js';
import { SoftwareAuthenticator } from './helpers/software-authenticator.js';
import { STAFF_PASSWORD, attribute, enrolWithTotp, invite, logInStaff, totpCode } from './helpers/staff.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

let counter = 0;
/** A freshly enrolled member (TOTP) whose second factor was just given. */
async function member(role: 'registrar' | 'administrator' = 'registrar') {
  const email = `account.${++counter}@tu.example.ac.jp`;
  const enrolled = await enrolWithTotp(h, await invite(h, h.tenant, email, role), email, `Member ${counter}`);
  const row = (await h.uow.repos.staff.findByEmail(h.tenant.id, email))!;
  return { ...enrolled, id: row.id };
}

async function events(): Promise<string[]> {
  return (await h.uow.repos.auditLog.list(h.tenant.id, { limit: 1000 })).map((entry) => entry.event);
}

function passkeyForm(html: string): { action: string; options: never } {
  const form = /<form method="post" action="([^"]+)"[^>]*data-passkey="([^"]+)"/.exec(html);
  if (!form) throw new Error('no passkey form on the page');
  return { action: form[1]!.replace(/&amp;/g, '&'), options: JSON.parse(attribute(form[0], 'data-passkey')) as never };
}

function actionOf(html: string, pattern: RegExp): string {
  return pattern.exec(html)![1]!.replace(/&amp;/g, '&');
}

describe('#12 A-1 my account: second factors', () => {
  it('#12 A-1 adds a passkey after TOTP, removes TOTP only with the box ticked, never the last factor, then adds TOTP after the passkey', async () => {
    const me = await member();
    const b = me.browser;
    const page = await b.get('/tu/staff/account');
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain('Authenticator app');
    expect(textOf(page.body)).toContain('Cannot be removed: it is your only second factor');
    // The only factor, even when the form is forged: refused.
    const last = await b.post('/tu/staff/account/totp/remove', { confirm: 'yes' }, { follow: false });
    expect(last.status).toBe(422);
    expect(textOf(last.body)).toContain('You cannot remove your only second factor');

    const authenticator = new SoftwareAuthenticator('http://shomei.test');
    await b.get('/tu/staff/account');
    const offer = await b.post('/tu/staff/account/passkey', {});
    const registration = passkeyForm(offer.body);
    expect(registration.options).toMatchObject({ rp: { id: 'shomei.test' }, attestation: 'none' });
    const added = await b.post(registration.action, { credential: authenticator.create(registration.options) });
    expect(textOf(added.body)).toContain('The passkey has been added.');
    expect(textOf(added.body)).toContain('Passkey 1');
    // The same step twice adds nothing more.
    const again = await b.post(
      registration.action,
      { credential: authenticator.create(registration.options) },
      {
        follow: false,
      },
    );
    expect(again.location).toBe('/tu/staff/account?notice=flowEnded');
    expect(await h.uow.repos.staff.passkeys(h.tenant.id, me.id)).toHaveLength(1);

    const unticked = await b.post('/tu/staff/account/totp/remove', {}, { follow: false });
    expect(unticked.status).toBe(422);
    expect(textOf(unticked.body)).toContain('Tick the box to confirm');
    expect((await h.uow.repos.staff.findById(h.tenant.id, me.id))!.totpSecretSealed).not.toBeNull();
    const removed = await b.post('/tu/staff/account/totp/remove', { confirm: 'yes' });
    expect(textOf(removed.body)).toContain('The authenticator app has been removed.');
    expect((await h.uow.repos.staff.findById(h.tenant.id, me.id))!.totpSecretSealed).toBeNull();
    // Now the passkey is the last one.
    const passkeyId = authenticator.id;
    const kept = await b.post(
      `/tu/staff/account/passkeys/${encodeURIComponent(passkeyId)}/remove`,
      { confirm: 'yes' },
      { follow: false },
    );
    expect(kept.status).toBe(422);
    expect(await h.uow.repos.staff.passkeys(h.tenant.id, me.id)).toHaveLength(1);

    // TOTP after the passkey: QR code and secret, a wrong code, then the right one.
    const app = await b.post('/tu/staff/account/totp', {});
    expect(app.body).toContain('src="data:image/png;base64,');
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(app.body)![1]!.replace(/\s/g, '');
    const confirm = actionOf(app.body, /action="([^"]*\/account\/totp\/confirm[^"]*)"/);
    const code = totpCode(h, secret);
    expect((await b.post(confirm, { code: code === '000000' ? '111111' : '000000' }, { follow: false })).status).toBe(
      401,
    );
    expect(textOf((await b.post(confirm, { code })).body)).toContain('The authenticator app has been set up.');
    const { page: home } = await logInStaff(h, 'tu', me.email, secret);
    expect(textOf(home.body)).toContain(`Logged in as Member ${counter}`);
    expect(await events()).toEqual(
      expect.arrayContaining(['staff.passkey_added', 'staff.totp_removed', 'staff.totp_added']),
    );
  });

  it("#12 A-1 another member's passkey is not found from my account (404), nor taken over by copying its id", async () => {
    const owner = await member();
    const authenticator = new SoftwareAuthenticator('http://shomei.test');
    await owner.browser.get('/tu/staff/account');
    const offer = await owner.browser.post('/tu/staff/account/passkey', {});
    const registration = passkeyForm(offer.body);
    await owner.browser.post(registration.action, { credential: authenticator.create(registration.options) });
    const other = await member('administrator');
    await other.browser.get('/tu/staff/account');
    const refused = await other.browser.post(
      `/tu/staff/account/passkeys/${encodeURIComponent(authenticator.id)}/remove`,
      { confirm: 'yes' },
      { follow: false },
    );
    expect(refused.status).toBe(404);
    expect(await h.uow.repos.staff.passkeys(h.tenant.id, owner.id)).toHaveLength(1);
    // An answer carrying the owner's credential id is refused, not a 500.
    await other.browser.get('/tu/staff/account');
    const copied = passkeyForm((await other.browser.post('/tu/staff/account/passkey', {})).body);
    const answer = await other.browser.post(
      copied.action,
      { credential: authenticator.create(copied.options) },
      { follow: false },
    );
    expect(answer.status).toBe(401);
    expect(await h.uow.repos.staff.passkeys(h.tenant.id, other.id)).toEqual([]);
    expect(await h.uow.repos.staff.passkeys(h.tenant.id, owner.id)).toHaveLength(1);
  });

  it('#12 A-1 two removals sent at once (the app and the passkey) leave one factor, never none', async () => {
    const me = await member();
    const authenticator = new SoftwareAuthenticator('http://shomei.test');
    await me.browser.get('/tu/staff/account');
    const registration = passkeyForm((await me.browser.post('/tu/staff/account/passkey', {})).body);
    await me.browser.post(registration.action, { credential: authenticator.create(registration.options) });
    const session = {
      idHash: 'unused',
      member: (await h.uow.repos.staff.findById(h.tenant.id, me.id))!,
      authenticatedAt: h.clock.now(),
    };
    const { ownAccount } = h.app.services.staff;
    const actor = { ...operatorActor(h.tenant.id), kind: 'staff' as const, staffId: me.id };
    const results = await Promise.all([
      ownAccount.removeFactor(h.tenant, session, { totp: true }, actor),
      ownAccount.removeFactor(h.tenant, session, { passkey: authenticator.id }, actor),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['invalid', 'removed']);
    const left = await h.uow.repos.staff.findById(h.tenant.id, me.id);
    const passkeys = await h.uow.repos.staff.passkeys(h.tenant.id, me.id);
    expect(passkeys.length + (left!.totpSecretSealed ? 1 : 0)).toBe(1);
  });

  it('#12 A-1 ten new recovery codes: shown once, the old ones stop working, the new ones work', async () => {
    const me = await member();
    const b = me.browser;
    await b.get('/tu/staff/account');
    expect(textOf((await b.get('/tu/staff/account')).body)).toContain('10 of 10 recovery codes are unused');
    const unticked = await b.post('/tu/staff/account/recovery-codes', {}, { follow: false });
    expect(unticked.status).toBe(422);
    expect(textOf(unticked.body)).toContain('Tick the box to confirm that your present recovery codes');
    const shown = await b.post('/tu/staff/account/recovery-codes', { confirm: 'yes' });
    const codes = [...shown.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(codes).not.toContain(me.recoveryCodes[0]);
    const keptAction = actionOf(shown.body, /action="([^"]*recovery-codes\/kept[^"]*)"/);
    const done = await b.post(keptAction, {});
    expect(textOf(done.body)).toContain('New recovery codes have been made.');
    // Shown once.
    const again = await b.get(keptAction.replace('/kept', ''));
    expect(again.body).not.toContain(codes[0]);

    const login = async (code: string) => {
      const browser = new TestBrowser(h, { lang: 'en' });
      await browser.get('/tu/staff/login');
      const second = await browser.post('/tu/staff/login', { login: me.email, password: STAFF_PASSWORD });
      return browser.post(
        actionOf(second.body, /action="([^"]*\/login\/second-factor[^"]*)"/),
        { code },
        {
          follow: false,
        },
      );
    };
    expect((await login(me.recoveryCodes[0]!)).status).toBe(401);
    expect((await login(codes[0]!)).location).toBe('/tu/staff');
    expect(await events()).toEqual(expect.arrayContaining(['staff.recovery_codes_regenerated']));
  });

  it('#12 A-1 changes on my account ask for the second factor again after 5 minutes, and change nothing before', async () => {
    const me = await member();
    await me.browser.get('/tu/staff/account');
    const before = await h.uow.repos.staff.findById(h.tenant.id, me.id);
    h.clock.advance(5 * 60_000 + 1_000);
    for (const [url, form] of [
      ['/tu/staff/account/recovery-codes', { confirm: 'yes' }],
      [
        '/tu/staff/account/password',
        { current: STAFF_PASSWORD, password: 'a new long passphrase', confirm: 'a new long passphrase' },
      ],
      ['/tu/staff/account/passkey', {}],
      ['/tu/staff/account/totp/remove', { confirm: 'yes' }],
    ] as const) {
      const asked = await me.browser.post(url, form, { follow: 'never' });
      expect(asked.location, url).toBe(`/tu/staff/reauth?next=${encodeURIComponent('/tu/staff/account')}`);
    }
    expect(await h.uow.repos.staff.unusedRecoveryCodes(h.tenant.id, me.id)).toBe(10);
    expect(await h.uow.repos.staff.findById(h.tenant.id, me.id)).toEqual(before);
    expect(await h.uow.repos.staff.passkeys(h.tenant.id, me.id)).toEqual([]);
    h.clock.advance(30_000);
    const back = await me.browser.post(
      `/tu/staff/reauth?next=${encodeURIComponent('/tu/staff/account')}`,
      { code: totpCode(h, me.secret) },
      { follow: false },
    );
    expect(back.location).toBe('/tu/staff/account');
  });
});

describe('#12 A-1 my account: password, and the sessions it ends', () => {
  it('#12 A-1 a new password needs the current one, 12 characters and not a common one; it logs out every other browser', async () => {
    const me = await member();
    const elsewhere = await logInStaff(h, 'tu', me.email, me.secret);
    expect((await elsewhere.browser.get('/tu/staff', { follow: false })).status).toBe(200);
    const b = me.browser;
    await b.get('/tu/staff/account');
    const before = (await h.uow.repos.staff.findById(h.tenant.id, me.id))!.passwordHash;
    for (const [form, message] of [
      [
        { current: 'not my password at all', password: 'a fresh long passphrase', confirm: 'a fresh long passphrase' },
        'The current password is incorrect',
      ],
      [{ current: STAFF_PASSWORD, password: 'short-pass', confirm: 'short-pass' }, 'at least 12 characters'],
      [{ current: STAFF_PASSWORD, password: 'Qwerty123456', confirm: 'Qwerty123456' }, 'too common'],
      [
        { current: STAFF_PASSWORD, password: 'a fresh long passphrase', confirm: 'another' },
        'The two passwords are not the same',
      ],
      [
        { current: '', password: 'a fresh long passphrase', confirm: 'a fresh long passphrase' },
        'Enter your current password',
      ],
    ] as const) {
      const refused = await b.post('/tu/staff/account/password', form, { follow: false });
      expect(refused.status, message).toBe(422);
      expect(textOf(refused.body)).toContain(message);
      expect(refused.body).not.toContain(form.password);
    }
    expect((await h.uow.repos.staff.findById(h.tenant.id, me.id))!.passwordHash).toBe(before);

    const oldCookie = b.cookies.get('shomei-staff-tu');
    const changed = await b.post('/tu/staff/account/password', {
      current: STAFF_PASSWORD,
      password: 'a fresh long passphrase',
      confirm: 'a fresh long passphrase',
    });
    expect(textOf(changed.body)).toContain('Your password has been changed.');
    // This browser goes on with a new session id; the old id and every other browser are logged out.
    expect(b.cookies.get('shomei-staff-tu')).not.toBe(oldCookie);
    expect((await b.get('/tu/staff', { follow: false })).status).toBe(200);
    expect((await elsewhere.browser.get('/tu/staff', { follow: false })).location).toMatch(
      /^\/tu\/staff\/login\?notice=sessionEnded/,
    );
    const stolen = new TestBrowser(h, { lang: 'en' });
    stolen.cookies.set('shomei-staff-tu', oldCookie!);
    expect((await stolen.get('/tu/staff', { follow: false })).location).toMatch(
      /^\/tu\/staff\/login\?notice=sessionEnded/,
    );

    const fresh = new TestBrowser(h, { lang: 'en' });
    await fresh.get('/tu/staff/login');
    expect(
      (await fresh.post('/tu/staff/login', { login: me.email, password: STAFF_PASSWORD }, { follow: false })).status,
    ).toBe(401);
    const second = await fresh.post('/tu/staff/login', { login: me.email, password: 'a fresh long passphrase' });
    expect(textOf(second.body)).toContain('Second factor');
    expect(await events()).toEqual(expect.arrayContaining(['staff.password_changed', 'staff.password_change_failure']));
  });

  it('#12 A-1 a login begun with the old password cannot be finished after the password changed', async () => {
    const me = await member();
    const thief = new TestBrowser(h, { lang: 'en' });
    await thief.get('/tu/staff/login');
    const second = await thief.post('/tu/staff/login', { login: me.email, password: STAFF_PASSWORD });
    const action = actionOf(second.body, /action="([^"]*\/login\/second-factor[^"]*)"/);
    await me.browser.get('/tu/staff/account');
    await me.browser.post('/tu/staff/account/password', {
      current: STAFF_PASSWORD,
      password: 'another fresh passphrase',
      confirm: 'another fresh passphrase',
    });
    h.clock.advance(30_000);
    expect((await thief.post(action, { code: totpCode(h, me.secret) }, { follow: false })).location).toBe(
      '/tu/staff/login?notice=flowEnded',
    );
  });

  it('#12 A-1 staff sessions end after 15 idle minutes and 8 hours in all, shorter than a student session', async () => {
    expect(STAFF_SESSION_IDLE_MS).toBe(15 * 60_000);
    expect(STAFF_SESSION_ABSOLUTE_MS).toBe(8 * 3_600_000);
    expect(STAFF_SESSION_IDLE_MS).toBeLessThan(h.app.services.config.sessionIdleMs);
    const idle = await member();
    h.clock.advance(14 * 60_000);
    expect((await idle.browser.get('/tu/staff', { follow: false })).status).toBe(200);
    h.clock.advance(15 * 60_000 + 1_000);
    expect((await idle.browser.get('/tu/staff', { follow: false })).location).toMatch(
      /^\/tu\/staff\/login\?notice=sessionEnded/,
    );

    const busy = await member();
    for (let minutes = 0; minutes < 8 * 60 - 10; minutes += 10) {
      h.clock.advance(10 * 60_000);
      expect((await busy.browser.get('/tu/staff', { follow: false })).status).toBe(200);
    }
    h.clock.advance(10 * 60_000);
    expect((await busy.browser.get('/tu/staff', { follow: false })).location).toMatch(
      /^\/tu\/staff\/login\?notice=sessionEnded/,
    );
  });
});
