import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SecretHasher } from '../../platform/crypto.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
} from '../../platform/views/components.js';
import { Layout } from '../../platform/views/layout.js';
import { usePage } from '../../platform/views/page-context.js';
import { sendPage } from '../../platform/views/render.js';
import type { Store } from '../../db/repositories.js';
import type { Clock } from '../../platform/clock.js';
import { formField, queryField } from '../../features/auth/auth.http.js';
import type { Tenant } from '../../features/tenants/tenant.model.js';
import { TerminalService } from '../../features/orders/terminal.service.js';

export interface SimulatorTerminal {
  id: string;
  kind: 'convenience' | 'campus';
  tenant: Tenant | undefined;
}

/** The simulator's own terminals: a store gateway and one campus printer per university. */
export function simulatorTerminalId(tenant?: Tenant): string {
  return tenant ? `sim-campus-${tenant.slug}` : 'sim-store';
}

/** Derived from SECRET_KEY, so nothing secret is stored for them. */
export function simulatorSecret(secrets: SecretHasher, terminalId: string): string {
  return Buffer.from(secrets.hash('simulator-terminal', terminalId), 'hex').toString('base64url');
}

/**
 * Makes sure the simulator's terminals exist with their derived secrets. Called on first use (a
 * 401 from the API), not at start: a start must not need the database, and universities created
 * since, or a changed SECRET_KEY, are then covered too.
 */
export async function ensureSimulatorTerminals(store: Store, secrets: SecretHasher, now: number): Promise<void> {
  const tenants = await store.repos.tenants.list();
  const terminals = [undefined, ...tenants].map((tenant) => ({ id: simulatorTerminalId(tenant), tenant }));
  for (const { id, tenant } of terminals) {
    await store.repos.terminals.upsert(
      {
        id,
        tenantId: tenant?.id ?? null,
        kind: tenant ? 'campus' : 'convenience',
        name: tenant
          ? `Simulator: ${tenant.name.en} on-campus printer`
          : 'Simulator: convenience-store multi-copy machine',
        secretHash: secrets.hash(TerminalService.secretPurpose, simulatorSecret(secrets, id)),
      },
      now,
    );
  }
}

interface ApiReservation {
  reservationNumber: string;
  state: string;
  expiresAt: string | null;
  amountYen: number;
  items: Array<{
    type: string;
    name: { ja: string; en: string };
    language: string;
    copies: number;
    unitFeeYen: number;
  }>;
}

type Step =
  | { step: 'enter'; errors: FieldError[]; number: string }
  | { step: 'confirm'; reservation: ApiReservation }
  | {
      step: 'print';
      reservation: ApiReservation;
      documents: Array<{ serial: string; type: string; language: string; copies: number }>;
    }
  | { step: 'done'; reservation: ApiReservation; outcome: 'printed' | 'failed' };

function SimulatorPage({
  terminals,
  terminal,
  state,
}: {
  terminals: SimulatorTerminal[];
  terminal: SimulatorTerminal;
  state: Step;
}) {
  const { t, lang } = usePage();
  const keep = (
    <>
      <input type="hidden" name="terminal" value={terminal.id} />
      {state.step !== 'enter' && <input type="hidden" name="number" value={state.reservation.reservationNumber} />}
    </>
  );
  return (
    <Layout
      title={t('orders.simulator.title')}
      hasErrors={state.step === 'enter' && state.errors.length > 0}
      langSwitch={{ keep: { terminal: terminal.id } }}
    >
      <div class="simulator">
        <p class="simulator__machine">
          {terminal.kind === 'convenience'
            ? t('orders.simulator.store')
            : t('orders.simulator.campus', { university: terminal.tenant?.name[lang] ?? '' })}
        </p>
        {state.step === 'enter' && (
          <>
            <form method="get" action="/simulator" class="simulator__switch">
              <label for="terminal-select">{t('orders.simulator.machine')}</label>
              <select id="terminal-select" name="terminal">
                {terminals.map((option) => (
                  <option key={option.id} value={option.id} selected={option.id === terminal.id}>
                    {option.kind === 'convenience'
                      ? t('orders.simulator.store')
                      : t('orders.simulator.campus', { university: option.tenant?.name[lang] ?? '' })}
                  </option>
                ))}
              </select>
              <button type="submit" class="button button--small">
                {t('common.switchLanguage')}
              </button>
            </form>
            <ErrorSummary errors={state.errors} />
            <Form action="/simulator/lookup" class="stack">
              {keep}
              <Field
                name="number"
                label={t('orders.simulator.number')}
                hint={t('orders.simulator.numberHint')}
                value={state.number}
                errors={state.errors}
                inputMode="numeric"
                maxLength={14}
                autocomplete="off"
              />
              <Button>{t('orders.simulator.lookUp')}</Button>
            </Form>
          </>
        )}
        {state.step !== 'enter' && (
          <dl class="summary">
            <dt>{t('orders.detail.reservationNumber')}</dt>
            <dd>{state.reservation.reservationNumber}</dd>
            {state.reservation.items.map((item) => (
              <>
                <dt>{item.name[lang]}</dt>
                <dd>
                  {t(`orders.form.language.${item.language}`)} × {item.copies}
                </dd>
              </>
            ))}
            <dt>{t('orders.form.total')}</dt>
            <dd>
              <strong>{t('orders.simulator.amount', { amount: state.reservation.amountYen })}</strong>
            </dd>
          </dl>
        )}
        {state.step === 'confirm' && (
          <Form action="/simulator/pay">
            {keep}
            <input type="hidden" name="amount" value={String(state.reservation.amountYen)} />
            <div class="actions">
              <LinkButton href={`/simulator?terminal=${terminal.id}`} variant="secondary">
                {t('common.back')}
              </LinkButton>
              <Button>{t('orders.simulator.pay', { amount: state.reservation.amountYen })}</Button>
            </div>
          </Form>
        )}
        {state.step === 'print' && (
          <>
            <Message>
              <p>{t('orders.simulator.paid')}</p>
            </Message>
            <ul class="documents">
              {state.documents.map((document) => (
                <li key={document.serial}>
                  <a
                    href={`/simulator/document?terminal=${terminal.id}&number=${state.reservation.reservationNumber}&serial=${encodeURIComponent(document.serial)}`}
                    target="_blank"
                    rel="noopener"
                  >
                    {t(`certificates.types.${document.type}`)}
                    {lang === 'ja'
                      ? `（${t(`orders.form.language.${document.language}`)}、${document.serial}）`
                      : ` (${t(`orders.form.language.${document.language}`)}, ${document.serial})`}
                  </a>{' '}
                  × {document.copies}
                </li>
              ))}
            </ul>
            <div class="actions">
              <Form action="/simulator/failure">
                {keep}
                <Button variant="secondary">{t('orders.simulator.reportFailure')}</Button>
              </Form>
              <Form action="/simulator/printed">
                {keep}
                <Button>{t('orders.simulator.finish')}</Button>
              </Form>
            </div>
          </>
        )}
        {state.step === 'done' && (
          <>
            <Message kind={state.outcome === 'printed' ? 'success' : 'warning'}>
              <p>{t(`orders.simulator.${state.outcome}`)}</p>
            </Message>
            <p>
              <LinkButton href={`/simulator?terminal=${terminal.id}`}>{t('orders.simulator.again')}</LinkButton>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}

/**
 * A multi-copy machine in the browser (C-5): each step is a call to the same terminal API a real
 * terminal uses, with the simulator's own terminal credentials, so the whole path can be tried.
 */
export async function simulatorRoutes(
  app: FastifyInstance,
  { store, secrets, clock }: { store: Store; secrets: SecretHasher; clock: Clock },
) {
  const terminalsList = async (): Promise<SimulatorTerminal[]> => {
    const tenants = await store.repos.tenants.list();
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
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const api = async (terminal: SimulatorTerminal, method: 'GET' | 'POST', path: string, body?: unknown) => {
    let response = await call(terminal, method, path, body);
    // A university created since the start has no simulator printer yet: register it and try once more.
    if (response.statusCode === 401) {
      await ensureSimulatorTerminals(store, secrets, clock.now());
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
    const number = formField(request.body, 'number', 20).normalize('NFKC').replace(/[\s-]/g, '');
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
    const documents = await api(terminal, 'GET', `/reservations/${encodeURIComponent(number)}/documents`);
    if (documents.status !== 200) return refused(request, reply, terminal, number, documents.json.error);
    return render(request, reply, terminal, {
      step: 'print',
      reservation: paid.json as unknown as ApiReservation,
      documents: documents.json.documents as Array<{ serial: string; type: string; language: string; copies: number }>,
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

  for (const outcome of ['printed', 'failure'] as const) {
    app.post(`/${outcome}`, async (request, reply) => {
      const { terminal } = await chosen(formField(request.body, 'terminal', 80));
      const number = formField(request.body, 'number', 20);
      const result = await api(terminal, 'POST', `/reservations/${encodeURIComponent(number)}/${outcome}`);
      if (result.status !== 200) return refused(request, reply, terminal, number, result.json.error);
      return render(request, reply, terminal, {
        step: 'done',
        reservation: result.json as unknown as ApiReservation,
        outcome: outcome === 'printed' ? 'printed' : 'failed',
      });
    });
  }
}
