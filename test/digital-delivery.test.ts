import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressee } from '../src/platform/addressee.js';
import { formatDateTime } from '../src/platform/format.js';
import type { Lang } from '../src/platform/i18n.js';
import { advance, errorMessages, mailsTo, say, settleMail } from './helpers/accounts.js';
import { type Harness, TestBrowser, textOf } from './helpers/harness.js';
import {
  REFUSING_DOMAIN,
  type OrderingStudent,
  digitalRecipient,
  fillOrderForm,
  orderRow,
  orderingStudent,
  placeOrder,
  startIssuanceHarness,
  yen,
} from './helpers/orders.js';
import { needsPoppler, pdfText, pdfsigReport } from './helpers/pdf.js';
import { urlIn } from './helpers/smtp.js';

let h: Harness;
beforeAll(async () => {
  h = await startIssuanceHarness();
});
afterAll(async () => {
  await h.close();
});

const langs: Lang[] = ['ja', 'en'];
const DAY = 86_400_000;

async function noOrders(student: OrderingStudent): Promise<void> {
  const orders = await h.database.db
    .selectFrom('orders')
    .select('id')
    .where('student_number', '=', student.record.studentNumber)
    .execute();
  expect(orders).toHaveLength(0);
}

/** The "Retrieved" line of the student's order page. */
async function retrievedLine(student: OrderingStudent, orderId: string): Promise<string> {
  const page = await student.browser.get(`/tu/orders/${orderId}`);
  const match = new RegExp(`<dt>${say(student.lang, 'orders.detail.retrieved')}</dt><dd>([\\s\\S]*?)</dd>`).exec(
    page.body,
  );
  if (!match?.[1]) throw new Error('no retrieved line on the order page');
  return textOf(match[1]).trim();
}

describe('C-9 refusals checked before the order is placed (#4)', () => {
  for (const lang of langs) {
    it(`C-9 #4 a refusing recipient, an unchecked confirmation, a bad address or no name are refused; nothing is placed (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const cases: Array<{ form: Record<string, string>; messages: string[] }> = [
        {
          form: { ...digitalRecipient, recipientEmail: `registrar@${REFUSING_DOMAIN}` },
          messages: [say(lang, 'orders.recipient.refuses')],
        },
        {
          form: { ...digitalRecipient, recipientEmail: `Someone@Branch.${REFUSING_DOMAIN.toUpperCase()}` },
          messages: [say(lang, 'orders.recipient.refuses')],
        },
        { form: { ...digitalRecipient, recipientAccepts: '' }, messages: [say(lang, 'orders.recipient.mustConfirm')] },
        {
          form: { recipientName: digitalRecipient.recipientName, recipientEmail: digitalRecipient.recipientEmail },
          messages: [say(lang, 'orders.recipient.mustConfirm')],
        },
        { form: { ...digitalRecipient, recipientName: '  ' }, messages: [say(lang, 'orders.recipient.nameRequired')] },
      ];
      for (const { form, messages } of cases) {
        const page = await fillOrderForm(student, 'digital', { 'copies-transcript-en': '1', ...form });
        expect(page.status, JSON.stringify(form)).toBe(422);
        expect(errorMessages(page.body)).toEqual(messages);
        // What was typed stays.
        if (form.recipientEmail) expect(page.body).toContain(`value="${form.recipientEmail}"`);
      }
      for (const email of ['', 'not-an-address', 'a@b']) {
        const page = await fillOrderForm(student, 'digital', {
          'copies-transcript-en': '1',
          ...digitalRecipient,
          recipientEmail: email,
        });
        expect(page.status).toBe(422);
        const messages = errorMessages(page.body);
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) expect(message).not.toMatch(/^(validation|orders)\./);
      }
      // A refusing domain is no suffix match on a longer name.
      const lookalike = await fillOrderForm(student, 'digital', {
        'copies-transcript-en': '1',
        ...digitalRecipient,
        recipientEmail: `hr@not${REFUSING_DOMAIN}`,
      });
      expect(lookalike.status).toBe(303);
      await noOrders(student);
    });
  }
});

describe('C-9 digital delivery end to end (#4)', () => {
  for (const lang of langs) {
    it(`C-9 #4 order → staff paid → recipient mail with a link → page (not counted) → Download (counted) → the student sees it retrieved (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const recipientEmail = `hr.${lang}@sample-corp.example.com`;
      const drafted = await fillOrderForm(student, 'digital', {
        'copies-transcript-en': '1',
        'copies-enrollment-ja': '1',
        ...digitalRecipient,
        recipientEmail,
        recipientLang: lang,
      });
      expect(drafted.status).toBe(303);
      const review = textOf((await student.browser.get(drafted.location!)).body);
      expect(review).toContain(digitalRecipient.recipientName);
      expect(review).toContain(recipientEmail);
      expect(review).toContain(say(lang, 'orders.review.total', { total: yen(600, lang) }));
      expect(review).toContain(say(lang, 'orders.review.byPaymentNumber', { days: 7 }));
      const since = h.smtp.count();
      const { orderId } = await (async () => {
        const placed = await student.browser.post(
          drafted.location!.replace('/orders/review', '/orders/place'),
          {},
          { follow: false },
        );
        return { orderId: /\/tu\/orders\/([^?]+)/.exec(placed.location!)![1]! };
      })();
      expect(await orderRow(h, orderId)).toMatchObject({
        destination: 'digital',
        state: 'submitted',
        feeYen: 600,
        postageYen: 0,
        reservationNumber: null,
        recipient: { name: digitalRecipient.recipientName, email: recipientEmail, lang },
      });
      const submitted = await h.smtp.waitFor(student.email, { since });
      expect(submitted.subject).toContain(say(lang, 'mail.orderStatus.subject_digital_submitted'));
      expect(submitted.text).toContain(digitalRecipient.recipientName);
      expect(await retrievedLine(student, orderId)).toBe(say(lang, 'orders.detail.notSent'));
      expect(await mailsTo(h, recipientEmail, 0)).toHaveLength(0);

      // Staff confirm the payment: the certificates are issued and the recipient gets the link.
      const paidAt = h.clock.now();
      const sincePaid = h.smtp.count();
      const delivered = await h.advanceOrder(orderId, 'paid');
      expect(delivered).not.toBe('invalid');
      expect((await orderRow(h, orderId)).state).toBe('delivered');
      expect(await h.advanceOrder(orderId, 'paid')).toBe('invalid');
      const linkMail = await h.smtp.waitFor(recipientEmail, { since: sincePaid });
      const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
      expect(issued).toHaveLength(2);
      const expiry = formatDateTime(paidAt + 90 * DAY, lang);
      expect(linkMail.subject).toContain(digitalRecipient.recipientName);
      expect(linkMail.text).toContain(lang === 'ja' ? student.record.name.kanji : student.record.name.roman);
      for (const certificate of issued) expect(linkMail.text).toContain(certificate.serial);
      expect(linkMail.text).toContain(expiry);
      expect(linkMail.text).toContain('http://shomei.test/tu/verify');
      const studentMail = await h.smtp.waitFor(student.email, {
        since: sincePaid,
        match: (mail) => mail.subject.includes(say(lang, 'mail.orderStatus.subject_digital_delivered')),
      });
      expect(studentMail.text).toContain(digitalRecipient.recipientName);
      expect(await retrievedLine(student, orderId)).toBe(say(lang, 'orders.detail.notRetrieved', { until: expiry }));
      const link = urlIn(linkMail);
      expect(link.pathname).toBe('/tu/delivery');

      // The recipient opens the link: a page, which counts nothing (a mail scanner may open it too).
      const recipient = new TestBrowser(h, { lang, ip: '10.70.0.1' });
      let pageBody = '';
      for (let i = 0; i < 2; i++) {
        const page = await recipient.get(`${link.pathname}${link.search}`);
        pageBody = page.body;
        expect(page.status).toBe(200);
        const text = textOf(page.body);
        expect(text).toContain(
          say(lang, 'orders.delivery.intro', { recipient: addressee(digitalRecipient.recipientName, lang) }),
        );
        expect(text).toContain(
          say(lang, 'orders.delivery.validUntil', { expiry: formatDateTime(paidAt + 90 * DAY, lang) }),
        );
        for (const certificate of issued) {
          expect(text).toContain(certificate.serial);
          expect(text).toContain(say(lang, `certificates.types.${certificate.type}`));
        }
      }
      expect((await h.uow.repos.deliveries.findForOrder(h.tenant.id, orderId))?.retrievals).toBe(0);
      expect((await orderRow(h, orderId)).state).toBe('delivered');

      // Download: the signed PDF, counted.
      await advance(h, 60_000);
      const downloadedAt = h.clock.now();
      const certificate = issued[0]!;
      const download = await recipient.post(
        '/tu/delivery',
        { token: link.searchParams.get('token')!, serial: certificate.serial },
        { follow: false },
      );
      expect(download.status).toBe(200);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toBe(`attachment; filename="${certificate.serial}.pdf"`);
      expect(download.headers['cache-control']).toBe('no-store');
      const pdf = Buffer.from(download.body, 'latin1');
      const raw = await h.app.server.inject({
        method: 'POST',
        url: '/tu/delivery',
        payload: new URLSearchParams({
          _csrf: recipient.csrf(pageBody),
          token: link.searchParams.get('token')!,
          serial: certificate.serial,
        }).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: [...recipient.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        },
      });
      expect(raw.statusCode).toBe(200);
      expect(raw.rawPayload.equals(certificate.pdf)).toBe(true);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

      const delivery = await h.uow.repos.deliveries.findForOrder(h.tenant.id, orderId);
      expect(delivery).toMatchObject({ retrievals: 2, firstRetrievedAt: downloadedAt });
      expect((await orderRow(h, orderId)).state).toBe('retrieved');
      const line = await retrievedLine(student, orderId);
      expect(line).toBe(say(lang, 'orders.detail.retrievedAt', { at: formatDateTime(downloadedAt, lang), count: 2 }));
      const history = textOf((await student.browser.get('/tu/orders')).body);
      expect(history).toContain(say(lang, 'orders.states.retrieved'));

      // A serial not in this delivery, or a token that is not one, is refused.
      await recipient.get(`${link.pathname}${link.search}`);
      const wrongSerial = await recipient.post(
        '/tu/delivery',
        { token: link.searchParams.get('token')!, serial: 'TU-2026-999999' },
        { follow: false },
      );
      expect(wrongSerial.status).toBe(410);
      expect(textOf(wrongSerial.body)).toContain(say(lang, 'orders.delivery.unknown.title'));
      const wrongToken = await recipient.get(`/tu/delivery?token=${'A'.repeat(43)}`);
      expect(wrongToken.status).toBe(410);
      expect(textOf(wrongToken.body)).toContain(say(lang, 'orders.delivery.unknown.title'));
      expect((await h.uow.repos.deliveries.findForOrder(h.tenant.id, orderId))?.retrievals).toBe(2);
      await settleMail(h);
    });
  }

  it('C-9 C-6 #4 the certificates a recipient downloads are signed (pdfsig) and state their verification code (pdftotext)', async (context) => {
    needsPoppler(context, 'pdfsig', 'pdftotext');
    const student = await orderingStudent(h, 'en');
    const { orderId } = await placeOrder(student, 'digital', {
      'copies-enrollment-en': '1',
      'copies-transcript-ja': '1',
      ...digitalRecipient,
    });
    expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
    // The download hands out these bytes as they are (the end-to-end test above compares them).
    const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    expect(issued).toHaveLength(2);
    for (const certificate of issued) {
      expect(pdfsigReport(certificate.pdf), certificate.serial).toContain('Signature is Valid.');
      expect(pdfText(certificate.pdf), certificate.serial).toContain(certificate.verificationCode);
    }
    await settleMail(h);
  });

  it('C-9 #4 a digital order cancelled before payment sends nothing; staff cannot pay it', async () => {
    const student = await orderingStudent(h, 'en');
    const recipientEmail = 'never@sample-corp.example.com';
    const { orderId, page } = await placeOrder(student, 'digital', {
      'copies-enrollment-en': '1',
      ...digitalRecipient,
      recipientEmail,
    });
    expect(page.body).toContain(`/tu/orders/${orderId}/cancel`);
    const cancelled = await student.browser.post(`/tu/orders/${orderId}/cancel`, {});
    expect(textOf(cancelled.body)).toContain(say('en', 'orders.states.cancelled'));
    expect(await h.advanceOrder(orderId, 'paid')).toBe('invalid');
    expect(await mailsTo(h, recipientEmail, 0)).toHaveLength(0);
    expect(await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId)).toHaveLength(0);
  });

  it('C-9 #4 a delivered order cannot be cancelled (paid orders are not refunded)', async () => {
    const student = await orderingStudent(h, 'ja');
    const { orderId } = await placeOrder(student, 'digital', { 'copies-enrollment-ja': '1', ...digitalRecipient });
    expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
    const page = await student.browser.get(`/tu/orders/${orderId}`);
    expect(page.body).not.toContain(`/tu/orders/${orderId}/cancel`);
    const refused = await student.browser.post(`/tu/orders/${orderId}/cancel`, {});
    expect(textOf(refused.body)).toContain(say('ja', 'orders.detail.notice.notCancellable'));
    expect((await orderRow(h, orderId)).state).toBe('delivered');
    await settleMail(h);
  });
});

describe('C-9 the link is valid 90 days (#4)', () => {
  it('C-9 #4 after 90 days the link shows "expired" and downloads nothing', async () => {
    const student = await orderingStudent(h, 'en');
    const recipientEmail = 'later@sample-corp.example.com';
    const { orderId } = await placeOrder(student, 'digital', {
      'copies-transcript-ja': '1',
      ...digitalRecipient,
      recipientEmail,
    });
    const since = h.smtp.count();
    expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
    const link = urlIn(await h.smtp.waitFor(recipientEmail, { since }));
    const token = link.searchParams.get('token')!;
    const [certificate] = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    const recipient = new TestBrowser(h, { lang: 'en', ip: '10.70.0.2' });

    await advance(h, 90 * DAY - 1000);
    const lastDay = await recipient.get(`${link.pathname}${link.search}`);
    expect(lastDay.status).toBe(200);
    await advance(h, 1000);
    for (const lang of langs) {
      const browser = new TestBrowser(h, { lang, ip: '10.70.0.3' });
      const expired = await browser.get(`${link.pathname}${link.search}`);
      expect(expired.status).toBe(410);
      expect(textOf(expired.body)).toContain(say(lang, 'orders.delivery.expired.title'));
      expect(textOf(expired.body)).toContain(say(lang, 'orders.delivery.expired.body'));
    }
    // The page from the last day, submitted after the expiry.
    const late = await recipient.post('/tu/delivery', { token, serial: certificate!.serial }, { follow: false });
    expect(late.status).toBe(410);
    expect(late.headers['content-type']).toMatch(/^text\/html/);
    expect((await h.uow.repos.deliveries.findForOrder(h.tenant.id, orderId))?.retrievals).toBe(0);
    expect((await orderRow(h, orderId)).state).toBe('delivered');
  });
});
