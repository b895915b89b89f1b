import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { terminalErrorStatus } from '../src/features/orders/terminal.service.js';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { formatDateTime } from '../src/platform/format.js';
import type { Lang } from '../src/platform/i18n.js';
import { advance, auditEvents, mailsTo, say, settleMail } from './helpers/accounts.js';
import { type Harness, textOf } from './helpers/harness.js';
import { logIn } from './helpers/journeys.js';
import { urlIn } from './helpers/smtp.js';
import {
  type OrderingStudent,
  type TestMachine,
  type TestTerminal,
  digitalRecipient,
  issuancePolicy,
  orderRow,
  orderingStudent,
  placeOrder,
  postalAddress,
  putRecord,
  registerTerminal,
  startIssuanceHarness,
  terminalCall,
  yen,
} from './helpers/orders.js';

let h: Harness;
let other: Tenant;
let store: TestTerminal;
let campus: TestTerminal;
let otherCampus: TestTerminal;

beforeAll(async () => {
  h = await startIssuanceHarness();
  other = await h.tenants.create({ slug: 'tb', name: { ja: 'ビー大学', en: 'B University' }, policy: issuancePolicy });
  store = await registerTerminal(h, 'convenience', null);
  campus = await registerTerminal(h, 'campus', h.tenant.id);
  otherCampus = await registerTerminal(h, 'campus', other.id);
});
afterAll(async () => {
  await h.close();
});

const DAY = 86_400_000;
const machine: TestMachine = { storeId: '0142', machineId: 'mc-1' };

/** The payment number on an order's page, shown grouped (1234-5678-9012); its 12 digits. */
function paymentNumberIn(html: string): string {
  const match = /id="payment-number">(\d{4}-\d{4}-\d{4})</.exec(html);
  if (!match?.[1]) throw new Error('no grouped payment number on the page');
  return match[1].replace(/-/g, '');
}

/** A postal order of one Japanese enrollment certificate: 300 yen and 140 yen postage. */
async function postalOrder(student: OrderingStudent) {
  const { orderId, page } = await placeOrder(student, 'postal', { 'copies-enrollment-ja': '1', ...postalAddress });
  return { orderId, page, number: paymentNumberIn(page.body) };
}

function expectError(response: { statusCode: number; json(): unknown }, code: keyof typeof terminalErrorStatus) {
  expect({ status: response.statusCode, body: response.json() }).toEqual({
    status: terminalErrorStatus[code],
    body: { error: code },
  });
}

async function ledgerRows(orderId: string) {
  return h.database.db.selectFrom('terminal_ledger').selectAll().where('order_id', '=', orderId).execute();
}

const spec = parse(fs.readFileSync(new URL('../docs/terminal-api.openapi.yaml', import.meta.url), 'utf8'));
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'spec', components: spec.components });

describe('#12 A-8 C-4 a payment number for postal and digital orders', () => {
  for (const lang of ['ja', 'en'] as Lang[]) {
    it(`#12 A-8 C-4 a postal order gets a 12-digit payment number valid 7 days, on the completion screen, the order page and in the mail (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const since = h.smtp.count();
      const { orderId, page, number } = await postalOrder(student);
      const order = await orderRow(h, orderId);
      expect(order.paymentNumber).toBe(number);
      expect(order.reservationNumber).toBeNull();
      expect(order.paymentExpiresAt).toBe(order.createdAt + 7 * DAY);
      const grouped = `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`;
      const expiry = formatDateTime(order.paymentExpiresAt!, lang);
      const values = { number: grouped, expiry, total: yen(440, lang) };

      const text = textOf(page.body);
      expect(text).toContain(say(lang, 'orders.detail.notice.placed'));
      expect(text).toContain(say(lang, 'orders.detail.paymentNumber'));
      expect(text).toContain(say(lang, 'orders.payment.payBy', values));
      expect(text).toContain(say(lang, 'orders.payment.howTo.postal'));
      expect(text).not.toContain(say(lang, 'orders.review.payment.postal'));
      const again = textOf((await student.browser.get(`/tu/orders/${orderId}`)).body);
      expect(again).toContain(grouped);
      expect(again).toContain(expiry);
      const history = textOf((await student.browser.get('/tu/orders')).body);
      expect(history).toContain(say(lang, 'orders.history.paymentNumber', { number: grouped }));
      expect(history).toContain(expiry);

      const mail = await h.smtp.waitFor(student.email, { since });
      expect(mail.subject).toContain(say(lang, 'mail.orderStatus.subject_postal_submitted'));
      expect(mail.text).toContain(say(lang, 'orders.payment.number', values));
      expect(mail.text).toContain(say(lang, 'orders.payment.payBy', values));
      expect(mail.text).toContain(say(lang, 'orders.payment.howTo.postal'));
    });
  }

  it('#12 A-8 C-4 a university that does not take convenience payment issues no payment number', async () => {
    await h.uow.repos.tenants.updatePolicy(h.tenant.id, { ...h.tenant.policy, convenienceOrderPayment: false });
    try {
      const student = await orderingStudent(h, 'en');
      const { orderId, page } = await placeOrder(student, 'postal', { 'copies-enrollment-ja': '1', ...postalAddress });
      expect((await orderRow(h, orderId)).paymentNumber).toBeNull();
      expect(textOf(page.body)).toContain(say('en', 'orders.review.payment.postal'));
      expect(page.body).not.toContain('id="payment-number"');
    } finally {
      await h.uow.repos.tenants.updatePolicy(h.tenant.id, h.tenant.policy);
    }
  });

  it('#12 A-8 lookup at a store gateway: the amount, the university, kind payment, nothing personal; campus terminals do not see it', async () => {
    const student = await orderingStudent(h, 'ja');
    const { orderId, number } = await postalOrder(student);
    const order = await orderRow(h, orderId);
    const looked = await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, machine);
    expect(looked.statusCode).toBe(200);
    expect(looked.json()).toEqual({
      reservationNumber: number,
      kind: 'payment',
      university: { ja: 'テスト大学', en: 'Test University' },
      state: 'reserved',
      expiresAt: new Date(order.paymentExpiresAt!).toISOString(),
      amountYen: 440,
      printFailures: 0,
      items: [
        {
          type: 'enrollment',
          name: { ja: '在学証明書', en: 'Certificate of Enrollment' },
          language: 'ja',
          copies: 1,
          unitFeeYen: 300,
        },
      ],
    });
    const valid = ajv.getSchema('spec#/components/schemas/Reservation')!;
    expect(valid(looked.json()), JSON.stringify(valid.errors)).toBe(true);
    // Grouped as the student reads it off the screen.
    const grouped = `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`;
    expect((await terminalCall(h, store, 'GET', `/reservations/${grouped}`, undefined, machine)).statusCode).toBe(200);
    // A university's campus printer (this one's or another's) takes no payment numbers.
    for (const terminal of [campus, otherCampus]) {
      expectError(await terminalCall(h, terminal, 'GET', `/reservations/${number}`), 'reservation_not_found');
      expectError(
        await terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: 440 }),
        'reservation_not_found',
      );
    }
    expect((await orderRow(h, orderId)).state).toBe('submitted');
  });

  it('#12 A-8 C-4 paying a postal order with machine headers: paid (awaiting printing), the student mailed, the settlement lists it, documents refused', async () => {
    const student = await orderingStudent(h, 'ja');
    const { orderId, number } = await postalOrder(student);
    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 300 }, machine),
      'amount_mismatch',
    );
    await settleMail(h);
    const since = h.smtp.count();
    const paid = await terminalCall(
      h,
      store,
      'POST',
      `/reservations/${number}/payment`,
      { amountYen: 440 },
      { ...machine, transactionId: 'T-PAY-1', idempotencyKey: `pay-${number}` },
    );
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ reservationNumber: number, kind: 'payment', state: 'paid', amountYen: 440 });
    expect(await orderRow(h, orderId)).toMatchObject({
      state: 'paid',
      terminalId: store.id,
      storeId: '0142',
      machineId: 'mc-1',
      paymentTransactionId: 'T-PAY-1',
    });
    const mails = await mailsTo(h, student.email, since);
    expect(mails.map((mail) => mail.subject)).toEqual([
      expect.stringContaining(say('ja', 'mail.orderStatus.subject_postal_paid')),
    ]);
    expect(await auditEvents(h, { subject: orderId })).toContain('order.paid');

    // A retry with the same key is the same answer; without a key, from the same machine, 200 and nothing twice.
    const replay = await terminalCall(
      h,
      store,
      'POST',
      `/reservations/${number}/payment`,
      { amountYen: 440 },
      { ...machine, transactionId: 'T-PAY-1', idempotencyKey: `pay-${number}` },
    );
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const retried = await terminalCall(
      h,
      store,
      'POST',
      `/reservations/${number}/payment`,
      { amountYen: 440 },
      machine,
    );
    expect(retried.json()).toMatchObject({ state: 'paid' });
    expect(await ledgerRows(orderId)).toHaveLength(1);
    expect(await mailsTo(h, student.email, since)).toHaveLength(1);
    // Staff move it on; the machine that took the payment still sees it paid, any other is told it is paid.
    expect(await h.advanceOrder(orderId, 'printed')).not.toBe('invalid');
    expect((await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, machine)).json()).toMatchObject({
      state: 'paid',
    });
    expectError(
      await terminalCall(
        h,
        store,
        'POST',
        `/reservations/${number}/payment`,
        { amountYen: 440 },
        {
          storeId: '0999',
          machineId: 'mc-9',
        },
      ),
      'already_paid',
    );

    // Nothing to print on a payment number: the terminal's calls issue nothing (staff's "printed"
    // above issued the order's certificates, which the registrar prints).
    const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    expect(issued).toHaveLength(1);
    for (const [method, path] of [
      ['GET', 'documents'],
      ['GET', 'documents/TU-2026-000001'],
      ['POST', 'printed'],
      ['POST', 'failure'],
      ['POST', 'void'],
    ] as const) {
      expectError(
        await terminalCall(h, store, method, `/reservations/${number}/${path}`, undefined, machine),
        'nothing_to_print',
      );
    }
    expect(await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId)).toEqual(issued);

    const date = new Date(h.clock.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const report = (await terminalCall(h, store, 'GET', `/settlements/${date}`)).json() as {
      rows: unknown[];
      transactions: Array<Record<string, unknown>>;
    };
    expect(report.transactions).toContainEqual({
      network: store.id,
      university: 'tu',
      reservationNumber: number,
      storeId: '0142',
      machineId: 'mc-1',
      transactionId: 'T-PAY-1',
      kind: 'payment',
      amountYen: 440,
      at: expect.any(String),
    });
    const valid = ajv.getSchema('spec#/components/schemas/Settlement')!;
    expect(valid({ network: store.id, ...report }), JSON.stringify(valid.errors)).toBe(true);
  });

  it('#12 A-8 C-9 paying a digital order sends the recipient the download link, as staff marking it paid does', async () => {
    const student = await orderingStudent(h, 'en');
    const { orderId, page } = await placeOrder(student, 'digital', {
      'copies-enrollment-ja': '1',
      ...digitalRecipient,
      recipientLang: 'en',
    });
    const number = paymentNumberIn(page.body);
    expect(textOf(page.body)).toContain(say('en', 'orders.payment.howTo.digital'));
    await settleMail(h);
    const since = h.smtp.count();
    const paid = await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 300 }, machine);
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ kind: 'payment', state: 'paid' });
    expect((await orderRow(h, orderId)).state).toBe('delivered');
    const link = await h.smtp.waitFor(digitalRecipient.recipientEmail, { since });
    expect(urlIn(link).pathname).toBe('/tu/delivery');
    const mails = await mailsTo(h, student.email, since);
    expect(mails.map((mail) => mail.subject)).toEqual([
      expect.stringContaining(say('en', 'mail.orderStatus.subject_digital_delivered')),
    ]);
  });

  it('#12 A-8 C-11 a student no longer eligible is refused at lookup and payment, before any money', async () => {
    const student = await orderingStudent(h, 'ja');
    const { orderId, number } = await postalOrder(student);
    await putRecord(h, { ...student.record, status: 'withdrawn' });
    expectError(
      await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, machine),
      'reservation_ineligible',
    );
    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 440 }, machine),
      'reservation_ineligible',
    );
    expect((await orderRow(h, orderId)).state).toBe('submitted');
    expect(await ledgerRows(orderId)).toHaveLength(0);
  });

  it('#12 A-8 a cancelled order, or one paid at the cashier, takes no money at the store', async () => {
    const student = await orderingStudent(h, 'ja');
    const cancelled = await postalOrder(student);
    await student.browser.post(`/tu/orders/${cancelled.orderId}/cancel`, {});
    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${cancelled.number}/payment`, { amountYen: 440 }, machine),
      'reservation_cancelled',
    );
    const cashier = await postalOrder(student);
    expect(await h.advanceOrder(cashier.orderId, 'paid')).not.toBe('invalid');
    expectError(
      await terminalCall(h, store, 'GET', `/reservations/${cashier.number}`, undefined, machine),
      'already_paid',
    );
    expect(await ledgerRows(cashier.orderId)).toHaveLength(0);
  });
});

describe('#12 A-8 C-5 the terminal simulator pays a payment number', () => {
  it('#12 A-8 C-5 the store simulator looks the number up, says nothing prints, takes the payment and prints nothing', async () => {
    const student = await orderingStudent(h, 'ja');
    const { orderId, number } = await postalOrder(student);
    const { browser } = student;
    await browser.get('/simulator?terminal=sim-store');
    const looked = await browser.post('/simulator/lookup', { terminal: 'sim-store', number });
    expect(looked.status, textOf(looked.body)).toBe(200);
    const confirm = textOf(looked.body);
    expect(confirm).toContain(say('ja', 'orders.detail.paymentNumber'));
    expect(confirm).toContain('テスト大学');
    expect(confirm).toContain(say('ja', 'orders.simulator.paymentOnly'));
    const paid = await browser.post('/simulator/pay', { terminal: 'sim-store', number, amount: '440' });
    expect(paid.status).toBe(200);
    expect(textOf(paid.body)).toContain(say('ja', 'orders.simulator.paidOnly'));
    expect(paid.body).not.toContain('/simulator/document');
    expect((await orderRow(h, orderId)).state).toBe('paid');
  });
});

// Last: it moves the clock a week on.
describe('#12 A-8 expiry of payment numbers', () => {
  it('#12 A-8 past its expiry a payment number is refused (410 reservation_expired); the order stays submitted for the cashier', async () => {
    const student = await orderingStudent(h, 'en');
    const { orderId, number } = await postalOrder(student);
    await advance(h, 7 * DAY - 1);
    expect((await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, machine)).statusCode).toBe(200);
    await advance(h, 1);
    expectError(
      await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, machine),
      'reservation_expired',
    );
    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 440 }, machine),
      'reservation_expired',
    );
    expect((await orderRow(h, orderId)).state).toBe('submitted');
    expect(await ledgerRows(orderId)).toHaveLength(0);
    // A week on, the session has ended: the student logs in again to see the order.
    await logIn(h, student.browser, student, student.secondPassword, student.email);
    const page = await student.browser.get(`/tu/orders/${orderId}`);
    expect(page.body).not.toContain('id="payment-number"');
    expect(textOf(page.body)).toContain(say('en', 'orders.states.submitted'));
    expect(textOf(page.body)).toContain(
      say('en', 'orders.payment.expired', {
        number: `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`,
        expiry: formatDateTime((await orderRow(h, orderId)).paymentExpiresAt!, 'en'),
      }),
    );
    expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
  });
});
