import type { Work } from '../../db/unit-of-work.js';
import type { Mailer } from '../mail/mailer.js';
import { mailOrderStatus } from './order-status.mail.js';
import type { Order } from './order.model.js';
import { orderTransition } from './order.state.js';

/**
 * Ends a paid reservation that will not print (#9, C-11): voided by the terminal that took the
 * payment (refunded there), or released by staff or the deadline (refunded at the registrar).
 * One conditional update from `paid`, so it cannot race a `printed` into both; the certificates
 * issued for it are revoked, as nobody received them on paper; the student is mailed what to do.
 * False when the order was no longer paid (printed or ended meanwhile).
 */
export async function endPaidReservation(
  tx: Work,
  mailer: Mailer,
  order: Order,
  event: 'void' | 'release',
  guard: { terminalId?: string } = {},
  refundNote?: string,
): Promise<Order | undefined> {
  const next = orderTransition(order.destination, 'paid', event);
  const stamp = {
    ...(event === 'void' ? { voidedAt: tx.now } : { releasedAt: tx.now }),
    ...(refundNote !== undefined && { refundNote }),
  };
  if (!(await tx.orders.advance(order.tenantId, order.id, 'paid', next, tx.now, stamp, guard))) return undefined;
  // The public pages say "not delivered" (from the locale files); the note is for the log.
  const revocation = { category: 'not_delivered', note: event === 'void' ? 'voided' : 'released' } as const;
  for (const certificate of await tx.certificates.listForOrder(order.tenantId, order.id))
    await tx.certificates.revoke(order.tenantId, certificate.serial, revocation, tx.now);
  const ended = (await tx.orders.find(order.tenantId, order.id)) ?? order;
  const tenant = await tx.tenants.findById(order.tenantId);
  const account = await tx.accounts.findById(order.tenantId, order.accountId);
  if (tenant && account) await mailOrderStatus(mailer, tx, tenant, account, ended);
  await tx.audit(event === 'void' ? 'order.voided' : 'order.released', {
    accountId: order.accountId,
    subject: order.id,
    detail: {
      terminal: order.terminalId,
      store: order.storeId,
      machine: order.machineId,
      ...(tx.actor.staffId && { staffId: tx.actor.staffId }),
    },
  });
  return ended;
}
