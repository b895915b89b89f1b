import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { sendPage } from '../../platform/views/render.js';
import { LinkProblemPage } from '../auth/pages/mailed-link.pages.js';
import { EnrolPasswordPage, EnrolSecondFactorPage, RecoveryCodesPage } from './pages/enrolment.pages.js';
import type { EnrolResult } from './staff-accounts.service.js';
import { type StaffServices, staffForm } from './staff.services.js';
import { session, staffBase } from './staff.http.js';

/**
 * the one-time enrolment link (scanner-proof like L-18: GET shows a form, POST uses the
 * link), the password, then a mandatory second factor, then the recovery codes once.
 */
export async function staffEnrolmentRoutes(app: FastifyInstance, { staff }: { staff: StaffServices }) {
  const { http, accounts } = staff;
  const linkProblem = (request: FastifyRequest, reply: FastifyReply, status: 'expired' | 'used' | 'unknown') =>
    sendPage(
      request,
      reply,
      <LinkProblemPage
        status={status}
        nextHref={`${staffBase(request)}/login`}
        nextLabel={request.t('staff.enrol.toLogin')}
        nextHint={request.t('staff.enrol.askAgain')}
      />,
      410,
    );
  const factorPage = (request: FastifyRequest, flowId: string) =>
    `${staffBase(request)}/enrol/second-factor?flow=${flowId}`;

  const open = { config: { staffPublic: true } };

  app.get('/enrol', open, async (request, reply) => {
    const token = queryField(request.query, 'token');
    const link = await accounts.inspectLink(request.tenant, token);
    if (link.status !== 'valid') return linkProblem(request, reply, link.status);
    const kept = await http.forms.recall<{ name: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <EnrolPasswordPage
        action={`${staffBase(request)}/enrol`}
        token={token}
        email={link.member.email}
        name={kept?.values.name ?? link.member.name}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  app.post('/enrol', { config: { hashes: true, staffPublic: true } }, async (request, reply) => {
    const token = formField(request.body, 'token', 256);
    const name = formField(request.body, 'name', 200);
    const result = await accounts.setPassword(
      request.tenant,
      token,
      { name, password: formField(request.body, 'password'), confirm: formField(request.body, 'confirm') },
      http.actor(request, reply),
    );
    const linkPage = `${staffBase(request)}/enrol?token=${encodeURIComponent(token)}`;
    if (result.status === 'invalid')
      return http.forms.redirect(request, reply, linkPage, {
        values: { name },
        errors: fieldErrors(result.violations, staffForm),
        status: 422,
      });
    if (result.status !== 'set') return reply.redirect(linkPage, 303);
    return reply.redirect(factorPage(request, result.flowId), 303);
  });

  app.get('/enrol/second-factor', open, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const enrolment = await accounts.enrolment(request.tenant, flowId, http.actor(request, reply));
    if (!enrolment) return reply.redirect(`${staffBase(request)}/login?notice=flowEnded`, 303);
    const kept = await http.forms.recall(request, reply);
    const offer = accounts.totpOffer(request.tenant, enrolment);
    const base = `${staffBase(request)}/enrol`;
    return sendPage(
      request,
      reply,
      <EnrolSecondFactorPage
        qrDataUrl={await QRCode.toDataURL(offer.uri, { errorCorrectionLevel: 'M', margin: 2, width: 200 })}
        secret={offer.secret}
        totpAction={`${base}/totp?flow=${flowId}`}
        passkeyAction={`${base}/passkey?flow=${flowId}`}
        passkeyOptions={await accounts.passkeyOffer(request.tenant, enrolment)}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  const finished = async (request: FastifyRequest, reply: FastifyReply, flowId: string, result: EnrolResult) => {
    if (result.status === 'gone') return reply.redirect(`${staffBase(request)}/login?notice=flowEnded`, 303);
    if (result.status === 'wrong')
      return http.forms.redirect(request, reply, factorPage(request, flowId), {
        values: {},
        errors: [{ field: 'code', message: 'staffValidation.secondFactor.wrong' }],
        status: 401,
      });
    http.startSession(request, reply, result.sessionToken);
    return reply.redirect(`${staffBase(request)}/recovery-codes?flow=${flowId}`, 303);
  };
  app.post('/enrol/totp', open, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const code = formField(request.body, 'code', 40);
    const actor = http.actor(request, reply);
    return finished(
      request,
      reply,
      flowId,
      await accounts.finishWithTotp(request.tenant, flowId, code, actor, http.sessionToken(request)),
    );
  });
  app.post('/enrol/passkey', open, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const credential = formField(request.body, 'credential', 16_384);
    const actor = http.actor(request, reply);
    return finished(
      request,
      reply,
      flowId,
      await accounts.finishWithPasskey(request.tenant, flowId, credential, actor, http.sessionToken(request)),
    );
  });

  app.get('/recovery-codes', { preHandler: http.requireStaff() }, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    const codes = await accounts.pendingRecoveryCodes(
      request.tenant,
      flowId,
      session(request).member.id,
      http.actor(request, reply),
    );
    if (!codes) return reply.redirect(staffBase(request), 303);
    return sendPage(
      request,
      reply,
      <RecoveryCodesPage codes={codes} action={`${staffBase(request)}/recovery-codes?flow=${flowId}`} />,
    );
  });
  app.post('/recovery-codes', { preHandler: http.requireStaff() }, async (request, reply) => {
    const flowId = queryField(request.query, 'flow');
    await accounts.forgetRecoveryCodes(request.tenant, flowId, session(request).member.id, http.actor(request, reply));
    return reply.redirect(staffBase(request), 303);
  });
}
