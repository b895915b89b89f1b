/**
 * Every multi-step journey of the manuals is a flow row; its state changes only through
 * `transition`, and the repository applies a change only if the row is still in the state the
 * transition started from (compare-and-set), so two racing requests cannot both move it.
 *
 *   email_registration     awaiting_address ──submit_address──▶ mail_sent ──confirm──▶ completed
 *   (§2.1, L-3)                                       ▲ submit_address │
 *                                                     └────────────────┘
 *   second_password_setup  awaiting_password ──set_password──▶ completed     (§2.2, L-4)
 *   email_key              awaiting_key ──authenticate──▶ completed           (§2.3, L-7)
 *   email_change           mail_sent ──confirm──▶ completed                   (§2.4a, L-9)
 *   second_password_reset  mail_sent ──confirm──▶ completed                   (§2.4c, L-11)
 *   order_draft            awaiting_confirmation ──place──▶ completed       (C-4: the fee shown, then Confirm)
 *   staff_enrolment        mail_sent ──set_password──▶ awaiting_key ──authenticate──▶ completed  
 *   staff_login            awaiting_key ──authenticate──▶ completed           (A-1: the second factor)
 *   records_import         awaiting_confirmation ──apply──▶ applying ──finish──▶ completed   (A-4: the
 *                          dry run's file kept sealed; applying ──progress──▶ applying as rows are checked)
 *   staff_factor           awaiting_key ──authenticate──▶ completed           (A-1: a factor being added,
 *                                                                              or new recovery codes until kept)
 *
 * A flow past its expires_at is dead whatever its state.
 */
export const flowKinds = [
  'email_registration',
  'second_password_setup',
  'email_key',
  'email_change',
  'second_password_reset',
  'order_draft',
  'staff_enrolment',
  'staff_login',
  'records_import',
  'staff_factor',
] as const;
export type FlowKind = (typeof flowKinds)[number];

export type FlowState =
  | 'awaiting_address'
  | 'awaiting_password'
  | 'awaiting_key'
  | 'mail_sent'
  | 'awaiting_confirmation'
  | 'applying'
  | 'completed';
export type FlowEvent =
  'submit_address' | 'confirm' | 'set_password' | 'authenticate' | 'place' | 'apply' | 'progress' | 'finish';

const transitions: Record<FlowKind, Partial<Record<FlowState, Partial<Record<FlowEvent, FlowState>>>>> = {
  email_registration: {
    awaiting_address: { submit_address: 'mail_sent' },
    mail_sent: { submit_address: 'mail_sent', confirm: 'completed' },
  },
  second_password_setup: { awaiting_password: { set_password: 'completed' } },
  email_key: { awaiting_key: { authenticate: 'completed' } },
  email_change: { mail_sent: { confirm: 'completed' } },
  second_password_reset: { mail_sent: { confirm: 'completed' } },
  order_draft: { awaiting_confirmation: { place: 'completed' } },
  staff_enrolment: { mail_sent: { set_password: 'awaiting_key' }, awaiting_key: { authenticate: 'completed' } },
  staff_login: { awaiting_key: { authenticate: 'completed' } },
  records_import: {
    awaiting_confirmation: { apply: 'applying' },
    applying: { progress: 'applying', finish: 'completed' },
  },
  staff_factor: { awaiting_key: { authenticate: 'completed' } },
};

export const initialState: Record<FlowKind, FlowState> = {
  email_registration: 'awaiting_address',
  second_password_setup: 'awaiting_password',
  email_key: 'awaiting_key',
  email_change: 'mail_sent',
  second_password_reset: 'mail_sent',
  order_draft: 'awaiting_confirmation',
  staff_enrolment: 'mail_sent',
  staff_login: 'awaiting_key',
  records_import: 'awaiting_confirmation',
  staff_factor: 'awaiting_key',
};

export class InvalidTransitionError extends Error {
  constructor(kind: FlowKind, state: string, event: FlowEvent) {
    super(`flow ${kind} cannot take ${event} in state ${state}`);
    this.name = 'InvalidTransitionError';
  }
}

export function transition(kind: FlowKind, state: FlowState, event: FlowEvent): FlowState {
  const next = transitions[kind][state]?.[event];
  if (!next) throw new InvalidTransitionError(kind, state, event);
  return next;
}

export function isFlowKind(value: string): value is FlowKind {
  return (flowKinds as readonly string[]).includes(value);
}
