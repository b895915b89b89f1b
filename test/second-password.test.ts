import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TestBrowser, startHarness, textOf, uniqueEmail } from './helpers/harness.js';
import {
  advance,
  type ReadyStudent,
  accountIdOf,
  auditEvents,
  dialogText,
  errorMessages,
  mailsTo,
  newStudent,
  readyStudent,
  say,
  submitLogin,
  withoutCsrf,
} from './helpers/accounts.js';
import { type Student, logIn, registerEmail } from './helpers/journeys.js';
import { urlIn } from './helpers/smtp.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** §2.2: a student whose address is confirmed, on the "Set second password" screen. */
async function openSetup(browser: TestBrowser, student: Student): Promise<string> {
  await registerEmail(h, browser, student, uniqueEmail(student.userId));
  const login = await submitLogin(browser, student, '');
  expect(login.location).toMatch(/^\/tu\/second-password\/setup\?flow=/);
  const page = await browser.get(login.location!);
  expect(page.status).toBe(200);
  return login.location!;
}

const rule = (name: string) => `validation.secondPassword.${name}`;

const ruleCases: Array<{ name: string; candidate: string; check?: string; expected: string[] }> = [
  { name: 'an empty second password', candidate: '', expected: ['required', 'checkRequired'] },
  { name: 'too short (7 characters)', candidate: 'Abcde12', expected: ['tooShort'] },
  { name: 'no uppercase letter', candidate: 'abcdefg1', expected: ['needsUpper'] },
  { name: 'no lowercase letter', candidate: 'ABCDEFG1', expected: ['needsLower'] },
  { name: 'no digit', candidate: 'Abcdefgh', expected: ['needsDigit'] },
  {
    name: 'a full-width capital (Ａbc12345)',
    candidate: 'Ａbc12345',
    expected: ['needsUpper', 'onlyHalfWidthAlphanumeric'],
  },
  {
    name: 'all full-width characters',
    candidate: 'Ａｂｃｄ１２３４',
    expected: ['needsUpper', 'needsLower', 'needsDigit', 'onlyHalfWidthAlphanumeric'],
  },
  { name: 'a space (Abc 12345)', candidate: 'Abc 12345', expected: ['onlyHalfWidthAlphanumeric'] },
  { name: 'a symbol (Abcdefg1!)', candidate: 'Abcdefg1!', expected: ['onlyHalfWidthAlphanumeric'] },
  { name: 'Japanese characters', candidate: 'Abcdef12あ', expected: ['onlyHalfWidthAlphanumeric'] },
  { name: 'several rules at once (abc)', candidate: 'abc', expected: ['tooShort', 'needsUpper', 'needsDigit'] },
  { name: 'a common password (Password1)', candidate: 'Password1', expected: ['tooCommon'] },
  { name: 'a common password in other case (pASSWORD1)', candidate: 'pASSWORD1', expected: ['tooCommon'] },
  { name: '65 characters', candidate: `Aa1${'b'.repeat(62)}`, expected: ['tooLong'] },
  { name: '300 characters (never cut to fit)', candidate: `Aa1${'b'.repeat(297)}`, expected: ['tooLong'] },
  { name: 'a Check that does not match', candidate: 'Shomei2026Zz', check: 'Shomei2026Zy', expected: ['mismatch'] },
  { name: 'an empty Check', candidate: 'Shomei2026Zz', check: '', expected: ['checkRequired'] },
];

describe.each(['en', 'ja'] as const)('§2.2 second-password rules in %s', (lang) => {
  let browser: TestBrowser;
  let setupUrl: string;
  let student: Student;
  beforeAll(async () => {
    browser = new TestBrowser(h, { lang });
    student = await newStudent(h);
    setupUrl = await openSetup(browser, student);
  });

  it('L-4 L-5 the screen lists the rules and has Second password, Check and Set', async () => {
    const page = await browser.get(setupUrl);
    const text = textOf(page.body);
    for (const key of [
      'secondPassword.setTitle',
      'secondPassword.secondPassword',
      'secondPassword.check',
      'secondPassword.set',
      'secondPassword.rules.length',
      'secondPassword.rules.upper',
      'secondPassword.rules.lower',
      'secondPassword.rules.digit',
      'secondPassword.rules.onlyAlphanumeric',
      'secondPassword.rules.notUniversity',
      'secondPassword.rules.notCommon',
    ]) {
      expect(text).toContain(say(lang, key));
    }
    // Paste is allowed (no handler blocks it) and the field takes more than 64 characters, so nothing is cut.
    expect(page.body).not.toMatch(/onpaste|oncopy/i);
    expect(page.body).toMatch(/name="secondPassword"[^>]*maxLength="256"|maxLength="256"[^>]*name="secondPassword"/i);
  });

  it.each(ruleCases)('L-5 refuses $name with its own message', async ({ candidate, check, expected }) => {
    const page = await browser.post(
      setupUrl,
      { secondPassword: candidate, check: check ?? candidate },
      { follow: false },
    );
    expect(page.status).toBe(422);
    expect(errorMessages(page.body)).toEqual(expected.map((name) => say(lang, rule(name))));
    // The password is never echoed back into the page.
    if (candidate.length > 3) expect(page.body).not.toContain(`value="${candidate}"`);
  });

  it('L-5 words the messages in the chosen language', async () => {
    const page = await browser.post(setupUrl, { secondPassword: 'abcdefgh', check: 'abcdefgh' });
    expect(textOf(page.body)).toContain(lang === 'en' ? 'uppercase' : '英大文字');
  });

  it('L-5 accepts 64 characters exactly and uses all of them (never truncated)', async () => {
    const long = `Aa1${'Bc9'.repeat(20)}x`;
    expect(long).toHaveLength(64);
    const done = await browser.post(setupUrl, { secondPassword: long, check: long }, { follow: false });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/tu/second-password/complete');
    const complete = await browser.get(done.location!);
    expect(dialogText(complete.body)).toContain(say(lang, 'secondPassword.complete.title'));
    expect(complete.body).toContain('href="/tu/login?notice=secondPasswordSet"');

    const cut = await submitLogin(browser, student, long.slice(0, 63));
    expect(cut.status).toBe(401);
    const email = (await h.uow.repos.accounts.findByUserId(h.tenant.id, student.userId))!.email!;
    const home = await logIn(h, browser, student, long, email);
    expect(home.status).toBe(200);
  });
});

describe.each(['en', 'ja'] as const)('§2.2 rules that need the account in %s', (lang) => {
  it('L-5 refuses the university password as the second password', async () => {
    const browser = new TestBrowser(h, { lang });
    const student = await newStudent(h, { password: `Gakunai${lang === 'en' ? 'En' : 'Ja'}2026` });
    const setupUrl = await openSetup(browser, student);
    const page = await browser.post(setupUrl, { secondPassword: student.password, check: student.password });
    expect(page.status).toBe(422);
    expect(errorMessages(page.body)).toEqual([say(lang, rule('sameAsUniversityPassword'))]);
  });

  it('L-5 #7 refuses the password typed at login although no copy of it is stored: the browser brings it back sealed', async () => {
    const browser = new TestBrowser(h, { lang });
    const student = await newStudent(h, { password: `Seal${lang === 'en' ? 'En' : 'Ja'}2026pass` });
    const setupUrl = await openSetup(browser, student);
    const flows = await h.database.db.selectFrom('flows').select('context').execute();
    expect(flows.map((flow) => flow.context).join('\n')).not.toContain('$argon2');
    // The directory no longer knows the old password: only the sealed cookie can tell.
    await h.tenants.setRosterPassword(h.tenant, student.userId, 'Changed-pass-2026');
    const page = await browser.post(setupUrl, { secondPassword: student.password, check: student.password });
    expect(page.status).toBe(422);
    expect(errorMessages(page.body)).toEqual([say(lang, rule('sameAsUniversityPassword'))]);
  });

  it('L-5 refuses the user ID as the second password, whatever its case', async () => {
    const browser = new TestBrowser(h, { lang });
    const student = await newStudent(h, { userId: `Gakusei2026${lang}X` });
    const setupUrl = await openSetup(browser, student);
    for (const candidate of [student.userId, student.userId.toUpperCase().replace('GAKUSEI', 'gakusei')]) {
      const page = await browser.post(setupUrl, { secondPassword: candidate, check: candidate });
      expect(page.status).toBe(422);
      expect(errorMessages(page.body)).toEqual([say(lang, rule('sameAsUserId'))]);
    }
  });
});

describe('§2.2 the setup screen', () => {
  it('L-4 Q-1 is bound to the browser that logged in and ends after use', async () => {
    const browser = new TestBrowser(h, { lang: 'en' });
    const student = await newStudent(h);
    const setupUrl = await openSetup(browser, student);

    const other = new TestBrowser(h, { lang: 'en' });
    const stolen = await other.get(setupUrl, { follow: false });
    expect(stolen.location).toBe('/tu/login?notice=flowEnded');

    const done = await browser.post(
      setupUrl,
      { secondPassword: 'Shomei2026Zz', check: 'Shomei2026Zz' },
      { follow: false },
    );
    expect(done.status).toBe(303);
    const reopened = await browser.get(setupUrl, { follow: false });
    expect(reopened.location).toBe('/tu/login?notice=flowEnded');
    const events = await auditEvents(h, { accountId: await accountIdOf(h, student.userId) });
    expect(events).toContain('second_password.set');
  });
});

describe.each(['en', 'ja'] as const)('§2.4b change second password in %s', (lang) => {
  let student: ReadyStudent;
  let browser: TestBrowser;
  let other: TestBrowser;
  const newPassword = `Kawaru${lang === 'en' ? 'En' : 'Ja'}2027`;

  beforeAll(async () => {
    browser = new TestBrowser(h, { lang });
    student = await readyStudent(h, browser);
    await logIn(h, browser, student, student.secondPassword, student.email);
    other = new TestBrowser(h, { lang, userAgent: 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0' });
    await logIn(h, other, student, student.secondPassword, student.email);
  });

  it('L-10 L-14 the menu leads to the screen with Old, New, Check and Change', async () => {
    const home = await browser.get('/tu/home');
    expect(home.body).toContain('href="/tu/settings/second-password"');
    const page = await browser.get('/tu/settings/second-password');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    for (const key of [
      'changeSecondPassword.title',
      'changeSecondPassword.old',
      'changeSecondPassword.new',
      'secondPassword.check',
      'changeSecondPassword.submit',
      'secondPassword.rules.upper',
    ]) {
      expect(text).toContain(say(lang, key));
    }
  });

  it('L-10 a wrong or missing old second password is refused and changes nothing', async () => {
    await browser.get('/tu/settings/second-password');
    const wrong = await browser.post('/tu/settings/second-password', {
      oldSecondPassword: 'NotMine2026x',
      newSecondPassword: newPassword,
      check: newPassword,
    });
    expect(wrong.status).toBe(422);
    expect(errorMessages(wrong.body)).toEqual([say(lang, rule('oldWrong'))]);
    const missing = await browser.post('/tu/settings/second-password', {
      oldSecondPassword: '',
      newSecondPassword: newPassword,
      check: newPassword,
    });
    expect(errorMessages(missing.body)).toEqual([say(lang, rule('oldRequired'))]);
    expect((await other.get('/tu/home', { follow: false })).status).toBe(200);
  });

  it('L-10 L-5 the new second password follows the same rules', async () => {
    await browser.get('/tu/settings/second-password');
    const cases: Array<[string, string, string[]]> = [
      ['abcdefgh', 'abcdefgh', ['needsUpper', 'needsDigit']],
      ['Abcdefg1!', 'Abcdefg1!', ['onlyHalfWidthAlphanumeric']],
      ['Password1', 'Password1', ['tooCommon']],
      [student.userId.toUpperCase(), student.userId.toUpperCase(), ['tooShort', 'needsLower']],
      [newPassword, `${newPassword}x`, ['mismatch']],
    ];
    for (const [candidate, check, expected] of cases) {
      const page = await browser.post('/tu/settings/second-password', {
        oldSecondPassword: student.secondPassword,
        newSecondPassword: candidate,
        check,
      });
      expect(page.status).toBe(422);
      expect(errorMessages(page.body)).toEqual(expected.map((name) => say(lang, rule(name))));
    }
  });

  it('L-10 success shows "changed" + OK, mails a notice, logs out the other sessions, and the new password is the one that works', async () => {
    const since = h.smtp.count();
    await browser.get('/tu/settings/second-password');
    const done = await browser.post(
      '/tu/settings/second-password',
      { oldSecondPassword: student.secondPassword, newSecondPassword: newPassword, check: newPassword },
      { follow: false },
    );
    expect(done.status).toBe(303);
    expect(done.location).toBe('/tu/settings/second-password/changed');
    const changed = await browser.get(done.location!);
    expect(dialogText(changed.body)).toContain(say(lang, 'changeSecondPassword.changedTitle'));
    expect(dialogText(changed.body)).toContain(say(lang, 'common.ok'));
    expect(changed.body).toContain('href="/tu/home"');

    const notice = await h.smtp.waitFor(student.email, { since });
    expect(notice.subject).toContain(say(lang, 'mail.secondPasswordChangedNotice.subject'));
    expect(notice.text).toContain(student.userId);
    expect(notice.text).not.toContain(newPassword);

    // This browser stays in; the other one is out.
    expect((await browser.get('/tu/home', { follow: false })).status).toBe(200);
    const kicked = await other.get('/tu/home', { follow: false });
    expect(kicked.status).toBe(303);
    expect(kicked.location).toBe('/tu/login?notice=sessionEnded&next=%2Ftu%2Fhome');

    const fresh = new TestBrowser(h, { lang, ip: '10.2.0.9' });
    expect((await submitLogin(fresh, student, student.secondPassword)).status).toBe(401);
    const home = await logIn(h, fresh, student, newPassword, student.email);
    expect(home.status).toBe(200);

    const events = await auditEvents(h, { accountId: await accountIdOf(h, student.userId) });
    expect(events).toContain('second_password.change_failure');
    expect(events).toContain('second_password.changed');
  });
});

describe.each(['en', 'ja'] as const)('§2.4c forgot second password in %s', (lang) => {
  const ip = lang === 'en' ? '10.3.0.1' : '10.3.0.2';

  async function requestReset(browser: TestBrowser, address: string) {
    await browser.get('/tu/forgot');
    return browser.post('/tu/forgot', { address }, { follow: false });
  }

  it('L-1 L-11 the login link leads to "Reset second password" with Mail address, Notes and Send', async () => {
    const browser = new TestBrowser(h, { lang, ip });
    const login = await browser.get('/tu/login');
    expect(login.body).toContain('href="/tu/forgot"');
    const page = await browser.get('/tu/forgot');
    const text = textOf(page.body);
    for (const key of [
      'forgot.title',
      'forgot.address',
      'forgot.notes.input',
      'forgot.notes.shared',
      'forgot.submit',
    ]) {
      expect(text).toContain(say(lang, key));
    }
  });

  it('L-11 Q-1 gives the same answer for an unknown and a registered address and mails only the registered one', async () => {
    const setup = new TestBrowser(h, { lang, ip });
    const student = await readyStudent(h, setup);
    const unknown = uniqueEmail('nobody');

    const since = h.smtp.count();
    const a = new TestBrowser(h, { lang, ip });
    const b = new TestBrowser(h, { lang, ip });
    const forUnknown = await requestReset(a, unknown);
    const forKnown = await requestReset(b, student.email);
    expect(forUnknown.status).toBe(303);
    expect(forKnown.status).toBe(303);
    expect(forUnknown.location).toBe('/tu/forgot/sent');
    expect(forKnown.location).toBe(forUnknown.location);
    const pageUnknown = await a.get(forUnknown.location!);
    const pageKnown = await b.get(forKnown.location!);
    expect(withoutCsrf(pageUnknown.body)).toBe(withoutCsrf(pageKnown.body));
    expect(textOf(pageKnown.body)).toContain(say(lang, 'forgot.sent.line'));
    expect(textOf(pageKnown.body)).toContain(say(lang, 'forgot.sent.notReceived', { minutes: 30 }));

    const mail = await h.smtp.waitFor(student.email, { since });
    expect(mail.subject).toContain(say(lang, 'mail.secondPasswordReset.subject'));
    expect(mail.text).toContain(lang === 'en' ? `User ID: ${student.userId}` : `ユーザID：${student.userId}`);
    expect(mail.text).toContain(lang === 'en' ? 'Due date for the URL: 30 minutes' : 'URLの有効期限：30分');
    expect(await mailsTo(h, unknown, since)).toHaveLength(0);
    const queued = await h.database.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('to_address', '=', unknown)
      .execute();
    expect(queued).toHaveLength(0);
  });

  it('L-11 refuses a malformed address with a message (that reveals nothing about accounts)', async () => {
    const browser = new TestBrowser(h, { lang, ip });
    for (const [address, message] of [
      ['', 'required'],
      ['ｔａｒｏ@example.ac.jp', 'singleByte'],
      ['taro @example.ac.jp', 'noSpaces'],
      ['taro@', 'invalid'],
    ] as const) {
      const page = await requestReset(browser, address);
      expect(page.status).toBe(422);
      expect(errorMessages(page.body)).toEqual([say(lang, `validation.email.${message}`)]);
    }
  });

  it('L-11 an address shared by two accounts gets one mail per account, each naming its user ID, each resetting its own', async () => {
    const shared = uniqueEmail('shared');
    const first = await readyStudent(h, new TestBrowser(h, { lang, ip }), { email: shared });
    const second = await readyStudent(h, new TestBrowser(h, { lang, ip }), { email: shared });
    const since = h.smtp.count();
    const browser = new TestBrowser(h, { lang, ip });
    expect((await requestReset(browser, shared)).location).toBe('/tu/forgot/sent');

    const isReset = (m: { subject: string }) => m.subject.includes(say(lang, 'mail.secondPasswordReset.subject'));
    const mailFirst = await h.smtp.waitFor(shared, {
      since,
      match: (m) => isReset(m) && m.text.includes(first.userId),
    });
    const mailSecond = await h.smtp.waitFor(shared, {
      since,
      match: (m) => isReset(m) && m.text.includes(second.userId),
    });
    expect(mailFirst.text).not.toContain(second.userId);
    expect(mailSecond.text).not.toContain(first.userId);
    expect((await mailsTo(h, shared, since)).filter(isReset)).toHaveLength(2);
    const linkFirst = urlIn(mailFirst);
    const linkSecond = urlIn(mailSecond);
    expect(linkFirst.href).not.toBe(linkSecond.href);

    const reset = new TestBrowser(h, { lang, ip });
    await reset.get(`${linkSecond.pathname}${linkSecond.search}`);
    const done = await reset.post('/tu/forgot/reset', {
      token: linkSecond.searchParams.get('token')!,
      secondPassword: 'Atarashii2027',
      check: 'Atarashii2027',
    });
    expect(done.status).toBe(200);
    const login = new TestBrowser(h, { lang, ip });
    expect((await logIn(h, login, second, 'Atarashii2027', shared)).status).toBe(200);
    // The other account sharing the address is untouched.
    expect((await logIn(h, new TestBrowser(h, { lang, ip }), first, first.secondPassword, shared)).status).toBe(200);
  });

  it('L-11 L-18 the reset URL opens "Set second password"; rules apply; Change resets it and ends every session', async () => {
    const browser = new TestBrowser(h, { lang, ip });
    const student = await readyStudent(h, browser);
    await logIn(h, browser, student, student.secondPassword, student.email);

    const since = h.smtp.count();
    const asker = new TestBrowser(h, { lang, ip });
    await requestReset(asker, student.email);
    const link = urlIn(await h.smtp.waitFor(student.email, { since }));
    const token = link.searchParams.get('token')!;

    for (let i = 0; i < 2; i++) {
      const page = await asker.get(`${link.pathname}${link.search}`);
      expect(page.status).toBe(200);
      expect(textOf(page.body)).toContain(say(lang, 'secondPassword.setTitle'));
      expect(textOf(page.body)).toContain(say(lang, 'secondPassword.change'));
    }
    const weak = await asker.post('/tu/forgot/reset', { token, secondPassword: 'Password1', check: 'Password1' });
    expect(weak.status).toBe(422);
    expect(errorMessages(weak.body)).toEqual([say(lang, rule('tooCommon'))]);
    const mismatch = await asker.post('/tu/forgot/reset', { token, secondPassword: 'Atarashii2027', check: 'x' });
    expect(errorMessages(mismatch.body)).toEqual([say(lang, rule('mismatch'))]);

    const noticeSince = h.smtp.count();
    const done = await asker.post(
      '/tu/forgot/reset',
      { token, secondPassword: 'Atarashii2027', check: 'Atarashii2027' },
      { follow: false },
    );
    expect(done.status).toBe(303);
    expect(done.location).toBe('/tu/forgot/complete');
    const complete = await asker.get(done.location!);
    expect(dialogText(complete.body)).toContain(say(lang, 'secondPassword.complete.title'));
    expect(complete.body).toContain('href="/tu/login?notice=secondPasswordSet"');
    const notice = await h.smtp.waitFor(student.email, { since: noticeSince });
    expect(notice.subject).toContain(say(lang, 'mail.secondPasswordChangedNotice.subject'));

    const kicked = await browser.get('/tu/home', { follow: false });
    expect(kicked.location).toBe('/tu/login?notice=sessionEnded&next=%2Ftu%2Fhome');
    expect((await submitLogin(new TestBrowser(h, { lang, ip }), student, student.secondPassword)).status).toBe(401);
    expect((await logIn(h, new TestBrowser(h, { lang, ip }), student, 'Atarashii2027', student.email)).status).toBe(
      200,
    );

    // Used: a second press and a reopened link both say so and offer a new reset mail.
    const csrf = asker.csrf((await asker.get('/tu/forgot')).body);
    const again = await asker.post(
      '/tu/forgot/reset',
      { token, secondPassword: 'Zweite2027x', check: 'Zweite2027x' },
      { csrf },
    );
    expect(again.status).toBe(410);
    expect(textOf(again.body)).toContain(say(lang, 'link.used.title'));
    expect(again.body).toContain('href="/tu/forgot"');
    expect(textOf(again.body)).toContain(say(lang, 'link.next.reset'));
    const reopened = await asker.get(`${link.pathname}${link.search}`);
    expect(reopened.status).toBe(410);
    expect(textOf(reopened.body)).toContain(say(lang, 'link.used.title'));

    const events = await auditEvents(h, { accountId: await accountIdOf(h, student.userId) });
    expect(events).toContain('second_password.reset_requested');
    expect(events).toContain('second_password.reset');
  });

  it('L-11 L-18 an expired reset URL says expired and changes nothing', async () => {
    const student = await readyStudent(h, new TestBrowser(h, { lang, ip }));
    const since = h.smtp.count();
    const browser = new TestBrowser(h, { lang, ip });
    await requestReset(browser, student.email);
    const link = urlIn(await h.smtp.waitFor(student.email, { since }));
    await browser.get(`${link.pathname}${link.search}`);
    const csrf = browser.csrf();
    await advance(h, 30 * 60_000 + 1_000);

    const opened = await browser.get(`${link.pathname}${link.search}`);
    expect(opened.status).toBe(410);
    expect(textOf(opened.body)).toContain(say(lang, 'link.expired.title'));
    expect(textOf(opened.body)).toContain(say(lang, 'link.next.resetButton'));
    const posted = await browser.post(
      '/tu/forgot/reset',
      { token: link.searchParams.get('token')!, secondPassword: 'Atarashii2027', check: 'Atarashii2027' },
      { csrf },
    );
    expect(posted.status).toBe(410);
    expect(textOf(posted.body)).toContain(say(lang, 'link.expired.title'));
    expect((await submitLogin(new TestBrowser(h, { lang, ip }), student, 'Atarashii2027')).status).toBe(401);
  });

  it('L-11 a newer reset mail makes the earlier URL useless', async () => {
    const student = await readyStudent(h, new TestBrowser(h, { lang, ip }));
    const browser = new TestBrowser(h, { lang, ip });
    let since = h.smtp.count();
    await requestReset(browser, student.email);
    const older = urlIn(await h.smtp.waitFor(student.email, { since }));
    since = h.smtp.count();
    await requestReset(browser, student.email);
    const newer = urlIn(await h.smtp.waitFor(student.email, { since }));
    const page = await browser.get(`${older.pathname}${older.search}`);
    expect(page.status).toBe(410);
    expect((await browser.get(`${newer.pathname}${newer.search}`)).status).toBe(200);
  });
});

describe('§2.4c limits', () => {
  it('L-11 Q-1 one address gets at most three reset mails an hour, with the same answer after that', async () => {
    const student = await readyStudent(h, new TestBrowser(h, { ip: '10.4.0.1' }));
    const browser = new TestBrowser(h, { ip: '10.4.0.1' });
    const since = h.smtp.count();
    for (let i = 0; i < 5; i++) {
      await browser.get('/tu/forgot');
      const sent = await browser.post('/tu/forgot', { address: student.email }, { follow: false });
      expect(sent.status).toBe(303);
      expect(sent.location).toBe('/tu/forgot/sent');
    }
    expect(await mailsTo(h, student.email, since)).toHaveLength(3);
  });

  it('L-11 Q-1 one network address is refused (429 page, not 500) after 20 reset requests in 15 minutes', async () => {
    const browser = new TestBrowser(h, { lang: 'en', ip: '10.4.0.2' });
    for (let i = 0; i < 20; i++) {
      await browser.get('/tu/forgot');
      const sent = await browser.post('/tu/forgot', { address: uniqueEmail(`probe${i}`) }, { follow: false });
      expect(sent.status).toBe(303);
    }
    await browser.get('/tu/forgot');
    const refused = await browser.post('/tu/forgot', { address: uniqueEmail('probe') }, { follow: false });
    expect(refused.status).toBe(429);
    expect(textOf(refused.body)).toContain('Too many attempts');
  });
});
