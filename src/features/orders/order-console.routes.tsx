import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import type { Violation } from '../../platform/violation.js';
import { sendPage } from '../../platform/views/render.js';
import type { ConsoleSection } from '../staff/staff.services.js';
import { session, staffBase } from '../staff/staff.http.js';
import type { OrderQuery } from './order-staff.service.js';
import { ConsoleOrderPage, ConsoleRevokePage } from './pages/console-order.page.js';
import { ConsoleOrdersPage, ConsolePostalPage } from './pages/console-orders.page.js';

/** Each violation code's message: `orders.tracking.invalid` → `orders.console.errors.tracking.invalid`. */
const consoleForm = { message: (code: string) => `orders.console.errors.${code.replace(/^orders\./, '')}` };

const notices = ['paid', 'printed', 'shipped', 'released', 'refundNoted', 'revoked', 'stale', 'notIssuable'] as const;
type Notice = (typeof notices)[number];

function noticeOf(request: FastifyRequest): Notice | undefined {
  const notice = queryField(request.query, 'notice');
  return (notices as readonly string[]).includes(notice) ? (notice as Notice) : undefined;
}

const confirmMissing: Violation = { code: 'orders.confirm.required', path: 'confirm' };

function confirmed(request: FastifyRequest): boolean {
  return formField(request.body, 'confirm', 10) === 'yes';
}

/**
 * #12 §3 (A-5, C-4): the orders console — search, an order's page and its actions, the postal
 * queue with its slips and labels, cashier payment, revocation, and ending paid reservations that
 * cannot print. Every route needs a staff member of this university; every action is a POST with
 * the CSRF token and a confirmation the server checks, answered by a redirect (post/redirect/get).
 */
export const orderConsoleRoutes: ConsoleSection = async (app, { staff, services }) => {
  const { http } = staff;
  const orders = services.orderStaff;
  const member = http.requireStaff();
  const orderPage = (request: FastifyRequest) =>
    `${staffBase(request)}/orders/${encodeURIComponent((request.params as { id: string }).id)}`;
  const revokePage = (request: FastifyRequest) =>
    `${orderPage(request)}/certificates/${encodeURIComponent((request.params as { serial: string }).serial)}/revoke`;
  /** The order of this university, or 404: another university's id is nobody's here. */
  const target = async (request: FastifyRequest) => {
    const detail = await orders.detail(request.tenant, (request.params as { id: string }).id, request.lang);
    if (!detail) throw new AppError('not_found');
    return detail;
  };
  const refuse = (
    request: FastifyRequest,
    reply: FastifyReply,
    violations: Violation[],
    values: Record<string, string>,
    url = orderPage(request),
  ) => http.forms.redirect(request, reply, url, { values, errors: fieldErrors(violations, consoleForm), status: 422 });
  const done = (request: FastifyRequest, reply: FastifyReply, notice: Notice) =>
    reply.redirect(`${orderPage(request)}?notice=${notice}`, 303);

  app.get('/orders', { preHandler: member }, async (request, reply) => {
    const page = Number(queryField(request.query, 'page'));
    const query: OrderQuery = {
      state: queryField(request.query, 'state'),
      destination: queryField(request.query, 'destination'),
      from: queryField(request.query, 'from'),
      to: queryField(request.query, 'to'),
      userId: queryField(request.query, 'userId'),
      page: Number.isInteger(page) && page > 0 ? page : 1,
    };
    const found = await orders.search(request.tenant, query);
    return sendPage(
      request,
      reply,
      <ConsoleOrdersPage
        member={session(request).member}
        query={query}
        orders={found.status === 'found' ? found.orders : []}
        more={found.status === 'found' && found.more}
        errors={found.status === 'invalid' ? fieldErrors(found.violations, consoleForm) : []}
      />,
      found.status === 'invalid' ? 422 : 200,
    );
  });

  app.get('/postal', { preHandler: member }, async (request, reply) => {
    const queue = await orders.postalQueue(request.tenant);
    return sendPage(
      request,
      reply,
      <ConsolePostalPage member={session(request).member} {...queue} notice={undefined} />,
    );
  });

  app.get('/orders/:id', { preHandler: member }, async (request, reply) => {
    const detail = await target(request);
    const kept = await http.forms.recall<Record<string, string>>(request, reply);
    return sendPage(
      request,
      reply,
      <ConsoleOrderPage
        member={session(request).member}
        detail={detail}
        values={kept?.values ?? {}}
        errors={kept?.errors ?? []}
        notice={noticeOf(request)}
      />,
      kept?.status,
    );
  });

  app.post('/orders/:id/payment', { preHandler: member }, async (request, reply) => {
    const { order } = await target(request);
    const receipt = formField(request.body, 'receipt', 100);
    if (!confirmed(request)) return refuse(request, reply, [confirmMissing], { receipt });
    const paid = await orders.recordCashierPayment(request.tenant, order.id, receipt, http.actor(request, reply));
    if (paid.status === 'invalid') return refuse(request, reply, paid.violations, { receipt });
    if (paid.status === 'notIssuable') {
      const problem = paid.problem;
      const violation: Violation =
        problem.reason === 'ineligible'
          ? { code: `orders.notIssuable.${problem.cause}`, path: 'receipt' }
          : {
              code: 'orders.notIssuable.undrawable',
              path: 'receipt',
              params: { characters: problem.characters.join(' ') },
            };
      return refuse(request, reply, [violation], { receipt });
    }
    return done(request, reply, paid.status === 'paid' ? 'paid' : 'stale');
  });

  app.post('/orders/:id/printed', { preHandler: member }, async (request, reply) => {
    const { order } = await target(request);
    if (!confirmed(request)) return refuse(request, reply, [confirmMissing], {});
    const printed = await orders.markPrinted(request.tenant, order.id, http.actor(request, reply));
    return done(request, reply, printed.status === 'printed' ? 'printed' : 'stale');
  });

  app.post('/orders/:id/shipped', { preHandler: member }, async (request, reply) => {
    const { order } = await target(request);
    const tracking = formField(request.body, 'tracking', 100);
    if (!confirmed(request)) return refuse(request, reply, [confirmMissing], { tracking });
    const shipped = await orders.ship(request.tenant, order.id, tracking, http.actor(request, reply));
    if (shipped.status === 'invalid') return refuse(request, reply, shipped.violations, { tracking });
    return done(request, reply, shipped.status === 'shipped' ? 'shipped' : 'stale');
  });

  app.post('/orders/:id/release', { preHandler: member }, async (request, reply) => {
    const { order } = await target(request);
    const refundNote = formField(request.body, 'refundNote', 1000);
    if (!confirmed(request)) return refuse(request, reply, [confirmMissing], { refundNote });
    const released = await orders.releaseWithNote(request.tenant, order.id, refundNote, http.actor(request, reply));
    if (released.status === 'invalid') return refuse(request, reply, released.violations, { refundNote });
    return done(request, reply, released.status === 'released' ? 'released' : 'stale');
  });

  app.post('/orders/:id/refund-note', { preHandler: member }, async (request, reply) => {
    const { order } = await target(request);
    const refundNote = formField(request.body, 'refundNote', 1000);
    const noted = await orders.noteRefund(request.tenant, order.id, refundNote, http.actor(request, reply));
    if (noted.status === 'invalid') return refuse(request, reply, noted.violations, { refundNote });
    return done(request, reply, noted.status === 'noted' ? 'refundNoted' : 'stale');
  });

  const recentAuth = http.requireRecentAuth(undefined, revokePage);
  const certificateOf = async (request: FastifyRequest) => {
    const detail = await target(request);
    const serial = (request.params as { serial: string }).serial;
    const certificate = detail.certificates.find((each) => each.serial === serial && each.revokedAt === null);
    if (!certificate) throw new AppError('not_found');
    return { detail, certificate };
  };

  app.get('/orders/:id/certificates/:serial/revoke', { preHandler: recentAuth }, async (request, reply) => {
    const { detail, certificate } = await certificateOf(request);
    const kept = await http.forms.recall<Record<string, string>>(request, reply);
    return sendPage(
      request,
      reply,
      <ConsoleRevokePage
        member={session(request).member}
        orderId={detail.order.id}
        certificate={certificate}
        typeName={detail.names[certificate.type] ?? certificate.type}
        values={kept?.values ?? {}}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  app.post('/orders/:id/certificates/:serial/revoke', { preHandler: recentAuth }, async (request, reply) => {
    const { detail, certificate } = await certificateOf(request);
    const input = { category: formField(request.body, 'category', 40), note: formField(request.body, 'note', 2000) };
    const violations: Violation[] = confirmed(request) ? [] : [confirmMissing];
    const revoked =
      violations.length === 0
        ? await orders.revoke(request.tenant, detail.order.id, certificate.serial, input, http.actor(request, reply))
        : undefined;
    if (revoked?.status === 'invalid') violations.push(...revoked.violations);
    if (violations.length > 0 || !revoked) return refuse(request, reply, violations, input, revokePage(request));
    return done(request, reply, revoked.status === 'revoked' ? 'revoked' : 'stale');
  });

  app.get('/orders/:id/documents/:seq', { preHandler: member }, async (request, reply) => {
    const { order } = await target(request);
    const seq = Number((request.params as { seq: string }).seq);
    const certificate = Number.isInteger(seq) ? await orders.document(request.tenant, order.id, seq) : undefined;
    if (!certificate) throw new AppError('not_found');
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="${certificate.serial}.pdf"`)
      .send(certificate.pdf);
  });

  for (const kind of ['packing-slip', 'address-label'] as const) {
    app.get(`/orders/:id/${kind}`, { preHandler: member }, async (request, reply) => {
      const { order } = await target(request);
      const pdf =
        order.paidAt === null ? undefined : await orders.postalDocument(request.tenant, order.id, kind, request.lang);
      if (!pdf) throw new AppError('not_found');
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="${kind}-${order.id}.pdf"`)
        .send(Buffer.from(pdf));
    });
  }
};
