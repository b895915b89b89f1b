import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedCertificate } from '../certificates/issued-certificate.model.js';
import type { Order } from './order.model.js';
import { AppError } from '../../platform/errors.js';
import type { Metrics } from '../../platform/metrics.js';
import type { TerminalService } from './terminal.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False for machine-to-machine routes that authenticate every request themselves. */
    csrf?: boolean;
    /** The terminal API operation a route is, for `shomei_terminal_requests_total`. */
    terminalOperation?: string;
  }
}

function reservationView(order: Order, names: (type: string) => { ja: string; en: string }) {
  return {
    reservationNumber: order.reservationNumber,
    state: order.state,
    expiresAt: order.reservationExpiresAt === null ? null : new Date(order.reservationExpiresAt).toISOString(),
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

/**
 * The print-terminal API (C-5), documented in docs/terminal-api.openapi.yaml. JSON only,
 * authenticated per request with the terminal's own credentials, outside the CSRF check.
 */
export async function terminalRoutes(
  app: FastifyInstance,
  {
    terminals,
    typeNames,
    metrics,
  }: {
    terminals: TerminalService;
    typeNames: (tenantId: string, type: string) => Promise<{ ja: string; en: string }>;
    metrics: Pick<Metrics, 'terminalCall'>;
  },
) {
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), csrf: false };
  });

  // Every call is counted by its operation and the code it was answered with (a bounded set).
  const refusals = new WeakMap<FastifyRequest, string>();
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, code: string) => {
    refusals.set(request, code);
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

  const view = async (order: Order) => {
    const names = new Map<string, { ja: string; en: string }>();
    for (const item of order.items) names.set(item.type, await typeNames(order.tenantId, item.type));
    return reservationView(order, (type) => names.get(type) ?? { ja: type, en: type });
  };
  const numberOf = (request: FastifyRequest) => (request.params as { number: string }).number;

  app.get('/reservations/:number', { config: { terminalOperation: 'lookup' } }, async (request) => {
    const terminal = await terminals.authenticate(request.headers.authorization);
    return view(await terminals.lookup(terminal, numberOf(request)));
  });

  app.post<{ Params: { number: string }; Body: { amountYen: number } }>(
    '/reservations/:number/payment',
    { schema: { body: paymentBody }, config: { terminalOperation: 'pay' } },
    async (request) => {
      const terminal = await terminals.authenticate(request.headers.authorization);
      return view(await terminals.pay(terminal, request.params.number, request.body.amountYen));
    },
  );

  app.get('/reservations/:number/documents', { config: { terminalOperation: 'documents' } }, async (request) => {
    const terminal = await terminals.authenticate(request.headers.authorization);
    const { order, certificates } = await terminals.documents(terminal, numberOf(request));
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

  app.get(
    '/reservations/:number/documents/:serial',
    { config: { terminalOperation: 'document' } },
    async (request, reply) => {
      const terminal = await terminals.authenticate(request.headers.authorization);
      const { certificates } = await terminals.documents(terminal, numberOf(request));
      const certificate = certificates.find((c) => c.serial === (request.params as { serial: string }).serial);
      if (!certificate) throw new AppError('reservation_not_found');
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${certificate.serial}.pdf"`)
        .send(certificate.pdf);
    },
  );

  app.post('/reservations/:number/printed', { config: { terminalOperation: 'printed' } }, async (request) => {
    const terminal = await terminals.authenticate(request.headers.authorization);
    return view(await terminals.printed(terminal, numberOf(request)));
  });

  app.post('/reservations/:number/failure', { config: { terminalOperation: 'failure' } }, async (request) => {
    const terminal = await terminals.authenticate(request.headers.authorization);
    return view(await terminals.failed(terminal, numberOf(request)));
  });
}
