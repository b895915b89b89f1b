import { markdownToText } from '../../platform/markdown.js';
import { formatDateTime, formatReservationNumber, formatYen } from '../../platform/format.js';
import { type Lang, translator } from '../../platform/i18n.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { Order } from './order.model.js';

/** A payment number still payable at a convenience store (#12, A-8): the order waits for it, and it has not expired. */
export function payableByNumber(order: Order, now: number): boolean {
  return (
    order.state === 'submitted' &&
    order.paymentNumber !== null &&
    order.paymentExpiresAt !== null &&
    order.paymentExpiresAt > now
  );
}

/**
 * How and by when a submitted postal or digital order is paid, as the order page and the mail
 * say it: the payment number with its deadline and the multi-copy machine's steps (#12, A-8),
 * then the university's own words (a cashier, say), which stand alone where there is no number.
 */
export function paymentInstructions(order: Order, tenant: Tenant, lang: Lang, now: number): string[] {
  const t = translator(lang);
  const own = markdownToText(tenant.content[lang].payment);
  if (order.paymentNumber === null || order.paymentExpiresAt === null)
    return [own || t(`orders.review.payment.${order.destination}`)];
  const values = {
    number: formatReservationNumber(order.paymentNumber),
    expiry: formatDateTime(order.paymentExpiresAt, lang),
    total: formatYen(order.feeYen + order.postageYen, lang),
  };
  const ours = payableByNumber(order, now)
    ? [
        t('orders.payment.number', values),
        t('orders.payment.payBy', values),
        t(`orders.payment.howTo.${order.destination}`, values),
      ]
    : [t('orders.payment.expired', values)];
  return [...ours, ...(own ? [own] : [])];
}
