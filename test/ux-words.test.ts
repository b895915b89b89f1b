import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUniversity, minatoUniversity } from '../src/dev/demo/universities.data.js';
import type { TenantContent } from '../src/features/tenants/tenant.model.js';
import { formatYen, maskEmail } from '../src/platform/format.js';
import type { Lang } from '../src/platform/i18n.js';
import { browsers } from './factories/browser.js';
import { type Harness, type Page, textOf, uniqueEmail } from './helpers/harness.js';
import {
  advance,
  dialogText,
  newStudent,
  readyStudent,
  say,
  startKeyLogin,
  submitLogin,
  wrongKeyFor,
} from './helpers/accounts.js';
import { logIn, setUpStudent } from './helpers/journeys.js';
import {
  digitalRecipient,
  fillOrderForm,
  orderingStudent,
  placeOrder,
  postalAddress,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
  yen,
} from './helpers/orders.js';
import { urlIn } from './helpers/smtp.js';

/**
 * Issue #10 §2–§5: refusals that say why and what next, words that agree in both languages,
 * content that is true, and the small things on phones. The browser side (390 px, axe, no
 * JavaScript) is test/e2e/ux-words.e2e.test.ts.
 */

let h: Harness;
const langs: Lang[] = ['ja', 'en'];
const payment = {
  ja: '申込日から7日以内に、学内の証明書窓口でお支払いください。',
  en: 'Pay at the certificate counter on campus within 7 days of the order.',
};

beforeAll(async () => {
  h = await startIssuanceHarness();
  const content: TenantContent = structuredClone(h.tenant.content);
  for (const lang of langs) {
    content[lang].payment = payment[lang];
    content[lang].inquiry.chat = { url: `https://chat.example.ac.jp/${lang}`, hours: '24h' };
  }
  await h.database.db
    .updateTable('tenants')
    .set({ content: JSON.stringify(content) })
    .where('id', '=', h.tenant.id)
    .execute();
});
afterAll(async () => {
  await h.close();
});

const browserFor = browsers(() => h, '10.40.0');
const demoContent = demoUniversity.content as TenantContent;
const minatoContent = minatoUniversity.content as TenantContent;

/**
 * The words that must not come back (#10 §3): the other spelling of お問い合わせ, the PDF's old
 * name for the verification code, a second name for the office, and amounts or reservation
 * numbers written another way than formatYen / formatReservationNumber write them.
 */
function oldVariants(text: string, lang: Lang): string[] {
  const found: string[] = [];
  for (const word of ['お問合せ', '検証コード', '教務課', "registrar's office", 'coming soon', '近日公開'])
    if (text.includes(word)) found.push(word);
  for (const pattern of [
    /\d{4,}円/, // 1200円: screens write 1,200円
    /\d[\d,]* yen\b/i, // 1000 yen: English writes ¥1,000
    /(?<![\d-])\d{12}(?![\d-])/, // a reservation number not grouped 1234-5678-9012
    /\}\}\s*(円|yen)/, // a template that adds its own unit to a formatted amount
  ]) {
    const match = pattern.exec(text);
    if (match) found.push(match[0]);
  }
  if (lang === 'ja' && /¥\d/.test(text)) found.push('¥ in Japanese');
  return found;
}

function localeStrings(): Array<{ where: string; lang: Lang; text: string }> {
  const out: Array<{ where: string; lang: Lang; text: string }> = [];
  const walk = (value: unknown, where: string, lang: Lang) => {
    if (typeof value === 'string') out.push({ where, lang, text: value });
    else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) walk(inner, `${where}.${key}`, lang);
  };
  for (const lang of langs)
    for (const file of readdirSync(`src/locales/${lang}`))
      walk(JSON.parse(readFileSync(`src/locales/${lang}/${file}`, 'utf8')), `${lang}/${file}`, lang);
  return out;
}

describe('#10 §3 one set of words: every locale string, mail and page', () => {
  it('#10 no locale string uses an old variant (お問合せ, 検証コード, 教務課, ungrouped yen, a unit after an amount)', () => {
    const bad = localeStrings()
      .map(({ where, lang, text }) => ({ where, found: oldVariants(text, lang) }))
      .filter(({ found }) => found.length > 0);
    expect(bad).toEqual([]);
    // The one term for the code, on the page and in the mail as on the certificate PDF.
    expect(say('ja', 'certificates.verify.code')).toBe('照合コード');
    expect(readFileSync('src/features/certificates/pdf/layouts/blocks.ts', 'utf8')).toContain("'照合コード'");
  });

  it.each(langs)('#10 pages and mails of a whole order journey use the shared terms and formats (%s)', async (lang) => {
    const student = await orderingStudent(h, lang);
    const pages: Page[] = [];
    const since = h.smtp.count();
    for (const path of ['/tu/', '/tu/login', '/tu/home', '/tu/manual', '/tu/orders', '/tu/settings/browsers'])
      pages.push(await student.browser.get(path));
    for (const destination of ['campus', 'convenience', 'postal', 'digital'])
      pages.push(await student.browser.get(`/tu/orders/new?destination=${destination}`));
    const store = await placeOrder(student, 'convenience', { 'copies-enrollment-ja': '4' });
    pages.push(store.page, await student.browser.get('/tu/orders'));
    const postal = await placeOrder(student, 'postal', { 'copies-transcript-en': '4', ...postalAddress });
    pages.push(postal.page);
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(oldVariants(textOf(page.body), lang), page.body.slice(0, 200)).toEqual([]);
    }
    const mails = [
      await h.smtp.waitFor(student.email, { since, match: (mail) => mail.text.includes(formatYen(1200, lang)) }),
      await h.smtp.waitFor(student.email, { since, match: (mail) => mail.text.includes(postalAddress.street) }),
    ];
    for (const mail of mails) expect(oldVariants(mail.text, lang), mail.text).toEqual([]);
  });
});

describe('#10 §2 every refusal says why and what to do next', () => {
  it.each(langs)(
    '#10 C-10 an ineligible certificate names the student status and the faculty office; the rules stand on the form and the landing page (%s)',
    async (lang) => {
      const student = await orderingStudent(h, lang, { status: 'leave_of_absence' });
      const form = textOf((await student.browser.get('/tu/orders/new?destination=campus')).body);
      const status = say(lang, 'orders.status.leave_of_absence');
      expect(form).toContain(say(lang, 'orders.unavailable.status', { status: 'leave_of_absence' }));
      expect(form).toContain(lang === 'ja' ? '「休学中」' : '"on leave of absence"');
      expect(form).toContain(lang === 'ja' ? '各学部窓口' : 'faculty office');
      expect(form).toContain(status);
      // The rules, before anyone meets them: who may have the expected-graduation certificate, and from when.
      const rule = say(lang, 'orders.rules.line', {
        name: lang === 'ja' ? '卒業見込み証明書' : 'Certificate of Expected Graduation',
        statuses: say(lang, 'orders.status.enrolled'),
        extra:
          lang === 'ja'
            ? '（最終学年のみ、最終学年の4月1日から）'
            : ' (final year only, from April 1 of the final year)',
      });
      expect(form).toContain(rule);
      const landing = textOf((await browserFor(lang).get('/tu/')).body);
      expect(landing).toContain(rule);
    },
  );

  it.each(langs)(
    '#10 postal: postage on the form before review, how and by when to pay on the review and in the mail, the address repeated (%s)',
    async (lang) => {
      const student = await orderingStudent(h, lang);
      const form = textOf((await student.browser.get('/tu/orders/new?destination=postal')).body);
      expect(form).toContain(say(lang, 'orders.form.postageNote', { postage: yen(140, lang) }));
      const drafted = await fillOrderForm(student, 'postal', { 'copies-enrollment-ja': '1', ...postalAddress });
      const review = textOf((await student.browser.get(drafted.location!)).body);
      expect(review).toContain(say(lang, 'orders.review.paymentHeading'));
      expect(review).toContain(payment[lang]);
      expect(review).not.toContain(say(lang, 'orders.review.payment.postal'));
      const since = h.smtp.count();
      const placed = await student.browser.post(
        drafted.location!.replace('/orders/review', '/orders/place'),
        {},
        {
          follow: false,
        },
      );
      const detail = textOf((await student.browser.get(placed.location!)).body);
      expect(detail).toContain(say(lang, 'orders.review.paymentHeading'));
      expect(detail).toContain(payment[lang]);
      const mail = await h.smtp.waitFor(student.email, { since });
      expect(mail.text).toContain(payment[lang]);
      expect(mail.text).toContain(`〒${postalAddress.postalCode}`);
      expect(mail.text).toContain(postalAddress.street);
      expect(mail.text).toContain(postalAddress.recipient);
      expect(mail.text).toContain(yen(440, lang));
    },
  );

  it.each(langs)(
    '#10 L-8 an invalidated key is shown as invalidated (no "key sent", no old expiry) with when Reissue works (%s)',
    async (lang) => {
      const browser = browserFor(lang);
      const student = await readyStudent(h, browser);
      const { url, key } = await startKeyLogin(h, browser, student);
      for (let i = 0; i < 5; i++) await browser.post(url, { key: wrongKeyFor(key) }, { follow: false });
      const screen = textOf((await browser.get(url)).body);
      expect(screen).toContain(say(lang, 'key.state.invalidated'));
      expect(screen).not.toContain(say(lang, 'key.intro1'));
      expect(screen).not.toMatch(lang === 'ja' ? /有効期限：/ : /Date of Expiry/);
      expect(screen).toMatch(
        lang === 'ja'
          ? /「再発行」は\d\d:\d\d:\d\d（日本時間）（\d+秒後）から使えます/
          : /can be used from \d\d:\d\d:\d\d \(JST\) \(in \d+ seconds\)/,
      );
      const flow = new URL(url, 'http://x').searchParams.get('flow')!;
      const early = await browser.post(`/tu/login/key/reissue?flow=${encodeURIComponent(flow)}`, {}, { follow: false });
      expect(early.status).toBe(429);
      expect(dialogText(early.body)).toMatch(/\d\d:\d\d:\d\d/);
      await advance(h, 60_000);
      expect(textOf((await browser.get(url)).body)).toContain(say(lang, 'key.state.reissueNow'));
      const since = h.smtp.count();
      const reissued = await browser.post(
        `/tu/login/key/reissue?flow=${encodeURIComponent(flow)}`,
        {},
        { follow: false },
      );
      expect(reissued.status).toBe(303);
      await h.smtp.waitFor(student.email, { since });
      const live = textOf((await browser.get(reissued.location!)).body);
      expect(live).toContain(say(lang, 'key.intro1'));
      expect(live).not.toContain(say(lang, 'key.state.invalidated'));
    },
  );

  it('#10 L-16 English pages and mails say the call centre is Japanese only and point to chat; Japanese ones do not', async () => {
    const en = textOf((await browserFor('en').get('/tu/login')).body);
    expect(en).toContain('(Only available in Japanese)');
    expect(en).toContain(say('en', 'inquiry.useChat'));
    const ja = textOf((await browserFor('ja').get('/tu/login')).body);
    expect(ja).not.toContain(say('ja', 'inquiry.onlyJapanese'));
    expect(ja).toContain('お問い合わせ');
    const student = await orderingStudent(h, 'en');
    const since = h.smtp.count();
    await placeOrder(student, 'campus', { 'copies-enrollment-en': '1' });
    const mail = await h.smtp.waitFor(student.email, { since });
    expect(mail.text).toContain('(Only available in Japanese)');
    expect(mail.text).toContain(say('en', 'mail.footer.useChat'));
  });
});

describe('#10 §3 words that agree', () => {
  it.each(langs)(
    '#10 the reservation number is grouped on screen, in mail and history, and the terminal API takes it with or without hyphens (%s)',
    async (lang) => {
      const student = await orderingStudent(h, lang);
      const since = h.smtp.count();
      const { page } = await placeOrder(student, 'convenience', { 'copies-enrollment-ja': '1' });
      const number = reservationNumberIn(page.body);
      const grouped = `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`;
      const mail = await h.smtp.waitFor(student.email, { since });
      expect(mail.text).toContain(grouped);
      expect(mail.text).not.toContain(number);
      expect(textOf((await student.browser.get('/tu/orders')).body)).toContain(grouped);
      const terminal = await registerTerminal(h, 'convenience', null);
      for (const typed of [grouped, number, `${number.slice(0, 4)} ${number.slice(4, 8)} ${number.slice(8)}`]) {
        const found = await terminalCall(h, terminal, 'GET', `/reservations/${encodeURIComponent(typed)}`);
        expect(found.statusCode, typed).toBe(200);
        expect(found.json()).toMatchObject({ reservationNumber: number });
      }
    },
  );

  it.each(langs)(
    '#10 L-9 the change-address sent screen says 変更 and shows the masked new address; the old address is told it is the new one (%s)',
    async (lang) => {
      const browser = browserFor(lang);
      const student = await readyStudent(h, browser);
      await logIn(h, browser, student, student.secondPassword, student.email);
      const newAddress = uniqueEmail(`new-${student.userId}`);
      const sent = await browser.post(
        '/tu/settings/mail-address',
        { newAddress, check: newAddress },
        { follow: false },
      );
      expect(sent.status).toBe(303);
      const sentText = textOf((await browser.get(sent.location!)).body);
      expect(sentText).toContain(say(lang, 'changeMail.sentFinish'));
      expect(sentText).not.toContain(say(lang, 'mailAddress.sent.line2'));
      expect(sentText).toContain(say(lang, 'mailAddress.sent.address', { address: maskEmail(newAddress) }));
      const since = h.smtp.count();
      const link = urlIn(await h.smtp.waitFor(newAddress, { since: 0 }));
      await browser.get(`${link.pathname}${link.search}`);
      await browser.post('/tu/settings/mail-address/confirm', { token: link.searchParams.get('token')! });
      const notice = await h.smtp.waitFor(student.email, { since });
      expect(notice.text).toContain(
        lang === 'ja'
          ? `新しいメールアドレス（一部を伏せています）：${maskEmail(newAddress)}`
          : `New mail address (partly hidden): ${maskEmail(newAddress)}`,
      );
    },
  );

  it('#10 the English reset mail says a reset was requested, not done; the registration mail is plain Japanese', () => {
    expect(say('en', 'mail.secondPasswordReset.body', { url: 'u', minutes: 30, userId: 'x' })).toMatch(
      /^We received a request to reset your second password\./,
    );
    expect(say('en', 'mail.secondPasswordReset.body')).not.toContain('has been reset');
    expect(say('ja', 'mail.emailRegistration.body')).not.toContain('登録ができます');
  });

  it.each(langs)(
    '#10 one wait figure: the demo login notes say the 30 minutes of the mail-address notes (SPEC L-3) (%s)',
    (lang) => {
      const figure = lang === 'ja' ? /30分/ : /30 minutes/;
      expect(say(lang, 'mailAddress.notes.checkAfter')).toMatch(figure);
      for (const content of [demoContent, minatoContent]) {
        const notes = content[lang].loginNotes;
        expect(notes).toMatch(figure);
        expect(notes).not.toMatch(/\b10 ?(分|minutes)/);
      }
    },
  );

  it.each(langs)(
    '#10 the "done" pages are titled by the journey and their dialog by the outcome, never the same words twice (%s)',
    async (lang) => {
      const browser = browserFor(lang);
      const student = await newStudent(h);
      await setUpStudent(h, browser, student, uniqueEmail(student.userId), 'Shomei2026Zz');
      const paths = ['/tu/settings/second-password/changed', '/tu/settings/two-factor/changed'];
      await logIn(
        h,
        browser,
        student,
        'Shomei2026Zz',
        (await h.uow.repos.accounts.findByUserId(h.tenant.id, student.userId))!.email!,
      );
      for (const path of paths) {
        const page = await browser.get(path);
        const h1 = /<h1>([^<]*)<\/h1>/.exec(page.body)?.[1];
        const dialog = /<h2 id="dialog-title">([^<]*)<\/h2>/.exec(page.body)?.[1];
        expect(h1 && dialog, path).toBeTruthy();
        expect(h1, path).not.toBe(dialog);
      }
    },
  );

  it.each(langs)(
    '#10 C-8 history names each item with its language, shows no expiry once printed, and is in the menu (%s)',
    async (lang) => {
      const student = await orderingStudent(h, lang);
      const { page } = await placeOrder(student, 'convenience', {
        'copies-enrollment-ja': '1',
        'copies-enrollment-en': '1',
      });
      const number = reservationNumberIn(page.body);
      expect(page.body).toContain(`href="/tu/orders"`);
      const history = textOf((await student.browser.get('/tu/orders')).body);
      const name = lang === 'ja' ? '在学証明書' : 'Certificate of Enrollment';
      for (const certLang of ['ja', 'en'] as const)
        expect(history).toContain(
          say(lang, 'orders.history.item', {
            name,
            language: say(lang, `orders.form.language.${certLang}`),
            copies: 1,
          }),
        );
      const terminal = await registerTerminal(h, 'convenience', null);
      await terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: 600 });
      await terminalCall(h, terminal, 'GET', `/reservations/${number}/documents`);
      const printed = await terminalCall(h, terminal, 'POST', `/reservations/${number}/printed`);
      expect(printed.statusCode).toBe(200);
      const after = await student.browser.get('/tu/orders');
      const row = /<tbody>([\s\S]*?)<\/tr>/.exec(after.body)?.[1] ?? '';
      expect(textOf(row)).toContain(say(lang, 'orders.states.printed'));
      expect(row).toMatch(new RegExp(`data-label="${say(lang, 'orders.detail.expiry')}">—<`));
    },
  );

  it.each(langs)(
    '#10 C-9 the student chooses the language of the recipient mail, whatever the screen language (%s)',
    async (lang) => {
      const student = await orderingStudent(h, lang);
      const other: Lang = lang === 'ja' ? 'en' : 'ja';
      const recipientEmail = `hr.lang-${lang}@sample-corp.example.com`;
      const form = await student.browser.get('/tu/orders/new?destination=digital');
      expect(form.body).toContain('name="recipientLang"');
      const { orderId } = await placeOrder(student, 'digital', {
        'copies-transcript-en': '1',
        ...digitalRecipient,
        recipientEmail,
        recipientLang: other,
      });
      const since = h.smtp.count();
      expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
      const mail = await h.smtp.waitFor(recipientEmail, { since });
      expect(mail.subject).toContain(
        say(other, 'mail.digitalDelivery.subject', {
          tenantName: h.tenant.name[other],
          recipient: digitalRecipient.recipientName,
        }).slice(0, 6),
      );
      expect(mail.text).toContain(other === 'ja' ? '電子署名付きのPDF' : 'digitally signed PDF');
    },
  );
});

describe('#10 §4 content that is true', () => {
  it.each(langs)(
    '#10 L-20 the landing page lists this tenant’s catalogue and enabled destinations, and has the LANG switch (%s)',
    async (lang) => {
      const page = await browserFor(lang).get('/tu/');
      const text = textOf(page.body);
      expect(text).toContain(say(lang, 'landing.loginLink'));
      expect(text).toContain(say(lang, 'landing.otherCertificates'));
      for (const destination of ['campus', 'convenience', 'postal', 'digital'])
        expect(text).toContain(say(lang, `orders.destinations.${destination}.name`));
      expect(text).toContain(
        say(lang, 'landing.itemFee', {
          name: lang === 'ja' ? '受講申込書' : 'Course Application Form',
          fee: yen(100, lang),
        }),
      );
      expect(page.body).toContain('id="lang-select"');
      expect(page.body).toContain('href="/tu/login"');
      const switched = await browserFor(lang).get(`/tu/?lang=${lang === 'ja' ? 'en' : 'ja'}`);
      expect(switched.body).toContain(`<html lang="${lang === 'ja' ? 'en' : 'ja'}"`);
    },
  );

  it('#10 L-15 the demo manual tells what exists, and each demo university has its own texts', () => {
    for (const lang of langs) {
      const manual = demoContent[lang].manual ?? '';
      expect(manual).not.toMatch(/coming soon|近日公開/i);
      for (const word of lang === 'ja'
        ? ['学内印刷機', 'コンビニエンスストア', '郵送', '電子交付', '7日間', '照合コード', '発行できる方', 'お支払い']
        : [
            'On-campus printer',
            'Convenience store',
            'Postal mail',
            'Digital delivery',
            '7 days',
            'verification code',
            'Who can have',
            'Payment',
          ])
        expect(manual).toContain(word);
      const demo = demoContent[lang];
      const minato = minatoContent[lang];
      expect(minato.inquiry.title).not.toBe(demo.inquiry.title);
      expect(minato.inquiry.phones).not.toEqual(demo.inquiry.phones);
      expect(minato.manual).not.toContain(lang === 'ja' ? '電子交付' : 'Digital delivery');
      expect(minato.payment).not.toBe(demo.payment);
    }
  });
});

describe('#10 §5 user IDs', () => {
  it('#10 an upper-case or full-width user ID logs in as the roster’s lower-case one', async () => {
    const student = await newStudent(h, { userId: 's2026906', password: 'Univ-Pass-906' });
    const email = uniqueEmail('s2026906');
    await setUpStudent(h, browserFor('ja'), student, email, 'Shomei2026Zz');
    for (const typed of ['S2026906', 'Ｓ２０２６９０６', 'ｓ２０２６９０６', ' s2026906 ']) {
      const page = await submitLogin(browserFor('ja'), student, 'Shomei2026Zz', {
        userId: typed,
      });
      expect(page.status, typed).toBe(303);
      expect(page.location, typed).toMatch(/^\/tu\/login\/key\?flow=/);
    }
    const accounts = await h.database.db
      .selectFrom('accounts')
      .select('user_id')
      .where('tenant_id', '=', h.tenant.id)
      .where('user_id', 'like', '%2026906')
      .execute();
    expect(accounts.map((row) => row.user_id)).toEqual(['s2026906']);
  });
});
