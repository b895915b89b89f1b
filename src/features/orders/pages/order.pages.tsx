import type { Offering } from '../../catalogue/eligibility.js';
import { formatDate, formatDateTime } from '../../../platform/format.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  fieldId,
  Form,
  LinkButton,
  Message,
  Notes,
  BulletList,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { DeliveryStatus } from '../order.routes.js';
import { type Order, type ShippingAddress, prefectureName, prefectures } from '../order.model.js';
import type { OrderDraft, Quote } from '../order.rules.js';
import type { Destination } from '../order.state.js';

function yen(amount: number, lang: 'ja' | 'en'): string {
  return lang === 'ja' ? `${amount.toLocaleString('ja-JP')}円` : `¥${amount.toLocaleString('en-US')}`;
}

/** C-1: Select Printing Destination, the start screen after login, with the LANG pull-down. */
export function DestinationPage({ destinations, hasRecord }: { destinations: Destination[]; hasRecord: boolean }) {
  const { t, base } = usePage();
  return (
    <Layout title={t('home.title')} langSwitch={{ keep: {} }}>
      {!hasRecord && (
        <Message kind="warning">
          <p>{t('orders.errors.noRecord')}</p>
        </Message>
      )}
      <p>{t('orders.destination.intro')}</p>
      <ul class="destinations">
        {destinations.map((destination) => (
          <li key={destination}>
            <a class="destination" href={`${base}/orders/new?destination=${destination}`}>
              <span class="destination__name">{t(`orders.destinations.${destination}.name`)}</span>
              <span class="destination__hint">{t(`orders.destinations.${destination}.hint`)}</span>
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a href={`${base}/orders`}>{t('orders.history.link')}</a>
      </p>
      <p>{t('home.menuHint')}</p>
    </Layout>
  );
}

export interface OrderFormValues {
  copies: Record<string, string>;
  address: ShippingAddress;
  recipient: { name: string; email: string };
  recipientAccepts: boolean;
}

export const emptyFormValues: OrderFormValues = {
  copies: {},
  address: { postalCode: '', prefecture: '', city: '', street: '', building: '', recipient: '' },
  recipient: { name: '', email: '' },
  recipientAccepts: false,
};

/** C-4 / C-10: every certificate the university offers here, the unavailable ones with their reason. */
export function OrderFormPage({
  destination,
  offerings,
  values,
  errors,
}: {
  destination: Destination;
  offerings: Offering[];
  values: OrderFormValues;
  errors: FieldError[];
}) {
  const { t, lang, base } = usePage();
  return (
    <Layout title={t(`orders.destinations.${destination}.name`)} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <Form action={`${base}/orders/new?destination=${destination}`} class="stack">
        <h2 id={fieldId('lines')}>{t('orders.form.certificates')}</h2>
        <div class="table-wrap">
          <table class="catalogue">
            <thead>
              <tr>
                <th scope="col">{t('orders.form.certificate')}</th>
                <th scope="col">{t('orders.form.fee')}</th>
                <th scope="col">{t('orders.form.copies')}</th>
              </tr>
            </thead>
            <tbody>
              {offerings.map(({ item, availability }) => (
                <tr key={item.type} id={fieldId(`copies-${item.type}`)}>
                  <th scope="row">{item.name[lang]}</th>
                  <td>{yen(item.feeYen, lang)}</td>
                  <td>
                    {availability.available ? (
                      <div class="copies">
                        {item.languages.map((certLang) => {
                          const name = `copies-${item.type}-${certLang}`;
                          return (
                            <label key={certLang} class="copies__line">
                              <span>{t(`orders.form.language.${certLang}`)}</span>
                              <input
                                type="number"
                                name={name}
                                id={fieldId(name)}
                                min={0}
                                max={item.maxCopies}
                                inputMode="numeric"
                                value={values.copies[name] ?? '0'}
                              />
                            </label>
                          );
                        })}
                        <span class="field-hint">{t('orders.form.maxCopies', { max: item.maxCopies })}</span>
                      </div>
                    ) : (
                      <p class="unavailable">
                        {t(`orders.unavailable.${availability.reason}`, {
                          date: availability.availableFrom ? formatDate(availability.availableFrom, lang) : '',
                        })}
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {destination === 'postal' && <AddressFields address={values.address} errors={errors} />}
        {destination === 'digital' && <RecipientFields values={values} errors={errors} />}
        <Notes>
          <BulletList items={[t(`orders.destinations.${destination}.note`), t('orders.form.noteOtherCertificates')]} />
        </Notes>
        <div class="actions">
          <LinkButton href={`${base}/home`} variant="secondary">
            {t('common.back')}
          </LinkButton>
          <Button>{t('orders.form.next')}</Button>
        </div>
      </Form>
    </Layout>
  );
}

function AddressFields({ address, errors }: { address: ShippingAddress; errors: FieldError[] }) {
  const { t, lang } = usePage();
  const own = errors.filter((error) => error.field === 'prefecture');
  return (
    <fieldset class="stack">
      <legend>{t('orders.address.legend')}</legend>
      <Field
        name="postalCode"
        label={t('orders.address.postalCode')}
        hint={t('orders.address.postalCodeHint')}
        value={address.postalCode}
        errors={errors}
        autocomplete="postal-code"
        inputMode="numeric"
        maxLength={8}
      />
      <div class={own.length ? 'field field--error' : 'field'}>
        <label for={fieldId('prefecture')}>{t('orders.address.prefecture')}</label>
        {own.length > 0 && <p class="field-error">{t(own[0]?.message ?? '')}</p>}
        <select id={fieldId('prefecture')} name="prefecture" autocomplete="address-level1">
          <option value="">{t('orders.address.choose')}</option>
          {prefectures.map(([code]) => (
            <option key={code} value={code} selected={code === address.prefecture}>
              {prefectureName(code, lang)}
            </option>
          ))}
        </select>
      </div>
      <Field
        name="city"
        label={t('orders.address.city')}
        value={address.city}
        errors={errors}
        autocomplete="address-level2"
        maxLength={100}
      />
      <Field
        name="street"
        label={t('orders.address.street')}
        value={address.street}
        errors={errors}
        autocomplete="address-line1"
        maxLength={100}
      />
      <Field
        name="building"
        label={t('orders.address.building')}
        value={address.building}
        errors={errors}
        autocomplete="address-line2"
        maxLength={100}
      />
      <Field
        name="recipient"
        label={t('orders.address.recipient')}
        value={address.recipient}
        errors={errors}
        autocomplete="name"
        maxLength={100}
      />
    </fieldset>
  );
}

function RecipientFields({ values, errors }: { values: OrderFormValues; errors: FieldError[] }) {
  const { t } = usePage();
  const accepts = errors.filter((error) => error.field === 'recipientAccepts');
  return (
    <fieldset class="stack">
      <legend>{t('orders.recipient.legend')}</legend>
      <Field
        name="recipientName"
        label={t('orders.recipient.name')}
        hint={t('orders.recipient.nameHint')}
        value={values.recipient.name}
        errors={errors}
        maxLength={100}
      />
      <Field
        name="recipientEmail"
        label={t('orders.recipient.email')}
        type="email"
        value={values.recipient.email}
        errors={errors}
        inputMode="email"
        maxLength={254}
      />
      <div class={accepts.length ? 'field field--error' : 'field'} id={fieldId('recipientAccepts')}>
        {accepts.length > 0 && <p class="field-error">{t(accepts[0]?.message ?? '')}</p>}
        <label class="checkbox">
          <input type="checkbox" name="recipientAccepts" value="yes" checked={values.recipientAccepts} />{' '}
          {t('orders.recipient.accepts')}
        </label>
      </div>
    </fieldset>
  );
}

/** The fee shown before anything is placed (C-4); Confirm uses the draft once. */
export function ReviewPage({
  flowId,
  draft,
  quote,
  errors,
}: {
  flowId: string;
  draft: OrderDraft;
  quote: Quote;
  errors: FieldError[];
}) {
  const { t, lang, base } = usePage();
  return (
    <Layout title={t('orders.review.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <dl class="summary">
        <dt>{t('orders.detail.destination')}</dt>
        <dd>{t(`orders.destinations.${draft.destination}.name`)}</dd>
      </dl>
      <QuoteTable quote={quote} />
      {draft.address && <AddressBlock address={draft.address} />}
      {draft.recipient && (
        <dl class="summary">
          <dt>{t('orders.recipient.name')}</dt>
          <dd>{draft.recipient.name}</dd>
          <dt>{t('orders.recipient.email')}</dt>
          <dd>{draft.recipient.email}</dd>
        </dl>
      )}
      <Message kind="warning">
        <p>{t(`orders.review.payment.${draft.destination}`)}</p>
        <p>{t('orders.review.noRefund')}</p>
      </Message>
      <Form action={`${base}/orders/place?flow=${encodeURIComponent(flowId)}`} class="stack">
        <p class="review-total">{t('orders.review.total', { total: yen(quote.totalYen, lang) })}</p>
        <div class="actions">
          <LinkButton href={`${base}/orders/new?destination=${draft.destination}`} variant="secondary">
            {t('common.back')}
          </LinkButton>
          <Button>{t('orders.review.confirm')}</Button>
        </div>
      </Form>
    </Layout>
  );
}

function QuoteTable({ quote }: { quote: Quote }) {
  const { t, lang } = usePage();
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('orders.form.certificate')}</th>
            <th scope="col">{t('orders.form.languageHeading')}</th>
            <th scope="col">{t('orders.form.copies')}</th>
            <th scope="col">{t('orders.form.subtotal')}</th>
          </tr>
        </thead>
        <tbody>
          {quote.lines.map((line) => (
            <tr key={`${line.type}-${line.lang}`}>
              <td>{line.name}</td>
              <td>{t(`orders.form.language.${line.lang}`)}</td>
              <td>{line.copies}</td>
              <td>{yen(line.subtotalYen, lang)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {quote.postageYen > 0 && (
            <tr>
              <th scope="row" colSpan={3}>
                {t('orders.form.postage')}
              </th>
              <td>{yen(quote.postageYen, lang)}</td>
            </tr>
          )}
          <tr>
            <th scope="row" colSpan={3}>
              {t('orders.form.total')}
            </th>
            <td>
              <strong>{yen(quote.totalYen, lang)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function AddressBlock({ address }: { address: ShippingAddress }) {
  const { t, lang } = usePage();
  return (
    <dl class="summary">
      <dt>{t('orders.address.legend')}</dt>
      <dd>
        〒{address.postalCode.replace(/^(\d{3})-?(\d{4})$/, '$1-$2')} {prefectureName(address.prefecture, lang)}{' '}
        {address.city} {address.street} {address.building}
        <br />
        {address.recipient}
      </dd>
    </dl>
  );
}

/** C-8: one order, its state, reservation number and expiry; Cancel while nothing is printed. */
export function OrderDetailPage({
  order,
  names,
  cancellable,
  expired,
  delivery,
  notice,
}: {
  order: Order;
  names: Record<string, string>;
  cancellable: boolean;
  /** Reserved but past its expiry: no terminal will take it. */
  expired: boolean;
  delivery: DeliveryStatus | undefined;
  notice?: 'placed' | 'cancelled' | 'notCancellable' | undefined;
}) {
  const { t, lang, base } = usePage();
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
          <p class="reservation__number">{order.reservationNumber}</p>
          <p>{t('orders.detail.validUntil', { expiry: formatDateTime(order.reservationExpiresAt ?? 0, lang) })}</p>
          <p>{t(`orders.detail.howTo.${order.destination}`)}</p>
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
            <dd>{order.reservationNumber}</dd>
            <dt>{t('orders.detail.expiry')}</dt>
            <dd>{formatDateTime(order.reservationExpiresAt ?? 0, lang)}</dd>
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
        <dd>{yen(order.feeYen + order.postageYen, lang)}</dd>
      </dl>
      <ul>
        {order.items.map((item) => (
          <li key={item.seq}>
            {names[item.type] ?? item.type} — {t(`orders.form.language.${item.lang}`)} × {item.copies}
          </li>
        ))}
      </ul>
      {order.shippingAddress && <AddressBlock address={order.shippingAddress} />}
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
                      .map((item) => `${names[item.type] ?? item.type} ×${item.copies}`)
                      .join(lang === 'ja' ? '、' : ', ')}
                  </td>
                  <td data-label={t('orders.detail.state')}>
                    {t(`orders.states.${expired.has(order.id) ? 'expired' : order.state}`)}
                  </td>
                  <td data-label={t('orders.detail.reservationNumber')}>{order.reservationNumber ?? '—'}</td>
                  <td data-label={t('orders.detail.expiry')}>
                    {order.reservationExpiresAt ? formatDateTime(order.reservationExpiresAt, lang) : '—'}
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
