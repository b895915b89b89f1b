import Fastify, { type FastifyInstance } from 'fastify';
import { constantTimeEqual, sha256 } from '../crypto.js';
import type { Metrics } from '../metrics.js';

export interface Exposition {
  exposition(): Promise<{ contentType: string; body: string }>;
}

/** Every answer counted by its route pattern (`/:tenant/login`), never the URL a client sent. */
export function installRequestMetrics(server: FastifyInstance, metrics: Pick<Metrics, 'httpRequest'>): void {
  server.addHook('onResponse', async (request, reply) => {
    metrics.httpRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
}

/**
 * `GET /metrics` in the Prometheus text format. With a token, a scrape must send
 * `Authorization: Bearer <token>`; the digests are compared, so neither the token nor its
 * length shows in the time an answer takes.
 */
export function metricsRoute(server: FastifyInstance, source: Exposition, token: string | undefined): void {
  const expected = token === undefined ? undefined : sha256(token);
  server.get('/metrics', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (expected !== undefined) {
      const given = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!constantTimeEqual(sha256(given), expected))
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .type('text/plain')
          .send('unauthorized\n');
    }
    const { contentType, body } = await source.exposition();
    return reply.type(contentType).send(body);
  });
}

/** The listener for METRICS_PORT: /metrics and nothing else, apart from the students' port. */
export function buildMetricsServer(source: Exposition, token: string | undefined): FastifyInstance {
  const server = Fastify({ logger: false });
  metricsRoute(server, source, token);
  return server;
}
