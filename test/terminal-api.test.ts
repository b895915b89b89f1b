import { formatYen } from '../src/platform/format.js';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Order } from '../src/features/orders/order.model.js';
import { terminalErrorStatus } from '../src/features/orders/terminal.service.js';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { newId } from '../src/platform/crypto.js';
import { advance, say } from './helpers/accounts.js';
import { type Harness, textOf } from './helpers/harness.js';
import {
  type OrderingStudent,
  type TestTerminal,
  issuancePolicy,
  orderRow,
  orderingStudent,
  placeOrder,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
} from './helpers/orders.js';
import { needsPoppler, pdfPages, pdfText, pdfsigReport } from './helpers/pdf.js';

let h: Harness;
let other: Tenant;
let student: OrderingStudent;
let campus: TestTerminal;
let campus2: TestTerminal;
let otherCampus: TestTerminal;
let store: TestTerminal;
let store2: TestTerminal;

beforeAll(async () => {
  h = await startIssuanceHarness();
  other = await h.tenants.create({ slug: 'tb', name: { ja: 'ビー大学', en: 'B University' }, policy: issuancePolicy });
  student = await orderingStudent(h, 'ja');
  campus = await registerTerminal(h, 'campus', h.tenant.id);
  campus2 = await registerTerminal(h, 'campus', h.tenant.id);
  otherCampus = await registerTerminal(h, 'campus', other.id);
  store = await registerTerminal(h, 'convenience', null);
  store2 = await registerTerminal(h, 'convenience', null);
});
afterAll(async () => {
  await h.close();
});

const DAY = 86_400_000;
let nextNumber = 900_000_000_000;

/** A reservation of the student: Japanese enrollment ×2 and English transcript ×1, 900 yen. */
async function reserve(
  destination: 'campus' | 'convenience',
  form: Record<string, string> = { 'copies-enrollment-ja': '2', 'copies-transcript-en': '1' },
): Promise<{ orderId: string; number: string }> {
  const { orderId, page } = await placeOrder(student, destination, form);
  return { orderId, number: reservationNumberIn(page.body) };
}

/** A reservation of the other university, written straight to its tables (its students are not needed here). */
async function otherTenantReservation(destination: 'campus' | 'convenience'): Promise<string> {
  const now = h.clock.now();
  const number = String(nextNumber++);
  const order: Order = {
    tenantId: other.id,
    id: newId(),
    accountId: newId(),
    studentNumber: 'b0000001',
    destination,
    state: 'reserved',
    lang: 'en',
    feeYen: 300,
    postageYen: 0,
    reservationNumber: number,
    reservationExpiresAt: now + 7 * DAY,
    terminalId: null,
    storeId: null,
    machineId: null,
    paymentTransactionId: null,
    printFailures: 0,
    shippingAddress: null,
    trackingNumber: null,
    recipient: null,
    createdAt: now,
    updatedAt: now,
    paidAt: null,
    printedAt: null,
    shippedAt: null,
    cancelledAt: null,
    voidedAt: null,
    releasedAt: null,
    paymentNumber: null,
    paymentExpiresAt: null,
    paymentReceipt: null,
    refundNote: null,
    items: [{ seq: 1, type: 'enrollment', lang: 'en', copies: 1, unitFeeYen: 300 }],
  };
  await h.uow.repos.orders.insert(order);
  return number;
}

function expectError(response: { statusCode: number; json(): unknown }, code: keyof typeof terminalErrorStatus) {
  expect({ status: response.statusCode, body: response.json() }).toEqual({
    status: terminalErrorStatus[code],
    body: { error: code },
  });
}

const endpoints = (number: string) =>
  [
    ['GET', `/reservations/${number}`, undefined],
    ['POST', `/reservations/${number}/payment`, { amountYen: 900 }],
    ['GET', `/reservations/${number}/documents`, undefined],
    ['GET', `/reservations/${number}/documents/TU-2026-000001`, undefined],
    ['POST', `/reservations/${number}/printed`, undefined],
    ['POST', `/reservations/${number}/failure`, undefined],
  ] as const;

describe('C-5 terminal API: authentication (#4)', () => {
  it('C-5 #4 401 unauthorized without credentials, with a wrong secret, an unknown or deactivated terminal, on every endpoint', async () => {
    const { number } = await reserve('campus');
    const inactive = await registerTerminal(h, 'campus', h.tenant.id);
    await h.database.db.updateTable('terminals').set({ active: 0 }).where('id', '=', inactive.id).execute();
    const wrong = [
      {},
      { authorization: '' },
      { authorization: campus.authorization.replace('Bearer ', 'Basic ') },
      { authorization: `${campus.authorization.slice(0, -2)}xx` },
      { authorization: `Bearer nobody.${'a'.repeat(43)}` },
      { authorization: `Bearer ${campus.id}` },
      { authorization: `Bearer ${campus.id}.short` },
      { authorization: `Bearer ${otherCampus.id}.${campus.authorization.split('.')[1]}` },
      inactive,
    ];
    for (const [method, path, body] of endpoints(number)) {
      for (const credentials of wrong) {
        const response = await terminalCall(h, credentials, method, path, body);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expectError(response, 'unauthorized');
      }
    }
    expect((await orderRow(h, (await h.uow.repos.orders.findByReservationNumber(number))!.id)).state).toBe('reserved');
  });

  it('C-5 #4 is outside the CSRF check (JSON from machines) and answers unknown paths with JSON 404', async () => {
    const { number } = await reserve('campus');
    const paid = await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 900 });
    expect(paid.statusCode).toBe(200);
    const unknown = await terminalCall(h, campus, 'GET', '/nothing/here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found' });
  });
});

describe('C-5 terminal API: a reservation from lookup to printout (#4)', () => {
  it('C-5 #4 lookup → pay → documents → PDFs → printed; the reservation prints once', async () => {
    const { orderId, number } = await reserve('convenience');
    const order = await orderRow(h, orderId);
    const looked = await terminalCall(h, store, 'GET', `/reservations/${number}`);
    expect(looked.statusCode).toBe(200);
    expect(looked.json()).toEqual({
      reservationNumber: number,
      kind: 'print',
      university: { ja: 'テスト大学', en: 'Test University' },
      state: 'reserved',
      expiresAt: new Date(order.reservationExpiresAt!).toISOString(),
      amountYen: 900,
      printFailures: 0,
      items: [
        {
          type: 'enrollment',
          name: { ja: '在学証明書', en: 'Certificate of Enrollment' },
          language: 'ja',
          copies: 2,
          unitFeeYen: 300,
        },
        {
          type: 'transcript',
          name: { ja: '成績証明書', en: 'Academic Transcript' },
          language: 'en',
          copies: 1,
          unitFeeYen: 300,
        },
      ],
    });

    // Nothing before payment.
    expectError(await terminalCall(h, store, 'GET', `/reservations/${number}/documents`), 'not_paid');
    expectError(await terminalCall(h, store, 'POST', `/reservations/${number}/printed`), 'not_paid');
    expectError(await terminalCall(h, store, 'POST', `/reservations/${number}/failure`), 'not_paid');

    // Payment: the exact amount, as an integer.
    for (const body of [{}, { amountYen: '900' }, { amountYen: 900.5 }, { amountYen: -1 }, null]) {
      expectError(await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, body), 'bad_request');
    }
    const garbage = await h.app.server.inject({
      method: 'POST',
      url: `/api/v1/terminal/reservations/${number}/payment`,
      headers: { authorization: store.authorization, 'content-type': 'application/json' },
      payload: '{"amountYen":',
    });
    expectError(garbage, 'bad_request');
    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 899 }),
      'amount_mismatch',
    );
    expect((await orderRow(h, orderId)).state).toBe('reserved');

    const paid = await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 900 });
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ reservationNumber: number, state: 'paid', amountYen: 900 });
    // The same terminal reporting the payment again (a retry after a timeout) is fine.
    const again = await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 900 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ state: 'paid' });
    expect(await orderRow(h, orderId)).toMatchObject({ state: 'paid', terminalId: store.id });

    // Another machine cannot take the paid reservation over.
    for (const [method, path, body] of endpoints(number)) {
      expectError(await terminalCall(h, store2, method, path, body), 'reservation_in_use');
    }

    const documents = await terminalCall(h, store, 'GET', `/reservations/${number}/documents`);
    expect(documents.statusCode).toBe(200);
    const list = documents.json() as {
      reservationNumber: string;
      documents: Array<{ serial: string; type: string; language: string; copies: number; sha256: string; url: string }>;
    };
    expect(list.reservationNumber).toBe(number);
    expect(list.documents.map((d) => [d.type, d.language, d.copies])).toEqual([
      ['enrollment', 'ja', 2],
      ['transcript', 'en', 1],
    ]);
    for (const document of list.documents) {
      expect(document.serial).toMatch(/^TU-2026-\d{6}-[0-9A-Z]{4}$/);
      expect(document.url).toBe(`/api/v1/terminal/reservations/${number}/documents/${document.serial}`);
      const pdf = await terminalCall(h, store, 'GET', document.url.replace('/api/v1/terminal', ''));
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['cache-control']).toBe('no-store');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(document.sha256);
      // Another terminal cannot fetch them.
      expectError(
        await terminalCall(h, store2, 'GET', document.url.replace('/api/v1/terminal', '')),
        'reservation_in_use',
      );
    }
    expectError(
      await terminalCall(h, store, 'GET', `/reservations/${number}/documents/TU-2026-999999`),
      'reservation_not_found',
    );
    // Fetching again gives the same certificates: each line is issued once.
    const refetched = (await terminalCall(h, store, 'GET', `/reservations/${number}/documents`)).json() as typeof list;
    expect(refetched.documents).toEqual(list.documents);
    const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    expect(issued.map((c) => c.serial)).toEqual(list.documents.map((d) => d.serial));

    const printed = await terminalCall(h, store, 'POST', `/reservations/${number}/printed`);
    expect(printed.statusCode).toBe(200);
    expect(printed.json()).toMatchObject({ state: 'printed' });
    expect((await orderRow(h, orderId)).printedAt).toBe(h.clock.now());
    // Printed once: every later call refuses with reservation_printed.
    for (const [method, path, body] of endpoints(number)) {
      expectError(await terminalCall(h, store, method, path, body), 'reservation_printed');
    }
    const detail = await student.browser.get(`/tu/orders/${orderId}`);
    expect(textOf(detail.body)).toContain(say('ja', 'orders.states.printed'));
  });

  it('C-5 #4 a print failure keeps the reservation paid to the same terminal; it refetches and prints', async () => {
    const { orderId, number } = await reserve('campus', { 'copies-enrollment-en': '1' });
    expect(
      (await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 300 })).statusCode,
    ).toBe(200);
    const first = (await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`)).json() as {
      documents: unknown[];
    };
    for (const attempt of [1, 2]) {
      const failed = await terminalCall(h, campus, 'POST', `/reservations/${number}/failure`);
      expect(failed.statusCode).toBe(200);
      expect(failed.json()).toMatchObject({ state: 'paid', printFailures: attempt });
    }
    expectError(await terminalCall(h, campus2, 'POST', `/reservations/${number}/failure`), 'reservation_in_use');
    expect(await orderRow(h, orderId)).toMatchObject({ state: 'paid', printFailures: 2, terminalId: campus.id });
    const looked = await terminalCall(h, campus, 'GET', `/reservations/${number}`);
    expect(looked.json()).toMatchObject({ state: 'paid', printFailures: 2 });
    const refetched = await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`);
    expect(refetched.statusCode).toBe(200);
    expect((refetched.json() as { documents: unknown[] }).documents).toEqual(first.documents);
    expect((await terminalCall(h, campus, 'POST', `/reservations/${number}/printed`)).statusCode).toBe(200);
    expect((await orderRow(h, orderId)).state).toBe('printed');
  });

  it('C-5 C-8 #4 a cancelled reservation refuses with 410 reservation_cancelled', async () => {
    const { orderId, number } = await reserve('convenience');
    await student.browser.get(`/tu/orders/${orderId}`);
    await student.browser.post(`/tu/orders/${orderId}/cancel`, {});
    expect((await orderRow(h, orderId)).state).toBe('cancelled');
    for (const [method, path, body] of endpoints(number)) {
      expectError(await terminalCall(h, store, method, path, body), 'reservation_cancelled');
    }
  });

  it('C-5 #4 an unknown or malformed reservation number is 404 reservation_not_found', async () => {
    for (const number of ['000000000000', '12345', 'abcdefghijkl', '1234567890123']) {
      expectError(await terminalCall(h, store, 'GET', `/reservations/${number}`), 'reservation_not_found');
      expectError(
        await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 1 }),
        'reservation_not_found',
      );
    }
  });
});

describe('C-5 terminal API: who sees which reservation (#4)', () => {
  it('C-5 #4 a campus terminal sees its own university’s campus reservations only; a store gateway sees store reservations of every university', async () => {
    const ownCampus = (await reserve('campus')).number;
    const ownStore = (await reserve('convenience')).number;
    const otherCampusNumber = await otherTenantReservation('campus');
    const otherStoreNumber = await otherTenantReservation('convenience');

    const sees = async (terminal: TestTerminal, number: string) =>
      (await terminalCall(h, terminal, 'GET', `/reservations/${number}`)).statusCode;
    expect(await sees(campus, ownCampus)).toBe(200);
    expect(await sees(campus, ownStore)).toBe(404);
    expect(await sees(campus, otherCampusNumber)).toBe(404);
    expect(await sees(campus, otherStoreNumber)).toBe(404);
    expect(await sees(otherCampus, otherCampusNumber)).toBe(200);
    expect(await sees(otherCampus, ownCampus)).toBe(404);
    expect(await sees(otherCampus, ownStore)).toBe(404);
    expect(await sees(store, ownStore)).toBe(200);
    expect(await sees(store, otherStoreNumber)).toBe(200);
    expect(await sees(store, ownCampus)).toBe(404);
    expect(await sees(store, otherCampusNumber)).toBe(404);
    // Not visible means not payable either.
    expectError(
      await terminalCall(h, otherCampus, 'POST', `/reservations/${ownCampus}/payment`, { amountYen: 900 }),
      'reservation_not_found',
    );
    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${ownCampus}/payment`, { amountYen: 900 }),
      'reservation_not_found',
    );
    const stillReserved = await h.uow.repos.orders.findByReservationNumber(ownCampus);
    expect(stillReserved?.state).toBe('reserved');
  });
});

describe('C-5 races at the terminals (#4)', () => {
  for (const racers of [2, 5, 10]) {
    it(`C-5 #4 ${racers} terminals paying the same reservation at once: exactly one 200, the others 409 reservation_in_use`, async () => {
      const { orderId, number } = await reserve('convenience', { 'copies-enrollment-ja': '1' });
      const terminals = [store, store2];
      while (terminals.length < racers) terminals.push(await registerTerminal(h, 'convenience', null));
      const results = await Promise.all(
        terminals.map((terminal) =>
          terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: 300 }),
        ),
      );
      const winners = results.flatMap((response, index) => (response.statusCode === 200 ? [terminals[index]!] : []));
      expect(winners).toHaveLength(1);
      for (const response of results.filter((r) => r.statusCode !== 200)) expectError(response, 'reservation_in_use');
      const order = await orderRow(h, orderId);
      expect(order).toMatchObject({ state: 'paid', terminalId: winners[0]!.id });
      // Only the winner prints, once.
      for (const loser of terminals.filter((t) => t !== winners[0])) {
        expectError(await terminalCall(h, loser, 'GET', `/reservations/${number}/documents`), 'reservation_in_use');
      }
      expect((await terminalCall(h, winners[0]!, 'POST', `/reservations/${number}/printed`)).statusCode).toBe(200);
    });
  }

  it('C-5 #4 one terminal sending the payment and "printed" twice at once: one payment, one print', async () => {
    const { orderId, number } = await reserve('campus', { 'copies-enrollment-ja': '1' });
    const payments = await Promise.all(
      [1, 2, 3].map(() => terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 300 })),
    );
    expect(payments.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const paidAt = (await orderRow(h, orderId)).paidAt;
    expect(paidAt).not.toBeNull();
    const prints = await Promise.all(
      [1, 2, 3].map(() => terminalCall(h, campus, 'POST', `/reservations/${number}/printed`)),
    );
    expect(prints.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const response of prints.filter((r) => r.statusCode !== 200)) expectError(response, 'reservation_printed');
    expect(await orderRow(h, orderId)).toMatchObject({ state: 'printed', paidAt });
  });

  it('C-5 #4 two terminals fetching the documents of a fresh payment at once issue each certificate once', async () => {
    const { orderId, number } = await reserve('campus', { 'copies-enrollment-ja': '1', 'copies-transcript-ja': '1' });
    expect(
      (await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 600 })).statusCode,
    ).toBe(200);
    const fetched = await Promise.all(
      [1, 2, 3].map(() => terminalCall(h, campus, 'GET', `/reservations/${number}/documents`)),
    );
    expect(fetched.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const serials = fetched.map((r) =>
      (r.json() as { documents: Array<{ serial: string }> }).documents.map((d) => d.serial),
    );
    expect(serials[1]).toEqual(serials[0]);
    expect(serials[2]).toEqual(serials[0]);
    expect(await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId)).toHaveLength(2);
  });
});

describe('C-6 the PDFs a terminal receives (#4)', () => {
  it('C-6 C-5 #4 one-page A4 certificates that pdftotext reads (holder, serial, verification code) and pdfsig validates', async (context) => {
    needsPoppler(context, 'pdftotext', 'pdfsig');
    const { orderId, number } = await reserve('campus', { 'copies-enrollment-ja': '1', 'copies-enrollment-en': '1' });
    expect(
      (await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 600 })).statusCode,
    ).toBe(200);
    const list = (await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`)).json() as {
      documents: Array<{ serial: string; url: string; language: string }>;
    };
    const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    expect(issued).toHaveLength(2);
    for (const document of list.documents) {
      const response = await terminalCall(h, campus, 'GET', document.url.replace('/api/v1/terminal', ''));
      const pdf = response.rawPayload;
      const certificate = issued.find((c) => c.serial === document.serial)!;
      const pages = await pdfPages(pdf);
      expect(pages.count).toBe(1);
      expect(Math.round(pages.width)).toBe(595);
      expect(Math.round(pages.height)).toBe(842);
      const text = pdfText(pdf);
      expect(text).toContain(document.serial);
      expect(text).toContain(certificate.verificationCode);
      expect(text).toContain(student.record.studentNumber);
      expect(text).toContain(document.language === 'ja' ? student.record.name.kanji : student.record.name.roman);
      const report = pdfsigReport(pdf);
      expect(report).toContain('Signature is Valid.');
      expect(report).toContain('Total document signed');
      expect(report).toContain('ETSI.CAdES.detached');
    }
  });
});

describe('C-6 every certificate type in every language it is issued in (#4)', () => {
  it('C-6 C-5 #4 enrollment, transcript, expected graduation (ja, en) and course application (ja) render, signed, with their ids', async (context) => {
    needsPoppler(context, 'pdftotext', 'pdfsig');
    const { orderId, number } = await reserve('campus', {
      'copies-enrollment-ja': '1',
      'copies-enrollment-en': '1',
      'copies-transcript-ja': '1',
      'copies-transcript-en': '1',
      'copies-expected_graduation-ja': '1',
      'copies-expected_graduation-en': '1',
      'copies-course_application-ja': '1',
    });
    expect(
      (await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 1900 })).statusCode,
    ).toBe(200);
    const list = (await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`)).json() as {
      documents: Array<{ serial: string; type: string; language: string; url: string }>;
    };
    expect(list.documents.map((d) => `${d.type}/${d.language}`)).toEqual([
      'enrollment/ja',
      'enrollment/en',
      'transcript/ja',
      'transcript/en',
      'expected_graduation/ja',
      'expected_graduation/en',
      'course_application/ja',
    ]);
    const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    for (const document of list.documents) {
      const response = await terminalCall(h, campus, 'GET', document.url.replace('/api/v1/terminal', ''));
      expect(response.statusCode).toBe(200);
      const pdf = response.rawPayload;
      expect((await pdfPages(pdf)).count).toBeGreaterThanOrEqual(1);
      const certificate = issued.find((c) => c.serial === document.serial)!;
      const text = pdfText(pdf).replace(/\s+/g, ' ');
      expect(text, document.serial).toContain(document.serial);
      expect(text, document.serial).toContain(certificate.verificationCode);
      if (document.type === 'transcript') {
        const course = document.language === 'ja' ? '日本文学概論' : 'Introduction to Japanese Literature';
        expect(text, document.serial).toContain(course);
      }
      expect(pdfsigReport(pdf), document.serial).toContain('Signature is Valid.');
    }
  });
});

describe('C-4 staff moves are for postal and digital orders only (#4)', () => {
  it('C-4 C-5 #4 staff cannot mark a terminal reservation paid or printed behind the terminal', async () => {
    const { orderId, number } = await reserve('campus', { 'copies-enrollment-ja': '1' });
    expect(await h.advanceOrder(orderId, 'paid')).toBe('invalid');
    expect(
      (await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 300 })).statusCode,
    ).toBe(200);
    expect(await h.advanceOrder(orderId, 'printed')).toBe('invalid');
    expect((await orderRow(h, orderId)).state).toBe('paid');
    expect((await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`)).statusCode).toBe(200);
    expect((await terminalCall(h, campus, 'POST', `/reservations/${number}/printed`)).statusCode).toBe(200);
  });
});

describe('C-5 the terminal simulator page (#4)', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`C-5 #4 the store simulator looks up, pays, hands out the PDFs and finishes through the terminal API (${lang})`, async () => {
      const { orderId, number } = await reserve('convenience', { 'copies-enrollment-ja': '1' });
      const { browser } = student;
      const headers = { 'accept-language': lang };
      const start = await h.app.server.inject({ method: 'GET', url: `/simulator?lang=${lang}`, headers });
      expect(start.statusCode).toBe(200);
      expect(textOf(start.body)).toContain(say(lang, 'orders.simulator.store'));
      // The simulator pages are ordinary forms: drive them with the student's browser.
      await browser.get(`/simulator?lang=${lang}`);
      const wrongNumber = await browser.post('/simulator/lookup', { terminal: 'sim-store', number: '999999999999' });
      expect(wrongNumber.status).toBe(422);
      expect(textOf(wrongNumber.body)).toContain(say(lang, 'orders.simulator.errors.reservation_not_found'));
      const looked = await browser.post('/simulator/lookup', {
        terminal: 'sim-store',
        number: `${number.slice(0, 4)}-${number.slice(4)}`,
      });
      expect(looked.status).toBe(200);
      expect(textOf(looked.body)).toContain(say(lang, 'orders.simulator.pay', { amount: formatYen(300, lang) }));
      const paid = await browser.post('/simulator/pay', { terminal: 'sim-store', number, amount: '300' });
      expect(paid.status).toBe(200);
      expect(textOf(paid.body)).toContain(say(lang, 'orders.simulator.paid'));
      const link = /href="(\/simulator\/document\?[^"]+)"/.exec(paid.body)![1]!.replace(/&amp;/g, '&');
      const pdf = await h.app.server.inject({ method: 'GET', url: link });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const done = await browser.post('/simulator/printed', { terminal: 'sim-store', number });
      expect(textOf(done.body)).toContain(say(lang, 'orders.simulator.printed'));
      expect((await orderRow(h, orderId)).state).toBe('printed');
      await browser.get(`/simulator?lang=${lang}`);
      const twice = await browser.post('/simulator/lookup', { terminal: 'sim-store', number });
      expect(textOf(twice.body)).toContain(say(lang, 'orders.simulator.errors.reservation_printed'));
    });
  }

  it('C-5 #4 the campus simulator of a university created after start works too', async () => {
    const { orderId, number } = await reserve('campus', { 'copies-enrollment-ja': '1' });
    const { browser } = student;
    await browser.get('/simulator?terminal=sim-campus-tu');
    const looked = await browser.post('/simulator/lookup', { terminal: 'sim-campus-tu', number });
    expect(looked.status, textOf(looked.body)).toBe(200);
    const paid = await browser.post('/simulator/pay', { terminal: 'sim-campus-tu', number, amount: '300' });
    expect(paid.status).toBe(200);
    expect((await orderRow(h, orderId)).state).toBe('paid');
  });
});

describe('C-5 the OpenAPI description matches the API (#4)', () => {
  interface Spec {
    openapi: string;
    info: { description: string };
    servers: Array<{ url: string }>;
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, { required?: string[]; properties?: Record<string, { enum?: string[] }> }> };
  }
  const spec = parse(fs.readFileSync(new URL('../docs/terminal-api.openapi.yaml', import.meta.url), 'utf8')) as Spec;
  const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

  it('C-5 #4 every documented operation is a route, and no other method is routed on those paths', () => {
    expect(spec.openapi).toBe('3.1.0');
    const base = spec.servers[0]!.url;
    expect(base).toBe('/api/v1/terminal');
    const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      methods.filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /reservations/{number}',
        'POST /reservations/{number}/payment',
        'GET /reservations/{number}/documents',
        'GET /reservations/{number}/documents/{serial}',
        'POST /reservations/{number}/printed',
        'POST /reservations/{number}/failure',
        'POST /reservations/{number}/void',
        'GET /settlements/{date}',
      ].sort(),
    );
    for (const [path, item] of Object.entries(spec.paths)) {
      const url = `${base}${path.replace(/\{(\w+)\}/g, ':$1')}`;
      for (const method of methods) {
        expect(h.app.server.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${method} ${url}`).toBe(
          method in item,
        );
      }
    }
  });

  it('C-5 #4 every error code is documented with its status, and the schemas name the fields the API sends', async () => {
    const codes = spec.components.schemas.Error!.properties!.error!.enum!;
    for (const [code, status] of Object.entries(terminalErrorStatus)) {
      expect(codes).toContain(code);
      expect(spec.info.description).toContain(`| ${status} | \`${code}\` |`);
    }
    expect(codes).toEqual(expect.arrayContaining(['not_found', 'internal']));
    // Each status an operation can answer is listed on it (the settlement is about no reservation).
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of methods.filter((m) => m in item)) {
        const statuses = Object.keys(item[method]!.responses);
        expect(statuses, `${method} ${path}`).toEqual(
          expect.arrayContaining(
            path.startsWith('/reservations/')
              ? ['200', '400', '401', '404', '409', '410', '500']
              : ['200', '400', '401', '500'],
          ),
        );
      }
    }
    expect(Object.keys(spec.paths['/reservations/{number}/payment']!.post!.responses)).toContain('422');

    const { number } = await reserve('campus', { 'copies-enrollment-ja': '1' });
    const reservation = (await terminalCall(h, campus, 'GET', `/reservations/${number}`)).json() as Record<
      string,
      unknown
    >;
    expect(Object.keys(reservation).sort()).toEqual([...spec.components.schemas.Reservation!.required!].sort());
    const item = (reservation.items as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(item).sort()).toEqual([...spec.components.schemas.ReservationItem!.required!].sort());
    await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 300 });
    const list = (await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`)).json() as Record<
      string,
      unknown
    >;
    expect(Object.keys(list).sort()).toEqual([...spec.components.schemas.DocumentList!.required!].sort());
    const document = (list.documents as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(document).sort()).toEqual([...spec.components.schemas.Document!.required!].sort());
  });
});

// Last: it moves the clock a week on.
describe('C-5 expiry of reservations (#4)', () => {
  it('C-5 C-4 #4 past its expiry (7 days) a reservation refuses with 410 reservation_expired; a paid one still prints', async () => {
    const unpaid = await reserve('campus', { 'copies-enrollment-ja': '1' });
    const paidBefore = await reserve('campus', { 'copies-enrollment-ja': '1' });
    expect(
      (await terminalCall(h, campus, 'POST', `/reservations/${paidBefore.number}/payment`, { amountYen: 300 }))
        .statusCode,
    ).toBe(200);
    await advance(h, 7 * DAY - 1);
    expect((await terminalCall(h, campus, 'GET', `/reservations/${unpaid.number}`)).statusCode).toBe(200);
    await advance(h, 1);
    for (const [method, path, body] of endpoints(unpaid.number)) {
      expectError(
        await terminalCall(h, campus, method, path, body === undefined ? undefined : { amountYen: 300 }),
        'reservation_expired',
      );
    }
    expect((await orderRow(h, unpaid.orderId)).state).toBe('reserved');
    expect((await terminalCall(h, campus, 'GET', `/reservations/${paidBefore.number}/documents`)).statusCode).toBe(200);
    expect((await terminalCall(h, campus, 'POST', `/reservations/${paidBefore.number}/printed`)).statusCode).toBe(200);
  });
});
