import { formatDateTime, formatReservationNumber, formatYen } from '../../../platform/format.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
  RadioGroup,
} from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { IssuedCertificate } from '../../certificates/issued-certificate.model.js';
import { staffRevocationCategories } from '../../certificates/issued-certificate.model.js';
import { ConfirmBox, ConsolePage } from '../../staff/pages/staff.components.js';
import type { StaffMember } from '../../staff/staff.model.js';
import type { OrderDetail } from '../order-staff.service.js';
import { addressLines } from '../order.model.js';
import { canTake } from '../order.state.js';

function Payment({ detail }: { detail: OrderDetail }) {
  const { t, lang } = usePage();
  const { order } = detail;
  if (order.paidAt === null) return <dd>{t('orders.console.notPaid')}</dd>;
  const how = order.paymentReceipt
    ? t('orders.console.paidAtCashier', { receipt: order.paymentReceipt })
    : order.terminalId
      ? t('orders.console.paidAtTerminal', {
          terminal: order.terminalId,
          store: order.storeId ?? '—',
          machine: order.machineId ?? '—',
        })
      : t('orders.console.paidOther');
  return (
    <dd>
      {formatDateTime(order.paidAt, lang)} — {how}
    </dd>
  );
}

/** The audit entry as the history lists it: when, what, and who among staff. */
function historyLine(t: (key: string, params?: Record<string, unknown>) => string, detail: Record<string, unknown>) {
  const parts: string[] = [];
  if (typeof detail.to === 'string') parts.push(t(`orders.states.${detail.to}`));
  if (typeof detail.serial === 'string') parts.push(detail.serial);
  if (typeof detail.category === 'string') parts.push(t(`certificates.revocation.${detail.category}`));
  if (typeof detail.receipt === 'string') parts.push(t('orders.console.receipt') + ': ' + detail.receipt);
  if (typeof detail.tracking === 'string') parts.push(t('orders.console.tracking') + ': ' + detail.tracking);
  if (typeof detail.staffId === 'string') parts.push(t('orders.console.byStaff', { id: detail.staffId }));
  return parts.join(' · ');
}

/** #12 A-5: one order — items, fees, address, payment, history, certificates, and what its state allows. */
export function ConsoleOrderPage({
  member,
  detail,
  values,
  errors,
  notice,
}: {
  member: StaffMember;
  detail: OrderDetail;
  values: Record<string, string>;
  errors: FieldError[];
  notice: string | undefined;
}) {
  const { t, lang, base } = usePage();
  const { order } = detail;
  const here = `${base}/staff/orders/${order.id}`;
  const staffMoves = order.destination === 'postal' || order.destination === 'digital';
  const can = (event: 'paid' | 'printed' | 'shipped') => staffMoves && canTake(order.destination, order.state, event);
  const releasable = order.state === 'paid' && canTake(order.destination, 'paid', 'release');
  const ended = order.state === 'voided' || order.state === 'released';
  const stamps: Array<[string, number | null]> = [
    ['printed', order.printedAt],
    ['shipped', order.shippedAt],
    ['cancelled', order.cancelledAt],
    ['voided', order.voidedAt],
    ['released', order.releasedAt],
  ];
  return (
    <ConsolePage
      member={member}
      title={t('orders.console.order.title', { id: order.id })}
      hasErrors={errors.length > 0}
    >
      {notice && (
        <Message kind={notice === 'stale' || notice === 'notIssuable' ? 'warning' : 'success'}>
          {t(`orders.console.notice.${notice}`)}
        </Message>
      )}
      <ErrorSummary errors={errors} />
      <dl class="summary">
        <dt>{t('orders.console.state')}</dt>
        <dd>
          <strong>{t(`orders.states.${order.state}`)}</strong>
        </dd>
        <dt>{t('orders.console.destination')}</dt>
        <dd>{t(`orders.destinations.${order.destination}.name`)}</dd>
        <dt>{t('orders.console.student')}</dt>
        <dd>
          {detail.studentName ?? '—'} ({order.studentNumber}) — {t('orders.console.userId')}: {detail.userId ?? '—'}
        </dd>
        <dt>{t('orders.console.placedAt')}</dt>
        <dd>{formatDateTime(order.createdAt, lang)}</dd>
        {stamps.map(([key, at]) =>
          at === null ? null : (
            <>
              <dt>{t(`orders.console.stamps.${key}`)}</dt>
              <dd>{formatDateTime(at, lang)}</dd>
            </>
          ),
        )}
        {order.reservationNumber && (
          <>
            <dt>{t('orders.detail.reservationNumber')}</dt>
            <dd>{formatReservationNumber(order.reservationNumber)}</dd>
          </>
        )}
        <dt>{t('orders.console.fee')}</dt>
        <dd>
          {formatYen(order.feeYen, lang)} + {t('orders.console.postage')} {formatYen(order.postageYen, lang)} ={' '}
          {formatYen(order.feeYen + order.postageYen, lang)}
        </dd>
        <dt>{t('orders.console.payment')}</dt>
        <Payment detail={detail} />
        {order.trackingNumber && (
          <>
            <dt>{t('orders.console.tracking')}</dt>
            <dd>{order.trackingNumber}</dd>
          </>
        )}
        {order.shippingAddress && (
          <>
            <dt>{t('orders.console.shipTo')}</dt>
            <dd>
              {addressLines(order.shippingAddress, lang).map((part) => (
                <span key={part} class="line">
                  {part}
                  <br />
                </span>
              ))}
            </dd>
          </>
        )}
        {order.recipient && (
          <>
            <dt>{t('orders.recipient.name')}</dt>
            <dd>
              {order.recipient.name} ({order.recipient.email})
            </dd>
          </>
        )}
        {order.refundNote && (
          <>
            <dt>{t('orders.console.refundNote')}</dt>
            <dd>{order.refundNote}</dd>
          </>
        )}
      </dl>

      <div class="table-wrap">
        <table class="stack-table">
          <caption>{t('orders.console.items')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('orders.console.certificate')}</th>
              <th scope="col">{t('orders.console.language')}</th>
              <th scope="col">{t('orders.console.copies')}</th>
              <th scope="col">{t('orders.console.fee')}</th>
              {order.destination === 'postal' && can('printed') && <th scope="col">{t('orders.console.toPrint')}</th>}
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr key={item.seq}>
                <td data-label={t('orders.console.certificate')}>{detail.names[item.type] ?? item.type}</td>
                <td data-label={t('orders.console.language')}>{t(`orders.form.language.${item.lang}`)}</td>
                <td data-label={t('orders.console.copies')}>{item.copies}</td>
                <td data-label={t('orders.console.fee')}>{formatYen(item.unitFeeYen * item.copies, lang)}</td>
                {order.destination === 'postal' && can('printed') && (
                  <td data-label={t('orders.console.toPrint')}>
                    <a href={`${here}/documents/${item.seq}`}>{t('orders.console.certificatePdf')}</a>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {order.shippingAddress && order.paidAt !== null && (
        <p class="actions">
          <LinkButton variant="secondary" href={`${here}/packing-slip`}>
            {t('orders.console.slip.download')}
          </LinkButton>
          <LinkButton variant="secondary" href={`${here}/address-label`}>
            {t('orders.console.label.download')}
          </LinkButton>
        </p>
      )}

      {can('paid') && (
        <section aria-labelledby="pay-title">
          <h2 id="pay-title">{t('orders.console.pay.title')}</h2>
          <p>{t(`orders.console.pay.intro_${order.destination}`)}</p>
          <Form action={`${here}/payment`} class="stack">
            <Field
              name="receipt"
              label={t('orders.console.receipt')}
              value={values.receipt}
              errors={errors}
              maxLength={40}
            />
            <ConfirmBox name="confirm" label={t('orders.console.pay.confirm')} errors={errors} />
            <Button>{t('orders.console.pay.submit')}</Button>
          </Form>
        </section>
      )}
      {can('printed') && (
        <section aria-labelledby="print-title">
          <h2 id="print-title">{t('orders.console.print.title')}</h2>
          <p>{t('orders.console.print.intro')}</p>
          <Form action={`${here}/printed`} class="stack">
            <ConfirmBox name="confirm" label={t('orders.console.print.confirm')} errors={errors} />
            <Button>{t('orders.console.print.submit')}</Button>
          </Form>
        </section>
      )}
      {can('shipped') && (
        <section aria-labelledby="ship-title">
          <h2 id="ship-title">{t('orders.console.ship.title')}</h2>
          <Form action={`${here}/shipped`} class="stack">
            <Field
              name="tracking"
              label={t('orders.console.tracking')}
              hint={t('orders.console.ship.trackingHint')}
              value={values.tracking}
              errors={errors}
              inputMode="numeric"
              maxLength={20}
            />
            <ConfirmBox name="confirm" label={t('orders.console.ship.confirm')} errors={errors} />
            <Button>{t('orders.console.ship.submit')}</Button>
          </Form>
        </section>
      )}
      {(releasable || ended) && (
        <section aria-labelledby="refund-title">
          <h2 id="refund-title">{t(releasable ? 'orders.console.release.title' : 'orders.console.refund.title')}</h2>
          <p>{t(releasable ? 'orders.console.release.intro' : `orders.console.refund.intro_${order.state}`)}</p>
          <Form action={`${here}/${releasable ? 'release' : 'refund-note'}`} class="stack">
            <Field
              name="refundNote"
              label={t('orders.console.refundNote')}
              hint={t('orders.console.refund.hint')}
              value={values.refundNote ?? order.refundNote ?? ''}
              errors={errors}
              maxLength={500}
            />
            {releasable && <ConfirmBox name="confirm" label={t('orders.console.release.confirm')} errors={errors} />}
            <Button variant={releasable ? 'primary' : 'secondary'}>
              {t(releasable ? 'orders.console.release.submit' : 'orders.console.refund.submit')}
            </Button>
          </Form>
        </section>
      )}

      <h2>{t('orders.console.certificates')}</h2>
      {detail.certificates.length === 0 ? (
        <p>{t('orders.console.noCertificates')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack-table">
            <thead>
              <tr>
                <th scope="col">{t('orders.console.serial')}</th>
                <th scope="col">{t('orders.console.certificate')}</th>
                <th scope="col">{t('orders.console.issuedAt')}</th>
                <th scope="col">{t('orders.console.status')}</th>
              </tr>
            </thead>
            <tbody>
              {detail.certificates.map((certificate) => (
                <tr key={certificate.serial}>
                  <td data-label={t('orders.console.serial')}>{certificate.serial}</td>
                  <td data-label={t('orders.console.certificate')}>
                    {detail.names[certificate.type] ?? certificate.type}
                  </td>
                  <td data-label={t('orders.console.issuedAt')}>{formatDateTime(certificate.issuedAt, lang)}</td>
                  <td data-label={t('orders.console.status')}>
                    {certificate.revokedAt === null ? (
                      <a href={`${here}/certificates/${encodeURIComponent(certificate.serial)}/revoke`}>
                        {t('orders.console.revoke.open')}
                      </a>
                    ) : (
                      <RevokedLine certificate={certificate} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('orders.console.history')}</h2>
      <ol class="history">
        {detail.history.map((entry) => (
          <li key={`${entry.at}-${entry.event}`}>
            {formatDateTime(entry.at, lang)} — {t(`orders.console.events.${entry.event.replace('.', '_')}`)}
            {historyLine(t, entry.detail ?? {}) && ` (${historyLine(t, entry.detail ?? {})})`}
          </li>
        ))}
      </ol>
      <p>
        <LinkButton variant="secondary" href={`${base}/staff/orders`}>
          {t('orders.console.backToSearch')}
        </LinkButton>
      </p>
    </ConsolePage>
  );
}

function RevokedLine({ certificate }: { certificate: Omit<IssuedCertificate, 'pdf'> }) {
  const { t, lang } = usePage();
  return (
    <>
      {t('orders.console.revokedOn', { at: formatDateTime(certificate.revokedAt ?? 0, lang) })}
      {certificate.revokedCategory && ` — ${t(`certificates.revocation.${certificate.revokedCategory}`)}`}
      {certificate.revokedReason && (
        <>
          <br />
          {t('orders.console.revoke.internalNote')}: {certificate.revokedReason}
        </>
      )}
    </>
  );
}

/** The revocation's own page (#12 A-5): a category from the list, an internal note, and a confirmation. */
export function ConsoleRevokePage({
  member,
  orderId,
  certificate,
  typeName,
  values,
  errors,
}: {
  member: StaffMember;
  orderId: string;
  certificate: Omit<IssuedCertificate, 'pdf'>;
  typeName: string;
  values: Record<string, string>;
  errors: FieldError[];
}) {
  const { t, base } = usePage();
  const here = `${base}/staff/orders/${orderId}`;
  return (
    <ConsolePage
      member={member}
      title={t('orders.console.revoke.title', { serial: certificate.serial })}
      hasErrors={errors.length > 0}
    >
      <ErrorSummary errors={errors} />
      <p>
        {typeName} — {certificate.serial}
      </p>
      <p>{t('orders.console.revoke.intro')}</p>
      <Form action={`${here}/certificates/${encodeURIComponent(certificate.serial)}/revoke`} class="stack">
        <RadioGroup
          name="category"
          legend={t('orders.console.revoke.category')}
          options={staffRevocationCategories.map((category) => ({
            value: category,
            label: t(`certificates.revocation.${category}`),
          }))}
          selected={values.category}
          errors={errors}
        />
        <Field
          name="note"
          label={t('orders.console.revoke.note')}
          hint={t('orders.console.revoke.noteHint')}
          value={values.note}
          errors={errors}
          maxLength={1000}
        />
        <ConfirmBox name="confirm" label={t('orders.console.revoke.confirm')} errors={errors} />
        <div class="actions">
          <LinkButton variant="secondary" href={here}>
            {t('common.back')}
          </LinkButton>
          <Button>{t('orders.console.revoke.submit')}</Button>
        </div>
      </Form>
    </ConsolePage>
  );
}
