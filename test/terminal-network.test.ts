import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { orderCommands } from '../src/cli/order.commands.js';
import { terminalCommands } from '../src/cli/terminal.commands.js';
import type { CliContext } from '../src/cli/command.js';
import { buildApp } from '../src/app.js';
import { Housekeeping } from '../src/db/housekeeping.js';
import { ensureSimulatorTerminals, simulatorSecret } from '../src/dev/simulator/simulator.terminals.js';
import { terminalErrorStatus } from '../src/features/orders/terminal.service.js';
import { mailsTo, say } from './helpers/accounts.js';
import { type Harness, textOf } from './helpers/harness.js';
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

describe('#12 A-9 a gateway credential made by a university', () => {
  it('#12 A-9 serves that university’s convenience reservations only; a deployment gateway serves all', async () => {
    const elsewhere = await h.tenants.create({
      slug: 'gw-other',
      name: { ja: '別大学', en: 'Elsewhere' },
      enabled: false,
    });
    const foreign = await registerTerminal(h, 'convenience', elsewhere.id);
    const own = await registerTerminal(h, 'convenience', h.tenant.id);
    const { number } = await reserve();
    expectError(
      await terminalCall(h, foreign, 'GET', `/reservations/${number}`, undefined, here),
      'reservation_not_found',
    );
    expect((await terminalCall(h, own, 'GET', `/reservations/${number}`, undefined, here)).statusCode).toBe(200);
    expect((await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, here)).statusCode).toBe(200);
  });
});

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
      expectError(
        await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, machine),
        'reservation_in_use',
      );
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
    expect((await terminalCall(h, store, 'GET', `/reservations/${number}/documents`, undefined, here)).statusCode).toBe(
      200,
    );
    expect((await terminalCall(h, store, 'POST', `/reservations/${number}/printed`, undefined, here)).statusCode).toBe(
      200,
    );
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
    expect(
      (await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, failureKey)).statusCode,
    ).toBe(200);
    expect((await orderRow(h, orderId)).printFailures).toBe(1);
    expect(
      (await h.uow.repos.terminalLedger.listBetween(0, Number.MAX_SAFE_INTEGER)).filter((e) => e.orderId === orderId),
    ).toHaveLength(1);

    expectError(
      await terminalCall(h, store, 'POST', `/reservations/${number}/printed`, undefined, {
        ...here,
        idempotencyKey: ' ',
      }),
      'bad_request',
    );
  });
});

describe('#9 C-5 HEAD, bodies and 401 as the API documents them', () => {
  it('#9 C-5 HEAD on documents issues nothing (405 with Allow: GET)', async () => {
    const { orderId, number } = await reserve();
    await pay(number);
    for (const path of [
      `/reservations/${number}/documents`,
      `/reservations/${number}/documents/X`,
      `/reservations/${number}`,
    ]) {
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
    expect((await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, here)).statusCode).toBe(
      200,
    );
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
    expect((await terminalCall(h, store, 'GET', `/reservations/${number}/documents`, undefined, here)).statusCode).toBe(
      200,
    );
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
      expectError(
        await terminalCall(h, store, method, `/reservations/${number}${path}`, undefined, here),
        'reservation_voided',
      );
    const mails = await mailsTo(h, student.email, mailsBefore);
    expect(mails.map((mail) => mail.subject)).toContainEqual(expect.stringContaining('証明書の支払いを取り消しました'));
    const page = await student.browser.get(`/tu/orders/${orderId}`);
    expect(page.body).toContain('支払い取消済み（未印刷）');
    expect(page.body).toContain('もう一度お申し込みください');
  });
});

describe('#9 C-5 the simulator is off in production, its terminals too', () => {
  it('#9 C-5 with TERMINAL_SIMULATOR off (the production default) /simulator is 404 and the simulator terminals get 401', async () => {
    const { services } = h.app;
    await ensureSimulatorTerminals(services.uow, services.terminals, services.secrets);
    const simulated = { authorization: `Bearer sim-store.${simulatorSecret(services.secrets, 'sim-store')}` };
    const { number } = await reserve();
    expect((await terminalCall(h, simulated, 'GET', `/reservations/${number}`)).statusCode).toBe(200);
    // A second instance on the same database, configured as production has it.
    const off = await buildApp({
      config: { ...services.config, terminalSimulator: false },
      database: h.database,
      clock: h.clock,
      secretKey: 'test-secret-key-that-is-long-enough-0123456789',
    });
    try {
      expect((await off.server.inject({ method: 'GET', url: '/simulator' })).statusCode).toBe(404);
      const refused = await off.server.inject({
        method: 'GET',
        url: `/api/v1/terminal/reservations/${number}`,
        headers: {
          authorization: simulated.authorization,
          'x-store-id': 's',
          'x-machine-id': 'm',
          'x-transaction-id': 't',
        },
      });
      expect(refused.statusCode).toBe(401);
      const ordinary = await off.server.inject({
        method: 'GET',
        url: `/api/v1/terminal/reservations/${number}`,
        headers: {
          authorization: store.authorization,
          'x-store-id': 's',
          'x-machine-id': 'm',
          'x-transaction-id': 't',
        },
      });
      expect(ordinary.statusCode).toBe(200);
    } finally {
      await off.server.close();
    }
  });
});

describe('#9 C-5 C-11 the simulator voids too', () => {
  it('#9 C-5 C-11 after a reported failure the store simulator refunds and voids through the terminal API', async () => {
    const { orderId, number } = await reserve();
    const browser = student.browser;
    await browser.get('/simulator?lang=ja');
    expect((await browser.post('/simulator/lookup', { terminal: 'sim-store', number })).status).toBe(200);
    expect((await browser.post('/simulator/pay', { terminal: 'sim-store', number, amount: '300' })).status).toBe(200);
    const failed = await browser.post('/simulator/failure', { terminal: 'sim-store', number });
    expect(textOf(failed.body)).toContain(say('ja', 'orders.simulator.void'));
    const voided = await browser.post('/simulator/void', { terminal: 'sim-store', number });
    expect(textOf(voided.body)).toContain(say('ja', 'orders.simulator.voided'));
    expect((await orderRow(h, orderId)).state).toBe('voided');
  });
});

/** A CLI command run in this process, as `shomei <name>` would: its exit code and what it printed. */
async function shomei(
  name: string,
  values: Record<string, string>,
): Promise<{ code: number | 'usage'; stdout: string }> {
  const command = [...orderCommands, ...terminalCommands].find((each) => each.name === name);
  if (!command || (command.database ?? 'migrated') !== 'migrated') throw new Error(`no such command ${name}`);
  const context = {
    config: h.app.services.config,
    resolvePath: (file: string) => file,
    database: h.database,
    services: h.app.services,
    tenantBySlug: async (slug: string) => (await h.uow.repos.tenants.findBySlug(slug))!,
  } as unknown as CliContext;
  let stdout = '';
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void (stdout += `${String(line)}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await (command.run as (c: CliContext, v: Record<string, string>) => Promise<number | 'usage'>)(
      context,
      values,
    );
    return { code, stdout };
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}

describe('#9 C-11 staff release a paid reservation that cannot print', () => {
  it('#9 C-11 `shomei order release`: released, certificates revoked, the student told to ask the registrar for the refund', async () => {
    const { orderId, number } = await reserve();
    await pay(number);
    expect((await terminalCall(h, store, 'GET', `/reservations/${number}/documents`, undefined, here)).statusCode).toBe(
      200,
    );
    const mailsBefore = h.smtp.mails.length;
    const released = await shomei('order release', { tenant: h.tenant.slug, order: orderId });
    expect(released.code).toBe(0);
    expect(released.stdout).toContain('refund 300 yen');
    const order = await orderRow(h, orderId);
    expect(order.state).toBe('released');
    expect(order.releasedAt).toBe(h.clock.now());
    const certificates = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    expect(certificates.every((c) => c.revokedAt !== null)).toBe(true);
    expectError(
      await terminalCall(h, store, 'GET', `/reservations/${number}`, undefined, here),
      'reservation_released',
    );
    expect((await shomei('order release', { tenant: h.tenant.slug, order: orderId })).code).toBe(1);
    const mails = await mailsTo(h, student.email, mailsBefore);
    expect(mails.map((mail) => mail.subject)).toContainEqual(expect.stringContaining('返金のご案内'));
    const page = await student.browser.get(`/tu/orders/${orderId}`);
    expect(page.body).toContain('返金手続き中（未印刷）');
    expect(page.body).toContain('各学部窓口');
    // Unpaid or printed orders are not released.
    const unpaid = await reserve();
    expect((await shomei('order release', { tenant: h.tenant.slug, order: unpaid.orderId })).code).toBe(1);
  });
});

describe('#9 A-9 the daily settlement per network and university', () => {
  it('#9 A-9 C-5 the API (JSON and CSV, as the OpenAPI file describes) and `shomei terminal settlement` add up payments and voids', async () => {
    const gateway = await registerTerminal(h, 'convenience', null);
    const call = (method: 'GET' | 'POST', path: string, body?: unknown, machine: TestMachine = here) =>
      terminalCall(h, gateway, method, path, body, machine);
    const kept = await reserve();
    const voided = await reserve('convenience', { 'copies-enrollment-ja': '2' });
    expect(
      (
        await call(
          'POST',
          `/reservations/${kept.number}/payment`,
          { amountYen: 300 },
          { ...here, transactionId: 'T-1' },
        )
      ).statusCode,
    ).toBe(200);
    h.clock.advance(1000);
    expect(
      (
        await call(
          'POST',
          `/reservations/${voided.number}/payment`,
          { amountYen: 600 },
          { ...nextDoor, transactionId: 'T-2' },
        )
      ).statusCode,
    ).toBe(200);
    await call('POST', `/reservations/${voided.number}/failure`, undefined, nextDoor);
    h.clock.advance(1000);
    expect(
      (await call('POST', `/reservations/${voided.number}/void`, undefined, { ...nextDoor, transactionId: 'T-3' }))
        .statusCode,
    ).toBe(200);

    const date = '2026-11-22';
    const json = await call('GET', `/settlements/${date}`);
    expect(json.statusCode, json.body).toBe(200);
    const report = json.json() as { rows: unknown[]; transactions: Array<Record<string, unknown>> };
    expect(report.rows).toEqual([
      {
        date,
        network: gateway.id,
        university: h.tenant.slug,
        payments: 2,
        paidYen: 900,
        voids: 1,
        voidedYen: 600,
        netYen: 300,
      },
    ]);
    expect(
      report.transactions.map((t) => [
        t.kind,
        t.reservationNumber,
        t.storeId,
        t.machineId,
        t.transactionId,
        t.amountYen,
      ]),
    ).toEqual([
      ['payment', kept.number, '0142', 'mc-1', 'T-1', 300],
      ['payment', voided.number, '0142', 'mc-2', 'T-2', 600],
      ['void', voided.number, '0142', 'mc-2', 'T-3', 600],
    ]);

    // The answer is what docs/terminal-api.openapi.yaml says it is.
    const spec = parse(fs.readFileSync(new URL('../docs/terminal-api.openapi.yaml', import.meta.url), 'utf8'));
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'spec', components: spec.components });
    const settlement = ajv.getSchema('spec#/components/schemas/Settlement')!;
    expect(settlement(report), JSON.stringify(settlement.errors)).toBe(true);
    const reservation = ajv.getSchema('spec#/components/schemas/Reservation')!;
    const lookedUp = (await call('GET', `/reservations/${kept.number}`)).json();
    expect(reservation(lookedUp), JSON.stringify(reservation.errors)).toBe(true);
    const error = ajv.getSchema('spec#/components/schemas/Error')!;
    expect(error((await call('GET', `/reservations/${voided.number}`)).json())).toBe(true);

    const csv = await call('GET', `/settlements/${date}?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const csvLines = [
      'date,network,university,payments,paid_yen,voids,voided_yen,net_yen',
      `${date},${gateway.id},${h.tenant.slug},2,900,1,600,300`,
    ];
    expect(csv.body).toBe(`${csvLines.join('\r\n')}\r\n`);
    // Another day, another network's credential: nothing of this network.
    expect((await call('GET', '/settlements/2026-11-21')).json()).toMatchObject({ rows: [], transactions: [] });
    expect(
      (
        (await terminalCall(h, store, 'GET', `/settlements/${date}`)).json() as { rows: Array<{ network: string }> }
      ).rows.map((r) => r.network),
    ).not.toContain(gateway.id);
    for (const bad of ['2026-02-30', '20261122', 'yesterday'])
      expectError(await call('GET', `/settlements/${bad}`), 'bad_request');
    expectError(await call('GET', `/settlements/${date}?format=xml`), 'bad_request');
    expectError(await terminalCall(h, {}, 'GET', `/settlements/${date}`), 'unauthorized');

    // The operator sees every network, or one.
    const cli = await shomei('terminal settlement', { date, network: gateway.id });
    expect(cli).toEqual({ code: 0, stdout: csv.body });
    const all = await shomei('terminal settlement', { date, format: 'json' });
    expect((JSON.parse(all.stdout) as { rows: Array<{ network: string }> }).rows.map((r) => r.network)).toEqual(
      expect.arrayContaining([gateway.id, store.id]),
    );
    expect((await shomei('terminal settlement', { date: '2026-13-01' })).code).toBe('usage');
  });
});

// Moves the clock past the deadline (and so ends the student's session).
describe('#9 C-11 the deadline releases paid reservations never printed', () => {
  it('#9 C-11 housekeeping releases a reservation paid RELEASE_UNPRINTED_AFTER_DAYS (7) days ago and not printed, and mails the student', async () => {
    const { orderId, number } = await reserve();
    await pay(number);
    const printed = await reserve();
    await pay(printed.number);
    await terminalCall(h, store, 'POST', `/reservations/${printed.number}/printed`, undefined, here);
    const housekeeping = new Housekeeping(h.uow, h.clock, pino({ level: 'silent' }), {
      releaseUnprinted: () => h.app.services.orderStaff.releaseUnprinted(),
    });
    h.clock.advance(7 * DAY - 1);
    // Reservations paid by the tests before are past the deadline already; this one is not.
    await housekeeping.run();
    expect((await orderRow(h, orderId)).state).toBe('paid');
    h.clock.advance(1);
    const mailsBefore = h.smtp.mails.length;
    expect((await housekeeping.run()).released).toBe(1);
    expect((await orderRow(h, orderId)).state).toBe('released');
    expect((await orderRow(h, printed.orderId)).state).toBe('printed');
    expect((await housekeeping.run()).released).toBe(0);
    const mails = await mailsTo(h, student.email, mailsBefore);
    expect(mails.map((mail) => mail.subject)).toContainEqual(expect.stringContaining('返金のご案内'));
    expectError(
      await terminalCall(h, store, 'GET', `/reservations/${number}/documents`, undefined, here),
      'reservation_released',
    );
  });
});

// Last: it moves the clock a day on; a student who logs in afresh orders.
describe('#9 C-5 Idempotency-Key expiry', () => {
  it('#9 C-5 kept answers expire after a day: the key may then be used again', async () => {
    student = await orderingStudent(h, 'ja');
    const { number } = await reserve();
    const key = { ...here, transactionId: 'T-0200', idempotencyKey: 'pay-0200' };
    await pay(number, key);
    h.clock.advance(DAY + 1);
    const fresh = await terminalCall(h, store, 'POST', `/reservations/${number}/failure`, undefined, key);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
  });
});
