import { formatDateTime, formatReservationNumber } from '../../../platform/format.js';
import { LinkButton } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { Order } from '../order.model.js';

/** C-8: every order, newest first. */
export function HistoryPage({
  orders,
  names,
  expired,
}: {
  orders: Order[];
  names: Record<string, string>;
  /** Ids of reservations past their expiry. */
  expired: ReadonlySet<string>;
}) {
  const { t, lang, base } = usePage();
  return (
    <Layout title={t('orders.history.title')}>
      {orders.length === 0 ? (
        <p>{t('orders.history.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="history">
            <thead>
              <tr>
                <th scope="col">{t('orders.detail.placedAt')}</th>
                <th scope="col">{t('orders.detail.destination')}</th>
                <th scope="col">{t('orders.history.items')}</th>
                <th scope="col">{t('orders.detail.state')}</th>
                <th scope="col">{t('orders.detail.reservationNumber')}</th>
                <th scope="col">{t('orders.detail.expiry')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id}>
                  <td data-label={t('orders.detail.placedAt')}>
                    <a href={`${base}/orders/${order.id}`}>{formatDateTime(order.createdAt, lang)}</a>
                  </td>
                  <td data-label={t('orders.detail.destination')}>
                    {t(`orders.destinations.${order.destination}.name`)}
                  </td>
                  <td data-label={t('orders.history.items')}>
                    {order.items
                      .map((item) =>
                        t('orders.history.item', {
                          name: names[item.type] ?? item.type,
                          language: t(`orders.form.language.${item.lang}`),
                          copies: item.copies,
                        }),
                      )
                      .join(lang === 'ja' ? '、' : ', ')}
                  </td>
                  <td data-label={t('orders.detail.state')}>
                    {t(`orders.states.${expired.has(order.id) ? 'expired' : order.state}`)}
                  </td>
                  <td data-label={t('orders.detail.reservationNumber')}>
                    {order.reservationNumber
                      ? formatReservationNumber(order.reservationNumber)
                      : order.paymentNumber && order.state === 'submitted'
                        ? t('orders.history.paymentNumber', { number: formatReservationNumber(order.paymentNumber) })
                        : '—'}
                  </td>
                  <td data-label={t('orders.detail.expiry')}>
                    {order.reservationExpiresAt && order.state === 'reserved'
                      ? formatDateTime(order.reservationExpiresAt, lang)
                      : order.paymentExpiresAt && order.state === 'submitted'
                        ? formatDateTime(order.paymentExpiresAt, lang)
                        : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <LinkButton href={`${base}/home`} variant="secondary">
          {t('common.toHome')}
        </LinkButton>
      </p>
    </Layout>
  );
}
