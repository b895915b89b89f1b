import type { FastifyInstance } from 'fastify';
import type { ReadinessService } from './readiness.service.js';

/**
 * Readiness: 503 while the database does not answer (a load balancer stops sending traffic);
 * 200 `degraded` when a university cannot sign, its directory does not answer, or key mail is
 * late — counts only here, the names are in the log (#13).
 */
export async function readinessRoutes(app: FastifyInstance, deps: { readiness: ReadinessService }) {
  app.get('/readyz', async (_request, reply) => {
    const readiness = await deps.readiness.check();
    return reply
      .status(readiness.status === 'unavailable' ? 503 : 200)
      .header('cache-control', 'no-store')
      .send(readiness);
  });
}
