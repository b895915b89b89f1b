import type { Tenant } from './tenant.model.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the tenant scope before every route under /:tenant. */
    tenant: Tenant;
  }
}
