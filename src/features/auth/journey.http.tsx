import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { DoneDialogPage } from './pages/done-dialog.page.js';

/** The address of a step of a browser-bound journey: its flow travels in the query string. */
export function flowUrl(request: FastifyRequest, path: string, flowId: string): string {
  return `${tenantBase(request)}${path}?flow=${encodeURIComponent(flowId)}`;
}

/** A flow that is gone (expired, finished, another browser's) never dead-ends: back to login, saying why. */
export function toLoginFlowEnded(request: FastifyRequest, reply: FastifyReply) {
  return reply.redirect(`${tenantBase(request)}/login?notice=flowEnded`, 303);
}

/**
 * A mailed link's button (POST) that found the link used or expired: its page (GET) says so, so
 * the answer to the POST is a redirect and Back or reload never resubmits (#10 §1).
 */
export function toLinkPage(request: FastifyRequest, reply: FastifyReply, path: string, token: string) {
  return reply.redirect(`${tenantBase(request)}${path}?token=${encodeURIComponent(token)}`, 303);
}

/** The end of §2.2 and of §2.4c is the same dialog. */
export function sendSecondPasswordComplete(request: FastifyRequest, reply: FastifyReply) {
  return sendPage(
    request,
    reply,
    <DoneDialogPage
      title={request.t('secondPassword.setTitle')}
      heading={request.t('secondPassword.complete.title')}
      lines={[request.t('secondPassword.complete.line')]}
      okHref={`${tenantBase(request)}/login?notice=secondPasswordSet`}
    />,
  );
}
