import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { TerminalService } from '../../features/orders/terminal.service.js';
import type { SecretHasher } from '../../platform/crypto.js';
import { randomToken } from '../../platform/crypto.js';
import { canonicalReservationNumber } from '../../platform/format.js';
import { sendPage } from '../../platform/views/render.js';
import { formField, queryField } from '../../platform/http/form.js';
import { type ApiDocument, type ApiReservation, SimulatorPage, type Step } from './simulator.page.js';
import {
  type SimulatorTerminal,
  ensureSimulatorTerminals,
  simulatorSecret,
  simulatorTerminalId,
} from './simulator.terminals.js';

/**
 * A multi-copy machine in the browser (C-5): each step is a call to the same terminal API a real
 * terminal uses, with the simulator's own terminal credentials, so the whole path can be tried.
 */
export async function simulatorRoutes(
  app: FastifyInstance,
  { uow, secrets, terminals }: { uow: UnitOfWork; secrets: SecretHasher; terminals: TerminalService },
) {
  const terminalsList = async (): Promise<SimulatorTerminal[]> => {
    const tenants = await uow.repos.tenants.list();
    return [
      { id: simulatorTerminalId(), kind: 'convenience', tenant: undefined },
      ...tenants.map((tenant): SimulatorTerminal => ({ id: simulatorTerminalId(tenant), kind: 'campus', tenant })),
    ];
  };
  const chosen = async (id: string) => {
    const all = await terminalsList();
    return { terminal: all.find((terminal) => terminal.id === id) ?? (all[0] as SimulatorTerminal) };
  };
  const call = (terminal: SimulatorTerminal, method: 'GET' | 'POST', path: string, body?: unknown) =>
    app.inject({
      method,
      url: `/api/v1/terminal${path}`,
      headers: {
        authorization: `Bearer ${terminal.id}.${simulatorSecret(secrets, terminal.id)}`,
        // The simulator is one machine in one store; each call is its own transaction (#9).
        'x-store-id': 'simulator',
        'x-machine-id': terminal.id,
        'x-transaction-id': randomToken(12),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const api = async (terminal: SimulatorTerminal, method: 'GET' | 'POST', path: string, body?: unknown) => {
    let response = await call(terminal, method, path, body);
    // A university created since the start has no simulator printer yet: register it and try once more.
    if (response.statusCode === 401) {
      await ensureSimulatorTerminals(uow, terminals, secrets);
      response = await call(terminal, method, path, body);
    }
    return {
      status: response.statusCode,
      json: response.headers['content-type']?.toString().startsWith('application/json')
        ? (response.json() as Record<string, unknown>)
        : {},
      raw: response.rawPayload,
    };
  };
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    terminal: SimulatorTerminal,
    state: Step,
    status = 200,
  ) =>
    sendPage(
      request,
      reply,
      <SimulatorPage terminals={await terminalsList()} terminal={terminal} state={state} />,
      status,
    );
  const refused = (
    request: FastifyRequest,
    reply: FastifyReply,
    terminal: SimulatorTerminal,
    number: string,
    code: unknown,
  ) =>
    render(
      request,
      reply,
      terminal,
      {
        step: 'enter',
        number,
        errors: [
          { field: 'number', message: `orders.simulator.errors.${typeof code === 'string' ? code : 'bad_request'}` },
        ],
      },
      422,
    );

  app.get('/', async (request, reply) => {
    const { terminal } = await chosen(queryField(request.query, 'terminal'));
    return render(request, reply, terminal, { step: 'enter', number: '', errors: [] });
  });

  app.post('/lookup', async (request, reply) => {
    const { terminal } = await chosen(formField(request.body, 'terminal', 80));
    const number = canonicalReservationNumber(formField(request.body, 'number', 40));
    const result = await api(terminal, 'GET', `/reservations/${encodeURIComponent(number)}`);
    if (result.status !== 200) return refused(request, reply, terminal, number, result.json.error);
    return render(request, reply, terminal, { step: 'confirm', reservation: result.json as unknown as ApiReservation });
  });

  app.post('/pay', async (request, reply) => {
    const { terminal } = await chosen(formField(request.body, 'terminal', 80));
    const number = formField(request.body, 'number', 20);
    const paid = await api(terminal, 'POST', `/reservations/${encodeURIComponent(number)}/payment`, {
      amountYen: Number(formField(request.body, 'amount', 10)),
    });
    if (paid.status !== 200) return refused(request, reply, terminal, number, paid.json.error);
    const reservation = paid.json as unknown as ApiReservation;
    if (reservation.kind === 'payment')
      return render(request, reply, terminal, { step: 'done', reservation, outcome: 'paidOnly' });
    const documents = await api(terminal, 'GET', `/reservations/${encodeURIComponent(number)}/documents`);
    if (documents.status !== 200) return refused(request, reply, terminal, number, documents.json.error);
    return render(request, reply, terminal, {
      step: 'print',
      reservation,
      documents: documents.json.documents as ApiDocument[],
    });
  });

  app.get('/document', async (request, reply) => {
    const { terminal } = await chosen(queryField(request.query, 'terminal'));
    const number = queryField(request.query, 'number');
    const serial = queryField(request.query, 'serial');
    const pdf = await api(
      terminal,
      'GET',
      `/reservations/${encodeURIComponent(number)}/documents/${encodeURIComponent(serial)}`,
    );
    if (pdf.status !== 200) return refused(request, reply, terminal, number, pdf.json.error);
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="${serial}.pdf"`)
      .send(pdf.raw);
  });

  for (const outcome of ['printed', 'failure', 'void'] as const) {
    app.post(`/${outcome}`, async (request, reply) => {
      const { terminal } = await chosen(formField(request.body, 'terminal', 80));
      const number = formField(request.body, 'number', 20);
      const result = await api(terminal, 'POST', `/reservations/${encodeURIComponent(number)}/${outcome}`);
      if (result.status !== 200) return refused(request, reply, terminal, number, result.json.error);
      return render(request, reply, terminal, {
        step: 'done',
        reservation: result.json as unknown as ApiReservation,
        outcome: outcome === 'printed' ? 'printed' : outcome === 'void' ? 'voided' : 'failed',
      });
    });
  }
}
