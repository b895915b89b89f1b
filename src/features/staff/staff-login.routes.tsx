import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formField, queryField } from '../../platform/http/form.js';
import type { FieldError } from '../../platform/views/components.js';
import { sendPage } from '../../platform/views/render.js';
import { SecondFactorPage, StaffLoginPage, type StaffLoginNotice } from './pages/staff-login.pages.js';
import type { FactorResult, SecondFactorResult } from './staff-login.service.js';
import type { StaffServices } from './staff.services.js';
import { session, staffBase, staffReturnPath } from './staff.http.js';

const notices: StaffLoginNotice[] = ['loggedOut', 'loginRequired', 'sessionEnded', 'flowEnded'];

function withNext(url: string, next: string | undefined): string {
  return next ? `${url}${url.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}` : url;
}

/** What a wrong, locked or spent second factor shows on its form. */
function factorErrors(result: Exclude<FactorResult | SecondFactorResult, { status: 'ok' | 'loggedIn' | 'gone' }>) {
  return result.status === 'locked'
    ? {
        errors: [
          {
            field: 'code',
            message: 'staffValidation.secondFactor.locked',
            params: { minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) },
          },
        ],
        status: 429,
        retryAfterSeconds: result.retryAfterSeconds,
      }
    : { errors: [{ field: 'code', message: 'staffValidation.secondFactor.wrong' }], status: 401 };
}

/** staff login (password, then the second factor), logout, and re-authentication. */
export async function staffLoginRoutes(app: FastifyInstance, { staff }: { staff: StaffServices }) {
  const { http } = staff;
  const toLogin = (request: FastifyRequest, reply: FastifyReply, notice: StaffLoginNotice) =>
    reply.redirect(`${staffBase(request)}/login?notice=${notice}`, 303);

  const open = { config: { staffPublic: true } };

  app.get('/login', open, async (request, reply) => {
    const next = staffReturnPath(request);
    if (request.staffSession) return reply.redirect(next ?? staffBase(request), 303);
    const notice = queryField(request.query, 'notice') as StaffLoginNotice;
    const kept = await http.forms.recall<{ login: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <StaffLoginPage
        login={kept?.values.login ?? ''}
        errors={kept?.errors ?? []}
        notice={notices.includes(notice) ? notice : undefined}
        action={withNext(`${staffBase(request)}/login`, next)}
      />,
      kept?.status,
    );
  });

  app.post('/login', { config: { hashes: true, staffPublic: true } }, async (request, reply) => {
    const login = formField(request.body, 'login', 254);
    const password = formField(request.body, 'password');
    const next = staffReturnPath(request);
    const again = (errors: FieldError[], status: number, retryAfterSeconds?: number) =>
      http.forms.redirect(request, reply, withNext(`${staffBase(request)}/login`, next), {
        values: { login },
        errors,
        status,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
      });
    const missing: FieldError[] = [];
    if (!login.trim()) missing.push({ field: 'login', message: 'staffValidation.login.loginRequired' });
    if (!password) missing.push({ field: 'password', message: 'staffValidation.login.passwordRequired' });
    if (missing.length > 0) return again(missing, 422);
    const result = await staff.login.password(
      request.tenant,
      { login, password },
      http.actor(request, reply),
      http.deviceToken(request),
    );
    switch (result.status) {
      case 'invalid':
        return again([{ field: 'login', message: 'staffValidation.login.invalid' }], 401);
      case 'locked': {
        const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
        return again(
          [{ field: 'login', message: 'staffValidation.login.locked', params: { minutes } }],
          429,
          result.retryAfterSeconds,
        );
      }
      case 'notEnrolled':
        return again([{ field: 'login', message: 'staffValidation.login.notEnrolled' }], 403);
      case 'secondFactor':
        http.rememberDevice(request, reply, result.deviceToken);
        return reply.redirect(withNext(`${staffBase(request)}/login/second-factor?flow=${result.flowId}`, next), 303);
    }
  });

  app.get('/login/second-factor', open, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const pending = await staff.login.pending(request.tenant, flowId, http.actor(request, reply));
    if (!pending) return toLogin(request, reply, 'flowEnded');
    const kept = await http.forms.recall(request, reply);
    const here = `${staffBase(request)}/login`;
    const query = withNext(`?flow=${flowId}`, staffReturnPath(request));
    return sendPage(
      request,
      reply,
      <SecondFactorPage
        title={request.t('staff.secondFactor.title')}
        intro={request.t('staff.secondFactor.intro')}
        codeAction={`${here}/second-factor${query}`}
        passkeyAction={`${here}/passkey${query}`}
        passkeyOptions={await staff.login.passkeyOptions(request.tenant, pending.flow, pending.member.id)}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  const finishLogin = async (
    request: FastifyRequest,
    reply: FastifyReply,
    proof: { code: string } | { passkey: string },
  ) => {
    const flowId = queryField(request.query, 'flow');
    const next = staffReturnPath(request);
    const result = await staff.login.secondFactor(
      request.tenant,
      flowId,
      proof,
      http.actor(request, reply),
      http.sessionToken(request),
    );
    if (result.status === 'gone') return toLogin(request, reply, 'flowEnded');
    if (result.status === 'loggedIn') {
      http.startSession(request, reply, result.sessionToken);
      return reply.redirect(next ?? staffBase(request), 303);
    }
    return http.forms.redirect(
      request,
      reply,
      withNext(`${staffBase(request)}/login/second-factor?flow=${flowId}`, next),
      {
        values: {},
        ...factorErrors(result),
      },
    );
  };
  app.post('/login/second-factor', open, async (request, reply) =>
    finishLogin(request, reply, { code: formField(request.body, 'code', 40) }),
  );
  app.post('/login/passkey', open, async (request, reply) =>
    finishLogin(request, reply, { passkey: formField(request.body, 'credential', 16_384) }),
  );

  app.post('/logout', open, async (request, reply) => {
    if (request.staffSession)
      await staff.sessions.end(request.tenant, request.staffSession, http.actor(request, reply));
    http.endSession(request, reply);
    return toLogin(request, reply, 'loggedOut');
  });

  app.get('/reauth', { preHandler: http.requireStaff() }, async (request, reply) => {
    const next = staffReturnPath(request) ?? staffBase(request);
    const kept = await http.forms.recall(request, reply);
    const challenge = await staff.login.reauthChallenge(request.tenant, session(request), http.actor(request, reply));
    const query = `?next=${encodeURIComponent(next)}`;
    return sendPage(
      request,
      reply,
      <SecondFactorPage
        title={request.t('staff.reauth.title')}
        intro={request.t('staff.reauth.intro')}
        codeAction={`${staffBase(request)}/reauth${query}`}
        passkeyAction={`${staffBase(request)}/reauth/passkey${query}&flow=${challenge?.flowId ?? ''}`}
        passkeyOptions={challenge?.options}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  const reauth = async (
    request: FastifyRequest,
    reply: FastifyReply,
    proof: { code: string } | { passkey: string; flowId: string },
  ) => {
    const next = staffReturnPath(request) ?? staffBase(request);
    const result = await staff.login.reauthenticate(
      request.tenant,
      session(request),
      proof,
      http.actor(request, reply),
    );
    if (result.status === 'ok') return reply.redirect(next, 303);
    const page = `${staffBase(request)}/reauth?next=${encodeURIComponent(next)}`;
    if (result.status === 'gone') return reply.redirect(page, 303);
    return http.forms.redirect(request, reply, page, { values: {}, ...factorErrors(result) });
  };
  app.post('/reauth', { preHandler: http.requireStaff() }, async (request, reply) =>
    reauth(request, reply, { code: formField(request.body, 'code', 40) }),
  );
  app.post('/reauth/passkey', { preHandler: http.requireStaff() }, async (request, reply) =>
    reauth(request, reply, {
      passkey: formField(request.body, 'credential', 16_384),
      flowId: queryField(request.query, 'flow'),
    }),
  );
}
