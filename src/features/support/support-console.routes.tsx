import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { sendPage } from '../../platform/views/render.js';
import type { ConsoleSection } from '../staff/staff.services.js';
import { session, staffBase } from '../staff/staff.http.js';
import { StudentPage, StudentSearchPage, type SupportNotice, supportNotices } from './pages/support.pages.js';
import { isSupportAction, supportForm } from './support.model.js';
import type { SupportResult } from './support.service.js';

type StudentParams = { userId: string };

const studentPath = (request: FastifyRequest) =>
  `${staffBase(request)}/students/${encodeURIComponent((request.params as StudentParams).userId)}`;

/** The form's one question: the box that says the registrar means it. */
const confirmed = (request: FastifyRequest) => formField(request.body, 'confirm', 10) === 'yes';

/** #12 §2: student support, for registrars and administrators. */
export const supportConsoleRoutes: ConsoleSection = async (app, { staff, services }) => {
  const { http } = staff;
  const { support } = services;
  const anyStaff = http.requireStaff();

  /** A refusal goes back to the student's page, at the box of the form that was sent. */
  const answer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    result: SupportResult,
    form: string,
    notice: SupportNotice,
  ) => {
    if (result.status === 'invalid')
      return http.forms.redirect(request, reply, studentPath(request), {
        values: {},
        errors: fieldErrors(result.violations, { ...supportForm, fields: { confirm: `confirm-${form}` } }),
        status: 422,
      });
    return reply.redirect(`${studentPath(request)}?notice=${notice}`, 303);
  };

  app.get('/students', { preHandler: anyStaff }, async (request, reply) => {
    const query = queryField(request.query, 'q').trim();
    const result = await support.search(request.tenant, query);
    return sendPage(
      request,
      reply,
      <StudentSearchPage member={session(request).member} query={query} result={result} />,
    );
  });

  app.get<{ Params: StudentParams }>('/students/:userId', { preHandler: anyStaff }, async (request, reply) => {
    const view = await support.student(request.tenant, request.params.userId);
    if (!view) throw new AppError('not_found');
    const kept = await http.forms.recall(request, reply);
    const notice = queryField(request.query, 'notice');
    return sendPage(
      request,
      reply,
      <StudentPage
        member={session(request).member}
        view={view}
        errors={kept?.errors ?? []}
        notice={(supportNotices as readonly string[]).includes(notice) ? (notice as SupportNotice) : undefined}
      />,
      kept?.status,
    );
  });

  app.post<{ Params: StudentParams & { action: string } }>(
    '/students/:userId/actions/:action',
    { preHandler: anyStaff },
    async (request, reply) => {
      const { action } = request.params;
      if (!isSupportAction(action)) throw new AppError('not_found');
      const result = await support.act(
        request.tenant,
        request.params.userId,
        action,
        confirmed(request),
        http.actor(request, reply),
      );
      return answer(request, reply, result, action, action);
    },
  );

  app.post<{ Params: StudentParams & { mailId: string } }>(
    '/students/:userId/mail/:mailId/resend',
    { preHandler: anyStaff },
    async (request, reply) => {
      const { mailId } = request.params;
      const result = await support.resendMail(
        request.tenant,
        request.params.userId,
        mailId,
        confirmed(request),
        http.actor(request, reply),
      );
      return answer(request, reply, result, `mail-${mailId}`, 'mail-resent');
    },
  );
};
