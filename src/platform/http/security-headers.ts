import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { cspDirectives } from '../csp.js';

/**
 * The headers helmet sets with the service's options, asked of helmet once at start. Registered as
 * @fastify/helmet it built a new helmet middleware — parsing the policy again — for every
 * request, a visible share of a page's work (#11); the set never changes, so it is made once.
 * security-headers.test.ts checks it against @fastify/helmet with the options the service used.
 */
export function securityHeaders(options: { strictTransportSecurity: boolean }): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.strictTransportSecurity ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  })({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return Object.freeze(headers);
}

/** On every response, whatever answers it (pages, static files, errors, the terminal API). */
export function installSecurityHeaders(server: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  server.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
