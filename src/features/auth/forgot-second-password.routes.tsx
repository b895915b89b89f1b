import type { AuthServices } from './auth.services.js';
import type { FastifyInstance } from 'fastify';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { keptNewSecondPassword, mailAddressForm, newSecondPasswordForm } from './auth.forms.js';
import { sendLinkProblem } from './link-problem.js';
import { ForgotPage, ForgotSentPage } from './pages/forgot-second-password.pages.js';
import { SetSecondPasswordPage } from './pages/second-password-setup.page.js';
import { sendSecondPasswordComplete, toLinkPage } from './journey.http.js';

/** §2.4c: If you have forgotten your second password. */
export async function forgotSecondPasswordRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;
  app.get('/forgot', async (request, reply) => {
    const kept = await http.forms.recall<{ address: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <ForgotPage address={kept?.values.address ?? ''} errors={kept?.errors ?? []} />,
      kept?.status,
    );
  });

  app.post('/forgot', async (request, reply) => {
    const address = formField(request.body, 'address', 300);
    const result = await auth.secondPassword.requestReset(request.tenant, address, http.actor(request, reply));
    if (result.status === 'invalid')
      return http.forms.redirect(request, reply, `${tenantBase(request)}/forgot`, {
        values: { address },
        errors: fieldErrors(result.violations, mailAddressForm),
        status: 422,
      });
    return reply.redirect(`${tenantBase(request)}/forgot/sent`, 303);
  });

  app.get('/forgot/sent', async (request, reply) =>
    sendPage(request, reply, <ForgotSentPage minutes={request.tenant.policy.linkLifetimeMinutes} />),
  );

  app.get('/forgot/reset', async (request, reply) => {
    const token = queryField(request.query, 'token');
    const link = await auth.secondPassword.inspectReset(request.tenant, token);
    if (link.status !== 'valid') return sendLinkProblem(request, reply, link.status, 'reset');
    const kept = await http.forms.recall<{ candidate: string; check: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <SetSecondPasswordPage
        action={`${tenantBase(request)}/forgot/reset`}
        errors={kept?.errors ?? []}
        button={request.t('secondPassword.change')}
        token={token}
        kept={kept?.values}
      />,
      kept?.status,
    );
  });

  app.post('/forgot/reset', async (request, reply) => {
    const token = formField(request.body, 'token', 256);
    const typed = {
      candidate: formField(request.body, 'secondPassword', 256),
      check: formField(request.body, 'check', 256),
    };
    const result = await auth.secondPassword.completeReset(
      request.tenant,
      token,
      typed.candidate,
      typed.check,
      http.actor(request, reply),
    );
    switch (result.status) {
      case 'invalid': {
        const errors = fieldErrors(result.violations, newSecondPasswordForm);
        return http.forms.redirect(
          request,
          reply,
          `${tenantBase(request)}/forgot/reset?token=${encodeURIComponent(token)}`,
          {
            values: keptNewSecondPassword(typed, errors, { candidate: 'secondPassword', check: 'check' }),
            errors,
            status: 422,
          },
        );
      }
      case 'done':
        return reply.redirect(`${tenantBase(request)}/forgot/complete`, 303);
      default:
        return toLinkPage(request, reply, '/forgot/reset', token);
    }
  });

  app.get('/forgot/complete', sendSecondPasswordComplete);
}
