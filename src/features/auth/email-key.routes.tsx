import type { AuthServices } from './auth.services.js';
import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../../platform/views/components.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { formField, queryField } from '../../platform/http/form.js';
import { DoneDialogPage } from './pages/done-dialog.page.js';
import { type KeyDialog, KeyPage } from './pages/email-key.page.js';
import { flowUrl, toLoginFlowEnded } from './journey.http.js';

/** §2.3 steps 4–7 and §2.6: the authentication key. */
export async function emailKeyRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;
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
    return sendPage(request, reply, <KeyPage flowId={flowId} status={screen} errors={[]} dialog={dialog} />);
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
        <KeyPage flowId={flowId} status={screen} errors={errors} dialog={dialog} />,
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
        http.startSession(request, reply, result.sessionToken, result.deviceToken);
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
          status={screen}
          errors={[]}
          dialog={{ kind: 'cooldown', seconds: result.seconds, reissueAt: result.reissueAt }}
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
}
