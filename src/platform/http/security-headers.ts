import type { FastifyInstance } from 'fastify';
import { cspDirectives } from '../csp.js';

/**
 * The headers @fastify/helmet set with the options the service gave it. That plugin built a new
 * helmet middleware — parsing the policy again — for every request, a visible share of a page's
 * work; the set never changes, so it is made once. security-headers.test.ts checks it against
 * @fastify/helmet with those options.
 */
export function securityHeaders(options: { strictTransportSecurity: boolean }): Readonly<Record<string, string>> {
  const csp = Object.entries(cspDirectives)
    .map(([name, sources]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${sources.join(' ')}`)
    .join(';');
  return Object.freeze({
    'content-security-policy': csp,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    ...(options.strictTransportSecurity && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  });
}

/** On every response, whatever answers it (pages, static files, errors, the terminal API). */
export function installSecurityHeaders(server: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  server.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
