import { describe, expect, it } from 'vitest';
import {
  type FlowEvent,
  type FlowKind,
  type FlowState,
  InvalidTransitionError,
  flowKinds,
  initialState,
  isFlowKind,
  transition,
} from './flow.state.js';

// Records keyed by the unions: tsc fails here if a state or event is added without updating the test.
const allStates = Object.keys({
  awaiting_address: true,
  awaiting_password: true,
  awaiting_key: true,
  mail_sent: true,
  awaiting_confirmation: true,
  applying: true,
  completed: true,
} satisfies Record<FlowState, true>) as FlowState[];
const allEvents = Object.keys({
  submit_address: true,
  confirm: true,
  set_password: true,
  authenticate: true,
  place: true,
  apply: true,
  progress: true,
  finish: true,
} satisfies Record<FlowEvent, true>) as FlowEvent[];
const allKinds = Object.keys({
  email_registration: true,
  second_password_setup: true,
  email_key: true,
  email_change: true,
  second_password_reset: true,
  order_draft: true,
  staff_enrolment: true,
  staff_login: true,
  records_import: true,
  staff_factor: true,
} satisfies Record<FlowKind, true>) as FlowKind[];

/** The diagram in flow.state.ts, written out: every allowed move and nothing else. */
const allowed: Array<[FlowKind, FlowState, FlowEvent, FlowState, string]> = [
  ['email_registration', 'awaiting_address', 'submit_address', 'mail_sent', 'L-3'],
  ['email_registration', 'mail_sent', 'submit_address', 'mail_sent', 'L-3'],
  ['email_registration', 'mail_sent', 'confirm', 'completed', 'L-3'],
  ['second_password_setup', 'awaiting_password', 'set_password', 'completed', 'L-4'],
  ['email_key', 'awaiting_key', 'authenticate', 'completed', 'L-7'],
  ['email_change', 'mail_sent', 'confirm', 'completed', 'L-9'],
  ['second_password_reset', 'mail_sent', 'confirm', 'completed', 'L-11'],
  ['order_draft', 'awaiting_confirmation', 'place', 'completed', 'C-4'],
  ['staff_enrolment', 'mail_sent', 'set_password', 'awaiting_key', '#12 A-1'],
  ['staff_enrolment', 'awaiting_key', 'authenticate', 'completed', '#12 A-1'],
  ['staff_login', 'awaiting_key', 'authenticate', 'completed', '#12 A-1'],
  ['records_import', 'awaiting_confirmation', 'apply', 'applying', '#12 A-4'],
  ['records_import', 'applying', 'progress', 'applying', '#12 A-4'],
  ['records_import', 'applying', 'finish', 'completed', '#12 A-4'],
  ['staff_factor', 'awaiting_key', 'authenticate', 'completed', '#12 A-1'],
];

const isAllowed = (kind: FlowKind, state: FlowState, event: FlowEvent) =>
  allowed.some(([k, s, e]) => k === kind && s === state && e === event);

const forbidden: Array<[FlowKind, FlowState, FlowEvent]> = allKinds.flatMap((kind) =>
  allStates.flatMap((state) =>
    allEvents
      .filter((event) => !isAllowed(kind, state, event))
      .map((event): [FlowKind, FlowState, FlowEvent] => [kind, state, event]),
  ),
);

describe('flow transitions (ARCHITECTURE "Flows")', () => {
  it('#2 the kinds the module exports are exactly the ones the test knows', () => {
    expect([...flowKinds].sort()).toEqual([...allKinds].sort());
  });

  it.each(allowed)('%s: %s --%s--> %s (%s)', (kind, state, event, next) => {
    expect(transition(kind, state, event)).toBe(next);
  });

  it('#2 the forbidden list covers every other combination', () => {
    expect(forbidden.length + allowed.length).toBe(allKinds.length * allStates.length * allEvents.length);
    expect(forbidden).toHaveLength(10 * 7 * 8 - 15);
  });

  it.each(forbidden)('#2 %s refuses %s --%s--> with InvalidTransitionError', (kind, state, event) => {
    expect(() => transition(kind, state, event)).toThrow(InvalidTransitionError);
    try {
      transition(kind, state, event);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('InvalidTransitionError');
      expect((error as Error).message).toContain(kind);
      expect((error as Error).message).toContain(state);
      expect((error as Error).message).toContain(event);
    }
  });

  it('#2 a completed flow of any kind takes no event at all', () => {
    for (const kind of allKinds) {
      for (const event of allEvents) {
        expect(() => transition(kind, 'completed', event)).toThrow(InvalidTransitionError);
      }
    }
  });

  it('#2 an unknown state read from the database is refused, not crashed on', () => {
    expect(() => transition('email_key', 'bogus' as FlowState, 'authenticate')).toThrow(InvalidTransitionError);
    expect(() => transition('email_key', '__proto__' as FlowState, 'authenticate')).toThrow(InvalidTransitionError);
    expect(() => transition('email_key', 'constructor' as FlowState, 'authenticate')).toThrow(InvalidTransitionError);
  });

  it.each([
    ['email_registration', 'awaiting_address', 'L-3'],
    ['second_password_setup', 'awaiting_password', 'L-4'],
    ['email_key', 'awaiting_key', 'L-7'],
    ['email_change', 'mail_sent', 'L-9'],
    ['second_password_reset', 'mail_sent', 'L-11'],
  ] as const)('%s starts in %s (%s)', (kind, state, _requirement) => {
    expect(initialState[kind]).toBe(state);
  });

  it('#2 every kind can reach completed from its initial state', () => {
    for (const kind of allKinds) {
      const seen = new Set<FlowState>([initialState[kind]]);
      const queue: FlowState[] = [initialState[kind]];
      while (queue.length > 0) {
        const state = queue.shift() as FlowState;
        for (const event of allEvents) {
          if (!isAllowed(kind, state, event)) continue;
          const next = transition(kind, state, event);
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      expect(seen.has('completed'), kind).toBe(true);
    }
  });

  it('#2 isFlowKind accepts the kinds and nothing else', () => {
    for (const kind of allKinds) expect(isFlowKind(kind)).toBe(true);
    for (const other of ['', 'login', 'EMAIL_KEY', 'email_key ', 'toString', '__proto__']) {
      expect(isFlowKind(other)).toBe(false);
    }
  });
});
