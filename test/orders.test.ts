import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../src/platform/format.js';
import { formatDateTime, formatReservationNumber } from '../src/platform/format.js';
import type { Lang } from '../src/platform/i18n.js';
import { accountIdOf, advance, auditEvents, errorMessages, mailsTo, say, settleMail } from './helpers/accounts.js';
import { type Harness, TestBrowser, textOf } from './helpers/harness.js';
import { logIn } from './helpers/journeys.js';
import {
  type OrderingStudent,
  fillOrderForm,
  orderRow,
  orderingStudent,
  placeOrder,
  postalAddress,
  putRecord,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
  yen,
} from './helpers/orders.js';

let h: Harness;
beforeAll(async () => {
  h = await startIssuanceHarness();
});
afterAll(async () => {
  await h.close();
});

const langs: Lang[] = ['ja', 'en'];
const DAY = 86_400_000;

/** The text of one certificate type's row on the order form. */
function offerRow(html: string, type: string): string {
  const match = new RegExp(`<tr id="field-copies-${type}">([\\s\\S]*?)</tr>`).exec(html);
  if (!match?.[1]) throw new Error(`no row for ${type}`);
  return textOf(match[1]).trim();
}

function hasCopiesInput(html: string, type: string, lang: Lang): boolean {
  return html.includes(`name="copies-${type}-${lang}"`);
}

async function orderForm(student: OrderingStudent, destination: string): Promise<string> {
  const page = await student.browser.get(`/tu/orders/new?destination=${destination}`);
  expect(page.status).toBe(200);
  return page.body;
}

describe('C-1 Select Printing Destination (#4)', () => {
  for (const lang of langs) {
    it(`C-1 #4 lists the destinations the tenant enables, each linking to its order form, with the LANG pull-down (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const home = await student.browser.get('/tu/home');
      expect(home.status).toBe(200);
      const text = textOf(home.body);
      expect(text).toContain(say(lang, 'home.title'));
      expect(text).toContain(say(lang, 'orders.destination.intro'));
      for (const destination of ['campus', 'convenience', 'postal', 'digital']) {
        expect(text).toContain(say(lang, `orders.destinations.${destination}.name`));
        expect(text).toContain(say(lang, `orders.destinations.${destination}.hint`));
        expect(home.body).toContain(`href="/tu/orders/new?destination=${destination}"`);
      }
      expect(home.body).toContain('href="/tu/orders"');
      expect(home.body).toMatch(/name="lang"/);

      // A tenant that does not offer digital delivery: not listed, its form not reachable, not orderable.
      await h.uow.repos.tenants.updatePolicy(h.tenant.id, {
        ...h.tenant.policy,
        destinations: ['campus', 'convenience', 'postal'],
      });
      try {
        const fewer = await student.browser.get('/tu/home');
        expect(fewer.body).not.toContain('destination=digital');
        expect(textOf(fewer.body)).not.toContain(say(lang, 'orders.destinations.digital.name'));
        const form = await student.browser.get('/tu/orders/new?destination=digital', { follow: false });
        expect(form.status).toBe(303);
        expect(form.location).toBe('/tu/home');
        const forged = await student.browser.post(
          '/tu/orders/new?destination=digital',
          {
            'copies-enrollment-ja': '1',
            recipientName: 'Someone',
            recipientEmail: 'someone@example.com',
            recipientAccepts: 'yes',
          },
          { follow: false },
        );
        // #10: the refusal is kept for the form, whose page is not offered: the student lands on the start screen.
        expect(forged.postStatus).toBe(303);
        expect(forged.body).toContain('href="/tu/orders/new?destination=campus"');
        expect(forged.body).not.toContain('name="recipientEmail"');
      } finally {
        await h.uow.repos.tenants.updatePolicy(h.tenant.id, h.tenant.policy);
      }
      const unknown = await student.browser.get('/tu/orders/new?destination=moon', { follow: false });
      expect(unknown.location).toBe('/tu/home');
    });
  }

  it('C-1 #4 a student without a record is told so and cannot open an order form', async () => {
    const student = await orderingStudent(h, 'en');
    await h.database.db
      .deleteFrom('student_courses')
      .where('student_number', '=', student.record.studentNumber)
      .execute();
    await h.database.db
      .deleteFrom('student_records')
      .where('student_number', '=', student.record.studentNumber)
      .execute();
    const home = await student.browser.get('/tu/home');
    expect(textOf(home.body)).toContain(say('en', 'orders.errors.noRecord'));
    const form = await student.browser.get('/tu/orders/new?destination=campus', { follow: false });
    expect(form.location).toBe('/tu/home');
  });
});

describe('C-10 availability: every type shown, with the reason when it cannot be had (#4)', () => {
  for (const lang of langs) {
    it(`C-10 #4 C-2 reasons for a 2nd-year, a withdrawn, a student on leave, a repeating 4th-year and by destination (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const names = ['enrollment', 'transcript', 'expected_graduation', 'course_application'];
      const reason = (key: string, params: Record<string, unknown> = {}) =>
        say(lang, `orders.unavailable.${key}`, params);

      // A final-year student in November: everything at the campus printer, course application in Japanese only.
      let html = await orderForm(student, 'campus');
      for (const type of names) expect(hasCopiesInput(html, type, 'ja')).toBe(true);
      expect(hasCopiesInput(html, 'course_application', 'en')).toBe(false);
      expect(offerRow(html, 'enrollment')).toContain(yen(300, lang));
      expect(offerRow(html, 'course_application')).toContain(yen(100, lang));

      // Destination not allowed: the course application form is not posted nor sent digitally.
      for (const destination of ['postal', 'digital']) {
        html = await orderForm(student, destination);
        expect(offerRow(html, 'course_application')).toContain(reason('destination'));
        expect(hasCopiesInput(html, 'course_application', 'ja')).toBe(false);
        expect(hasCopiesInput(html, 'enrollment', 'ja')).toBe(true);
      }

      // Second year: expected graduation is final-year only.
      await putRecord(h, { ...student.record, year: 2, expectedGraduationDate: '2029-03-31' });
      html = await orderForm(student, 'convenience');
      expect(offerRow(html, 'expected_graduation')).toContain(reason('finalYearOnly'));
      expect(hasCopiesInput(html, 'expected_graduation', 'ja')).toBe(false);
      expect(hasCopiesInput(html, 'enrollment', 'ja')).toBe(true);

      // A fourth-year who repeats the year: from 1 April of the (new) final year, not before.
      await putRecord(h, { ...student.record, expectedGraduationDate: '2028-03-31' });
      html = await orderForm(student, 'convenience');
      expect(offerRow(html, 'expected_graduation')).toContain(
        reason('notYet', { date: formatDate('2027-04-01', lang) }),
      );

      // Withdrawn: nothing at all, each row says why.
      await putRecord(h, { ...student.record, status: 'withdrawn' });
      html = await orderForm(student, 'campus');
      for (const type of names) {
        expect(offerRow(html, type)).toContain(reason('status', { status: 'withdrawn' }));
        expect(hasCopiesInput(html, type, 'ja')).toBe(false);
      }

      // On leave: no enrollment certificate, but a transcript.
      await putRecord(h, { ...student.record, status: 'leave_of_absence' });
      html = await orderForm(student, 'campus');
      expect(offerRow(html, 'enrollment')).toContain(reason('status', { status: 'leave_of_absence' }));
      expect(offerRow(html, 'expected_graduation')).toContain(reason('status', { status: 'leave_of_absence' }));
      expect(hasCopiesInput(html, 'transcript', 'en')).toBe(true);
      await putRecord(h, student.record);
    });

    it(`C-10 #4 a forged order for an unavailable type is refused with the reason, nothing is placed (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      await putRecord(h, { ...student.record, year: 2, expectedGraduationDate: '2029-03-31' });
      const before = await h.database.db.selectFrom('flows').select('id').where('kind', '=', 'order_draft').execute();
      const cases: Array<{ destination: string; form: Record<string, string>; messages: string[] }> = [
        {
          destination: 'campus',
          form: { 'copies-expected_graduation-ja': '1' },
          messages: [say(lang, 'orders.unavailable.finalYearOnly')],
        },
        {
          destination: 'postal',
          form: { 'copies-course_application-ja': '1', ...postalAddress },
          messages: [say(lang, 'orders.unavailable.destination')],
        },
        { destination: 'campus', form: {}, messages: [say(lang, 'orders.errors.nothingChosen')] },
        {
          destination: 'convenience',
          form: { 'copies-enrollment-ja': '6', 'copies-enrollment-en': '5' },
          messages: [say(lang, 'orders.errors.copies', { max: 10 })],
        },
        {
          destination: 'convenience',
          form: { 'copies-course_application-ja': 'x' },
          messages: [say(lang, 'orders.errors.copies', { max: 5 })],
        },
      ];
      for (const { destination, form, messages } of cases) {
        const page = await fillOrderForm(student, destination, form);
        expect(page.status, JSON.stringify(form)).toBe(422);
        expect(errorMessages(page.body)).toEqual(messages);
      }
      await putRecord(h, { ...student.record, status: 'withdrawn' });
      const withdrawn = await fillOrderForm(student, 'campus', { 'copies-transcript-ja': '1' });
      expect(withdrawn.status).toBe(422);
      expect(errorMessages(withdrawn.body)).toEqual([say(lang, 'orders.unavailable.status', { status: 'withdrawn' })]);
      const after = await h.database.db.selectFrom('flows').select('id').where('kind', '=', 'order_draft').execute();
      expect(after.length).toBe(before.length);
      const orders = await h.database.db
        .selectFrom('orders')
        .select('id')
        .where('student_number', '=', student.record.studentNumber)
        .execute();
      expect(orders).toHaveLength(0);
    });
  }

  it('C-10 #4 a type that became unavailable between the review and Confirm is refused at Confirm', async () => {
    const student = await orderingStudent(h, 'en');
    const drafted = await fillOrderForm(student, 'campus', { 'copies-enrollment-en': '1' });
    expect(drafted.status).toBe(303);
    await student.browser.get(drafted.location!);
    await putRecord(h, { ...student.record, status: 'withdrawn' });
    const placed = await student.browser.post(
      drafted.location!.replace('/orders/review', '/orders/place'),
      {},
      { follow: false },
    );
    expect(placed.status).toBe(422);
    expect(errorMessages(placed.body)).toEqual([say('en', 'orders.unavailable.status', { status: 'withdrawn' })]);
    expect(
      await h.database.db
        .selectFrom('orders')
        .select('id')
        .where('student_number', '=', student.record.studentNumber)
        .execute(),
    ).toHaveLength(0);
  });
});

describe('C-4 terminal orders: reservation number and expiry on screen and by mail (#4)', () => {
  for (const lang of langs) {
    for (const destination of ['convenience', 'campus'] as const) {
      it(`C-4 #4 ${destination}: fee on review, 12-digit reservation number valid 7 days on screen and in the mail (${lang})`, async () => {
        const student = await orderingStudent(h, lang);
        const drafted = await fillOrderForm(student, destination, {
          'copies-enrollment-ja': '2',
          'copies-transcript-en': '1',
          'copies-course_application-ja': '1',
        });
        expect(drafted.status).toBe(303);
        const review = await student.browser.get(drafted.location!);
        const reviewText = textOf(review.body);
        expect(reviewText).toContain(say(lang, 'orders.review.title'));
        expect(reviewText).toContain(say(lang, `orders.destinations.${destination}.name`));
        expect(reviewText).toContain(say(lang, 'orders.review.total', { total: yen(1000, lang) }));
        expect(reviewText).toContain(say(lang, `orders.review.payment.${destination}`));
        expect(reviewText).not.toContain(say(lang, 'orders.form.postage'));

        const since = h.smtp.count();
        const placedAt = h.clock.now();
        const placed = await student.browser.post(
          drafted.location!.replace('/orders/review', '/orders/place'),
          {},
          { follow: false },
        );
        expect(placed.status).toBe(303);
        const page = await student.browser.get(placed.location!);
        const number = reservationNumberIn(page.body);
        expect(number).toMatch(/^[1-9]\d{11}$/);
        const expiry = formatDateTime(placedAt + 7 * DAY, lang);
        const text = textOf(page.body);
        expect(text).toContain(say(lang, 'orders.detail.notice.placed'));
        expect(text).toContain(say(lang, 'orders.detail.validUntil', { expiry }));
        expect(text).toContain(say(lang, `orders.detail.howTo.${destination}`));
        expect(text).toContain(say(lang, 'orders.states.reserved'));
        expect(text).toContain(yen(1000, lang));

        const mail = await h.smtp.waitFor(student.email, { since });
        expect(mail.subject).toContain(say(lang, `mail.orderStatus.subject_${destination}_reserved`));
        expect(mail.text).toContain(`${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`);
        expect(mail.text).toContain(expiry);
        expect(mail.text).toContain(yen(1000, lang));
        expect(mail.text).toContain(student.userId);

        const orderId = /\/tu\/orders\/([^?]+)/.exec(placed.location!)![1]!;
        const order = await orderRow(h, orderId);
        expect(order).toMatchObject({
          destination,
          state: 'reserved',
          feeYen: 1000,
          postageYen: 0,
          reservationNumber: number,
          reservationExpiresAt: placedAt + 7 * DAY,
          lang,
        });
        expect(order.items.map((item) => [item.type, item.lang, item.copies, item.unitFeeYen])).toEqual([
          ['enrollment', 'ja', 2, 300],
          ['transcript', 'en', 1, 300],
          ['course_application', 'ja', 1, 100],
        ]);
      });
    }
  }
});

describe('C-4 postal orders: Japanese address, fee plus postage, staff queue with a mail at each step (#4)', () => {
  for (const lang of langs) {
    it(`C-4 #4 address validation messages (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const cases: Array<{ address: Record<string, string>; messages: string[] }> = [
        {
          address: { ...postalAddress, postalCode: '100-005' },
          messages: [say(lang, 'orders.address.postalCodeInvalid')],
        },
        {
          address: { ...postalAddress, postalCode: '12345678' },
          messages: [say(lang, 'orders.address.postalCodeInvalid')],
        },
        {
          address: { ...postalAddress, postalCode: '', prefecture: '' },
          messages: [say(lang, 'orders.address.postalCodeRequired'), say(lang, 'orders.address.prefectureRequired')],
        },
        { address: { ...postalAddress, prefecture: '48' }, messages: [say(lang, 'orders.address.prefectureRequired')] },
        {
          address: { ...postalAddress, city: ' ', street: '', recipient: '' },
          messages: [
            say(lang, 'orders.address.cityRequired'),
            say(lang, 'orders.address.streetRequired'),
            say(lang, 'orders.address.recipientRequired'),
          ],
        },
        { address: { ...postalAddress, building: 'x'.repeat(101) }, messages: [say(lang, 'orders.address.tooLong')] },
      ];
      for (const { address, messages } of cases) {
        const page = await fillOrderForm(student, 'postal', { 'copies-enrollment-ja': '1', ...address });
        expect(page.status, JSON.stringify(address)).toBe(422);
        expect(errorMessages(page.body)).toEqual(messages);
        // What was typed stays in the form.
        if (address.city === postalAddress.city) expect(page.body).toContain(`value="${postalAddress.city}"`);
        expect(page.body).toContain('name="copies-enrollment-ja"');
      }
      // Full-width digits and no hyphen are a postal code too.
      const wide = await fillOrderForm(student, 'postal', {
        'copies-enrollment-ja': '1',
        ...postalAddress,
        postalCode: '１０００００５',
      });
      expect(wide.status).toBe(303);
    });

    it(`C-4 #4 fee + postage, then paid → printed → shipped with tracking, the student mailed at each step (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const drafted = await fillOrderForm(student, 'postal', { 'copies-transcript-ja': '2', ...postalAddress });
      expect(drafted.status).toBe(303);
      const review = textOf((await student.browser.get(drafted.location!)).body);
      expect(review).toContain(say(lang, 'orders.form.postage'));
      expect(review).toContain(yen(140, lang));
      expect(review).toContain(say(lang, 'orders.review.total', { total: yen(740, lang) }));
      expect(review).toContain(lang === 'ja' ? '東京都' : 'Tokyo');
      expect(review).toContain('〒100-0005');
      const since = h.smtp.count();
      const placed = await student.browser.post(
        drafted.location!.replace('/orders/review', '/orders/place'),
        {},
        { follow: false },
      );
      const orderId = /\/tu\/orders\/([^?]+)/.exec(placed.location!)![1]!;
      const page = textOf((await student.browser.get(placed.location!)).body);
      expect(page).toContain(say(lang, 'orders.states.submitted'));
      expect(page).toContain(yen(740, lang));
      expect(page).not.toContain(say(lang, 'orders.detail.reservationNumber'));
      const submitted = await h.smtp.waitFor(student.email, { since });
      expect(submitted.subject).toContain(say(lang, 'mail.orderStatus.subject_postal_submitted'));
      expect(submitted.text).toContain(yen(740, lang));
      expect(await orderRow(h, orderId)).toMatchObject({
        state: 'submitted',
        feeYen: 600,
        postageYen: 140,
        reservationNumber: null,
        shippingAddress: postalAddress,
      });

      // Shipping before printing, or without a tracking number, is not a move.
      expect(await h.advanceOrder(orderId, 'shipped', 'X')).toBe('invalid');
      expect(await h.advanceOrder(orderId, 'printed')).toBe('invalid');

      const steps = [
        { event: 'paid', state: 'paid' },
        { event: 'printed', state: 'printed' },
        { event: 'shipped', state: 'shipped', tracking: '1234-5678-9012' },
      ] as const;
      for (const step of steps) {
        const mark = h.smtp.count();
        if (step.event === 'shipped') {
          expect(await h.advanceOrder(orderId, 'shipped')).toBe('invalid');
        }
        const moved = await h.advanceOrder(orderId, step.event, 'tracking' in step ? step.tracking : undefined);
        expect(moved).not.toBe('invalid');
        expect(await h.advanceOrder(orderId, step.event, 'tracking' in step ? step.tracking : undefined)).toBe(
          'invalid',
        );
        const mail = await h.smtp.waitFor(student.email, { since: mark });
        expect(mail.subject).toContain(say(lang, `mail.orderStatus.subject_postal_${step.state}`));
        if ('tracking' in step) expect(mail.text).toContain(step.tracking);
        const detail = textOf((await student.browser.get(`/tu/orders/${orderId}`)).body);
        expect(detail).toContain(say(lang, `orders.states.${step.state}`));
      }
      const detail = await student.browser.get(`/tu/orders/${orderId}`);
      expect(textOf(detail.body)).toContain('1234-5678-9012');
      expect(detail.body).not.toContain(`/tu/orders/${orderId}/cancel`);
      const order = await orderRow(h, orderId);
      expect(order).toMatchObject({ state: 'shipped', trackingNumber: '1234-5678-9012' });
      expect(order.paidAt).not.toBeNull();
      expect(order.printedAt).not.toBeNull();
      expect(order.shippedAt).not.toBeNull();
      const mails = await mailsTo(h, student.email, since);
      expect(mails).toHaveLength(4);
    });
  }

  it('C-4 #4 a postal order the student cancels before staff act is cancelled; staff cannot move it on', async () => {
    const student = await orderingStudent(h, 'ja');
    const { orderId, page } = await placeOrder(student, 'postal', { 'copies-enrollment-ja': '1', ...postalAddress });
    expect(page.body).toContain(`/tu/orders/${orderId}/cancel`);
    const cancelled = await student.browser.post(`/tu/orders/${orderId}/cancel`, {});
    expect(textOf(cancelled.body)).toContain(say('ja', 'orders.detail.notice.cancelled'));
    expect(textOf(cancelled.body)).toContain(say('ja', 'orders.states.cancelled'));
    expect(await h.advanceOrder(orderId, 'paid')).toBe('invalid');
    expect((await orderRow(h, orderId)).state).toBe('cancelled');
  });

  it('C-4 C-8 #4 once staff mark a postal order paid, it has no Cancel button and a forged cancel changes nothing', async () => {
    const student = await orderingStudent(h, 'en');
    const { orderId } = await placeOrder(student, 'postal', { 'copies-enrollment-en': '1', ...postalAddress });
    expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
    const detail = await student.browser.get(`/tu/orders/${orderId}`);
    expect(textOf(detail.body)).toContain(say('en', 'orders.states.paid'));
    expect(detail.body).not.toContain(`/tu/orders/${orderId}/cancel`);
    const refused = await student.browser.post(`/tu/orders/${orderId}/cancel`, {}, { follow: false });
    expect(refused.location).toBe(`/tu/orders/${orderId}?notice=notCancellable`);
    expect(textOf((await student.browser.get(refused.location!)).body)).toContain(
      say('en', 'orders.detail.notice.notCancellable'),
    );
    expect(await orderRow(h, orderId)).toMatchObject({ state: 'paid', cancelledAt: null });
    expect(await auditEvents(h, { accountId: await accountIdOf(h, student.userId) })).not.toContain('order.cancelled');
    // Paid orders are not refunded: the order still goes on to print and ship.
    expect(await h.advanceOrder(orderId, 'printed')).not.toBe('invalid');
  });
});

describe('C-8 order history and cancellation (#4)', () => {
  for (const lang of langs) {
    it(`C-8 #4 history lists every order with state, reservation number and expiry; cancel while reserved, not after payment (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const terminal = await registerTerminal(h, 'convenience', null);
      const first = await placeOrder(student, 'convenience', { 'copies-enrollment-ja': '1' });
      const firstNumber = reservationNumberIn(first.page.body);
      const firstOrder = await orderRow(h, first.orderId);
      await advance(h, 60_000);
      const second = await placeOrder(student, 'convenience', { 'copies-transcript-ja': '1' });
      const secondNumber = reservationNumberIn(second.page.body);
      const secondOrder = await orderRow(h, second.orderId);
      await advance(h, 60_000);
      const postal = await placeOrder(student, 'postal', { 'copies-enrollment-en': '1', ...postalAddress });

      const history = await student.browser.get('/tu/orders');
      expect(history.status).toBe(200);
      const rows = [...history.body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!).trim()).slice(1);
      expect(rows).toHaveLength(3);
      // Newest first.
      expect(rows[0]).toContain(say(lang, 'orders.destinations.postal.name'));
      expect(rows[0]).toContain(say(lang, 'orders.states.submitted'));
      expect(rows[1]).toContain(formatReservationNumber(secondNumber));
      expect(rows[1]).toContain(formatDateTime(secondOrder.reservationExpiresAt!, lang));
      expect(rows[1]).toContain(say(lang, 'orders.states.reserved'));
      expect(rows[2]).toContain(formatReservationNumber(firstNumber));
      expect(rows[2]).toContain(formatDateTime(firstOrder.reservationExpiresAt!, lang));
      for (const id of [first.orderId, second.orderId, postal.orderId])
        expect(history.body).toContain(`href="/tu/orders/${id}"`);

      // Cancel while reserved.
      const cancelled = await student.browser.post(`/tu/orders/${first.orderId}/cancel`, {});
      expect(cancelled.status).toBe(200);
      expect(textOf(cancelled.body)).toContain(say(lang, 'orders.detail.notice.cancelled'));
      expect(textOf(cancelled.body)).toContain(say(lang, 'orders.states.cancelled'));
      expect(cancelled.body).not.toContain('class="reservation__number"');
      expect((await terminalCall(h, terminal, 'GET', `/reservations/${firstNumber}`)).json()).toEqual({
        error: 'reservation_cancelled',
      });

      // Paid at a terminal: no Cancel button, and a forged cancel is refused.
      const paid = await terminalCall(h, terminal, 'POST', `/reservations/${secondNumber}/payment`, { amountYen: 300 });
      expect(paid.statusCode).toBe(200);
      const detail = await student.browser.get(`/tu/orders/${second.orderId}`);
      expect(textOf(detail.body)).toContain(say(lang, 'orders.states.paid'));
      expect(detail.body).not.toContain(`/tu/orders/${second.orderId}/cancel`);
      const refused = await student.browser.post(`/tu/orders/${second.orderId}/cancel`, {});
      expect(textOf(refused.body)).toContain(say(lang, 'orders.detail.notice.notCancellable'));
      expect((await orderRow(h, second.orderId)).state).toBe('paid');

      const after = await student.browser.get('/tu/orders');
      const afterRows = [...after.body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!).trim()).slice(1);
      expect(afterRows[1]).toContain(say(lang, 'orders.states.paid'));
      expect(afterRows[2]).toContain(say(lang, 'orders.states.cancelled'));
      expect(afterRows[2]).toContain(formatReservationNumber(firstNumber));
    });
  }

  it('C-8 #4 another student cannot see or cancel my order', async () => {
    const owner = await orderingStudent(h, 'en');
    const { orderId } = await placeOrder(owner, 'campus', { 'copies-enrollment-en': '1' });
    const other = await orderingStudent(h, 'en', {}, '10.60.0.2');
    const view = await other.browser.get(`/tu/orders/${orderId}`, { follow: false });
    expect(view.status).toBe(303);
    expect(view.location).toBe('/tu/orders');
    await other.browser.get('/tu/orders');
    const cancel = await other.browser.post(`/tu/orders/${orderId}/cancel`, {});
    expect(textOf(cancel.body)).not.toContain(say('en', 'orders.detail.notice.cancelled'));
    expect((await orderRow(h, orderId)).state).toBe('reserved');
    const history = await other.browser.get('/tu/orders');
    expect(history.body).not.toContain(orderId);
  });

  for (const lang of langs) {
    it(`C-8 C-4 #4 a reservation past its expiry shows as expired in the history and on its page (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const { orderId, page } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '1' });
      const number = reservationNumberIn(page.body);
      const order = await orderRow(h, orderId);
      await advance(h, 7 * DAY - 1000);
      // A new session: the old one idled out over the week.
      const browser = new TestBrowser(h, { lang });
      await logIn(h, browser, student, student.secondPassword, student.email);
      let history = textOf((await browser.get('/tu/orders')).body);
      expect(history).toContain(say(lang, 'orders.states.reserved'));
      await advance(h, 1000);
      history = textOf((await browser.get('/tu/orders')).body);
      expect(history).toContain(formatReservationNumber(number));
      expect(history).toContain(formatDateTime(order.reservationExpiresAt!, lang));
      expect(history).toContain(say(lang, 'orders.states.expired'));
      expect(history).not.toContain(say(lang, 'orders.states.reserved'));
      const detail = await browser.get(`/tu/orders/${orderId}`);
      expect(textOf(detail.body)).toContain(say(lang, 'orders.states.expired'));
      expect(detail.body).not.toContain('class="reservation__number"');
      expect(detail.body).not.toContain(`/tu/orders/${orderId}/cancel`);
    });
  }
});

describe('C-4 Q-1 an unconfirmed order belongs to its student and to the browser it was made in (#4)', () => {
  async function draftOf(student: OrderingStudent): Promise<{ review: string; place: string }> {
    const drafted = await fillOrderForm(student, 'convenience', { 'copies-enrollment-ja': '1' });
    expect(drafted.status).toBe(303);
    const review = drafted.location!;
    return { review, place: review.replace('/orders/review', '/orders/place') };
  }

  async function ordersOf(student: OrderingStudent) {
    return h.uow.repos.orders.listForAccount(h.tenant.id, await accountIdOf(h, student.userId));
  }

  it('Q-1 on a shared computer the next student cannot see or confirm the draft the previous one left', async () => {
    const first = await orderingStudent(h, 'en', {}, '10.61.0.1');
    const next = await orderingStudent(h, 'en', {}, '10.61.0.2');
    const draft = await draftOf(first);
    expect((await first.browser.get(draft.review)).status).toBe(200);
    await first.browser.post('/tu/logout', {});
    // Same browser (and flow-binding cookie), another student.
    await logIn(h, first.browser, next, next.secondPassword, next.email);
    const review = await first.browser.get(draft.review, { follow: false });
    expect(review.status).toBe(303);
    expect(review.location).toBe('/tu/home');
    await first.browser.get('/tu/home');
    const placed = await first.browser.post(draft.place, {}, { follow: false });
    expect(placed.location).toBe('/tu/orders');
    expect(await ordersOf(next)).toEqual([]);
    expect(await ordersOf(first)).toEqual([]);
  });

  it('Q-1 the same student in another browser cannot see or confirm the draft; the browser it was made in still can', async () => {
    const student = await orderingStudent(h, 'en', {}, '10.62.0.1');
    const draft = await draftOf(student);
    const elsewhere = new TestBrowser(h, { lang: 'en', ip: '10.62.0.2' });
    await logIn(h, elsewhere, student, student.secondPassword, student.email);
    const review = await elsewhere.get(draft.review, { follow: false });
    expect(review.status).toBe(303);
    expect(review.location).toBe('/tu/home');
    await elsewhere.get('/tu/home');
    expect((await elsewhere.post(draft.place, {}, { follow: false })).location).toBe('/tu/orders');
    expect(await ordersOf(student)).toEqual([]);

    expect((await student.browser.get(draft.review)).status).toBe(200);
    const placed = await student.browser.post(draft.place, {}, { follow: false });
    expect(placed.location).toMatch(/^\/tu\/orders\/[^/?]+\?notice=placed$/);
    expect(await ordersOf(student)).toHaveLength(1);
  });
});

describe('Races on orders (#4)', () => {
  it('C-4 #4 double confirm: two (and ten) POSTs of the same review make exactly one order and one mail', async () => {
    for (const racers of [2, 10]) {
      const student = await orderingStudent(h, 'en');
      const drafted = await fillOrderForm(student, 'convenience', { 'copies-enrollment-en': '1' });
      await student.browser.get(drafted.location!);
      const csrf = student.browser.csrf();
      const since = h.smtp.count();
      const url = drafted.location!.replace('/orders/review', '/orders/place');
      const results = await Promise.all(
        Array.from({ length: racers }, () => student.browser.post(url, {}, { follow: false, csrf })),
      );
      const placed = results.filter((page) => /\?notice=placed$/.test(page.location ?? ''));
      expect(placed).toHaveLength(1);
      for (const page of results.filter((p) => !placed.includes(p))) {
        expect(page.status).toBe(303);
        expect(page.location).toBe('/tu/orders');
      }
      const orders = await h.database.db
        .selectFrom('orders')
        .select('id')
        .where('student_number', '=', student.record.studentNumber)
        .execute();
      expect(orders).toHaveLength(1);
      expect(await mailsTo(h, student.email, since)).toHaveLength(1);
    }
  });

  it('C-4 C-5 #4 cancel racing a payment: exactly one wins and the order agrees with the winner', async () => {
    const student = await orderingStudent(h, 'ja');
    const terminal = await registerTerminal(h, 'campus', h.tenant.id);
    const outcomes = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const { orderId, page } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '1' });
      const number = reservationNumberIn(page.body);
      const csrf = student.browser.csrf();
      // Even rounds send the payment first, odd ones the cancel a little ahead: either side wins some.
      const payNow = () => terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: 300 });
      const pay = round % 2 === 0 ? payNow() : new Promise((resolve) => setTimeout(resolve, round - 1)).then(payNow);
      const cancel = student.browser.post(`/tu/orders/${orderId}/cancel`, {}, { follow: false, csrf });
      const [cancelled, paid] = await Promise.all([cancel, pay]);
      const cancelWon = (cancelled as { location?: string }).location?.endsWith('notice=cancelled') ?? false;
      const payWon = (paid as { statusCode: number }).statusCode === 200;
      expect(cancelWon !== payWon, `round ${round}`).toBe(true);
      const order = await orderRow(h, orderId);
      if (cancelWon) {
        expect(order.state).toBe('cancelled');
        expect(order.paidAt).toBeNull();
        expect((paid as { statusCode: number }).statusCode).toBe(410);
        expect((paid as { json(): unknown }).json()).toEqual({ error: 'reservation_cancelled' });
        outcomes.add('cancel');
      } else {
        expect(order.state).toBe('paid');
        expect(order.cancelledAt).toBeNull();
        expect((cancelled as { location?: string }).location).toMatch(/notice=notCancellable$/);
        outcomes.add('pay');
      }
      await settleMail(h);
    }
    expect(outcomes.size).toBeGreaterThanOrEqual(1);
  });
});

describe('C-10 from 1 April of the final year, by the date in Japan (#4)', () => {
  it('C-10 #4 a repeating fourth-year gets expected graduation at 00:00 on 1 April JST, not a second before', async () => {
    const student = await orderingStudent(h, 'en', { expectedGraduationDate: '2028-03-31' });
    const html = await orderForm(student, 'campus');
    expect(offerRow(html, 'expected_graduation')).toContain(
      say('en', 'orders.unavailable.notYet', { date: 'April 1, 2027' }),
    );
    // 2027-03-31 23:59:59 in Japan.
    await advance(h, Date.UTC(2027, 2, 31, 14, 59, 59) - h.clock.now());
    let browser = new TestBrowser(h, { lang: 'en' });
    await logIn(h, browser, student, student.secondPassword, student.email);
    let form = await browser.get('/tu/orders/new?destination=campus');
    expect(offerRow(form.body, 'expected_graduation')).toContain(
      say('en', 'orders.unavailable.notYet', { date: 'April 1, 2027' }),
    );
    await advance(h, 1000);
    browser = new TestBrowser(h, { lang: 'en' });
    await logIn(h, browser, student, student.secondPassword, student.email);
    form = await browser.get('/tu/orders/new?destination=campus');
    expect(hasCopiesInput(form.body, 'expected_graduation', 'en')).toBe(true);
    const { orderId } = await placeOrder({ ...student, browser }, 'campus', { 'copies-expected_graduation-en': '1' });
    expect((await orderRow(h, orderId)).items[0]).toMatchObject({ type: 'expected_graduation', lang: 'en' });
  });
});
