import { formatYen } from '../../../platform/format.js';
import { ErrorSummary, type FieldError, Form, FormActions, Message } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { MarkdownText } from '../../../platform/views/markdown-text.js';
import { usePage } from '../../../platform/views/page-context.js';
import { useTenantPage } from '../../tenants/tenant-page.js';
import type { OrderDraft, Quote } from '../order.rules.js';
import { AddressBlock } from './order.components.js';

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
  const { t, lang, base, tenant } = useTenantPage();
  const paidLater = draft.destination === 'postal' || draft.destination === 'digital';
  const byNumber = paidLater && tenant?.policy.convenienceOrderPayment;
  const own = paidLater ? tenant?.content[lang].payment : undefined;
  return (
    <Layout title={t('orders.review.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <dl class="summary">
        <dt>{t('orders.detail.destination')}</dt>
        <dd>{t(`orders.destinations.${draft.destination}.name`)}</dd>
      </dl>
      <QuoteTable quote={quote} counted={draft.destination !== 'digital'} />
      {draft.address && <AddressBlock address={draft.address} />}
      {draft.recipient && (
        <dl class="summary">
          <dt>{t('orders.recipient.name')}</dt>
          <dd>{draft.recipient.name}</dd>
          <dt>{t('orders.recipient.email')}</dt>
          <dd>{draft.recipient.email}</dd>
          <dt>{t('orders.review.recipientLang')}</dt>
          <dd>{t(`common.languageName.${draft.recipient.lang ?? lang}`)}</dd>
        </dl>
      )}
      <Message kind="warning">
        {paidLater && <h2>{t('orders.review.paymentHeading')}</h2>}
        {byNumber && <p>{t('orders.review.byPaymentNumber', { days: tenant.policy.paymentNumberDays })}</p>}
        {own ? <MarkdownText source={own} /> : !byNumber && <p>{t(`orders.review.payment.${draft.destination}`)}</p>}
        <p>{t('orders.review.noRefund')}</p>
      </Message>
      <Form action={`${base}/orders/place?flow=${encodeURIComponent(flowId)}`} class="stack">
        <p class="review-total">{t('orders.review.total', { total: formatYen(quote.totalYen, lang) })}</p>
        <FormActions
          backHref={`${base}/orders/new?destination=${draft.destination}&flow=${encodeURIComponent(flowId)}`}
          submit={t('orders.review.confirm')}
        />
      </Form>
    </Layout>
  );
}

/** `counted`: copies are a column, except for digital delivery, which sends one PDF of each (#9). */
function QuoteTable({ quote, counted }: { quote: Quote; counted: boolean }) {
  const { t, lang } = usePage();
  const labelSpan = counted ? 3 : 2;
  return (
    <div class="table-wrap">
      <table class="stack-table">
        <thead>
          <tr>
            <th scope="col">{t('orders.form.certificate')}</th>
            <th scope="col">{t('orders.form.languageHeading')}</th>
            {counted && <th scope="col">{t('orders.form.copies')}</th>}
            <th scope="col">{t('orders.form.subtotal')}</th>
          </tr>
        </thead>
        <tbody>
          {quote.lines.map((line) => (
            <tr key={`${line.type}-${line.lang}`}>
              <td data-label={t('orders.form.certificate')}>{line.name}</td>
              <td data-label={t('orders.form.languageHeading')}>{t(`orders.form.language.${line.lang}`)}</td>
              {counted && <td data-label={t('orders.form.copies')}>{line.copies}</td>}
              <td data-label={t('orders.form.subtotal')}>{formatYen(line.subtotalYen, lang)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {quote.postageYen > 0 && (
            <tr>
              <th scope="row" colSpan={labelSpan}>
                {t('orders.form.postage')}
              </th>
              <td>{formatYen(quote.postageYen, lang)}</td>
            </tr>
          )}
          <tr>
            <th scope="row" colSpan={labelSpan}>
              {t('orders.form.total')}
            </th>
            <td>
              <strong>{formatYen(quote.totalYen, lang)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
