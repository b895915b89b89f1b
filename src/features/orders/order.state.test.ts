import { describe, expect, it } from 'vitest';
import {
  type Destination,
  type OrderEvent,
  type OrderState,
  InvalidOrderTransitionError,
  canTake,
  destinations,
  initialOrderState,
  isDestination,
  orderStates,
  orderTransition,
} from './order.state.js';

// Records keyed by the unions: tsc fails here if a destination, state or event is added without updating the test.
const allDestinations = Object.keys({
  campus: true,
  convenience: true,
  postal: true,
  digital: true,
} satisfies Record<Destination, true>) as Destination[];
const allStates = Object.keys({
  reserved: true,
  submitted: true,
  paid: true,
  printed: true,
  shipped: true,
  delivered: true,
  retrieved: true,
  cancelled: true,
  voided: true,
  released: true,
} satisfies Record<OrderState, true>) as OrderState[];
const allEvents = Object.keys({
  pay: true,
  paid: true,
  printed: true,
  print_failed: true,
  shipped: true,
  retrieved: true,
  cancel: true,
  void: true,
  release: true,
} satisfies Record<OrderEvent, true>) as OrderEvent[];

/** The diagram in order.state.ts, written out: every allowed move and nothing else. */
const allowed: Array<[Destination, OrderState, OrderEvent, OrderState, string]> = [
  ['campus', 'reserved', 'pay', 'paid', 'C-5'],
  ['campus', 'reserved', 'cancel', 'cancelled', 'C-8'],
  ['campus', 'paid', 'printed', 'printed', 'C-5'],
  ['campus', 'paid', 'print_failed', 'paid', 'C-5'],
  ['campus', 'paid', 'void', 'voided', 'C-11 #9'],
  ['campus', 'paid', 'release', 'released', 'C-11 #9'],
  ['convenience', 'reserved', 'pay', 'paid', 'C-5'],
  ['convenience', 'reserved', 'cancel', 'cancelled', 'C-8'],
  ['convenience', 'paid', 'printed', 'printed', 'C-5'],
  ['convenience', 'paid', 'print_failed', 'paid', 'C-5'],
  ['convenience', 'paid', 'void', 'voided', 'C-11 #9'],
  ['convenience', 'paid', 'release', 'released', 'C-11 #9'],
  ['postal', 'submitted', 'paid', 'paid', 'C-4'],
  ['postal', 'submitted', 'cancel', 'cancelled', 'C-8'],
  ['postal', 'paid', 'printed', 'printed', 'C-4'],
  ['postal', 'printed', 'shipped', 'shipped', 'C-4'],
  ['digital', 'submitted', 'paid', 'delivered', 'C-9'],
  ['digital', 'submitted', 'cancel', 'cancelled', 'C-8'],
  ['digital', 'delivered', 'retrieved', 'retrieved', 'C-9'],
];

const isAllowed = (destination: Destination, state: OrderState, event: OrderEvent) =>
  allowed.some(([d, s, e]) => d === destination && s === state && e === event);

const forbidden: Array<[Destination, OrderState, OrderEvent]> = allDestinations.flatMap((destination) =>
  allStates.flatMap((state) =>
    allEvents
      .filter((event) => !isAllowed(destination, state, event))
      .map((event): [Destination, OrderState, OrderEvent] => [destination, state, event]),
  ),
);

describe('order transitions (order.state.ts)', () => {
  it('#4 the destinations and states the module exports are exactly the ones the test knows', () => {
    expect([...destinations].sort()).toEqual([...allDestinations].sort());
    expect([...orderStates].sort()).toEqual([...allStates].sort());
  });

  it.each(allowed)('%s: %s --%s--> %s (%s)', (destination, state, event, next) => {
    expect(orderTransition(destination, state, event)).toBe(next);
    expect(canTake(destination, state, event)).toBe(true);
  });

  it('#4 the forbidden list covers every other combination', () => {
    expect(forbidden.length + allowed.length).toBe(allDestinations.length * allStates.length * allEvents.length);
    expect(forbidden).toHaveLength(4 * 10 * 9 - 19);
  });

  it.each(forbidden)('#4 %s refuses %s --%s--> with InvalidOrderTransitionError', (destination, state, event) => {
    expect(canTake(destination, state, event)).toBe(false);
    expect(() => orderTransition(destination, state, event)).toThrow(InvalidOrderTransitionError);
    try {
      orderTransition(destination, state, event);
    } catch (error) {
      expect((error as Error).name).toBe('InvalidOrderTransitionError');
      expect((error as Error).message).toContain(destination);
      expect((error as Error).message).toContain(state);
      expect((error as Error).message).toContain(event);
    }
  });

  it('C-4 C-8 a paid postal order cannot be cancelled: paid orders are not refunded', () => {
    expect(canTake('postal', 'paid', 'cancel')).toBe(false);
    expect(() => orderTransition('postal', 'paid', 'cancel')).toThrow(InvalidOrderTransitionError);
  });

  it('C-8 an order is cancelled only in its first state, before any payment', () => {
    for (const destination of allDestinations) {
      for (const state of allStates.filter((s) => s !== initialOrderState[destination])) {
        expect(canTake(destination, state, 'cancel'), `${destination} ${state}`).toBe(false);
      }
    }
  });

  it('#4 a finished order (shipped, retrieved, cancelled, or printed at a terminal) takes no event at all', () => {
    const finished: Array<[Destination, OrderState]> = [
      ['campus', 'printed'],
      ['campus', 'cancelled'],
      ['convenience', 'printed'],
      ['convenience', 'cancelled'],
      ['postal', 'shipped'],
      ['postal', 'cancelled'],
      ['digital', 'retrieved'],
      ['digital', 'cancelled'],
    ];
    for (const [destination, state] of finished) {
      for (const event of allEvents) {
        expect(() => orderTransition(destination, state, event)).toThrow(InvalidOrderTransitionError);
      }
    }
  });

  it('#4 an unknown state read from the database is refused, not crashed on', () => {
    for (const bogus of ['bogus', '__proto__', 'constructor', 'toString']) {
      expect(() => orderTransition('campus', bogus as OrderState, 'pay')).toThrow(InvalidOrderTransitionError);
      expect(canTake('campus', bogus as OrderState, 'pay')).toBe(false);
    }
  });

  it.each([
    ['campus', 'reserved', 'C-4'],
    ['convenience', 'reserved', 'C-4'],
    ['postal', 'submitted', 'C-4'],
    ['digital', 'submitted', 'C-9'],
  ] as const)('%s starts in %s (%s)', (destination, state, _requirement) => {
    expect(initialOrderState[destination]).toBe(state);
  });

  it('#4 every destination can reach its end from its initial state', () => {
    const end: Record<Destination, OrderState> = {
      campus: 'printed',
      convenience: 'printed',
      postal: 'shipped',
      digital: 'retrieved',
    };
    for (const destination of allDestinations) {
      const seen = new Set<OrderState>([initialOrderState[destination]]);
      const queue: OrderState[] = [initialOrderState[destination]];
      while (queue.length > 0) {
        const state = queue.shift() as OrderState;
        for (const event of allEvents) {
          if (!canTake(destination, state, event)) continue;
          const next = orderTransition(destination, state, event);
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      expect(seen.has(end[destination]), destination).toBe(true);
      expect(seen.has('cancelled'), destination).toBe(true);
    }
  });

  it('#4 isDestination accepts the destinations and nothing else', () => {
    for (const destination of allDestinations) expect(isDestination(destination)).toBe(true);
    for (const other of ['', 'CAMPUS', 'campus ', 'mail', 'toString', '__proto__', 1, null, undefined]) {
      expect(isDestination(other)).toBe(false);
    }
  });
});
