import type { AuthServices } from './auth.services.js';
import type { FastifyInstance } from 'fastify';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { mailAddressForm, newSecondPasswordForm } from './auth.forms.js';
import { sendLinkProblem } from './link-problem.js';
import { ForgotPage, ForgotSentPage } from './pages/forgot-second-password.pages.js';
import { SetSecondPasswordPage } from './pages/second-password-setup.page.js';
import { sendSecondPasswordComplete } from './journey.http.js';

/** §2.4c: If you have forgotten your second password. */
export async function forgotSecondPasswordRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;
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

  app.get('/forgot/complete', sendSecondPasswordComplete);
}
