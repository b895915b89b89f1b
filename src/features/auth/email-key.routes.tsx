import type { AuthServices } from './auth.services.js';
import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../../platform/views/components.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { formField, queryField } from '../../platform/http/form.js';
import { returnPath, withReturn } from './auth.http.js';
import { DoneDialogPage } from './pages/done-dialog.page.js';
import { type KeyDialog, KeyPage } from './pages/email-key.page.js';
import { flowUrl, toLoginFlowEnded } from './journey.http.js';

/** The dialog the key screen shows after a refusal; the cooldown's seconds count down on reload. */
type KeptDialog = { kind: 'invalidated' | 'expired' | 'cooldown' };

/** §2.3 steps 4–7 and §2.6: the authentication key. */
export async function emailKeyRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;
  app.get('/login/key', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const screen = await auth.keys.screen(request.tenant, flowId, http.actor(request, reply));
    if (screen.status === 'gone') return toLoginFlowEnded(request, reply);
    const kept = await http.forms.recall<Record<string, never>, KeptDialog>(request, reply);
    const notice = queryField(request.query, 'notice');
    const kind = kept?.extra?.kind ?? (screen.invalidated ? 'invalidated' : notice === 'reissued' ? 'reissued' : '');
    const dialog: KeyDialog | undefined =
      kind === 'cooldown'
        ? { kind, seconds: kept?.retryAfterSeconds ?? 1, reissueAt: screen.reissueAt }
        : kind === 'invalidated' || kind === 'expired' || kind === 'reissued'
          ? { kind }
          : undefined;
    return sendPage(
      request,
      reply,
      <KeyPage
        flowId={flowId}
        status={screen}
        errors={kept?.errors ?? []}
        dialog={dialog}
        next={returnPath(request)}
      />,
      kept?.status,
    );
  });

  app.post('/login/key', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const next = returnPath(request);
    const actor = http.actor(request, reply);
    const typed = formField(request.body, 'key', 64);
    // A refused key is never kept: the screen shows what was wrong, the field is empty.
    const again = (errors: FieldError[], dialog?: KeptDialog) =>
      http.forms.redirect(request, reply, withReturn(flowUrl(request, '/login/key', flowId), next), {
        values: {},
        errors,
        status: 422,
        ...(dialog && { extra: dialog }),
      });
    if (!typed.trim()) return again([{ field: 'key', message: 'validation.key.required' }]);
    const result = await auth.keys.authenticate(request.tenant, flowId, typed, actor, http.sessionToken(request));
    switch (result.status) {
      case 'gone':
        return toLoginFlowEnded(request, reply);
      case 'wrong':
        return again([{ field: 'key', message: 'validation.key.wrong', params: { count: result.remaining } }]);
      case 'invalidated':
        return again([], { kind: 'invalidated' });
      case 'expired':
        return again([], { kind: 'expired' });
      case 'authenticated':
        http.startSession(request, reply, result.sessionToken, result.deviceToken);
        if (result.trustToken) http.trustBrowser(request, reply, result.trustToken);
        return reply.redirect(withReturn(`${tenantBase(request)}/login/authenticated`, next), 303);
    }
  });

  app.post('/login/key/reissue', async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const next = returnPath(request);
    const actor = http.actor(request, reply);
    const result = await auth.keys.reissue(request.tenant, flowId, actor);
    if (result.status === 'gone') return toLoginFlowEnded(request, reply);
    const keyScreen = withReturn(flowUrl(request, '/login/key', flowId), next);
    if (result.status === 'cooldown') {
      return http.forms.redirect<Record<string, never>, KeptDialog>(request, reply, keyScreen, {
        values: {},
        errors: [],
        status: 429,
        retryAfterSeconds: result.seconds,
        extra: { kind: 'cooldown' },
      });
    }
    return reply.redirect(`${keyScreen}&notice=reissued`, 303);
  });

  app.get('/login/authenticated', { preHandler: http.requireSession }, async (request, reply) =>
    sendPage(
      request,
      reply,
      <DoneDialogPage
        title={request.t('key.authenticated.title')}
        heading={request.t('key.authenticated.heading')}
        lines={[request.t('key.authenticated.line')]}
        okHref={returnPath(request) ?? `${tenantBase(request)}/home`}
      />,
    ),
  );
}
