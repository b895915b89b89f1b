import type { AuthServices } from './auth.services.js';
import type { FastifyInstance } from 'fastify';
import { formatDateTime } from '../../platform/format.js';
import type { FieldError } from '../../platform/views/components.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { formField, queryField } from '../../platform/http/form.js';
import { LoginPage, type LoginNotice } from './pages/login.page.js';
import { returnPath, withReturn } from './auth.http.js';
import { flowUrl } from './journey.http.js';

/** Login and logout (§2.1–§2.3 step 3): the Login screen and its button. */
export async function loginRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;
  const loginNotices: LoginNotice[] = [
    'loggedOut',
    'loginRequired',
    'sessionEnded',
    'flowEnded',
    'mailAddressSet',
    'secondPasswordSet',
  ];

  app.get('/login', async (request, reply) => {
    const next = returnPath(request);
    if (request.currentSession) return reply.redirect(next ?? `${tenantBase(request)}/home`, 303);
    const notice = queryField(request.query, 'notice') as LoginNotice;
    const kept = await http.forms.recall<{ userId: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <LoginPage
        userId={kept?.values.userId ?? ''}
        errors={kept?.errors ?? []}
        notice={loginNotices.includes(notice) ? notice : undefined}
        action={withReturn(`${tenantBase(request)}/login`, next)}
      />,
      kept?.status,
    );
  });

  app.post('/login', { config: { hashes: true } }, async (request, reply) => {
    const userId = formField(request.body, 'userId', 200);
    const password = formField(request.body, 'password');
    const secondPassword = formField(request.body, 'secondPassword', 256);
    const next = returnPath(request);
    // Passwords are never kept: the page shows the User ID again, and what was wrong.
    const again = (errors: FieldError[], status: number, retryAfterSeconds?: number) =>
      http.forms.redirect(request, reply, withReturn(`${tenantBase(request)}/login`, next), {
        values: { userId },
        errors,
        status,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
      });
    const missing: FieldError[] = [];
    if (!userId.trim()) missing.push({ field: 'userId', message: 'validation.login.userIdRequired' });
    if (!password) missing.push({ field: 'password', message: 'validation.login.passwordRequired' });
    if (missing.length > 0) return again(missing, 422);

    const actor = http.actor(request, reply);
    const result = await auth.login.login(request.tenant, { userId, password, secondPassword }, actor, {
      session: http.sessionToken(request),
      trust: http.trustToken(request),
      device: http.deviceToken(request),
    });
    switch (result.status) {
      case 'locked': {
        // The clock time is rounded up, so "from 10:15" is never a minute early.
        const time = formatDateTime(Math.ceil(result.retryAt / 60_000) * 60_000, request.lang);
        const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
        return again(
          [{ field: 'userId', message: 'validation.login.locked', params: { time, minutes } }],
          429,
          result.retryAfterSeconds,
        );
      }
      case 'invalid':
        return again([{ field: 'userId', message: 'validation.login.invalid' }], 401);
      case 'emailRegistration':
        return reply.redirect(flowUrl(request, '/mail-address', result.flowId), 303);
      case 'secondPasswordSetup':
        reply.setCookie(http.cookies.setupProof, result.universityPasswordSeal, http.cookies.options(30 * 60));
        return reply.redirect(flowUrl(request, '/second-password/setup', result.flowId), 303);
      case 'emailKey':
        return reply.redirect(withReturn(flowUrl(request, '/login/key', result.flowId), next), 303);
      case 'loggedIn':
        http.startSession(request, reply, result.sessionToken, result.deviceToken);
        return reply.redirect(next ?? `${tenantBase(request)}/home`, 303);
    }
  });

  app.post('/logout', async (request, reply) => {
    if (request.currentSession)
      await auth.sessions.end(request.tenant, request.currentSession, http.actor(request, reply));
    http.endSession(request, reply);
    return reply.redirect(`${tenantBase(request)}/login?notice=loggedOut`, 303);
  });
}
