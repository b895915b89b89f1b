import { formatDateTime, formatYen } from '../../../platform/format.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  PeriodFields,
  LinkButton,
  Message,
  Select,
} from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { ConsolePage } from '../../staff/pages/staff.components.js';
import type { StaffMember } from '../../staff/staff.model.js';
import type { Order } from '../order.model.js';
import type { OrderQuery } from '../order-staff.service.js';
import { destinations, orderStates } from '../order.state.js';

/** One table of orders; each row links to the order's page. */
export function OrderTable({ orders, caption }: { orders: Order[]; caption: string }) {
  const { t, base, lang } = usePage();
  if (orders.length === 0) return <p>{t('orders.console.none')}</p>;
  return (
    <div class="table-wrap">
      <table class="stack-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('orders.console.placedAt')}</th>
            <th scope="col">{t('orders.console.orderNumber')}</th>
            <th scope="col">{t('orders.console.studentNumber')}</th>
            <th scope="col">{t('orders.console.destination')}</th>
            <th scope="col">{t('orders.console.state')}</th>
            <th scope="col">{t('orders.console.total')}</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <td data-label={t('orders.console.placedAt')}>{formatDateTime(order.createdAt, lang)}</td>
              <td data-label={t('orders.console.orderNumber')}>
                <a href={`${base}/staff/orders/${order.id}`}>{order.id}</a>
              </td>
              <td data-label={t('orders.console.studentNumber')}>{order.studentNumber}</td>
              <td data-label={t('orders.console.destination')}>{t(`orders.destinations.${order.destination}.name`)}</td>
              <td data-label={t('orders.console.state')}>{t(`orders.states.${order.state}`)}</td>
              <td data-label={t('orders.console.total')}>{formatYen(order.feeYen + order.postageYen, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** #12 A-5: order search with filters, newest first, a page at a time. */
export function ConsoleOrdersPage({
  member,
  query,
  orders,
  more,
  errors,
}: {
  member: StaffMember;
  query: OrderQuery;
  orders: Order[];
  more: boolean;
  errors: FieldError[];
}) {
  const { t, base } = usePage();
  const pageLink = (page: number) => {
    const params = new URLSearchParams({
      state: query.state,
      destination: query.destination,
      from: query.from,
      to: query.to,
      userId: query.userId,
      page: String(page),
    });
    return `${base}/staff/orders?${params.toString()}`;
  };
  return (
    <ConsolePage member={member} title={t('orders.console.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <form method="get" action={`${base}/staff/orders`} class="stack filters" novalidate>
        <Select
          name="state"
          label={t('orders.console.state')}
          value={query.state}
          options={[
            { value: '', label: t('orders.console.any') },
            ...orderStates.map((state) => ({ value: state, label: t(`orders.states.${state}`) })),
          ]}
          errors={[]}
        />
        <Select
          name="destination"
          label={t('orders.console.destination')}
          value={query.destination}
          options={[
            { value: '', label: t('orders.console.any') },
            ...destinations.map((destination) => ({
              value: destination,
              label: t(`orders.destinations.${destination}.name`),
            })),
          ]}
          errors={[]}
        />
        <PeriodFields
          labels={{ from: t('orders.console.from'), to: t('orders.console.to') }}
          hint={t('orders.console.dateHint')}
          values={query}
          errors={errors}
          maxLength={10}
        />
        <Field name="userId" label={t('orders.console.userId')} value={query.userId} errors={errors} maxLength={100} />
        <Button>{t('orders.console.search')}</Button>
      </form>
      <OrderTable orders={orders} caption={t('orders.console.results', { page: query.page })} />
      <nav class="actions" aria-label={t('orders.console.pages')}>
        {query.page > 1 && (
          <LinkButton variant="secondary" href={pageLink(query.page - 1)}>
            {t('orders.console.previous')}
          </LinkButton>
        )}
        {more && (
          <LinkButton variant="secondary" href={pageLink(query.page + 1)}>
            {t('orders.console.next')}
          </LinkButton>
        )}
      </nav>
    </ConsolePage>
  );
}

/** #12 A-5: the postal queue — paid orders to print, printed orders to ship. */
export function ConsolePostalPage({
  member,
  toPrint,
  toShip,
  notice,
}: {
  member: StaffMember;
  toPrint: Order[];
  toShip: Order[];
  notice: string | undefined;
}) {
  const { t } = usePage();
  return (
    <ConsolePage member={member} title={t('orders.console.postal.title')}>
      {notice && <Message kind="success">{t(`orders.console.notice.${notice}`)}</Message>}
      <p>{t('orders.console.postal.intro')}</p>
      <h2>{t('orders.console.postal.toPrint')}</h2>
      <OrderTable orders={toPrint} caption={t('orders.console.postal.toPrint')} />
      <h2>{t('orders.console.postal.toShip')}</h2>
      <OrderTable orders={toShip} caption={t('orders.console.postal.toShip')} />
    </ConsolePage>
  );
}
