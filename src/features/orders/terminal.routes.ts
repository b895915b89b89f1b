import type {
  FastifyContextConfig,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteHandlerMethod,
} from 'fastify';
import type { IssuedCertificate } from '../certificates/issued-certificate.model.js';
import type { Order } from './order.model.js';
import { AppError } from '../../platform/errors.js';
import type { Metrics } from '../../platform/metrics.js';
import { settlementCsv } from './settlement.model.js';
import { type SettlementService, japanDayStart } from './settlement.service.js';
import {
  IDEMPOTENCY_KEY_PATTERN,
  type TerminalIdempotencyService,
  requestFingerprint,
} from './terminal-idempotency.service.js';
import type { Terminal } from './terminal.model.js';
import { type Machine, type TerminalService, payOnly } from './terminal.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False for machine-to-machine routes that authenticate every request themselves. */
    csrf?: boolean;
    /** The terminal API operation a route is, for `shomei_terminal_requests_total`. */
    terminalOperation?: string;
    /** A reservation call: names the machine and the network's transaction (#9). */
    terminalMachine?: boolean;
  }
}

type Names = { ja: string; en: string };

/**
 * A payment number (#12, A-8) answers in the reservation's shape, `kind: payment`: `reserved`
 * until paid, then `paid` whatever the registrar does with the order since, so a terminal runs
 * the one state machine it knows and stops after the payment.
 */
function reservationView(order: Order, university: Names, names: (type: string) => Names) {
  const payment = payOnly(order);
  const expiresAt = payment ? order.paymentExpiresAt : order.reservationExpiresAt;
  return {
    reservationNumber: payment ? order.paymentNumber : order.reservationNumber,
    kind: payment ? 'payment' : 'print',
    university,
    state: payment ? (order.state === 'submitted' ? 'reserved' : 'paid') : order.state,
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    amountYen: order.feeYen + order.postageYen,
    printFailures: order.printFailures,
    items: order.items.map((item) => ({
      type: item.type,
      name: names(item.type),
      language: item.lang,
      copies: item.copies,
      unitFeeYen: item.unitFeeYen,
    })),
  };
}

function documentView(reservationNumber: string, certificate: IssuedCertificate, copies: number) {
  return {
    serial: certificate.serial,
    type: certificate.type,
    language: certificate.lang,
    copies,
    sha256: certificate.pdfSha256,
    url: `/api/v1/terminal/reservations/${reservationNumber}/documents/${encodeURIComponent(certificate.serial)}`,
  };
}

/** The one JSON body of the API, as docs/terminal-api.openapi.yaml describes the payment request. */
const paymentBody = {
  type: 'object',
  required: ['amountYen'],
  properties: { amountYen: { type: 'integer', minimum: 0 } },
} as const;

/** `printed`, `failure` and `void` take no body, or a JSON object (whose fields are ignored). */
const noBody = { anyOf: [{ type: 'object' }, { type: 'null' }] } as const;

/** A store id, machine id or transaction id: what a network's own systems use, within reason. */
const MACHINE_FIELD = /^[A-Za-z0-9._:-]{1,64}$/;

function headerText(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && MACHINE_FIELD.test(value) ? value : undefined;
}

interface CallContext {
  terminal: Terminal;
  machine: Machine;
  retryKey?: string;
}

/**
 * The print-terminal API (C-5, #9), documented in docs/terminal-api.openapi.yaml. JSON only,
 * authenticated per request with the terminal's own credentials, outside the CSRF check.
 */
export async function terminalRoutes(
  app: FastifyInstance,
  {
    terminals,
    retries,
    settlement,
    typeNames,
    metrics,
  }: {
    terminals: TerminalService;
    retries: TerminalIdempotencyService;
    settlement: SettlementService;
    typeNames: (tenantId: string, type: string) => Promise<{ ja: string; en: string }>;
    metrics: Pick<Metrics, 'terminalCall'>;
  },
) {
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), csrf: false };
  });
  // Bodies are JSON or nothing: the app's form, multipart and text parsers stop at this API's door,
  // so a `failure` sent as text is 400 rather than taken as an empty report (#9).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  // Every call is counted by its operation and the code it was answered with (a bounded set).
  const refusals = new WeakMap<FastifyRequest, string>();
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, code: string) => {
    refusals.set(request, code);
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="shomei-terminal"');
    return reply.status(status).send({ error: code });
  };
  app.addHook('onResponse', async (request) => {
    metrics.terminalCall(request.routeOptions.config.terminalOperation ?? 'unknown', refusals.get(request) ?? 'ok');
  });

  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError && error.status < 500) return refuse(request, reply, error.status, error.code);
    // A refusal the terminal can show and retry later (the university cannot sign just now), not a
    // fault. Why it cannot sign is for the operator's log; the terminal's contract has one code for it.
    if (error instanceof AppError && (error.code === 'signer_unavailable' || error.code === 'signer_not_imported')) {
      request.log.warn({ code: error.code, err: error.message }, 'terminal API refused');
      reply.header('retry-after', '60');
      return refuse(request, reply, 503, 'signer_unavailable');
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return refuse(request, reply, 400, 'bad_request');
    request.log.error({ err: error }, 'terminal API failed');
    return refuse(request, reply, 500, 'internal');
  });
  app.setNotFoundHandler((request, reply) => refuse(request, reply, 404, 'not_found'));

  // Who calls, from which machine, and whether this is a retry: settled before any handler runs.
  const calls = new WeakMap<FastifyRequest, CallContext>();
  const callOf = (request: FastifyRequest): CallContext => {
    const call = calls.get(request);
    if (!call) throw new Error('terminal call without its context');
    return call;
  };
  app.addHook('preHandler', async (request, reply) => {
    const terminal = await terminals.authenticate(request.headers.authorization);
    const config = request.routeOptions.config;
    const storeId = headerText(request, 'x-store-id');
    const machineId = headerText(request, 'x-machine-id');
    const transactionId = headerText(request, 'x-transaction-id');
    if (config.terminalMachine && (!storeId || !machineId || !transactionId)) throw new AppError('machine_required');
    const machine = { storeId: storeId ?? '', machineId: machineId ?? '', transactionId: transactionId ?? '' };
    const call: CallContext = { terminal, machine };
    calls.set(request, call);
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return;
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) throw new AppError('bad_request');
    const fingerprint = requestFingerprint([request.method, request.url, request.body ?? null, machine]);
    const start = await retries.begin(terminal.id, key, fingerprint);
    if (start.status === 'mismatch') throw new AppError('idempotency_key_reused');
    if (start.status === 'in_progress') {
      reply.header('retry-after', '1');
      throw new AppError('idempotency_in_progress');
    }
    if (start.status === 'replay') {
      reply.header('idempotent-replayed', 'true');
      return reply.status(start.statusCode).type('application/json; charset=utf-8').send(start.body);
    }
    call.retryKey = key;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const call = calls.get(request);
    if (call?.retryKey && typeof payload === 'string') {
      await retries.finish(call.terminal.id, call.retryKey, reply.statusCode, payload);
      call.retryKey = undefined;
    }
    return payload;
  });

  const view = async (order: Order) => {
    const names = new Map<string, Names>();
    for (const item of order.items) names.set(item.type, await typeNames(order.tenantId, item.type));
    const university = await terminals.universityName(order.tenantId);
    return reservationView(order, university, (type) => names.get(type) ?? { ja: type, en: type });
  };
  const numberOf = (request: FastifyRequest) => (request.params as { number: string }).number;
  const reservation = (operation: string) => ({ terminalOperation: operation, terminalMachine: true });

  /**
   * GET only: Fastify would answer HEAD by running the GET handler, and a HEAD on `documents`
   * would then issue certificates (#9). HEAD is refused instead.
   */
  const getOnly = (url: string, config: FastifyContextConfig, handler: RouteHandlerMethod) => {
    app.get(url, { config, exposeHeadRoute: false }, handler);
    app.head(url, { config: { terminalOperation: 'head' } }, async (_request, reply) => {
      reply.header('allow', 'GET');
      throw new AppError('method_not_allowed');
    });
  };

  getOnly('/reservations/:number', reservation('lookup'), async (request) => {
    const { terminal, machine } = callOf(request);
    return view(await terminals.lookup(terminal, machine, numberOf(request)));
  });

  app.post<{ Params: { number: string }; Body: { amountYen: number } }>(
    '/reservations/:number/payment',
    { schema: { body: paymentBody }, config: reservation('pay') },
    async (request) => {
      const { terminal, machine } = callOf(request);
      return view(await terminals.pay(terminal, machine, request.params.number, request.body.amountYen));
    },
  );

  getOnly('/reservations/:number/documents', reservation('documents'), async (request) => {
    const { terminal, machine } = callOf(request);
    const { order, certificates } = await terminals.documents(terminal, machine, numberOf(request));
    return {
      reservationNumber: order.reservationNumber,
      documents: certificates.map((certificate) =>
        documentView(
          order.reservationNumber ?? numberOf(request),
          certificate,
          order.items.find((item) => item.seq === certificate.itemSeq)?.copies ?? 1,
        ),
      ),
    };
  });

  getOnly('/reservations/:number/documents/:serial', reservation('document'), async (request, reply) => {
    const { terminal, machine } = callOf(request);
    const { certificates } = await terminals.documents(terminal, machine, numberOf(request));
    const certificate = certificates.find((c) => c.serial === (request.params as { serial: string }).serial);
    if (!certificate) throw new AppError('reservation_not_found');
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${certificate.serial}.pdf"`)
      .send(certificate.pdf);
  });

  app.post(
    '/reservations/:number/printed',
    { schema: { body: noBody }, config: reservation('printed') },
    async (request) => {
      const { terminal, machine } = callOf(request);
      return view(await terminals.printed(terminal, machine, numberOf(request)));
    },
  );

  app.post(
    '/reservations/:number/failure',
    { schema: { body: noBody }, config: reservation('failure') },
    async (request) => {
      const { terminal, machine } = callOf(request);
      return view(await terminals.failed(terminal, machine, numberOf(request)));
    },
  );

  app.post('/reservations/:number/void', { schema: { body: noBody }, config: reservation('void') }, async (request) => {
    const { terminal, machine } = callOf(request);
    return view(await terminals.void(terminal, machine, numberOf(request)));
  });

  getOnly('/settlements/:date', { terminalOperation: 'settlement' }, async (request, reply) => {
    const { terminal } = callOf(request);
    const date = (request.params as { date: string }).date;
    const format = (request.query as { format?: unknown }).format ?? 'json';
    if (japanDayStart(date) === undefined || (format !== 'json' && format !== 'csv')) throw new AppError('bad_request');
    const report = await settlement.report(date, { terminalId: terminal.id });
    if (format === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="settlement-${terminal.id}-${date}.csv"`)
        .send(settlementCsv(report));
    return { network: terminal.id, ...report };
  });
}
