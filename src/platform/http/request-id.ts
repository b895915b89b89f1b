import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';

/** The label Fastify's request logger carries the id under. */
export const REQUEST_ID_LOG_LABEL = 'reqId';

/** What a proxy's id may look like to be taken over: short, and nothing a log reader could trip on. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,64}$/;

const requestScope = new AsyncLocalStorage<string>();

/**
 * Each request's id: a fresh UUID, or, behind a trusted reverse proxy (TRUST_PROXY set), the
 * proxy's own `X-Request-Id` when it is well formed, so the proxy's access log and Shomei's lines
 * share one id. Without a trusted proxy a client could choose the id of its own requests.
 */
export function requestIdGenerator(trustIncoming: boolean): (request: IncomingMessage) => string {
  return (request) => {
    const incoming = request.headers['x-request-id'];
    if (trustIncoming && typeof incoming === 'string' && WELL_FORMED.test(incoming)) return incoming;
    return randomUUID();
  };
}

/**
 * The id goes back in `X-Request-Id` (a student's "it failed at 10:42" becomes one search), and
 * travels with the request's work, so lines logged by services with the shared logger carry it too.
 */
export function installRequestIds(server: FastifyInstance): void {
  server.addHook('onRequest', (request, _reply, done) => {
    requestScope.run(request.id, done);
  });
  server.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}

const chindings = pino.symbols.chindingsSym;

/**
 * pino mixin: the current request's id on lines logged outside the request's own logger (which
 * already binds it, and must not get it twice).
 */
export function requestIdMixin(_object: object, _level: number, logger: Logger): object {
  const id = requestScope.getStore();
  if (id === undefined) return {};
  const bound = (logger as unknown as Record<symbol, string | undefined>)[chindings];
  return bound?.includes(`"${REQUEST_ID_LOG_LABEL}":`) ? {} : { [REQUEST_ID_LOG_LABEL]: id };
}
