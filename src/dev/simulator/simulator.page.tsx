import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
} from '../../platform/views/components.js';
import { formatReservationNumber, formatYen } from '../../platform/format.js';
import { Layout } from '../../platform/views/layout.js';
import { usePage } from '../../platform/views/page-context.js';
import type { SimulatorTerminal } from './simulator.terminals.js';

/** The terminal API's JSON: the simulator calls that API as a real terminal does, not the services. */
export interface ApiReservation {
  reservationNumber: string;
  /** `payment`: a postal or digital order's payment number, paid and not printed (#12, A-8). */
  kind: 'print' | 'payment';
  university: { ja: string; en: string };
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

export interface ApiDocument {
  serial: string;
  type: string;
  language: string;
  copies: number;
}

export type Step =
  | { step: 'enter'; errors: FieldError[]; number: string }
  | { step: 'confirm'; reservation: ApiReservation }
  | {
      step: 'print';
      reservation: ApiReservation;
      documents: ApiDocument[];
    }
  | { step: 'done'; reservation: ApiReservation; outcome: 'printed' | 'failed' | 'voided' | 'paidOnly' };

export function SimulatorPage({
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
                maxLength={20}
                autocomplete="off"
              />
              <Button>{t('orders.simulator.lookUp')}</Button>
            </Form>
          </>
        )}
        {state.step !== 'enter' && (
          <dl class="summary">
            <dt>{t('orders.simulator.university')}</dt>
            <dd>{state.reservation.university[lang]}</dd>
            <dt>
              {t(
                state.reservation.kind === 'payment'
                  ? 'orders.detail.paymentNumber'
                  : 'orders.detail.reservationNumber',
              )}
            </dt>
            <dd>{formatReservationNumber(state.reservation.reservationNumber)}</dd>
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
              <strong>{formatYen(state.reservation.amountYen, lang)}</strong>
            </dd>
          </dl>
        )}
        {state.step === 'confirm' && state.reservation.kind === 'payment' && <p>{t('orders.simulator.paymentOnly')}</p>}
        {state.step === 'confirm' && (
          <Form action="/simulator/pay">
            {keep}
            <input type="hidden" name="amount" value={String(state.reservation.amountYen)} />
            <div class="actions">
              <LinkButton href={`/simulator?terminal=${terminal.id}`} variant="secondary">
                {t('common.back')}
              </LinkButton>
              <Button>{t('orders.simulator.pay', { amount: formatYen(state.reservation.amountYen, lang) })}</Button>
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
            <Message kind={state.outcome === 'printed' || state.outcome === 'paidOnly' ? 'success' : 'warning'}>
              <p>{t(`orders.simulator.${state.outcome}`)}</p>
            </Message>
            {state.outcome === 'failed' && (
              <Form action="/simulator/void">
                {keep}
                <Button variant="secondary">{t('orders.simulator.void')}</Button>
              </Form>
            )}
            <p>
              <LinkButton href={`/simulator?terminal=${terminal.id}`}>{t('orders.simulator.again')}</LinkButton>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}
