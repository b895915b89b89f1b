import type { AuthServices } from './auth.services.js';
import type { FastifyInstance } from 'fastify';
import { maskEmail } from '../../platform/format.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { mailAddressForm } from './auth.forms.js';
import { sendLinkProblem } from './link-problem.js';
import { MailAddressCompletePage, MailAddressPage } from './pages/email-registration.pages.js';
import { LinkConfirmPage, MailSentPage } from './pages/mailed-link.pages.js';
import { flowUrl, toLinkPage, toLoginFlowEnded } from './journey.http.js';

/** §2.1: Mail address setting, reached with the university password on first login, and its mailed link. */
export async function emailRegistrationRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;
  app.get('/mail-address', async (request, reply) => {
    const flow = await auth.registration.flow(
      request.tenant,
      queryField(request.query, 'flow'),
      http.actor(request, reply),
    );
    if (!flow) return toLoginFlowEnded(request, reply);
    const kept = await http.forms.recall<{ address: string; check: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <MailAddressPage
        action={flowUrl(request, '/mail-address', flow.id)}
        address={kept?.values.address ?? ''}
        check={kept?.values.check}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  app.post('/mail-address', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const address = formField(request.body, 'address', 300);
    const check = formField(request.body, 'check', 300);
    const result = await auth.registration.submit(request.tenant, flowId, address, check, http.actor(request, reply));
    if (result.status === 'gone') return toLoginFlowEnded(request, reply);
    if (result.status === 'invalid') {
      return http.forms.redirect(request, reply, flowUrl(request, '/mail-address', flowId), {
        values: { address, check },
        errors: fieldErrors(result.violations, mailAddressForm),
        status: 422,
      });
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
    const token = formField(request.body, 'token', 256);
    const outcome = await auth.registration.confirm(request.tenant, token, http.actor(request, reply));
    if (outcome.status !== 'completed') return toLinkPage(request, reply, '/mail-address/confirm', token);
    return reply.redirect(`${tenantBase(request)}/mail-address/complete`, 303);
  });

  app.get('/mail-address/complete', async (request, reply) => sendPage(request, reply, <MailAddressCompletePage />));
}
