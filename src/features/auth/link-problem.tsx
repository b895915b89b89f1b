import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { LinkProblemPage } from './pages/mailed-link.pages.js';

/** Where each mailed link's journey starts again when its URL has expired or was used (L-18). */
const nextSteps = {
  registration: { path: '/login', label: 'common.toLogin', hint: 'link.next.registration' },
  reset: { path: '/forgot', label: 'link.next.resetButton', hint: 'link.next.reset' },
  change: { path: '/settings/mail-address', label: 'menu.changeMailAddress', hint: 'link.next.change' },
} as const;

export function sendLinkProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: 'expired' | 'used' | 'unknown',
  journey: keyof typeof nextSteps,
) {
  const next = nextSteps[journey];
  return sendPage(
    request,
    reply,
    <LinkProblemPage
      status={status}
      nextHref={`${tenantBase(request)}${next.path}`}
      nextLabel={request.t(next.label)}
      nextHint={request.t(next.hint)}
    />,
    410,
  );
}
