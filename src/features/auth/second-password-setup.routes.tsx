import type { AuthServices } from './auth.services.js';
import type { FastifyInstance } from 'fastify';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { keptNewSecondPassword, newSecondPasswordForm } from './auth.forms.js';
import { SetSecondPasswordPage } from './pages/second-password-setup.page.js';
import { flowUrl, toLoginFlowEnded, sendSecondPasswordComplete } from './journey.http.js';

/** §2.2: Set second password, on the first login after the address is registered. */
export async function secondPasswordSetupRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;
  app.get('/second-password/setup', async (request, reply) => {
    const flow = await auth.secondPassword.setupFlow(
      request.tenant,
      queryField(request.query, 'flow'),
      http.actor(request, reply),
    );
    if (!flow) return toLoginFlowEnded(request, reply);
    const kept = await http.forms.recall<{ candidate: string; check: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <SetSecondPasswordPage
        action={flowUrl(request, '/second-password/setup', flow.id)}
        errors={kept?.errors ?? []}
        button={request.t('secondPassword.set')}
        kept={kept?.values}
      />,
      kept?.status,
    );
  });

  app.post('/second-password/setup', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const typed = {
      candidate: formField(request.body, 'secondPassword', 256),
      check: formField(request.body, 'check', 256),
    };
    const result = await auth.secondPassword.setup(
      request.tenant,
      flowId,
      { ...typed, universityPasswordSeal: request.cookies[http.cookies.setupProof] },
      http.actor(request, reply),
    );
    if (result.status === 'gone') return toLoginFlowEnded(request, reply);
    if (result.status === 'invalid') {
      const errors = fieldErrors(result.violations, newSecondPasswordForm);
      return http.forms.redirect(request, reply, flowUrl(request, '/second-password/setup', flowId), {
        values: keptNewSecondPassword(typed, errors, { candidate: 'secondPassword', check: 'check' }),
        errors,
        status: 422,
      });
    }
    reply.clearCookie(http.cookies.setupProof, http.cookies.options());
    return reply.redirect(`${tenantBase(request)}/second-password/complete`, 303);
  });

  app.get('/second-password/complete', sendSecondPasswordComplete);
}
