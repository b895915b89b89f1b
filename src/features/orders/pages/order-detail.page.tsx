import { formatYen } from '../../../platform/format.js';
import { formatDateTime, formatReservationNumber } from '../../../platform/format.js';
import { Button, Form, LinkButton, Message } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { MarkdownText } from '../../../platform/views/markdown-text.js';
import { useTenantPage } from '../../tenants/tenant-page.js';
import type { Order } from '../order.model.js';
import { AddressBlock } from './order.components.js';

/** What the detail says about a digital delivery: whether and when the recipient fetched it. */
interface DeliveryStatus {
  firstRetrievedAt: number | null;
  retrievals: number;
  expiresAt: number;
}

/** C-8: one order, its state, reservation number and expiry; Cancel while nothing is printed. */
export function OrderDetailPage({
  order,
  names,
  cancellable,
  expired,
  payable,
  delivery,
  notice,
}: {
  order: Order;
  names: Record<string, string>;
  cancellable: boolean;
  /** Reserved but past its expiry: no terminal will take it. */
  expired: boolean;
  /** Submitted with a payment number not yet expired: payable at a convenience store (#12, A-8). */
  payable: boolean;
  delivery: DeliveryStatus | undefined;
  notice?: 'placed' | 'cancelled' | 'notCancellable' | undefined;
}) {
  const { t, lang, base, tenant } = useTenantPage();
  const own = tenant?.content[lang].payment;
  const payment = order.paymentNumber && {
    number: formatReservationNumber(order.paymentNumber),
    expiry: formatDateTime(order.paymentExpiresAt ?? 0, lang),
    total: formatYen(order.feeYen + order.postageYen, lang),
  };
  return (
    <Layout title={t('orders.detail.title')}>
      {notice && (
        <Message kind={notice === 'notCancellable' ? 'warning' : 'success'}>
          <p>{t(`orders.detail.notice.${notice}`)}</p>
        </Message>
      )}
      {order.reservationNumber && order.state === 'reserved' && !expired && (
        <section class="reservation" aria-labelledby="reservation-title">
          <h2 id="reservation-title">{t('orders.detail.reservationNumber')}</h2>
          <p class="reservation__number">{formatReservationNumber(order.reservationNumber)}</p>
          <p>{t('orders.detail.validUntil', { expiry: formatDateTime(order.reservationExpiresAt ?? 0, lang) })}</p>
          <p>{t(`orders.detail.howTo.${order.destination}`)}</p>
        </section>
      )}
      {(order.state === 'voided' || order.state === 'released') && (
        <section class="message message--info" aria-labelledby="next-title">
          <h2 id="next-title">{t(`orders.states.${order.state}`)}</h2>
          <p>{t(`orders.detail.next.${order.state}`)}</p>
        </section>
      )}
      {order.state === 'submitted' && (
        <section class={payable ? 'reservation' : 'message message--info'} aria-labelledby="payment-title">
          <h2 id="payment-title">{t('orders.review.paymentHeading')}</h2>
          {payable && payment && (
            <>
              <h3>{t('orders.detail.paymentNumber')}</h3>
              <p class="reservation__number" id="payment-number">
                {payment.number}
              </p>
              <p>{t('orders.payment.payBy', payment)}</p>
              <p>{t(`orders.payment.howTo.${order.destination}`)}</p>
            </>
          )}
          {!payable && payment && <p>{t('orders.payment.expired', payment)}</p>}
          {own ? <MarkdownText source={own} /> : !payment && <p>{t(`orders.review.payment.${order.destination}`)}</p>}
        </section>
      )}
      <dl class="summary">
        <dt>{t('orders.detail.state')}</dt>
        <dd>
          <strong>{t(`orders.states.${expired ? 'expired' : order.state}`)}</strong>
        </dd>
        <dt>{t('orders.detail.destination')}</dt>
        <dd>{t(`orders.destinations.${order.destination}.name`)}</dd>
        <dt>{t('orders.detail.placedAt')}</dt>
        <dd>{formatDateTime(order.createdAt, lang)}</dd>
        {order.reservationNumber && (
          <>
            <dt>{t('orders.detail.reservationNumber')}</dt>
            <dd>{formatReservationNumber(order.reservationNumber)}</dd>
            {order.state === 'reserved' && (
              <>
                <dt>{t('orders.detail.expiry')}</dt>
                <dd>{formatDateTime(order.reservationExpiresAt ?? 0, lang)}</dd>
              </>
            )}
          </>
        )}
        {payment && order.state === 'submitted' && (
          <>
            <dt>{t('orders.detail.paymentNumber')}</dt>
            <dd>{payment.number}</dd>
            <dt>{t('orders.detail.payBy')}</dt>
            <dd>{payment.expiry}</dd>
          </>
        )}
        {order.paymentReceipt && (
          <>
            <dt>{t('orders.detail.receipt')}</dt>
            <dd>{order.paymentReceipt}</dd>
          </>
        )}
        {order.refundNote && (
          <>
            <dt>{t('orders.detail.refundNote')}</dt>
            <dd>{order.refundNote}</dd>
          </>
        )}
        {order.trackingNumber && (
          <>
            <dt>{t('orders.detail.tracking')}</dt>
            <dd>{order.trackingNumber}</dd>
          </>
        )}
        {order.recipient && (
          <>
            <dt>{t('orders.recipient.name')}</dt>
            <dd>
              {order.recipient.name} ({order.recipient.email})
            </dd>
            <dt>{t('orders.detail.retrieved')}</dt>
            <dd>
              {delivery?.firstRetrievedAt
                ? t('orders.detail.retrievedAt', {
                    at: formatDateTime(delivery.firstRetrievedAt, lang),
                    count: delivery.retrievals,
                  })
                : delivery
                  ? t('orders.detail.notRetrieved', { until: formatDateTime(delivery.expiresAt, lang) })
                  : t('orders.detail.notSent')}
            </dd>
          </>
        )}
        <dt>{t('orders.form.total')}</dt>
        <dd>{formatYen(order.feeYen + order.postageYen, lang)}</dd>
      </dl>
      <ul>
        {order.items.map((item) => (
          <li key={item.seq}>
            {names[item.type] ?? item.type} — {t(`orders.form.language.${item.lang}`)} × {item.copies}
          </li>
        ))}
      </ul>
      {order.shippingAddress && <AddressBlock address={order.shippingAddress} />}
      {['paid', 'printed', 'shipped', 'delivered', 'retrieved'].includes(order.state) && (
        <p>
          <a href={`${base}/orders/${order.id}/credentials`}>{t('orders.detail.credentials')}</a>
        </p>
      )}
      <div class="actions">
        <LinkButton href={`${base}/orders`} variant="secondary">
          {t('orders.history.title')}
        </LinkButton>
        {cancellable && (
          <Form action={`${base}/orders/${order.id}/cancel`}>
            <Button variant="secondary">{t('orders.detail.cancel')}</Button>
          </Form>
        )}
      </div>
    </Layout>
  );
}
