import type { Work } from '../../db/unit-of-work.js';
import { formatDateTime } from '../../platform/format.js';
import type { Account } from '../auth/account.model.js';
import type { Mailer } from '../mail/mailer.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { Order } from './order.model.js';

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
      reservationNumber: order.reservationNumber ?? '',
      expiry: order.reservationExpiresAt ? formatDateTime(order.reservationExpiresAt, lang) : '',
      total: order.feeYen + order.postageYen,
      tracking: order.trackingNumber ?? '',
      recipient: order.recipient?.name ?? '',
      userId: account.userId,
    },
  });
}
