import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { sendPage } from '../../platform/views/render.js';
import { ConsoleHomePage, MemberPage, MembersPage } from './pages/console.pages.js';
import { isStaffRole } from './staff.model.js';
import { type StaffServices, staffForm } from './staff.services.js';
import { session, staffBase } from './staff.http.js';

/** the console's home, and the staff list for administrators. */
export async function staffConsoleRoutes(app: FastifyInstance, { staff }: { staff: StaffServices }) {
  const { http, accounts } = staff;
  const administrator = http.requireStaff('administrator');
  const memberPage = (request: FastifyRequest) =>
    `${staffBase(request)}/members/${encodeURIComponent((request.params as { id: string }).id)}`;
  /** A member of this university, or 404: an id from another university is nobody here. */
  const target = async (request: FastifyRequest) => {
    const member = await accounts.find(request.tenant, (request.params as { id: string }).id);
    if (!member) throw new AppError('not_found');
    return member;
  };

  app.get('/', { preHandler: http.requireStaff() }, async (request, reply) =>
    sendPage(request, reply, <ConsoleHomePage member={session(request).member} />),
  );

  app.get('/members', { preHandler: administrator }, async (request, reply) => {
    const kept = await http.forms.recall<Record<string, string>>(request, reply);
    return sendPage(
      request,
      reply,
      <MembersPage
        me={session(request).member}
        members={await accounts.list(request.tenant)}
        values={kept?.values ?? {}}
        errors={kept?.errors ?? []}
        invited={queryField(request.query, 'notice') === 'invited'}
      />,
      kept?.status,
    );
  });

  app.post('/members', { preHandler: administrator }, async (request, reply) => {
    const input = {
      email: formField(request.body, 'email', 300),
      name: formField(request.body, 'name', 200),
      staffNumber: formField(request.body, 'staffNumber', 100),
      role: formField(request.body, 'role', 40),
    };
    const result = await accounts.invite(request.tenant, input, http.actor(request, reply), { mail: true });
    if (result.status === 'invalid')
      return http.forms.redirect(request, reply, `${staffBase(request)}/members`, {
        values: input,
        errors: fieldErrors(result.violations, staffForm),
        status: 422,
      });
    return reply.redirect(`${staffBase(request)}/members?notice=invited`, 303);
  });

  app.get('/members/:id', { preHandler: administrator }, async (request, reply) => {
    const member = await target(request);
    const kept = await http.forms.recall(request, reply);
    const notice = queryField(request.query, 'notice');
    return sendPage(
      request,
      reply,
      <MemberPage
        me={session(request).member}
        member={member}
        errors={kept?.errors ?? []}
        notice={notice === 'roleChanged' || notice === 'disabled' ? notice : undefined}
      />,
      kept?.status,
    );
  });

  app.post(
    '/members/:id/role',
    { preHandler: http.requireRecentAuth('administrator', memberPage) },
    async (request, reply) => {
      const member = await target(request);
      const role = formField(request.body, 'role', 40);
      const result = isStaffRole(role)
        ? await accounts.changeRole(request.tenant, member.id, role, http.actor(request, reply))
        : { status: 'invalid' as const, violations: [{ code: 'staff.roleInvalid', path: 'role' }] };
      if (result.status === 'invalid')
        return http.forms.redirect(request, reply, memberPage(request), {
          values: {},
          errors: fieldErrors(result.violations, staffForm),
          status: 422,
        });
      return reply.redirect(`${memberPage(request)}${result.status === 'changed' ? '?notice=roleChanged' : ''}`, 303);
    },
  );

  app.post(
    '/members/:id/disable',
    { preHandler: http.requireRecentAuth('administrator', memberPage) },
    async (request, reply) => {
      const member = await target(request);
      if (formField(request.body, 'confirm', 10) !== 'yes')
        return http.forms.redirect(request, reply, memberPage(request), {
          values: {},
          errors: [{ field: 'disable', message: 'staffValidation.staff.confirmDisable' }],
          status: 422,
        });
      const result = await accounts.disable(request.tenant, member.id, http.actor(request, reply));
      if (result.status === 'invalid')
        return http.forms.redirect(request, reply, memberPage(request), {
          values: {},
          errors: fieldErrors(result.violations, staffForm),
          status: 422,
        });
      return reply.redirect(`${memberPage(request)}${result.status === 'disabled' ? '?notice=disabled' : ''}`, 303);
    },
  );
}
