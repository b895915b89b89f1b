import type { FastifyRequest } from 'fastify';
import type { Actor } from '../actor.js';

/** Someone on a public page (a delivery link, the verification page): known by address alone. */
export function visitorActor(request: FastifyRequest, tenantId: string): Actor {
  return {
    tenantId,
    kind: 'visitor',
    accountId: null,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
    lang: request.lang,
    binding: '',
  };
}
