import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { AppError } from '../../platform/errors.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import type { FieldError } from '../../platform/views/components.js';
import { sendPage } from '../../platform/views/render.js';
import { type AccountNotice, AccountPage, AddAppPage, AddPasskeyPage, accountNotices } from './pages/account.pages.js';
import { RecoveryCodesPage } from './pages/enrolment.pages.js';
import type { FactorStep } from './own-account.service.js';
import { type ConsoleSection, staffForm } from './staff.services.js';
import { session, staffBase } from './staff.http.js';

/**
 * A-1: /staff/account, for every member — add an authenticator app or a passkey, remove one
 * while another remains, new recovery codes, a new password. Each change asks for the second
 * factor within the last five minutes first.
 */
export const ownAccountRoutes: ConsoleSection = async (app, { staff }) => {
  const { http, ownAccount } = staff;
  const account = (request: FastifyRequest) => `${staffBase(request)}/account`;
  const stepPage = (request: FastifyRequest, what: 'totp' | 'passkey' | 'recovery-codes') =>
    `${account(request)}/${what}?flow=${encodeURIComponent(queryField(request.query, 'flow'))}`;
  const toAccount = (request: FastifyRequest, reply: FastifyReply, notice?: AccountNotice) =>
    reply.redirect(`${account(request)}${notice ? `?notice=${notice}` : ''}`, 303);
  const refuse = (request: FastifyRequest, reply: FastifyReply, url: string, errors: FieldError[], status = 422) =>
    http.forms.redirect(request, reply, url, { values: {}, errors, status });
  const confirmed = (request: FastifyRequest) => formField(request.body, 'confirm', 10) === 'yes';
  const sensitive = http.requireRecentAuth(undefined, account);
  const member = http.requireStaff();

  app.get('/account', { preHandler: member }, async (request, reply) => {
    const kept = await http.forms.recall(request, reply);
    const notice = queryField(request.query, 'notice') as AccountNotice;
    return sendPage(
      request,
      reply,
      <AccountPage
        member={session(request).member}
        factors={await ownAccount.factors(request.tenant, session(request))}
        errors={kept?.errors ?? []}
        notice={accountNotices.includes(notice) ? notice : undefined}
      />,
      kept?.status,
    );
  });

  for (const purpose of ['totp', 'passkey'] as const)
    app.post(`/account/${purpose}`, { preHandler: sensitive }, async (request, reply) => {
      const flowId = await ownAccount.startFactor(
        request.tenant,
        session(request),
        purpose,
        http.actor(request, reply),
      );
      if (!flowId) return toAccount(request, reply);
      return reply.redirect(`${account(request)}/${purpose}?flow=${flowId}`, 303);
    });

  app.get('/account/totp', { preHandler: member }, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const offer = await ownAccount.offer(request.tenant, session(request), flowId, http.actor(request, reply));
    if (offer?.purpose !== 'totp') return toAccount(request, reply, 'flowEnded');
    const kept = await http.forms.recall(request, reply);
    return sendPage(
      request,
      reply,
      <AddAppPage
        member={session(request).member}
        qrDataUrl={await QRCode.toDataURL(offer.uri, { errorCorrectionLevel: 'M', margin: 2, width: 200 })}
        secret={offer.secret}
        action={`${account(request)}/totp/confirm?flow=${encodeURIComponent(flowId)}`}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  app.get('/account/passkey', { preHandler: member }, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const offer = await ownAccount.offer(request.tenant, session(request), flowId, http.actor(request, reply));
    if (offer?.purpose !== 'passkey') return toAccount(request, reply, 'flowEnded');
    const kept = await http.forms.recall(request, reply);
    return sendPage(
      request,
      reply,
      <AddPasskeyPage
        member={session(request).member}
        options={offer.options}
        action={`${account(request)}/passkey/confirm?flow=${encodeURIComponent(flowId)}`}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  const added = (request: FastifyRequest, reply: FastifyReply, what: 'totp' | 'passkey', result: FactorStep) => {
    if (result.status === 'gone') return toAccount(request, reply, 'flowEnded');
    if (result.status === 'wrong')
      return refuse(
        request,
        reply,
        stepPage(request, what),
        [{ field: 'code', message: what === 'totp' ? 'staffValidation.secondFactor.wrong' : 'staff.passkey.failed' }],
        401,
      );
    return toAccount(request, reply, what === 'totp' ? 'totpAdded' : 'passkeyAdded');
  };
  app.post(
    '/account/totp/confirm',
    { preHandler: http.requireRecentAuth(undefined, (request) => stepPage(request, 'totp')) },
    async (request, reply) => {
      const code = formField(request.body, 'code', 40);
      const flowId = queryField(request.query, 'flow');
      const actor = http.actor(request, reply);
      return added(
        request,
        reply,
        'totp',
        await ownAccount.addTotp(request.tenant, session(request), flowId, code, actor),
      );
    },
  );
  app.post(
    '/account/passkey/confirm',
    { preHandler: http.requireRecentAuth(undefined, (request) => stepPage(request, 'passkey')) },
    async (request, reply) => {
      const credential = formField(request.body, 'credential', 16_384);
      const flowId = queryField(request.query, 'flow');
      const actor = http.actor(request, reply);
      return added(
        request,
        reply,
        'passkey',
        await ownAccount.addPasskey(request.tenant, session(request), flowId, credential, actor),
      );
    },
  );

  const removeFactor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    factor: { totp: true } | { passkey: string },
    field: string,
  ) => {
    if (!confirmed(request))
      return refuse(request, reply, account(request), [
        { field, message: 'staffValidation.staffAccount.confirmRemove' },
      ]);
    const result = await ownAccount.removeFactor(request.tenant, session(request), factor, http.actor(request, reply));
    if (result.status === 'gone') throw new AppError('not_found');
    if (result.status === 'invalid')
      return refuse(
        request,
        reply,
        account(request),
        fieldErrors(result.violations, staffForm).map((error) => ({ ...error, field })),
      );
    return toAccount(request, reply, 'totp' in factor ? 'totpRemoved' : 'passkeyRemoved');
  };
  app.post('/account/totp/remove', { preHandler: sensitive }, async (request, reply) =>
    removeFactor(request, reply, { totp: true }, 'remove-totp'),
  );
  app.post('/account/passkeys/:id/remove', { preHandler: sensitive }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    return removeFactor(request, reply, { passkey: id }, `remove-${id}`);
  });

  app.post('/account/recovery-codes', { preHandler: sensitive }, async (request, reply) => {
    if (!confirmed(request))
      return refuse(request, reply, account(request), [
        { field: 'regenerate', message: 'staffValidation.staffAccount.confirmRegenerate' },
      ]);
    const flowId = await ownAccount.regenerateRecoveryCodes(
      request.tenant,
      session(request),
      http.actor(request, reply),
    );
    return reply.redirect(`${account(request)}/recovery-codes?flow=${flowId}`, 303);
  });
  app.get('/account/recovery-codes', { preHandler: member }, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const codes = await ownAccount.pendingCodes(request.tenant, session(request), flowId, http.actor(request, reply));
    if (!codes) return toAccount(request, reply);
    return sendPage(
      request,
      reply,
      <RecoveryCodesPage
        codes={codes}
        action={`${account(request)}/recovery-codes/kept?flow=${encodeURIComponent(flowId)}`}
      />,
    );
  });
  app.post('/account/recovery-codes/kept', { preHandler: member }, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    await ownAccount.codesKept(request.tenant, session(request), flowId, http.actor(request, reply));
    return toAccount(request, reply, 'codesRegenerated');
  });

  app.post('/account/password', { preHandler: sensitive, config: { hashes: true } }, async (request, reply) => {
    const result = await ownAccount.changePassword(
      request.tenant,
      session(request),
      {
        current: formField(request.body, 'current'),
        password: formField(request.body, 'password'),
        confirm: formField(request.body, 'confirm'),
      },
      http.actor(request, reply),
    );
    if (result.status === 'locked')
      return http.forms.redirect(request, reply, account(request), {
        values: {},
        errors: [
          {
            field: 'current',
            message: 'staffValidation.login.locked',
            params: { minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) },
          },
        ],
        status: 429,
        retryAfterSeconds: result.retryAfterSeconds,
      });
    if (result.status === 'invalid')
      return refuse(request, reply, account(request), fieldErrors(result.violations, staffForm));
    http.startSession(request, reply, result.sessionToken);
    return toAccount(request, reply, 'passwordChanged');
  });
};
