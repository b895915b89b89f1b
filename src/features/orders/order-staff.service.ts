import type { Infrastructure } from '../../infrastructure.js';
import { type Actor, operatorActor } from '../../platform/actor.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { DeliveryService } from './delivery.service.js';
import { mailOrderStatus } from './order-status.mail.js';
import type { Order } from './order.model.js';
import type { OrderChanges } from './order.repository.js';
import { type OrderEvent, type OrderState, canTake, orderTransition } from './order.state.js';
import { endPaidReservation } from './paid-reservation.js';

const DAY = 86_400_000;

export type StaffMove = Extract<OrderEvent, 'paid' | 'printed' | 'shipped'>;

/**
 * The registrar's moves of postal and digital orders (C-4, C-9): paid, printed, shipped with a
 * tracking number. The student is mailed at each step; a digital order is delivered when paid.
 */
export class OrderStaffService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'mailer' | 'clock' | 'config'> & {
      deliveries: DeliveryService;
    },
  ) {}

  async advance(
    tenant: Tenant,
    orderId: string,
    event: StaffMove,
    actor: Actor,
    trackingNumber?: string,
  ): Promise<{ status: 'moved'; order: Order } | { status: 'invalid' }> {
    const { uow, deliveries } = this.deps;
    const order = await uow.repos.orders.find(tenant.id, orderId);
    // Reservations are paid and printed at a terminal only: staff moving one would pull it from under the printer.
    const staffs = order?.destination === 'postal' || order?.destination === 'digital';
    if (!order || !staffs || !canTake(order.destination, order.state, event)) return { status: 'invalid' };
    if (event === 'shipped' && !trackingNumber) return { status: 'invalid' };
    const next: OrderState = orderTransition(order.destination, order.state, event);
    const delivering = order.destination === 'digital' && next === 'delivered';
    const certificates = delivering ? await deliveries.prepare(order) : [];
    const moved = await uow.run(actor, async (tx) => {
      const stamp: OrderChanges =
        event === 'paid'
          ? { paidAt: tx.now }
          : event === 'printed'
            ? { printedAt: tx.now }
            : { shippedAt: tx.now, trackingNumber: trackingNumber ?? '' };
      if (!(await tx.orders.advance(tenant.id, order.id, order.state, next, tx.now, stamp))) return undefined;
      const updated = (await tx.orders.find(tenant.id, order.id)) ?? order;
      if (delivering) await deliveries.deliver(tx, tenant, updated, certificates);
      const account = await tx.accounts.findById(tenant.id, order.accountId);
      if (account) await mailOrderStatus(this.deps.mailer, tx, tenant, account, updated);
      await tx.audit('order.advanced', { accountId: order.accountId, detail: { order: order.id, to: next } });
      return updated;
    });
    return moved ? { status: 'moved', order: moved } : { status: 'invalid' };
  }

  /**
   * A terminal reservation that was paid and cannot be printed is released (#9, C-11): it will
   * never print, its certificates are revoked, and the student is mailed to ask the registrar
   * for the refund. Invalid unless it is a campus or convenience order still paid.
   */
  async release(
    tenant: Tenant,
    orderId: string,
    actor: Actor,
  ): Promise<{ status: 'released'; order: Order } | { status: 'invalid' }> {
    const { uow, mailer } = this.deps;
    const order = await uow.repos.orders.find(tenant.id, orderId);
    if (!order || order.state !== 'paid' || !canTake(order.destination, 'paid', 'release'))
      return { status: 'invalid' };
    const released = await uow.run(actor, (tx) => endPaidReservation(tx, mailer, order, 'release'));
    return released ? { status: 'released', order: released } : { status: 'invalid' };
  }

  /**
   * Housekeeping's part (#9): reservations paid more than RELEASE_UNPRINTED_AFTER_DAYS ago and
   * still not printed are released, so no paid order waits for ever. Returns how many.
   */
  async releaseUnprinted(): Promise<number> {
    const { uow, clock, config } = this.deps;
    const cutoff = clock.now() - config.releaseUnprintedAfterDays * DAY;
    let released = 0;
    for (const { tenantId, id } of await uow.repos.orders.listPaidUnprintedBefore(cutoff)) {
      const tenant = await uow.repos.tenants.findById(tenantId);
      const actor = { ...operatorActor(tenantId), userAgent: 'shomei-housekeeping' };
      if (tenant && (await this.release(tenant, id, actor)).status === 'released') released += 1;
    }
    return released;
  }
}
