import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStaff } from '../src/dev/demo/seed-demo-staff.js';
import { demoStaff } from '../src/dev/demo/staff.data.js';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { type Harness, TestBrowser, startHarness, textOf } from './helpers/harness.js';
import { readyStudent } from './helpers/accounts.js';
import { SoftwareAuthenticator } from './helpers/software-authenticator.js';
import { STAFF_PASSWORD, attribute, enrolWithTotp, invite, logInStaff, totpCode } from './helpers/staff.js';

let h: Harness;
let other: Tenant;
beforeAll(async () => {
  h = await startHarness();
  other = await h.tenants.create({ slug: 'ou', name: { ja: '他大学', en: 'Other University' }, enabled: false });
});
afterAll(async () => {
  await h.close();
});

async function auditEvents(tenantId: string): Promise<string[]> {
  return (await h.uow.repos.auditLog.list(tenantId, { limit: 500 })).map((entry) => entry.event);
}

describe('#12 A-1 staff enrolment and login', () => {
  it('#12 A-1 the enrolment link: GET uses nothing, the password is checked, TOTP by QR code, ten recovery codes shown once', async () => {
    const superseded = await invite(h, h.tenant, 'First.Admin@tu.example.ac.jp', 'administrator', 'E0001');
    const link = await invite(h, h.tenant, 'First.Admin@tu.example.ac.jp', 'administrator', 'E0001');
    expect((await new TestBrowser(h).get(superseded)).status).toBe(410);
    // A mail scanner following the link twice uses nothing.
    const scanner = new TestBrowser(h);
    expect((await scanner.get(link)).status).toBe(200);
    expect((await scanner.get(link)).status).toBe(200);

    const browser = new TestBrowser(h, { lang: 'en' });
    const form = await browser.get(link);
    expect(textOf(form.body)).toContain('first.admin@tu.example.ac.jp');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    for (const [password, message] of [
      ['short-pass', 'at least 12 characters'],
      ['Qwerty123456', 'too common'],
      ['first.admin@tu.example.ac.jp', 'must not be your mail address'],
    ] as const) {
      const refused = await browser.post(
        '/tu/staff/enrol',
        { token, name: 'Hanako Sato', password, confirm: password },
        { follow: false },
      );
      expect(refused.status).toBe(422);
      expect(textOf(refused.body)).toContain(message);
    }
    const mismatch = await browser.post(
      '/tu/staff/enrol',
      { token, name: 'Hanako Sato', password: STAFF_PASSWORD, confirm: 'other' },
      { follow: false },
    );
    expect(textOf(mismatch.body)).toContain('The two passwords are not the same');

    const factor = await browser.post('/tu/staff/enrol', {
      token,
      name: 'Hanako Sato',
      password: STAFF_PASSWORD,
      confirm: STAFF_PASSWORD,
    });
    expect(factor.status).toBe(200);
    expect(factor.body).toContain('src="data:image/png;base64,');
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(factor.body)![1]!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The link is used now: a second try, or the scanner, meets the "already used" page.
    expect((await scanner.get(link)).status).toBe(410);
    const action = /action="([^"]*\/enrol\/totp[^"]*)"/.exec(factor.body)![1]!.replace(/&amp;/g, '&');
    const wrong = await browser.post(
      action,
      { code: '000000' === totpCode(h, secret) ? '111111' : '000000' },
      { follow: false },
    );
    expect(wrong.status).toBe(401);
    const codesPage = await browser.post(action, { code: totpCode(h, secret) });
    const codes = [...codesPage.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const home = await browser.post(
      /action="([^"]*recovery-codes[^"]*)"/.exec(codesPage.body)![1]!.replace(/&amp;/g, '&'),
      {},
    );
    expect(textOf(home.body)).toContain('Logged in as Hanako Sato (Administrator)');
    // Shown once: the same address now leads to the console home, without the codes.
    const again = await browser.get(`/tu/staff/recovery-codes?${new URL(action, 'http://x').searchParams.toString()}`);
    expect(again.body).not.toContain(codes[0]);
    const stored = await h.database.db.selectFrom('staff_recovery_codes').select('code_hash').execute();
    expect(stored.map((row) => row.code_hash).join()).not.toContain(codes[0]);
    expect(await auditEvents(h.tenant.id)).toEqual(
      expect.arrayContaining(['staff.invited', 'staff.password_set', 'staff.enrolled']),
    );
  });

  it('#12 A-1 login: the password alone opens nothing; a TOTP code logs in once; a recovery code works once; same answer for an unknown login', async () => {
    const link = await invite(h, h.tenant, 'reg.one@tu.example.ac.jp', 'registrar', 'R0001');
    const enrolled = await enrolWithTotp(h, link, 'reg.one@tu.example.ac.jp', 'Taro Suzuki');
    expect(textOf(enrolled.home.body)).toContain('(Registrar)');
    expect(textOf(enrolled.home.body)).not.toContain('Open the staff list');

    const browser = new TestBrowser(h, { lang: 'en' });
    await browser.get('/tu/staff/login');
    const unknown = await browser.post(
      '/tu/staff/login',
      { login: 'nobody@tu.example.ac.jp', password: STAFF_PASSWORD },
      { follow: false },
    );
    const wrong = await browser.post(
      '/tu/staff/login',
      { login: 'R0001', password: 'wrong password here' },
      { follow: false },
    );
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(textOf(unknown.body)).toContain('The mail address, staff ID or password is incorrect');
    expect(textOf(wrong.body)).toContain('The mail address, staff ID or password is incorrect');

    h.clock.advance(30_000);
    const second = await browser.post('/tu/staff/login', { login: 'R0001', password: STAFF_PASSWORD });
    expect(textOf(second.body)).toContain('Second factor');
    // No session yet: the console sends the browser to the login.
    expect((await browser.get('/tu/staff', { follow: false })).location).toMatch(/^\/tu\/staff\/login\?notice=/);
    const action = /action="([^"]*\/login\/second-factor[^"]*)"/.exec(second.body)![1]!.replace(/&amp;/g, '&');
    const code = totpCode(h, enrolled.secret);
    const home = await browser.post(action, { code });
    expect(textOf(home.body)).toContain('Logged in as Taro Suzuki');

    // The same code again, in another browser: refused (RFC 6238 §5.2).
    const replay = new TestBrowser(h, { lang: 'en' });
    await replay.get('/tu/staff/login');
    const replaySecond = await replay.post('/tu/staff/login', {
      login: 'reg.one@tu.example.ac.jp',
      password: STAFF_PASSWORD,
    });
    const replayAction = /action="([^"]*\/login\/second-factor[^"]*)"/
      .exec(replaySecond.body)![1]!
      .replace(/&amp;/g, '&');
    expect((await replay.post(replayAction, { code }, { follow: false })).status).toBe(401);
    // A recovery code instead, typed in capitals: works once.
    const recovery = enrolled.recoveryCodes[0]!;
    expect(textOf((await replay.post(replayAction, { code: recovery.toUpperCase() })).body)).toContain(
      'Logged in as Taro Suzuki',
    );
    const third = new TestBrowser(h, { lang: 'en' });
    await third.get('/tu/staff/login');
    const thirdSecond = await third.post('/tu/staff/login', { login: 'R0001', password: STAFF_PASSWORD });
    const thirdAction = /action="([^"]*\/login\/second-factor[^"]*)"/
      .exec(thirdSecond.body)![1]!
      .replace(/&amp;/g, '&');
    expect((await third.post(thirdAction, { code: recovery }, { follow: false })).status).toBe(401);
    expect(await auditEvents(h.tenant.id)).toEqual(
      expect.arrayContaining([
        'staff.login_failure',
        'staff.login_success',
        'staff.second_factor_failure',
        'staff.recovery_code_used',
      ]),
    );
  });

  it('#12 A-1 the console in Japanese: name, role, the staff list for administrators, logout', async () => {
    const link = await invite(h, h.tenant, 'ja.admin@tu.example.ac.jp', 'administrator');
    const { home, browser } = await enrolWithTotp(h, link, 'ja.admin@tu.example.ac.jp', '佐藤 花子', 'ja');
    const text = textOf(home.body);
    expect(text).toContain('教務コンソール');
    expect(text).toContain('佐藤 花子（管理者）としてログインしています。');
    expect(text).toContain('職員一覧を開く');
    const out = await browser.post('/tu/staff/logout', {});
    expect(textOf(out.body)).toContain('ログアウトしました。');
    expect((await browser.get('/tu/staff', { follow: false })).location).toMatch(/^\/tu\/staff\/login/);
  });
});

/** The page's passkey form: where it posts, and the options the browser's authenticator gets. */
function passkeyForm(html: string): { action: string; options: never } {
  const form = /<form method="post" action="([^"]+)"[^>]*data-passkey="([^"]+)"/.exec(html);
  if (!form) throw new Error('no passkey form on the page');
  return { action: form[1]!.replace(/&amp;/g, '&'), options: JSON.parse(attribute(form[0], 'data-passkey')) as never };
}

describe('#12 A-1 passkeys (WebAuthn, software authenticator)', () => {
  it('#12 A-1 enrols with a passkey (attestation none), logs in and re-authenticates with it; a replayed assertion is refused', async () => {
    const email = 'passkey.user@tu.example.ac.jp';
    const link = await invite(h, h.tenant, email, 'administrator');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const browser = new TestBrowser(h, { lang: 'en' });
    await browser.get(link);
    const factor = await browser.post('/tu/staff/enrol', {
      token,
      name: 'Kenji Ito',
      password: STAFF_PASSWORD,
      confirm: STAFF_PASSWORD,
    });
    const authenticator = new SoftwareAuthenticator('http://shomei.test');
    const registration = passkeyForm(factor.body);
    expect(registration.options).toMatchObject({ rp: { id: 'shomei.test' }, attestation: 'none' });
    const codesPage = await browser.post(registration.action, {
      credential: authenticator.create(registration.options),
    });
    expect(textOf(codesPage.body)).toContain('Recovery codes');
    const home = await browser.post(
      /action="([^"]*recovery-codes[^"]*)"/.exec(codesPage.body)![1]!.replace(/&amp;/g, '&'),
      {},
    );
    expect(textOf(home.body)).toContain('Logged in as Kenji Ito (Administrator)');

    const next = new TestBrowser(h, { lang: 'en' });
    await next.get('/tu/staff/login');
    const second = await next.post('/tu/staff/login', { login: email, password: STAFF_PASSWORD });
    const login = passkeyForm(second.body);
    expect(login.options).toMatchObject({ rpId: 'shomei.test', allowCredentials: [{ id: authenticator.id }] });
    const assertion = authenticator.get(login.options);
    expect(textOf((await next.post(login.action, { credential: assertion })).body)).toContain('Logged in as Kenji Ito');

    // The same assertion in a new login: another challenge, so refused.
    const replay = new TestBrowser(h, { lang: 'en' });
    await replay.get('/tu/staff/login');
    const replayPage = await replay.post('/tu/staff/login', { login: email, password: STAFF_PASSWORD });
    const refused = await replay.post(
      passkeyForm(replayPage.body).action,
      { credential: assertion },
      { follow: false },
    );
    expect(refused.status).toBe(401);
    expect(textOf(refused.body)).toContain('The code is incorrect or was already used');

    h.clock.advance(6 * 60_000);
    const reauth = await next.get('/tu/staff/reauth?next=%2Ftu%2Fstaff%2Fmembers');
    const again = passkeyForm(reauth.body);
    const done = await next.post(again.action, { credential: authenticator.get(again.options) }, { follow: false });
    expect(done.location).toBe('/tu/staff/members');
    expect(await auditEvents(h.tenant.id)).toEqual(expect.arrayContaining(['staff.reauthenticated']));

    // Another enrolment answering with this passkey's credential id is refused, not a 500.
    const copier = new TestBrowser(h, { lang: 'en' });
    const copierLink = await invite(h, h.tenant, 'copier@tu.example.ac.jp', 'registrar');
    await copier.get(copierLink);
    const copierFactor = await copier.post('/tu/staff/enrol', {
      token: new URL(copierLink, 'http://x').searchParams.get('token')!,
      name: 'Copier',
      password: STAFF_PASSWORD,
      confirm: STAFF_PASSWORD,
    });
    const copied = passkeyForm(copierFactor.body);
    const answer = await copier.post(
      copied.action,
      { credential: authenticator.create(copied.options) },
      { follow: false },
    );
    expect(answer.status).toBe(401);
  });
});

describe('#12 A-1 roles, re-authentication and disabling', () => {
  it('#12 A-1 a role change needs the second factor within 5 minutes; nobody changes their own; disabling ends the sessions', async () => {
    const admin = await enrolWithTotp(
      h,
      await invite(h, h.tenant, 'role.admin@tu.example.ac.jp', 'administrator'),
      'role.admin@tu.example.ac.jp',
      'Admin',
    );
    const registrar = await enrolWithTotp(
      h,
      await invite(h, h.tenant, 'role.reg@tu.example.ac.jp', 'registrar'),
      'role.reg@tu.example.ac.jp',
      'Registrar',
    );
    const target = (await h.uow.repos.staff.findByEmail(h.tenant.id, 'role.reg@tu.example.ac.jp'))!;
    const me = (await h.uow.repos.staff.findByEmail(h.tenant.id, 'role.admin@tu.example.ac.jp'))!;
    const memberPage = `/tu/staff/members/${target.id}`;

    const list = await admin.browser.get('/tu/staff/members');
    expect(textOf(list.body)).toContain('role.reg@tu.example.ac.jp');
    await admin.browser.get(memberPage);
    // Just logged in: the change goes through.
    const changed = await admin.browser.post(`${memberPage}/role`, { role: 'administrator' });
    expect(textOf(changed.body)).toContain('The role has been changed.');
    expect((await h.uow.repos.staff.findById(h.tenant.id, target.id))!.role).toBe('administrator');

    h.clock.advance(5 * 60_000 + 1_000);
    const asked = await admin.browser.post(`${memberPage}/role`, { role: 'registrar' }, { follow: false });
    expect(asked.location).toBe(`/tu/staff/reauth?next=${encodeURIComponent(memberPage)}`);
    expect((await h.uow.repos.staff.findById(h.tenant.id, target.id))!.role).toBe('administrator');
    const reauthPage = await admin.browser.get(asked.location!);
    expect(textOf(reauthPage.body)).toContain('Confirm it is you');
    const wrong = await admin.browser.post(asked.location!, { code: '12345a' }, { follow: false });
    expect(wrong.status).toBe(401);
    const back = await admin.browser.post(asked.location!, { code: totpCode(h, admin.secret) }, { follow: false });
    expect(back.location).toBe(memberPage);
    await admin.browser.get(memberPage);
    await admin.browser.post(`${memberPage}/role`, { role: 'registrar' });
    expect((await h.uow.repos.staff.findById(h.tenant.id, target.id))!.role).toBe('registrar');

    await admin.browser.get(`/tu/staff/members/${me.id}`);
    const own = await admin.browser.post(`/tu/staff/members/${me.id}/role`, { role: 'registrar' }, { follow: false });
    expect(own.status).toBe(422);
    expect(textOf(own.body)).toContain('You cannot change your own account here');

    expect((await registrar.browser.get('/tu/staff')).status).toBe(200);
    await admin.browser.get(memberPage);
    const unticked = await admin.browser.post(`${memberPage}/disable`, {}, { follow: false });
    expect(unticked.status).toBe(422);
    expect(textOf(unticked.body)).toContain('Tick the box to confirm that this staff member is to be disabled');
    expect((await registrar.browser.get('/tu/staff')).status).toBe(200);
    await admin.browser.post(`${memberPage}/disable`, { confirm: 'yes' });
    expect((await registrar.browser.get('/tu/staff', { follow: false })).location).toMatch(
      /^\/tu\/staff\/login\?notice=sessionEnded/,
    );
    h.clock.advance(30_000);
    await registrar.browser.get('/tu/staff/login');
    expect(
      (
        await registrar.browser.post(
          '/tu/staff/login',
          { login: 'role.reg@tu.example.ac.jp', password: STAFF_PASSWORD },
          { follow: false },
        )
      ).status,
    ).toBe(401);
    const log = await h.uow.repos.auditLog.list(h.tenant.id, { event: 'staff.role_changed' });
    expect(log[0]!.detail).toMatchObject({ staffId: me.id, member: target.id, from: 'administrator', to: 'registrar' });
    expect(await auditEvents(h.tenant.id)).toEqual(expect.arrayContaining(['staff.disabled', 'staff.reauthenticated']));
  });

  it('#12 A-1 an administrator invites by mail: the link arrives and works once', async () => {
    const admin = await enrolWithTotp(
      h,
      await invite(h, h.tenant, 'inviter@tu.example.ac.jp', 'administrator'),
      'inviter@tu.example.ac.jp',
      'Inviter',
    );
    await admin.browser.get('/tu/staff/members');
    const bad = await admin.browser.post(
      '/tu/staff/members',
      { email: 'not an address', name: '', staffNumber: '', role: 'registrar' },
      { follow: false },
    );
    expect(bad.status).toBe(422);
    expect(textOf(bad.body)).toContain('Enter a mail address like name@university.ac.jp');
    const since = h.smtp.count();
    const sent = await admin.browser.post('/tu/staff/members', {
      email: 'New.Reg@tu.example.ac.jp',
      name: 'New Reg',
      staffNumber: 'R0099',
      role: 'registrar',
    });
    expect(textOf(sent.body)).toContain('The invitation has been sent.');
    const mail = await h.smtp.waitFor('new.reg@tu.example.ac.jp', { since });
    const url = /(http:\/\/shomei\.test\/tu\/staff\/enrol\?token=[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const enrolled = await enrolWithTotp(
      h,
      new URL(url).pathname + new URL(url).search,
      'new.reg@tu.example.ac.jp',
      'New Reg',
    );
    expect(textOf(enrolled.home.body)).toContain('Logged in as New Reg (Registrar)');
    expect((await new TestBrowser(h).get(new URL(url).pathname + new URL(url).search)).status).toBe(410);
  });
});

describe('#12 A-1 every console route checks the university and the role', () => {
  it('#12 A-1 a registrar is refused every administrator route (403), and changes nothing', async () => {
    const registrar = await enrolWithTotp(
      h,
      await invite(h, h.tenant, 'only.reg@tu.example.ac.jp', 'registrar'),
      'only.reg@tu.example.ac.jp',
      'Only Reg',
    );
    const someone = (await h.uow.repos.staff.findByEmail(h.tenant.id, 'first.admin@tu.example.ac.jp'))!;
    const b = registrar.browser;
    expect((await b.get('/tu/staff/members', { follow: false })).status).toBe(403);
    expect((await b.get(`/tu/staff/members/${someone.id}`, { follow: false })).status).toBe(403);
    const csrf = b.csrf(registrar.home.body);
    for (const [url, form] of [
      ['/tu/staff/members', { email: 'sneaky@tu.example.ac.jp', role: 'administrator' }],
      [`/tu/staff/members/${someone.id}/role`, { role: 'registrar' }],
      [`/tu/staff/members/${someone.id}/disable`, { confirm: 'yes' }],
    ] as const) {
      expect((await b.post(url, form, { follow: 'never', csrf })).status).toBe(403);
    }
    expect(await h.uow.repos.staff.findByEmail(h.tenant.id, 'sneaky@tu.example.ac.jp')).toBeUndefined();
    expect(await h.uow.repos.staff.findById(h.tenant.id, someone.id)).toMatchObject({
      role: 'administrator',
      status: 'active',
    });
  });

  it('#12 A-1 a logged-in student is nobody on the console', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const student = await readyStudent(h, browser);
    expect((await browser.get('/tu/home')).status).toBe(200);
    expect((await browser.get('/tu/staff', { follow: false })).location).toBe(
      '/tu/staff/login?notice=loginRequired&next=%2Ftu%2Fstaff',
    );
    await browser.get('/tu/staff/login');
    expect(
      (await browser.post('/tu/staff/login', { login: student.userId, password: student.password }, { follow: false }))
        .status,
    ).toBe(401);
  });

  it("#12 A-1 a staff member of another university reaches none of this university's routes", async () => {
    // The other university is still closed: its console works all the same (the operator's first administrator sets it up).
    const outsider = await enrolWithTotp(
      h,
      await invite(h, other, 'admin@ou.example.ac.jp', 'administrator'),
      'admin@ou.example.ac.jp',
      'Outsider',
      'en',
    );
    expect(textOf(outsider.home.body)).toContain('Logged in as Outsider (Administrator)');
    const victim = (await h.uow.repos.staff.findByEmail(h.tenant.id, 'first.admin@tu.example.ac.jp'))!;
    const b = outsider.browser;
    // Also with its session cookie renamed as this university's, as a forger would.
    const forged = new TestBrowser(h, { lang: 'en' });
    forged.cookies.set('shomei-staff-tu', outsider.browser.cookies.get('shomei-staff-ou')!);
    await forged.get('/tu/staff/login');
    for (const browser of [b, forged]) {
      const csrf = browser.csrf(browser === b ? outsider.home.body : forged.lastBody);
      for (const url of [
        '/tu/staff',
        '/tu/staff/members',
        `/tu/staff/members/${victim.id}`,
        '/tu/staff/reauth',
        '/tu/staff/recovery-codes?flow=x',
      ])
        expect((await browser.get(url, { follow: false })).location).toMatch(/^\/tu\/staff\/login\?notice=/);
      for (const [url, form] of [
        ['/tu/staff/members', { email: 'planted@ou.example.ac.jp', role: 'administrator' }],
        [`/tu/staff/members/${victim.id}/role`, { role: 'registrar' }],
        [`/tu/staff/members/${victim.id}/disable`, { confirm: 'yes' }],
        ['/tu/staff/reauth', { code: '123456' }],
        ['/tu/staff/reauth/passkey?flow=x', { credential: '{}' }],
        ['/tu/staff/recovery-codes?flow=x', {}],
      ] as const)
        expect((await browser.post(url, form, { follow: 'never', csrf })).location).toMatch(
          /^\/tu\/staff\/login\?notice=/,
        );
    }
    expect(await h.uow.repos.staff.findByEmail(h.tenant.id, 'planted@ou.example.ac.jp')).toBeUndefined();
    expect(await h.uow.repos.staff.findById(h.tenant.id, victim.id)).toMatchObject({
      role: 'administrator',
      status: 'active',
    });
    // Its own member ids are nobody here, even to this university's administrator.
    const outsiderId = (await h.uow.repos.staff.findByEmail(other.id, 'admin@ou.example.ac.jp'))!.id;
    const local = await logInStaff(h, 'tu', 'first.admin@tu.example.ac.jp', (await secretOf(h.tenant.id, victim.id))!);
    expect((await local.browser.get(`/tu/staff/members/${outsiderId}`, { follow: false })).status).toBe(404);

    // Its credentials, enrolment links and login steps are nothing here either.
    const here = new TestBrowser(h, { lang: 'en' });
    await here.get('/tu/staff/login');
    expect(
      (
        await here.post(
          '/tu/staff/login',
          { login: 'admin@ou.example.ac.jp', password: STAFF_PASSWORD },
          { follow: false },
        )
      ).status,
    ).toBe(401);
    const otherLink = await invite(h, other, 'second@ou.example.ac.jp', 'registrar');
    expect((await here.get(otherLink.replace('/ou/', '/tu/'))).status).toBe(410);
    h.clock.advance(30_000);
    await b.post('/ou/staff/logout', {});
    await b.post('/ou/staff/login', { login: 'admin@ou.example.ac.jp', password: STAFF_PASSWORD }, { follow: false });
    const flowRow = await h.database.db
      .selectFrom('flows')
      .select('id')
      .where('tenant_id', '=', other.id)
      .where('kind', '=', 'staff_login')
      .orderBy('issued_at', 'desc')
      .executeTakeFirstOrThrow();
    expect((await b.get(`/tu/staff/login/second-factor?flow=${flowRow.id}`, { follow: false })).location).toBe(
      '/tu/staff/login?notice=flowEnded',
    );
    expect(
      (
        await b.post(
          `/tu/staff/login/second-factor?flow=${flowRow.id}`,
          { code: totpCode(h, outsider.secret) },
          { follow: false },
        )
      ).location,
    ).toBe('/tu/staff/login?notice=flowEnded');
    expect(
      (await b.post(`/tu/staff/login/passkey?flow=${flowRow.id}`, { credential: '{}' }, { follow: false })).location,
    ).toBe('/tu/staff/login?notice=flowEnded');
  });
});

async function secretOf(tenantId: string, staffId: string): Promise<string | undefined> {
  const member = await h.uow.repos.staff.findById(tenantId, staffId);
  return member?.totpSecretSealed ? h.app.services.box.open(member.totpSecretSealed) : undefined;
}

describe('#12 A-1 demo staff', () => {
  it('#12 A-1 the demo administrator and registrar log in with the README password and TOTP secret', async () => {
    const demo = await h.tenants.create({ slug: 'demo', name: { ja: 'デモ大学', en: 'Demo University' } });
    expect(await seedDemoStaff(h.uow, h.app.services.hasher, h.app.services.box)).toBe(2);
    expect(await seedDemoStaff(h.uow, h.app.services.hasher, h.app.services.box)).toBe(0);
    for (const member of demoStaff.filter((each) => each.tenant === 'demo')) {
      expect(await h.uow.repos.staff.findByEmail(demo.id, member.email)).toMatchObject({
        role: member.role,
        status: 'active',
      });
      h.clock.advance(30_000);
      const browser = new TestBrowser(h, { lang: 'en' });
      await browser.get('/demo/staff/login');
      const second = await browser.post('/demo/staff/login', { login: member.staffNumber, password: member.password });
      const action = /action="([^"]*\/login\/second-factor[^"]*)"/.exec(second.body)![1]!.replace(/&amp;/g, '&');
      const home = await browser.post(action, { code: totpCode(h, member.totpSecret) });
      expect(textOf(home.body)).toContain(`Logged in as ${member.name}`);
    }
  });
});

describe('#12 A-1 lockout', () => {
  it('#12 A-1 ten wrong passwords lock the staff login (429), ten wrong codes lock the second step; both are audited', async () => {
    const email = 'locked.out@tu.example.ac.jp';
    const { secret } = await enrolWithTotp(h, await invite(h, h.tenant, email, 'registrar'), email, 'Locked');
    const stranger = new TestBrowser(h, { lang: 'en', ip: '10.77.0.1' });
    await stranger.get('/tu/staff/login');
    for (let i = 0; i < 10; i++)
      await stranger.post('/tu/staff/login', { login: email, password: `wrong password ${i}` }, { follow: 'never' });
    const locked = await stranger.post(
      '/tu/staff/login',
      { login: email, password: STAFF_PASSWORD },
      { follow: false },
    );
    expect(locked.status).toBe(429);
    expect(textOf(locked.body)).toContain('Too many failed attempts');

    // Once the password lock is over, the second step has a counter of its own.
    const owner = new TestBrowser(h, { lang: 'en', ip: '10.77.0.2' });
    const member = (await h.uow.repos.staff.findByEmail(h.tenant.id, email))!;
    await h.app.services.limits.reset('loginFailuresPerUser', `staff:${h.tenant.id}:${email}`);
    await owner.get('/tu/staff/login');
    const second = await owner.post('/tu/staff/login', { login: email, password: STAFF_PASSWORD });
    const action = /action="([^"]*\/login\/second-factor[^"]*)"/.exec(second.body)![1]!.replace(/&amp;/g, '&');
    for (let i = 0; i < 10; i++)
      await owner.post(action, { code: `9${String(i).padStart(5, '0')}` }, { follow: 'never' });
    h.clock.advance(30_000);
    const refused = await owner.post(action, { code: totpCode(h, secret) }, { follow: false });
    expect(refused.status).toBe(429);
    expect(textOf(refused.body)).toContain('Too many incorrect codes');
    const events = await h.uow.repos.auditLog.list(h.tenant.id, { event: 'staff.login_locked', limit: 10 });
    expect(events.map((entry) => entry.detail)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scope: 'user' }),
        expect.objectContaining({ scope: 'second_factor', staffId: member.id }),
      ]),
    );
  });
});
