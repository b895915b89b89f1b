import { type OrderState, isDestination } from '../features/orders/order.state.js';
import { operatorActor } from '../platform/actor.js';
import { type CliCommand, text } from './command.js';

export const orderCommands: CliCommand[] = [
  {
    name: 'order list',
    usage: '--tenant S [--destination postal|digital|campus|convenience] [--state submitted]',
    summary: 'orders waiting for staff (postal and digital by default)',
    options: { tenant: { type: 'string' }, destination: { type: 'string' }, state: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      if (!slug) return 'usage';
      const tenant = await tenantBySlug(slug);
      const destination = text(values, 'destination');
      const state = text(values, 'state');
      const wanted = destination && isDestination(destination) ? [destination] : (['postal', 'digital'] as const);
      for (const each of wanted) {
        const states = state
          ? [state as OrderState]
          : each === 'postal'
            ? (['submitted', 'paid', 'printed'] as const)
            : (['submitted'] as const);
        for (const inState of states) {
          for (const order of await services.uow.repos.orders.listByState(tenant.id, each, inState)) {
            const items = order.items.map((item) => `${item.type}/${item.lang}×${item.copies}`).join(' ');
            console.log(`${order.id}  ${each}  ${order.state}  ${order.feeYen + order.postageYen} yen  ${items}`);
          }
        }
      }
      return 0;
    },
  },
  {
    name: 'order advance',
    usage: '--tenant S --order ID --to paid|printed|shipped [--tracking NUMBER]',
    summary: 'move a postal or digital order on; the student is mailed',
    options: {
      tenant: { type: 'string' },
      order: { type: 'string' },
      to: { type: 'string' },
      tracking: { type: 'string' },
    },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      const orderId = text(values, 'order');
      const to = text(values, 'to');
      if (!slug || !orderId || (to !== 'paid' && to !== 'printed' && to !== 'shipped')) return 'usage';
      const tenant = await tenantBySlug(slug);
      const moved = await services.orderStaff.advance(
        tenant,
        orderId,
        to,
        operatorActor(tenant.id),
        text(values, 'tracking'),
      );
      if (moved.status === 'invalid') {
        console.error(
          `order ${orderId} cannot move to ${to} (unknown order, wrong state, or no --tracking for shipped)`,
        );
        return 1;
      }
      console.log(`order ${moved.order.id} is now ${moved.order.state}; the student has been mailed`);
      return 0;
    },
  },
  {
    name: 'order release',
    usage: '--tenant S --order ID',
    summary:
      'end a paid campus or convenience reservation that cannot be printed; the student is mailed to ask the registrar for a refund',
    options: { tenant: { type: 'string' }, order: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      const orderId = text(values, 'order');
      if (!slug || !orderId) return 'usage';
      const tenant = await tenantBySlug(slug);
      const released = await services.orderStaff.release(tenant, orderId, operatorActor(tenant.id));
      if (released.status === 'invalid') {
        console.error(`order ${orderId} cannot be released (unknown order, not a terminal reservation, or not paid)`);
        return 1;
      }
      console.log(
        `order ${released.order.id} released: refund ${released.order.feeYen + released.order.postageYen} yen at the registrar; the student has been mailed`,
      );
      return 0;
    },
  },
];
