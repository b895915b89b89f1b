import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { maskEmail } from '../../platform/format.js';
import type { FieldError } from '../../platform/views/components.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { mailAddressForm, newSecondPasswordForm } from './auth.forms.js';
import type { AuthServices } from './auth.services.js';
import { sendLinkProblem } from './link-problem.js';
import { DoneDialogPage } from './pages/done-dialog.page.js';
import { type KeyDialog, KeyPage } from './pages/email-key.page.js';
import { MailAddressCompletePage, MailAddressPage } from './pages/email-registration.pages.js';
import { ForgotPage, ForgotSentPage } from './pages/forgot-second-password.pages.js';
import { LandingPage } from './pages/landing.page.js';
import { LoginPage, type LoginNotice } from './pages/login.page.js';
import { LinkConfirmPage, MailSentPage } from './pages/mailed-link.pages.js';
import { SetSecondPasswordPage } from './pages/second-password-setup.page.js';

const loginNotices: LoginNotice[] = ['loggedOut', 'sessionEnded', 'flowEnded', 'mailAddressSet', 'secondPasswordSet'];

function flowUrl(request: FastifyRequest, path: string, flowId: string): string {
  return `${tenantBase(request)}${path}?flow=${encodeURIComponent(flowId)}`;
}

/** A flow that is gone (expired, finished, another browser's) never dead-ends: back to login, saying why. */
function toLoginFlowEnded(request: FastifyRequest, reply: FastifyReply) {
  return reply.redirect(`${tenantBase(request)}/login?notice=flowEnded`, 303);
}

/** Login and everything reached before a session exists (§2.1–§2.3, §2.4c, §2.6). */
export async function loginRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;

  app.get('/', async (request, reply) => sendPage(request, reply, <LandingPage />));

  app.get('/login', async (request, reply) => {
    if (request.currentSession) return reply.redirect(`${tenantBase(request)}/home`, 303);
    const notice = queryField(request.query, 'notice') as LoginNotice;
    return sendPage(
      request,
      reply,
      <LoginPage userId="" errors={[]} notice={loginNotices.includes(notice) ? notice : undefined} />,
    );
  });

  app.post('/login', { onRequest: async () => auth.login.assertCapacity() }, async (request, reply) => {
    const userId = formField(request.body, 'userId', 200);
    const password = formField(request.body, 'password');
    const secondPassword = formField(request.body, 'secondPassword', 256);
    const missing: FieldError[] = [];
    if (!userId.trim()) missing.push({ field: 'userId', message: 'validation.login.userIdRequired' });
    if (!password) missing.push({ field: 'password', message: 'validation.login.passwordRequired' });
    if (missing.length > 0) return sendPage(request, reply, <LoginPage userId={userId} errors={missing} />, 422);

    const actor = http.actor(request, reply);
    let result;
    try {
      result = await auth.login.login(request.tenant, { userId, password, secondPassword }, actor, {
        session: http.sessionToken(request),
        trust: http.trustToken(request),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'rate_limited') {
        const minutes = Math.max(1, Math.ceil((error.options.retryAfterSeconds ?? 60) / 60));
        reply.header('retry-after', String(error.options.retryAfterSeconds ?? 60));
        return sendPage(
          request,
          reply,
          <LoginPage
            userId={userId}
            errors={[{ field: 'userId', message: 'validation.login.locked', params: { minutes } }]}
          />,
          429,
        );
      }
      throw error;
    }
    switch (result.status) {
      case 'invalid':
        return sendPage(
          request,
          reply,
          <LoginPage userId={userId} errors={[{ field: 'userId', message: 'validation.login.invalid' }]} />,
          401,
        );
      case 'emailRegistration':
        return reply.redirect(flowUrl(request, '/mail-address', result.flowId), 303);
      case 'secondPasswordSetup':
        return reply.redirect(flowUrl(request, '/second-password/setup', result.flowId), 303);
      case 'emailKey':
        return reply.redirect(flowUrl(request, '/login/key', result.flowId), 303);
      case 'loggedIn':
        http.startSession(request, reply, result.sessionToken);
        return reply.redirect(`${tenantBase(request)}/home`, 303);
    }
  });

  // §2.1: Mail address setting, reached with the university password on first login.
  app.get('/mail-address', async (request, reply) => {
    const flow = await auth.registration.flow(
      request.tenant,
      queryField(request.query, 'flow'),
      http.actor(request, reply),
    );
    if (!flow) return toLoginFlowEnded(request, reply);
    return sendPage(
      request,
      reply,
      <MailAddressPage action={flowUrl(request, '/mail-address', flow.id)} address="" errors={[]} />,
    );
  });

  app.post('/mail-address', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const address = formField(request.body, 'address', 300);
    const result = await auth.registration.submit(
      request.tenant,
      flowId,
      address,
      formField(request.body, 'check', 300),
      http.actor(request, reply),
    );
    if (result.status === 'gone') return toLoginFlowEnded(request, reply);
    if (result.status === 'invalid') {
      return sendPage(
        request,
        reply,
        <MailAddressPage
          action={flowUrl(request, '/mail-address', flowId)}
          address={address}
          errors={fieldErrors(result.violations, mailAddressForm)}
        />,
        422,
      );
    }
    return reply.redirect(flowUrl(request, '/mail-address/sent', flowId), 303);
  });

  app.get('/mail-address/sent', async (request, reply) => {
    const flow = await auth.registration.flow(
      request.tenant,
      queryField(request.query, 'flow'),
      http.actor(request, reply),
    );
    if (!flow?.context.email) return toLoginFlowEnded(request, reply);
    return sendPage(
      request,
      reply,
      <MailSentPage
        title={request.t('mailAddress.sent.title')}
        maskedAddress={maskEmail(flow.context.email)}
        minutes={request.tenant.policy.linkLifetimeMinutes}
        backHref={`${tenantBase(request)}/login`}
        backLabel={request.t('common.toLogin')}
      />,
    );
  });

  app.get('/mail-address/confirm', async (request, reply) => {
    const token = queryField(request.query, 'token');
    const link = await auth.registration.inspect(request.tenant, token);
    if (link.status !== 'valid') return sendLinkProblem(request, reply, link.status, 'registration');
    return sendPage(
      request,
      reply,
      <LinkConfirmPage
        title={request.t('mailAddress.confirm.title')}
        intro={request.t('mailAddress.confirm.intro', { address: link.flow.context.email ?? '' })}
        action={`${tenantBase(request)}/mail-address/confirm`}
        token={token}
        button={request.t('mailAddress.confirm.button')}
      />,
    );
  });

  app.post('/mail-address/confirm', async (request, reply) => {
    const outcome = await auth.registration.confirm(
      request.tenant,
      formField(request.body, 'token', 256),
      http.actor(request, reply),
    );
    if (outcome.status !== 'completed') return sendLinkProblem(request, reply, outcome.status, 'registration');
    return reply.redirect(`${tenantBase(request)}/mail-address/complete`, 303);
  });

  app.get('/mail-address/complete', async (request, reply) => sendPage(request, reply, <MailAddressCompletePage />));

  // §2.2: Set second password, on the first login after the address is registered.
  app.get('/second-password/setup', async (request, reply) => {
    const flow = await auth.secondPassword.setupFlow(
      request.tenant,
      queryField(request.query, 'flow'),
      http.actor(request, reply),
    );
    if (!flow) return toLoginFlowEnded(request, reply);
    return sendPage(
      request,
      reply,
      <SetSecondPasswordPage
        action={flowUrl(request, '/second-password/setup', flow.id)}
        errors={[]}
        button={request.t('secondPassword.set')}
      />,
    );
  });

  app.post('/second-password/setup', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const result = await auth.secondPassword.setup(
      request.tenant,
      flowId,
      formField(request.body, 'secondPassword', 256),
      formField(request.body, 'check', 256),
      http.actor(request, reply),
    );
    if (result.status === 'gone') return toLoginFlowEnded(request, reply);
    if (result.status === 'invalid') {
      return sendPage(
        request,
        reply,
        <SetSecondPasswordPage
          action={flowUrl(request, '/second-password/setup', flowId)}
          errors={fieldErrors(result.violations, newSecondPasswordForm)}
          button={request.t('secondPassword.set')}
        />,
        422,
      );
    }
    return reply.redirect(`${tenantBase(request)}/second-password/complete`, 303);
  });

  // The end of §2.2 and of §2.4c is the same dialog.
  const secondPasswordComplete = async (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(
      request,
      reply,
      <DoneDialogPage
        title={request.t('secondPassword.complete.title')}
        heading={request.t('secondPassword.complete.title')}
        lines={[request.t('secondPassword.complete.line')]}
        okHref={`${tenantBase(request)}/login?notice=secondPasswordSet`}
      />,
    );
  app.get('/second-password/complete', secondPasswordComplete);

  // §2.3 steps 4–7 and §2.6: the authentication key.
  app.get('/login/key', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const screen = await auth.keys.screen(request.tenant, flowId, http.actor(request, reply));
    if (screen.status === 'gone') return toLoginFlowEnded(request, reply);
    const notice = queryField(request.query, 'notice');
    const dialog: KeyDialog | undefined = screen.invalidated
      ? { kind: 'invalidated' }
      : notice === 'reissued'
        ? { kind: 'reissued' }
        : undefined;
    return sendPage(
      request,
      reply,
      <KeyPage flowId={flowId} expiresAt={screen.expiresAt} errors={[]} dialog={dialog} />,
    );
  });

  app.post('/login/key', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const actor = http.actor(request, reply);
    const typed = formField(request.body, 'key', 64);
    const rerender = async (status: number, errors: FieldError[], dialog?: KeyDialog) => {
      const screen = await auth.keys.screen(request.tenant, flowId, actor);
      if (screen.status === 'gone') return toLoginFlowEnded(request, reply);
      return sendPage(
        request,
        reply,
        <KeyPage flowId={flowId} expiresAt={screen.expiresAt} errors={errors} dialog={dialog} />,
        status,
      );
    };
    if (!typed.trim()) return rerender(422, [{ field: 'key', message: 'validation.key.required' }]);
    const result = await auth.keys.authenticate(request.tenant, flowId, typed, actor, http.sessionToken(request));
    switch (result.status) {
      case 'gone':
        return toLoginFlowEnded(request, reply);
      case 'wrong':
        return rerender(422, [{ field: 'key', message: 'validation.key.wrong', params: { count: result.remaining } }]);
      case 'invalidated':
        return rerender(422, [], { kind: 'invalidated' });
      case 'expired':
        return rerender(422, [], { kind: 'expired' });
      case 'authenticated':
        http.startSession(request, reply, result.sessionToken);
        if (result.trustToken) http.trustBrowser(request, reply, result.trustToken);
        return reply.redirect(`${tenantBase(request)}/login/authenticated`, 303);
    }
  });

  app.post('/login/key/reissue', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const actor = http.actor(request, reply);
    const result = await auth.keys.reissue(request.tenant, flowId, actor);
    if (result.status === 'gone') return toLoginFlowEnded(request, reply);
    if (result.status === 'cooldown') {
      const screen = await auth.keys.screen(request.tenant, flowId, actor);
      if (screen.status === 'gone') return toLoginFlowEnded(request, reply);
      reply.header('retry-after', String(result.seconds));
      return sendPage(
        request,
        reply,
        <KeyPage
          flowId={flowId}
          expiresAt={screen.expiresAt}
          errors={[]}
          dialog={{ kind: 'cooldown', seconds: result.seconds }}
        />,
        429,
      );
    }
    return reply.redirect(`${flowUrl(request, '/login/key', flowId)}&notice=reissued`, 303);
  });

  app.get('/login/authenticated', { preHandler: http.requireSession }, async (request, reply) =>
    sendPage(
      request,
      reply,
      <DoneDialogPage
        title={request.t('key.authenticated.title')}
        heading={request.t('key.authenticated.heading')}
        lines={[request.t('key.authenticated.line')]}
        okHref={`${tenantBase(request)}/home`}
      />,
    ),
  );

  // §2.4c: If you have forgotten your second password.
  app.get('/forgot', async (request, reply) => sendPage(request, reply, <ForgotPage address="" errors={[]} />));

  app.post('/forgot', async (request, reply) => {
    const address = formField(request.body, 'address', 300);
    const result = await auth.secondPassword.requestReset(request.tenant, address, http.actor(request, reply));
    if (result.status === 'invalid')
      return sendPage(
        request,
        reply,
        <ForgotPage address={address} errors={fieldErrors(result.violations, mailAddressForm)} />,
        422,
      );
    return reply.redirect(`${tenantBase(request)}/forgot/sent`, 303);
  });

  app.get('/forgot/sent', async (request, reply) =>
    sendPage(request, reply, <ForgotSentPage minutes={request.tenant.policy.linkLifetimeMinutes} />),
  );

  app.get('/forgot/reset', async (request, reply) => {
    const token = queryField(request.query, 'token');
    const link = await auth.secondPassword.inspectReset(request.tenant, token);
    if (link.status !== 'valid') return sendLinkProblem(request, reply, link.status, 'reset');
    return sendPage(
      request,
      reply,
      <SetSecondPasswordPage
        action={`${tenantBase(request)}/forgot/reset`}
        errors={[]}
        button={request.t('secondPassword.change')}
        token={token}
      />,
    );
  });

  app.post('/forgot/reset', async (request, reply) => {
    const token = formField(request.body, 'token', 256);
    const result = await auth.secondPassword.completeReset(
      request.tenant,
      token,
      formField(request.body, 'secondPassword', 256),
      formField(request.body, 'check', 256),
      http.actor(request, reply),
    );
    switch (result.status) {
      case 'invalid':
        return sendPage(
          request,
          reply,
          <SetSecondPasswordPage
            action={`${tenantBase(request)}/forgot/reset`}
            errors={fieldErrors(result.violations, newSecondPasswordForm)}
            button={request.t('secondPassword.change')}
            token={token}
          />,
          422,
        );
      case 'done':
        return reply.redirect(`${tenantBase(request)}/forgot/complete`, 303);
      case 'gone':
        return sendLinkProblem(request, reply, 'unknown', 'reset');
      default:
        return sendLinkProblem(request, reply, result.status, 'reset');
    }
  });

  app.get('/forgot/complete', secondPasswordComplete);

  app.post('/logout', async (request, reply) => {
    if (request.currentSession)
      await auth.sessions.end(request.tenant, request.currentSession, http.actor(request, reply));
    http.endSession(request, reply);
    return reply.redirect(`${tenantBase(request)}/login?notice=loggedOut`, 303);
  });
}
