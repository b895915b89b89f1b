/**
 * Order states by destination (C-4, C-5, C-9). Changed only through `orderTransition`; the
 * repository applies a change with a conditional update from the state it started in, so two
 * terminals, a double confirm, or a cancel racing a print cannot both win.
 *
 *   campus / convenience   reserved ──pay──▶ paid ──printed──▶ printed
 *                             │               ├─print_failed─▶ paid (retry)
 *                             │               ├─void──▶ voided     (the terminal refunds on the spot, #9)
 *                             │               └─release──▶ released (staff or the deadline; refunded at the registrar, #9)
 *                             └─cancel──▶ cancelled      (past the expiry a reservation is dead)
 *   postal                 submitted ──paid──▶ paid ──printed──▶ printed ──shipped──▶ shipped
 *                             └─cancel──▶ cancelled      (paid orders are not refunded: no cancel once paid)
 *   digital                submitted ──paid──▶ delivered ──retrieved──▶ retrieved
 *                             └─cancel──▶ cancelled
 *   (postal and digital `paid`: staff at the cashier, or the payment number at a store, #12 A-8;
 *    an expired payment number leaves the order submitted, still payable at the cashier)
 */
import { type Destination, destinations } from '../catalogue/catalogue.model.js';

export { type Destination, destinations };

export const orderStates = [
  'reserved',
  'submitted',
  'paid',
  'printed',
  'shipped',
  'delivered',
  'retrieved',
  'cancelled',
  'voided',
  'released',
] as const;
export type OrderState = (typeof orderStates)[number];

export type OrderEvent =
  'pay' | 'paid' | 'printed' | 'print_failed' | 'shipped' | 'retrieved' | 'cancel' | 'void' | 'release';

type Table = Partial<Record<OrderState, Partial<Record<OrderEvent, OrderState>>>>;

const terminalOrders: Table = {
  reserved: { pay: 'paid', cancel: 'cancelled' },
  paid: { printed: 'printed', print_failed: 'paid', void: 'voided', release: 'released' },
};

const transitions: Record<Destination, Table> = {
  campus: terminalOrders,
  convenience: terminalOrders,
  postal: {
    submitted: { paid: 'paid', cancel: 'cancelled' },
    paid: { printed: 'printed' },
    printed: { shipped: 'shipped' },
  },
  digital: {
    submitted: { paid: 'delivered', cancel: 'cancelled' },
    delivered: { retrieved: 'retrieved' },
  },
};

export const initialOrderState: Record<Destination, OrderState> = {
  campus: 'reserved',
  convenience: 'reserved',
  postal: 'submitted',
  digital: 'submitted',
};

export class InvalidOrderTransitionError extends Error {
  constructor(destination: Destination, state: OrderState, event: OrderEvent) {
    super(`a ${destination} order cannot take ${event} in state ${state}`);
    this.name = 'InvalidOrderTransitionError';
  }
}

export function orderTransition(destination: Destination, state: OrderState, event: OrderEvent): OrderState {
  const next = transitions[destination][state]?.[event];
  if (!next) throw new InvalidOrderTransitionError(destination, state, event);
  return next;
}

export function canTake(destination: Destination, state: OrderState, event: OrderEvent): boolean {
  return transitions[destination][state]?.[event] !== undefined;
}

export function isDestination(value: unknown): value is Destination {
  return typeof value === 'string' && (destinations as readonly string[]).includes(value);
}
