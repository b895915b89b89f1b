import type { Work } from '../../db/unit-of-work.js';
import { formatDateTime, formatReservationNumber, formatYen } from '../../platform/format.js';
import { translator } from '../../platform/i18n.js';
import type { Account } from '../auth/account.model.js';
import type { Mailer } from '../mail/mailer.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { type Order, addressLines } from './order.model.js';
import { paymentInstructions } from './payment-number.js';

/** Tells the student where their order stands (C-8), in the language they ordered in. */
export async function mailOrderStatus(
  mailer: Mailer,
  tx: Work,
  tenant: Tenant,
  account: Account,
  order: Order,
): Promise<void> {
  if (!account.email) return;
  const lang = order.lang;
  await mailer.queue(tx, tenant, {
    event: 'orderStatus',
    lang,
    to: account.email,
    params: {
      context: `${order.destination}_${order.state}`,
      reservationNumber: order.reservationNumber ? formatReservationNumber(order.reservationNumber) : '',
      expiry: order.reservationExpiresAt ? formatDateTime(order.reservationExpiresAt, lang) : '',
      total: formatYen(order.feeYen + order.postageYen, lang),
      tracking: order.trackingNumber ?? '',
      recipient: order.recipient?.name ?? '',
      address: order.shippingAddress ? addressLines(order.shippingAddress, lang).join('\n') : '',
      payment: paymentInstructions(order, tenant, lang, tx.now).join('\n'),
      userId: account.userId,
      // Paid at the campus cashier: the receipt number, on a line of its own (C-4 (b)).
      receipt: order.paymentReceipt
        ? `${translator(lang)('mail.orderStatus.receiptLine', { receipt: order.paymentReceipt })}\n`
        : '',
      refundNote: order.refundNote
        ? `${translator(lang)('mail.orderStatus.refundNoteLine', { note: order.refundNote })}\n\n`
        : '',
    },
  });
}
