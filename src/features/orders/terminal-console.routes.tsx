import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { sendPage } from '../../platform/views/render.js';
import type { ConsoleSection } from '../staff/staff.services.js';
import { session, staffBase } from '../staff/staff.http.js';
import { TerminalSecretPage, TerminalsPage } from './pages/terminal-console.pages.js';

const terminalForm = { message: (code: string) => `terminals.errors.${code.replace(/^terminals\./, '')}` };

/** The page that shows a secret is its only copy: no cache, no history entry to come back to. */
function noStore(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store');
}

/**
 * #12 §4, A-9: an administrator's terminals — campus printers and convenience-store gateway
 * credentials with last call and today's payments; create, rotate and deactivate, each asking for
 * the second factor again after five minutes, each audited with the staff member.
 */
export const terminalConsoleRoutes: ConsoleSection = async (app, { staff, services }) => {
  const { http } = staff;
  const terminals = services.terminals;
  const list = (request: FastifyRequest) => `${staffBase(request)}/terminals`;
  const recent = http.requireRecentAuth('administrator', list);
  /** A terminal of this university; a gateway serving every university is the operator's, and another's is nothing. */
  const owned = async (request: FastifyRequest) => {
    const id = (request.params as { id: string }).id;
    const terminal = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await terminals.find(id, request.tenant.id) : undefined;
    if (!terminal) throw new AppError('not_found');
    return terminal;
  };

  app.get('/terminals', { preHandler: http.requireStaff('administrator') }, async (request, reply) => {
    const kept = await http.forms.recall<Record<string, string>>(request, reply);
    return sendPage(
      request,
      reply,
      <TerminalsPage
        member={session(request).member}
        terminals={await terminals.list(request.tenant.id)}
        values={kept?.values ?? {}}
        errors={kept?.errors ?? []}
        notice={queryField(request.query, 'notice') === 'deactivated' ? 'deactivated' : undefined}
      />,
      kept?.status,
    );
  });

  app.post('/terminals', { preHandler: recent }, async (request, reply) => {
    const input = { name: formField(request.body, 'name', 200), kind: formField(request.body, 'kind', 20) };
    const result = await terminals.add(request.tenant.id, input, http.actor(request, reply));
    if (result.status === 'invalid')
      return http.forms.redirect(request, reply, list(request), {
        values: input,
        errors: fieldErrors(result.violations, terminalForm),
        status: 422,
      });
    noStore(reply);
    return sendPage(
      request,
      reply,
      <TerminalSecretPage member={session(request).member} terminal={result.terminal} secret={result.secret} created />,
    );
  });

  app.post('/terminals/:id/rotate', { preHandler: recent }, async (request, reply) => {
    const terminal = await owned(request);
    const secret = await terminals.rotate(terminal, http.actor(request, reply));
    // Deactivated meanwhile: the list says so.
    if (!secret) return reply.redirect(list(request), 303);
    noStore(reply);
    return sendPage(
      request,
      reply,
      <TerminalSecretPage member={session(request).member} terminal={terminal} secret={secret} created={false} />,
    );
  });

  app.post('/terminals/:id/deactivate', { preHandler: recent }, async (request, reply) => {
    const terminal = await owned(request);
    if (formField(request.body, 'confirm', 10) !== 'yes')
      return http.forms.redirect(request, reply, list(request), {
        values: {},
        errors: [{ field: `confirm-${terminal.id}`, message: 'terminals.errors.confirmRequired' }],
        status: 422,
      });
    await terminals.disable(terminal, http.actor(request, reply));
    return reply.redirect(`${list(request)}?notice=deactivated`, 303);
  });
};
