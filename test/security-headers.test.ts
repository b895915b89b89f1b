import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { cspDirectives } from '../src/platform/csp.js';
import { installSecurityHeaders, securityHeaders } from '../src/platform/http/security-headers.js';

/** The headers of one response, from a server with @fastify/helmet as the service registered it before #11. */
async function helmetHeaders(secure: boolean): Promise<Record<string, unknown>> {
  const server = Fastify();
  await server.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  server.get('/', async () => 'page');
  return (await server.inject('/')).headers;
}

async function ownHeaders(secure: boolean): Promise<Record<string, unknown>> {
  const server = Fastify();
  installSecurityHeaders(server, securityHeaders({ strictTransportSecurity: secure }));
  server.get('/', async () => 'page');
  return (await server.inject('/')).headers;
}

const varying = new Set(['date', 'content-length', 'content-type', 'connection']);
const fixed = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !varying.has(name)));

describe('#11 security headers made once are the ones helmet made per request', () => {
  it.each([true, false])(
    '#11 with strict transport security %s, every header and value is the same',
    async (secure) => {
      expect(fixed(await ownHeaders(secure))).toEqual(fixed(await helmetHeaders(secure)));
    },
  );
});
