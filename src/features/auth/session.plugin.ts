import type { FastifyInstance } from 'fastify';
import type { CookiePolicy } from '../../platform/cookies.js';
import type { CurrentSession } from './account.model.js';
import type { SessionService } from './session.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in student, when the browser carries a live session of this university. */
    currentSession: CurrentSession | undefined;
  }
}

/** Within a tenant scope (after the tenant is known): the student's session, if any. */
export function installSessionResolution(
  scope: FastifyInstance,
  deps: { sessions: SessionService; cookies: CookiePolicy },
): void {
  scope.addHook('onRequest', async (request) => {
    const token = request.cookies[deps.cookies.session(request.tenant.slug)];
    if (token) request.currentSession = await deps.sessions.resolve(request.tenant, token);
  });
}
