import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TestBrowser, startHarness, textOf, uniqueEmail } from './helpers/harness.js';
import {
  advance,
  dialogText,
  mailsTo,
  newStudent,
  readyStudent,
  say,
  startKeyLogin,
  submitLogin,
  wrongKeyFor,
} from './helpers/accounts.js';
import { logIn, registerEmail } from './helpers/journeys.js';
import { keyIn, urlIn } from './helpers/smtp.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const RACERS = 20;

/** A registration link mailed to a fresh student (§2.1), not yet used. */
async function registrationLink(browser: TestBrowser): Promise<URL> {
  const student = await newStudent(h);
  const first = await submitLogin(browser, student, '');
  await browser.get(first.location!);
  const email = uniqueEmail('race');
  const since = h.smtp.count();
  await browser.post(first.location!, { address: email, check: email });
  return urlIn(await h.smtp.waitFor(email, { since }));
}

describe('Q-1 races on one-time URLs', () => {
  it(`L-18 Q-1 ${RACERS} concurrent POSTs of one registration URL: exactly one completes, the rest say "used"`, async () => {
    const link = await registrationLink(new TestBrowser(h, { lang: 'en' }));
    const token = link.searchParams.get('token')!;
    const browsers = Array.from(
      { length: RACERS },
      (_, i) => new TestBrowser(h, { lang: 'en', ip: `10.50.0.${i + 1}` }),
    );
    for (const browser of browsers) {
      const page = await browser.get(`${link.pathname}${link.search}`);
      expect(page.status).toBe(200);
    }
    const results = await Promise.all(
      browsers.map((browser) => browser.post('/tu/mail-address/confirm', { token }, { follow: false })),
    );
    const winners = results.filter((page) => page.location === '/tu/mail-address/complete');
    expect(winners).toHaveLength(1);
    // #10: the others are sent to the link's page, which says it was used.
    const losers = await Promise.all(
      results
        .map((page, i) => ({ page, browser: browsers[i]! }))
        .filter(({ page }) => page.location !== '/tu/mail-address/complete')
        .map(({ page, browser }) => browser.get(page.location!)),
    );
    expect(losers).toHaveLength(RACERS - 1);
    for (const page of losers) {
      expect(page.status).toBe(410);
      expect(textOf(page.body)).toContain(say('en', 'link.used.title'));
    }
    const events = await h.database.db
      .selectFrom('audit_log')
      .select('event')
      .where('event', '=', 'email.registered')
      .where('account_id', 'in', (eb) =>
        eb
          .selectFrom('flows')
          .select('subject_id')
          .where('kind', '=', 'email_registration')
          .where('state', '=', 'completed'),
      )
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(1);
  });

  it(`L-9 Q-1 ${RACERS} concurrent POSTs of one change-address URL: exactly one changes it, one notice is sent`, async () => {
    const owner = new TestBrowser(h, { lang: 'ja', ip: '10.51.0.1' });
    const student = await readyStudent(h, owner);
    await logIn(h, owner, student, student.secondPassword, student.email);
    const newAddress = uniqueEmail('race-change');
    const since = h.smtp.count();
    await owner.get('/tu/settings/mail-address');
    await owner.post('/tu/settings/mail-address', { newAddress, check: newAddress });
    const link = urlIn(await h.smtp.waitFor(newAddress, { since }));
    const token = link.searchParams.get('token')!;

    const browsers = Array.from(
      { length: RACERS },
      (_, i) => new TestBrowser(h, { lang: 'ja', ip: `10.51.1.${i + 1}` }),
    );
    for (const browser of browsers) await browser.get(`${link.pathname}${link.search}`);
    const noticeSince = h.smtp.count();
    const results = await Promise.all(
      browsers.map((browser) => browser.post('/tu/settings/mail-address/confirm', { token }, { follow: false })),
    );
    const changed = (page: { location?: string | undefined }) => page.location === '/tu/settings/mail-address/changed';
    expect(results.filter(changed)).toHaveLength(1);
    // #10: the others are sent to the link's page, which says it was used.
    const losers = await Promise.all(
      results.flatMap((page, i) => (changed(page) ? [] : [browsers[i]!.get(page.location!)])),
    );
    expect(losers).toHaveLength(results.length - 1);
    for (const page of losers) {
      expect(page.status).toBe(410);
      expect(textOf(page.body)).toContain(say('ja', 'link.used.title'));
    }
    const notices = (await mailsTo(h, student.email, noticeSince)).filter(
      (m) => m.headers['x-shomei-event'] === 'emailChangedNotice',
    );
    expect(notices).toHaveLength(1);
  });

  it(`L-11 Q-1 ${RACERS} concurrent POSTs of one reset URL: exactly one sets the second password`, async () => {
    const student = await readyStudent(h, new TestBrowser(h, { ip: '10.52.0.1' }));
    const since = h.smtp.count();
    const asker = new TestBrowser(h, { lang: 'en', ip: '10.52.0.2' });
    await asker.get('/tu/forgot');
    await asker.post('/tu/forgot', { address: student.email });
    const link = urlIn(await h.smtp.waitFor(student.email, { since }));
    const token = link.searchParams.get('token')!;
    const browsers = Array.from({ length: 10 }, (_, i) => new TestBrowser(h, { lang: 'en', ip: `10.52.1.${i + 1}` }));
    for (const browser of browsers) await browser.get(`${link.pathname}${link.search}`);
    const results = await Promise.all(
      browsers.map((browser, i) =>
        browser.post(
          '/tu/forgot/reset',
          { token, secondPassword: `Racer${i}Wins2027`, check: `Racer${i}Wins2027` },
          { follow: false },
        ),
      ),
    );
    const winners = results
      .map((page, i) => ({ page, i }))
      .filter(({ page }) => page.location === '/tu/forgot/complete');
    expect(winners).toHaveLength(1);
    // #10: the others are sent to the link's page, which says it was used.
    for (const [i, page] of results.entries())
      if (page.location !== '/tu/forgot/complete') expect((await browsers[i]!.get(page.location!)).status).toBe(410);
    const winner = winners[0]!.i;
    // Exactly the winner's password is the one that works.
    const loser = (winner + 1) % browsers.length;
    expect((await submitLogin(new TestBrowser(h, { ip: '10.52.2.1' }), student, `Racer${loser}Wins2027`)).status).toBe(
      401,
    );
    expect((await submitLogin(new TestBrowser(h, { ip: '10.52.2.2' }), student, `Racer${winner}Wins2027`)).status).toBe(
      303,
    );
  });
});

describe('Q-1 races on the authentication key', () => {
  it(`L-8 Q-1 ${RACERS} concurrent wrong keys on one key flow: failed_attempts ends at exactly 5 and the key is dead`, async () => {
    const browser = new TestBrowser(h, { lang: 'en', ip: '10.53.0.1' });
    const student = await readyStudent(h, browser);
    const { url, key, flowId } = await startKeyLogin(h, browser, student);
    await browser.get(url);
    const csrf = browser.csrf();
    const wrong = wrongKeyFor(key);

    const results = await Promise.all(
      Array.from({ length: RACERS }, () => browser.post(url, { key: wrong }, { follow: false, csrf })),
    );
    for (const page of results) expect(page.status).toBeLessThan(500);
    expect(results.every((page) => page.location === undefined)).toBe(true);

    const rows = await h.database.db
      .selectFrom('auth_keys')
      .select(['failed_attempts', 'used_at'])
      .where('flow_id', '=', flowId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.failed_attempts).toBe(5);
    expect(rows[0]!.used_at).toBeNull();

    const right = await browser.post(url, { key }, { follow: false, csrf });
    expect(right.status).toBe(422);
    expect(right.location).toBeUndefined();
    expect(dialogText(right.body)).toContain(say('en', 'key.dialog.invalidated.title'));
    // Entries on the dead key did not lock the account: Reissue brings a key that works.
    await advance(h, 61_000);
    const since = h.smtp.count();
    const reissued = await browser.post(`/tu/login/key/reissue?flow=${flowId}`, {}, { follow: false, csrf });
    expect(reissued.status).toBe(303);
    const fresh = keyIn(
      await h.smtp.waitFor(student.email, { since, match: (m) => m.headers['x-shomei-event'] === 'authKey' }),
    );
    expect((await browser.post(url, { key: fresh }, { follow: false, csrf })).location).toBe('/tu/login/authenticated');
    const failures = await h.database.db
      .selectFrom('audit_log')
      .select('event')
      .where('event', '=', 'key.failure')
      .where('account_id', '=', (await h.uow.repos.accounts.findByUserId(h.tenant.id, student.userId))!.id)
      .execute();
    expect(failures.length).toBeGreaterThanOrEqual(5);
  });

  it(`L-7 Q-1 ${RACERS} concurrent right keys on one key flow: one session only`, async () => {
    const browser = new TestBrowser(h, { lang: 'en', ip: '10.54.0.1' });
    const student = await readyStudent(h, browser);
    const { url, key } = await startKeyLogin(h, browser, student);
    await browser.get(url);
    const csrf = browser.csrf();
    const results = await Promise.all(
      Array.from({ length: RACERS }, () => browser.post(url, { key }, { follow: false, csrf })),
    );
    expect(results.filter((page) => page.location === '/tu/login/authenticated')).toHaveLength(1);
    for (const page of results) expect(page.status).toBeLessThan(500);
    const accountId = (await h.uow.repos.accounts.findByUserId(h.tenant.id, student.userId))!.id;
    const sessions = await h.database.db
      .selectFrom('sessions')
      .select('id_hash')
      .where('account_id', '=', accountId)
      .execute();
    expect(sessions).toHaveLength(1);
  });

  it(`L-19 Q-1 ${RACERS} concurrent reissues after the cooldown send exactly one new key`, async () => {
    const browser = new TestBrowser(h, { lang: 'en', ip: '10.55.0.1' });
    const student = await readyStudent(h, browser);
    const { url, flowId } = await startKeyLogin(h, browser, student);
    await browser.get(url);
    const csrf = browser.csrf();
    await advance(h, 61_000);
    const since = h.smtp.count();
    const results = await Promise.all(
      Array.from({ length: RACERS }, () =>
        browser.post(`/tu/login/key/reissue?flow=${flowId}`, {}, { follow: false, csrf }),
      ),
    );
    const sent = results.filter((page) => page.status === 303);
    expect(sent).toHaveLength(1);
    for (const page of results.filter((page) => page.status !== 303)) expect(page.status).toBe(429);
    const keys = await h.database.db
      .selectFrom('auth_keys')
      .select('id')
      .where('flow_id', '=', flowId)
      .where('superseded_at', 'is', null)
      .execute();
    expect(keys).toHaveLength(1);
    const mails = (await mailsTo(h, student.email, since)).filter((m) => m.headers['x-shomei-event'] === 'authKey');
    expect(mails).toHaveLength(1);
    expect((await browser.post(url, { key: keyIn(mails[0]!) }, { follow: false, csrf })).location).toBe(
      '/tu/login/authenticated',
    );
  });

  it(`L-4 Q-1 ${RACERS} concurrent first second-password setups: one wins, the account has one second password`, async () => {
    const browser = new TestBrowser(h, { lang: 'en', ip: '10.56.0.1' });
    const student = await newStudent(h);
    const email = uniqueEmail('race-setup');
    await registerEmail(h, browser, student, email);
    const first = await submitLogin(browser, student, '');
    await browser.get(first.location!);
    const csrf = browser.csrf();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        browser.post(
          first.location!,
          { secondPassword: `Setup${i}Race2027`, check: `Setup${i}Race2027` },
          { follow: false, csrf },
        ),
      ),
    );
    const winners = results
      .map((page, i) => ({ page, i }))
      .filter(({ page }) => page.location === '/tu/second-password/complete');
    expect(winners).toHaveLength(1);
    for (const page of results) expect(page.status).toBeLessThan(500);
    const ready = { ...student, email, secondPassword: `Setup${winners[0]!.i}Race2027` };
    expect((await submitLogin(new TestBrowser(h, { ip: '10.56.0.2' }), ready, ready.secondPassword)).status).toBe(303);
  });
});
