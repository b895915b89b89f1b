import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { type Harness, type Page, TestBrowser, startHarness, textOf, uniqueEmail } from './helpers/harness.js';
import {
  GOOD_SECOND_PASSWORD,
  advance,
  errorMessages,
  newStudent,
  readyStudent,
  settleMail,
  submitLogin,
} from './helpers/accounts.js';
import { logIn, registerEmail } from './helpers/journeys.js';
import { putRecord, studentRecord } from './helpers/orders.js';
import { urlIn } from './helpers/smtp.js';
import { type EnrolledStaff, enrolWithTotp, invite, logInStaff } from './helpers/staff.js';

let h: Harness;
let other: Tenant;
let registrar: EnrolledStaff;
let registrarId: string;

beforeAll(async () => {
  h = await startHarness();
  other = await h.tenants.create({ slug: 'ou', name: { ja: '他大学', en: 'Other University' }, enabled: false });
  registrar = await enrolWithTotp(
    h,
    await invite(h, h.tenant, 'support@tu.example.ac.jp', 'registrar'),
    'support@tu.example.ac.jp',
    'Kana Ito',
  );
  registrarId = (await h.uow.repos.staff.findByEmail(h.tenant.id, 'support@tu.example.ac.jp'))!.id;
});
afterAll(async () => {
  await h.close();
});

const studentPath = (userId: string) => `/tu/staff/students/${encodeURIComponent(userId)}`;

/** The student's page as the registrar sees it. */
async function supportPage(userId: string): Promise<Page> {
  return registrar.browser.get(studentPath(userId));
}

/** An action from the student's page; `confirm: false` leaves the box unticked. */
async function act(userId: string, action: string, confirm = true): Promise<Page> {
  await supportPage(userId);
  return registrar.browser.post(`${studentPath(userId)}/actions/${action}`, confirm ? { confirm: 'yes' } : {}, {
    follow: false,
  });
}

async function supportAudit(event: string, accountId: string | null) {
  const entries = await h.uow.repos.auditLog.list(h.tenant.id, { limit: 500 });
  return entries.filter((entry) => entry.event === event && (accountId === null || entry.accountId === accountId));
}

async function accountOf(userId: string) {
  return (await h.uow.repos.accounts.findByUserId(h.tenant.id, userId))!;
}

describe('#12 A-2 student support: search', () => {
  it('#12 A-2 finds a student by user ID, kanji, kana, roman (any case and order) or mail address; no search lists nobody', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const student = await readyStudent(h, browser, { email: uniqueEmail('Kensaku.Hanako') });
    await putRecord(
      h,
      studentRecord(student.userId, {
        studentNumber: `S${student.userId}`,
        name: { kanji: '検索 花子', kana: 'ケンサク ハナコ', roman: 'KENSAKU Hanako' },
      }),
    );
    // Another university's student of the same name is never listed here.
    await h.tenants.setRosterPassword(other, 'ou-kensaku', 'Univ-Pass-ou');

    const empty = await registrar.browser.get('/tu/staff/students');
    expect(empty.status).toBe(200);
    expect(empty.body).not.toContain('<table');

    const link = `href="${studentPath(student.userId)}"`;
    for (const query of [
      student.userId,
      student.userId.toUpperCase(),
      `S${student.userId}`,
      '検索花子',
      '花子',
      'けんさく',
      'ｹﾝｻｸ ﾊﾅｺ',
      'hanako KENSAKU',
      'ＫＥＮＳＡＫＵ',
      student.email.toUpperCase(),
    ]) {
      const found = await registrar.browser.get(`/tu/staff/students?q=${encodeURIComponent(query)}`);
      expect(found.status, query).toBe(200);
      expect(found.body, query).toContain(link);
    }
    const none = await registrar.browser.get(`/tu/staff/students?q=${encodeURIComponent('kensaku nobody')}`);
    expect(none.body).not.toContain(link);
    expect(textOf(none.body)).toContain('No student matches');
    const wildcard = await registrar.browser.get(`/tu/staff/students?q=${encodeURIComponent('%_')}`);
    expect(wildcard.body).not.toContain(link);
    const elsewhere = await registrar.browser.get('/tu/staff/students?q=ou-kensaku');
    expect(elsewhere.body).not.toContain(`href="${studentPath('ou-kensaku')}"`);
  });
});

describe('#12 A-2 student support: the student page and its guards', () => {
  it('#12 A-2 shows the login state without any secret; refused without a session and across universities', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const student = await readyStudent(h, browser);
    await logIn(h, browser, student, student.secondPassword, student.email);
    const page = await supportPage(student.userId);
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain(student.email);
    expect(text).toMatch(/Second password\s*Set \(/);
    expect(text).toMatch(/Two-factor authentication\s*On/);
    expect(text).toMatch(/Trusted browsers\s*1 \(last used/);
    expect(text).toMatch(/Logged in now\s*1 browser/);
    expect(text).toContain('Logged in');
    expect(text).toContain('Authentication key sent');
    expect(page.body).not.toContain(student.secondPassword);
    expect(page.body).not.toContain('$argon2');
    expect((await registrar.browser.get(studentPath('nobody-here'))).status).toBe(404);
    // Whatever is typed or put in the address: an answer, never a 500.
    for (const raw of ['%00', '%1B%5B2J', "'%3B--", '%5C', '%25_%25', encodeURIComponent('ｕ'.repeat(90))]) {
      expect((await registrar.browser.get(`/tu/staff/students?q=${raw}`)).status, raw).toBe(200);
      expect([400, 404], raw).toContain((await registrar.browser.get(`/tu/staff/students/${raw}`)).status);
    }

    // No session: the login page, for the page and for every action.
    const stranger = new TestBrowser(h, { lang: 'en' });
    await stranger.get('/tu/staff/login');
    expect((await stranger.get(studentPath(student.userId), { follow: false })).location).toMatch(
      /^\/tu\/staff\/login\?notice=loginRequired/,
    );
    expect((await stranger.get('/tu/staff/students?q=u', { follow: false })).location).toMatch(/^\/tu\/staff\/login/);
    for (const url of [
      `${studentPath(student.userId)}/actions/end-sessions`,
      `${studentPath(student.userId)}/mail/x/resend`,
    ])
      expect((await stranger.post(url, { confirm: 'yes' }, { follow: 'never' })).location).toMatch(
        /^\/tu\/staff\/login\?notice=/,
      );

    // Another university's staff member reaches nothing here.
    const outsider = await enrolWithTotp(
      h,
      await invite(h, other, 'support@ou.example.ac.jp', 'administrator'),
      'support@ou.example.ac.jp',
      'Outsider',
    );
    const csrf = outsider.browser.csrf(outsider.home.body);
    expect((await outsider.browser.get(studentPath(student.userId), { follow: false })).location).toMatch(
      /^\/tu\/staff\/login/,
    );
    expect(
      (
        await outsider.browser.post(
          `${studentPath(student.userId)}/actions/end-sessions`,
          { confirm: 'yes' },
          { follow: 'never', csrf },
        )
      ).location,
    ).toMatch(/^\/tu\/staff\/login/);
    // And this university's registrar reaches none of the other's students.
    await h.tenants.setRosterPassword(other, 'ou-student', 'Univ-Pass-ou');
    expect((await registrar.browser.get(studentPath('ou-student'))).status).toBe(404);
    await supportPage(student.userId);
    expect(
      (
        await registrar.browser.post(
          `${studentPath('ou-student')}/actions/unlock`,
          { confirm: 'yes' },
          { follow: 'never' },
        )
      ).status,
    ).toBe(404);
    expect(await h.uow.repos.loginUnlocks.find(other.id, 'ou-student')).toBeUndefined();
    // The student is still logged in: nothing above ended the session.
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
  });
});

describe('#12 A-2 student support: actions', () => {
  it('#12 A-2 unlock: refused without the confirmation; then a locked-out student logs in again, and the staff member is in the audit log', async () => {
    const own = new TestBrowser(h, { lang: 'en', ip: '10.2.0.1' });
    const student = await readyStudent(h, own);
    await logIn(h, own, student, student.secondPassword, student.email);
    await own.post('/tu/logout', {});
    // Its own browser (known device) and a stranger's both run into the lockout.
    const strangers = new TestBrowser(h, { lang: 'en', ip: '10.2.0.2' });
    for (const browser of [own, strangers])
      for (let i = 0; i < 10; i++) await submitLogin(browser, student, '', { password: 'Wrong-Univ-Pass' });
    for (const browser of [own, strangers])
      expect((await submitLogin(browser, student, student.secondPassword)).status).toBe(429);
    expect(textOf((await supportPage(student.userId)).body)).toMatch(/Lock\s*Locked until/);

    const unconfirmed = await act(student.userId, 'unlock', false);
    expect(unconfirmed.status).toBe(422);
    expect(errorMessages(unconfirmed.body)).toEqual(['Tick the box to confirm']);
    expect((await submitLogin(own, student, student.secondPassword)).status).toBe(429);

    const done = await act(student.userId, 'unlock');
    expect(done.location).toBe(`${studentPath(student.userId)}?notice=unlock`);
    const after = textOf((await registrar.browser.get(done.location!)).body);
    expect(after).toContain('The login is unlocked');
    expect(after).toMatch(/Lock\s*Not locked/);
    for (const browser of [own, strangers]) {
      const login = await submitLogin(browser, student, student.secondPassword);
      expect(login.status).toBe(303);
      expect(login.location).toMatch(/^\/tu\/(home|login\/key\?flow=)/);
    }
    const account = await accountOf(student.userId);
    const [entry] = await supportAudit('support.unlocked', account.id);
    expect(entry?.detail).toMatchObject({ staffId: registrarId });
  });

  it("#12 A-2 ending sessions kills the student's cookie; clearing trusted browsers asks for the key again", async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const student = await readyStudent(h, browser);
    await logIn(h, browser, student, student.secondPassword, student.email);
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);

    expect((await act(student.userId, 'end-sessions', false)).status).toBe(422);
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
    expect((await act(student.userId, 'end-sessions')).location).toBe(
      `${studentPath(student.userId)}?notice=end-sessions`,
    );
    expect((await browser.get('/tu/home', { follow: false })).location).toMatch(/^\/tu\/login/);

    // Trusted: no key asked.
    expect((await submitLogin(browser, student, student.secondPassword)).location).toBe('/tu/home');
    expect((await act(student.userId, 'clear-browsers', false)).status).toBe(422);
    expect((await act(student.userId, 'clear-browsers')).location).toBe(
      `${studentPath(student.userId)}?notice=clear-browsers`,
    );
    expect((await submitLogin(browser, student, student.secondPassword)).location).toMatch(/^\/tu\/login\/key\?flow=/);

    const account = await accountOf(student.userId);
    for (const event of ['support.sessions_ended', 'support.trusted_browsers_cleared']) {
      const entries = await supportAudit(event, account.id);
      expect(entries, event).toHaveLength(1);
      expect(entries[0]!.detail).toMatchObject({ staffId: registrarId });
    }
  });

  it('#12 A-2 resending the pending mail address setting: a fresh link after the first expired, the old one dead', async () => {
    const browser = new TestBrowser(h, { lang: 'ja' });
    const student = await newStudent(h);
    const email = uniqueEmail(student.userId);
    await browser.get('/tu/login');
    const form = await browser.post(
      '/tu/login',
      { userId: student.userId, password: student.password, secondPassword: '' },
      { follow: false },
    );
    await browser.get(form.location!);
    const since = h.smtp.count();
    await browser.post(form.location!, { address: email, check: email });
    const first = urlIn(await h.smtp.waitFor(email, { since }));
    await advance(h, 2 * 24 * 60 * 60_000);
    // The registrar's own session has ended meanwhile too.
    registrar = { ...registrar, ...(await logInStaff(h, 'tu', registrar.email, registrar.secret)) };
    expect(textOf((await supportPage(student.userId)).body)).toContain(`${email} (link sent`);

    expect((await act(student.userId, 'resend-registration', false)).status).toBe(422);
    const again = h.smtp.count();
    expect((await act(student.userId, 'resend-registration')).location).toBe(
      `${studentPath(student.userId)}?notice=resend-registration`,
    );
    const mail = await h.smtp.waitFor(email, { since: again });
    expect(mail.subject).toContain('メールアドレス設定');
    const fresh = urlIn(mail);
    expect(fresh.searchParams.get('token')).not.toBe(first.searchParams.get('token'));
    expect((await browser.get(`${first.pathname}${first.search}`)).status).toBe(410);
    // The new link needs no browser of the student's: it is a mailed link like any other.
    const mailbox = new TestBrowser(h, { lang: 'ja' });
    expect((await mailbox.get(`${fresh.pathname}${fresh.search}`)).status).toBe(200);
    const token = fresh.searchParams.get('token')!;
    expect((await mailbox.post('/tu/mail-address/confirm', { token })).status).toBe(200);
    expect(await accountOf(student.userId)).toMatchObject({ email, emailVerified: true });
    const [entry] = await supportAudit('support.registration_resent', (await accountOf(student.userId)).id);
    expect(entry?.detail).toMatchObject({ staffId: registrarId });
  });

  it('#12 A-2 a refused mail is shown with its reason; after the address is cleared and corrected it is re-sent with a fresh link, and the student sets a new second password', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const student = await readyStudent(h, browser);
    await logIn(h, browser, student, student.secondPassword, student.email);
    h.smtp.refused.add(student.email.toLowerCase());
    const account = await accountOf(student.userId);

    expect((await act(student.userId, 'second-password-reset', false)).status).toBe(422);
    expect((await act(student.userId, 'second-password-reset')).location).toBe(
      `${studentPath(student.userId)}?notice=second-password-reset`,
    );
    await settleMail(h);
    const failed = await supportPage(student.userId);
    const text = textOf(failed.body);
    expect(text).toContain('Second password reset');
    expect(text).toContain('Recipient address rejected: User unknown');
    expect(text).toMatch(/Given up .* after 1 attempt/);
    expect(text).toContain('The address is still the one that refused the mail');
    expect(failed.body).not.toMatch(/forgot\/reset\?token=/);
    const mailId = (await h.uow.repos.outbox.listTroubleTo(h.tenant.id, [student.email], 5))[0]!.id;
    const unchanged = await registrar.browser.post(
      `${studentPath(student.userId)}/mail/${mailId}/resend`,
      { confirm: 'yes' },
      { follow: false },
    );
    expect(unchanged.status).toBe(422);

    // The address no longer takes mail: cleared, and the student sets a new one at the next login.
    expect((await act(student.userId, 'clear-registration', false)).status).toBe(422);
    expect((await act(student.userId, 'clear-registration')).location).toBe(
      `${studentPath(student.userId)}?notice=clear-registration`,
    );
    expect(await accountOf(student.userId)).toMatchObject({ email: null, emailVerified: false });
    expect((await browser.get('/tu/home', { follow: false })).location).toMatch(/^\/tu\/login/);
    const corrected = uniqueEmail(`${student.userId}-new`);
    await registerEmail(h, browser, student, corrected);

    await supportPage(student.userId);
    expect(
      (await registrar.browser.post(`${studentPath(student.userId)}/mail/${mailId}/resend`, {}, { follow: false }))
        .status,
    ).toBe(422);
    const since = h.smtp.count();
    const resent = await registrar.browser.post(
      `${studentPath(student.userId)}/mail/${mailId}/resend`,
      { confirm: 'yes' },
      { follow: false },
    );
    expect(resent.location).toBe(`${studentPath(student.userId)}?notice=mail-resent`);
    const link = urlIn(await h.smtp.waitFor(corrected, { since, match: (m) => /reset/i.test(m.subject) }));
    expect(link.pathname).toBe('/tu/forgot/reset');
    const reset = new TestBrowser(h, { lang: 'en' });
    await reset.get(`${link.pathname}${link.search}`);
    const newSecond = 'Support2026Qq';
    expect(newSecond).not.toBe(GOOD_SECOND_PASSWORD);
    await reset.post('/tu/forgot/reset', {
      token: link.searchParams.get('token')!,
      secondPassword: newSecond,
      check: newSecond,
    });
    const home = await logIn(h, new TestBrowser(h, { lang: 'en' }), student, newSecond, corrected);
    expect(home.status).toBe(200);
    const [entry] = await supportAudit('support.mail_resent', account.id);
    expect(entry?.detail).toMatchObject({ staffId: registrarId, mailId, to: corrected });
    expect((await supportAudit('support.registration_cleared', account.id))[0]?.detail).toMatchObject({
      staffId: registrarId,
    });
  });
});
