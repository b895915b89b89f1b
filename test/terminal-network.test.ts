import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalErrorStatus } from '../src/features/orders/terminal.service.js';
import { mailsTo } from './helpers/accounts.js';
import type { Harness } from './helpers/harness.js';
import {
  type OrderingStudent,
  type TestMachine,
  type TestTerminal,
  orderRow,
  orderingStudent,
  placeOrder,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
} from './helpers/orders.js';

let h: Harness;
let student: OrderingStudent;
let store: TestTerminal;
let campus: TestTerminal;

beforeAll(async () => {
  h = await startIssuanceHarness();
  student = await orderingStudent(h, 'ja');
  store = await registerTerminal(h, 'convenience', null);
  campus = await registerTerminal(h, 'campus', h.tenant.id);
});
afterAll(async () => {
  await h.close();
});

const DAY = 86_400_000;
const here: TestMachine = { storeId: '0142', machineId: 'mc-1' };
const nextDoor: TestMachine = { storeId: '0142', machineId: 'mc-2' };
const otherStore: TestMachine = { storeId: '0977', machineId: 'mc-1' };

/** A reservation of one Japanese enrollment certificate (300 yen), or the lines given. */
async function reserve(
  destination: 'campus' | 'convenience' = 'convenience',
  form: Record<string, string> = { 'copies-enrollment-ja': '1' },
): Promise<{ orderId: string; number: string }> {
  const { orderId, page } = await placeOrder(student, destination, form);
  return { orderId, number: reservationNumberIn(page.body) };
}

function expectError(response: { statusCode: number; json(): unknown }, code: keyof typeof terminalErrorStatus) {
  expect({ status: response.statusCode, body: response.json() }).toEqual({
    status: terminalErrorStatus[code],
    body: { error: code },
  });
}

async function pay(number: string, machine: TestMachine = here, amountYen = 300) {
  const paid = await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen }, machine);
  expect(paid.statusCode, paid.body).toBe(200);
  return paid;
}

describe('#9 C-5 each call names the machine; payment binds the reservation to it', () => {
  it('#9 C-5 a reservation call without store, machine or transaction id is 400 machine_required', async () => {
    const { number } = await reserve();
    for (const missing of ['x-store-id', 'x-machine-id', 'x-transaction-id']) {
      const response = await h.app.server.inject({
        method: 'GET',
        url: `/api/v1/terminal/reservations/${number}`,
        headers: {
          authorization: store.authorization,
          ...Object.fromEntries(
            Object.entries({ 'x-store-id': '0142', 'x-machine-id': 'mc-1', 'x-transaction-id': 't-1' }).filter(
              ([name]) => name !== missing,
            ),
          ),
        },
      });
      expectError(response, 'machine_required');
    }
    expectError(
      await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, { ...here, machineId: 'mc 1' }),
      'machine_required',
    );
  });

  it('#9 C-5 another machine of the same network is refused for pay, documents, printed, failure and void', async () => {
    const { orderId, number } = await reserve();
    await pay(number, { ...here, transactionId: 'T-0001' });
    const order = await orderRow(h, orderId);
    expect({ store: order.storeId, machine: order.machineId, tx: order.paymentTransactionId }).toEqual({
      store: '0142',
      machine: 'mc-1',
      tx: 'T-0001',
    });
    for (const machine of [nextDoor, otherStore]) {
      expectError(await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, machine), 'reservation_in_use');
      expectError(
        await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 300 }, machine),
        'reservation_in_use',
      );
      for (const [method, path] of [
        ['GET', 'documents'],
        ['POST', 'printed'],
        ['POST', 'failure'],
        ['POST', 'void'],
      ] as const)
        expectError(
          await terminalCall(h, store, method, `/reservations/${number}/${path}`, undefined, machine),
          'reservation_in_use',
        );
    }
    expect(await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId)).toHaveLength(0);
    // The machine that took the payment prints it.
    expect((await terminalCall(h, store, 'GET', `/reservations/${number}/documents`, undefined, here)).statusCode).toBe(200);
    expect((await terminalCall(h, store, 'POST', `/reservations/${number}/printed`, undefined, here)).statusCode).toBe(200);
  });
});

describe('#9 C-5 Idempotency-Key makes retries safe', () => {
  it('#9 C-5 the same key and request get the stored answer and act once; the same key with another request is 422', async () => {
    const { orderId, number } = await reserve();
    const key = { ...here, transactionId: 'T-0100', idempotencyKey: 'pay-0100' };
    const first = await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 300 }, key);
    expect(first.statusCode).toBe(200);
    const again = await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 300 }, key);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${number}/payment`, { amountYen: 301 }, key),
      'idempotency_key_reused',
    );
    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, key),
      'idempotency_key_reused',
    );

    // A failure report retried (the answer was lost on the way) counts once.
    const failureKey = { ...here, transactionId: 'T-0100', idempotencyKey: 'failure-0100' };
    const failed = await Promise.all(
      [1, 2].map(() => terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, failureKey)),
    );
    const statuses = failed.map((response) => response.statusCode).sort();
    // At once: one acts, the other is told to wait (409) or, if it came after, gets the same answer.
    expect([
      [200, 200],
      [200, 409],
    ]).toContainEqual(statuses);
    expect((await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, failureKey)).statusCode).toBe(200);
    expect((await orderRow(h, orderId)).printFailures).toBe(1);
    expect((await h.uow.repos.terminalLedger.listBetween(0, Number.MAX_SAFE_INTEGER)).filter((e) => e.orderId === orderId)).toHaveLength(1);

    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${number}/printed`, undefined, { ...here, idempotencyKey: ' ' }),
      'bad_request',
    );
  });
});

describe('#9 C-5 HEAD, bodies and 401 as the API documents them', () => {
  it('#9 C-5 HEAD on documents issues nothing (405 with Allow: GET)', async () => {
    const { orderId, number } = await reserve();
    await pay(number);
    for (const path of [`/reservations/${number}/documents`, `/reservations/${number}/documents/X`, `/reservations/${number}`]) {
      const head = await terminalCall(h, store, 'HEAD', path, undefined, here);
      expect(head.statusCode).toBe(405);
      expect(head.headers.allow).toBe('GET');
    }
    expect(await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId)).toHaveLength(0);
  });

  it('#9 C-5 failure, printed and void with a body that is not a JSON object are 400; no body or {} is fine', async () => {
    const { orderId, number } = await reserve();
    await pay(number);
    for (const path of ['failure', 'printed', 'void'])
      for (const [type, payload] of [
        ['text/plain', 'printer jammed'],
        ['application/x-www-form-urlencoded', 'reason=jam'],
        ['application/json', '"jammed"'],
        ['application/json', '[1]'],
        ['application/json', '{"reason":'],
      ]) {
        const response = await h.app.server.inject({
          method: 'POST',
          url: `/api/v1/terminal/reservations/${number}/${path}`,
          headers: {
            authorization: store.authorization,
            'content-type': type!,
            'x-store-id': here.storeId!,
            'x-machine-id': here.machineId!,
            'x-transaction-id': 'T-0300',
          },
          payload,
        });
        expectError(response, 'bad_request');
      }
    expect((await orderRow(h, orderId)).printFailures).toBe(0);
    expect((await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, {}, here)).statusCode).toBe(200);
    expect((await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, here)).statusCode).toBe(200);
    expect((await orderRow(h, orderId)).printFailures).toBe(2);
  });

  it('#9 C-5 401 carries WWW-Authenticate', async () => {
    for (const authorization of [undefined, 'Bearer nobody.nothing-at-all-here', `${store.authorization}x`]) {
      const response = await terminalCall(h, { authorization }, 'GET', '/reservations/123456789012');
      expectError(response, 'unauthorized');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="shomei-terminal"');
    }
  });
});

describe('#9 C-5 racing documents calls', () => {
  it('#9 C-5 racing documents calls issue each certificate once and leave no gaps in serials', async () => {
    const sequenceOf = (serial: string) => Number(serial.split('-')[2]);
    const first = await reserve('campus', { 'copies-enrollment-ja': '1', 'copies-enrollment-en': '1' });
    expect(
      (await terminalCall(h, campus, 'POST', `/reservations/${first.number}/payment`, { amountYen: 600 })).statusCode,
    ).toBe(200);
    const raced = await Promise.all(
      [1, 2, 3, 4].map(() => terminalCall(h, campus, 'GET', `/reservations/${first.number}/documents`)),
    );
    expect(raced.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const firstSerials = (raced[0]!.json() as { documents: Array<{ serial: string }> }).documents.map((d) => d.serial);
    const second = await reserve('campus');
    await terminalCall(h, campus, 'POST', `/reservations/${second.number}/payment`, { amountYen: 300 });
    const next = (
      (await terminalCall(h, campus, 'GET', `/reservations/${second.number}/documents`)).json() as {
        documents: Array<{ serial: string }>;
      }
    ).documents.map((d) => d.serial);
    const sequences = [...firstSerials, ...next].map(sequenceOf).sort((a, b) => a - b);
    expect(sequences).toEqual([sequences[0], sequences[0]! + 1, sequences[0]! + 2]);
  });
});

describe('#9 C-11 a paid reservation that cannot print is voided by the terminal', () => {
  it('#9 C-11 void only after a failure; then voided, certificates revoked, the student mailed, every call 410', async () => {
    const { orderId, number } = await reserve();
    await pay(number, { ...here, transactionId: 'T-0400' });
    expectError(await terminalCall(h, store, 'POST', `/reservations/${number}/void`, undefined, here), 'void_refused');
    expect((await terminalCall(h, store, 'GET', `/reservations/${number}/documents`, undefined, here)).statusCode).toBe(200);
    await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, here);
    const mailsBefore = h.smtp.mails.length;
    const voided = await terminalCall(h, store, 'POST', `/reservations/${number}/void`, undefined, {
      ...here,
      transactionId: 'T-0401',
    });
    expect(voided.statusCode, voided.body).toBe(200);
    expect((voided.json() as { state: string }).state).toBe('voided');
    const order = await orderRow(h, orderId);
    expect(order.state).toBe('voided');
    expect(order.voidedAt).toBe(h.clock.now());
    const certificates = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    expect(certificates.length).toBe(1);
    expect(certificates.every((c) => c.revokedAt !== null)).toBe(true);
    for (const [method, path] of [
      ['GET', ''],
      ['GET', '/documents'],
      ['POST', '/printed'],
      ['POST', '/void'],
    ] as const)
      expectError(await terminalCall(h, store, method, `/reservations/${number}${path}`, undefined, here), 'reservation_voided');
    const mails = await mailsTo(h, student.email, mailsBefore);
    expect(mails.map((mail) => mail.subject)).toContainEqual(expect.stringContaining('証明書の支払いを取り消しました'));
    const page = await student.browser.get(`/tu/orders/${orderId}`);
    expect(page.body).toContain('支払い取消済み（未印刷）');
    expect(page.body).toContain('もう一度お申し込みください');
  });
});

// Last: it moves the clock a day on (and so ends the student's session).
describe('#9 C-5 Idempotency-Key expiry', () => {
  it('#9 C-5 kept answers expire after a day: the key may then be used again', async () => {
    const { number } = await reserve();
    const key = { ...here, transactionId: 'T-0200', idempotencyKey: 'pay-0200' };
    await pay(number, key);
    h.clock.advance(DAY + 1);
    const fresh = await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, key);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
  });
});
