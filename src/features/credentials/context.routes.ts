import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { shomeiContext } from './shomei-context.js';

/** The Shomei JSON-LD context at its stable, deployment-wide URL (#9 §5); it never changes, so it is cached long. */
export async function credentialContextRoutes(app: FastifyInstance, { config }: { config: Config }) {
  const body = JSON.stringify(shomeiContext(config.publicUrl));
  app.get('/ns/credentials/v1', async (_request, reply) =>
    reply.type('application/ld+json').header('cache-control', 'public, max-age=86400').send(body),
  );
}
