import type { Infrastructure } from '../../infrastructure.js';
import { operatorActor } from '../../platform/actor.js';
import type { Actor } from '../../platform/actor.js';
import { newId, randomToken } from '../../platform/crypto.js';
import { AppError, type ErrorCode, errorStatus } from '../../platform/errors.js';
import { todayInJapan } from '../../platform/clock.js';
import { canonicalReservationNumber } from '../../platform/format.js';
import type { Violation } from '../../platform/violation.js';
import type { Issuer } from '../certificates/issuance.service.js';
import type { IssuedCertificate } from '../certificates/issued-certificate.model.js';
import type { DeliveryService } from './delivery.service.js';
import { mailOrderStatus } from './order-status.mail.js';
import type { Order } from './order.model.js';
import { orderTransition } from './order.state.js';
import { endPaidReservation } from './paid-reservation.js';
import type { LedgerEntry } from './settlement.model.js';
import { japanDayStart } from './settlement.service.js';
import {
  SIMULATOR_TERMINAL_PREFIX,
  type Terminal,
  type TerminalKind,
  type TerminalListing,
  isKeylessTerminalHash,
  terminalSecretHash,
  terminalSecretMatches,
} from './terminal.model.js';

/** The refusals the terminal API answers with (C-5), from the one error catalogue. */
export const terminalErrorCodes = [
  'unauthorized',
  'reservation_not_found',
  'reservation_expired',
  'reservation_cancelled',
  'reservation_printed',
  'reservation_in_use',
  'reservation_voided',
  'reservation_released',
  'not_paid',
  'void_refused',
  'amount_mismatch',
  'bad_request',
  'machine_required',
  'method_not_allowed',
  'idempotency_key_reused',
  'idempotency_in_progress',
  'signer_unavailable',
  'reservation_ineligible',
  'reservation_undrawable',
  'already_paid',
  'nothing_to_print',
] as const satisfies readonly ErrorCode[];
export type TerminalErrorCode = (typeof terminalErrorCodes)[number];

export const terminalErrorStatus = Object.fromEntries(
  terminalErrorCodes.map((code) => [code, errorStatus[code]]),
) as Record<TerminalErrorCode, number>;

export const RESERVATION_PATTERN = /^\d{12}$/;

/**
 * The machine of a terminal's network a call comes from, and the network's own transaction id
 * (#9): one store gateway credential serves many machines, and only the one that took the
 * payment may print it.
 */
export interface Machine {
  storeId: string;
  machineId: string;
  transactionId: string;
}

function terminalActor(tenantId: string, terminal: Terminal, machine: Machine): Actor {
  return {
    tenantId,
    kind: 'terminal',
    accountId: null,
    ip: null,
    userAgent: `${terminal.id} store=${machine.storeId} machine=${machine.machineId} tx=${machine.transactionId}`,
    lang: 'ja',
    binding: '',
  };
}

/** Paid at this terminal and, when the payment named one, at this machine of it (older payments named none). */
function boundTo(order: Order, terminal: Terminal, machine: Machine): boolean {
  return (
    order.terminalId === terminal.id &&
    (order.machineId === null || (order.storeId === machine.storeId && order.machineId === machine.machineId))
  );
}

/** Paid at this very machine: a retried payment is answered, not refused. */
function paidHere(order: Order, terminal: Terminal, machine: Machine): boolean {
  return order.terminalId === terminal.id && order.storeId === machine.storeId && order.machineId === machine.machineId;
}

/**
 * Postal and digital orders reach a terminal only by their payment number (#12, A-8): the
 * terminal takes the money and prints nothing.
 */
export function payOnly(order: Order): boolean {
  return order.destination === 'postal' || order.destination === 'digital';
}

function ledgerEntry(
  order: Order,
  terminal: Terminal,
  machine: Machine,
  kind: 'payment' | 'void',
  amountYen: number,
  at: number,
): LedgerEntry {
  return {
    id: newId(),
    tenantId: order.tenantId,
    orderId: order.id,
    terminalId: terminal.id,
    storeId: machine.storeId,
    machineId: machine.machineId,
    transactionId: machine.transactionId,
    kind,
    amountYen,
    at,
  };
}

/**
 * What a print terminal may do with a reservation (C-5): look it up, take payment, fetch the
 * PDFs, say they printed or failed. Payment binds the reservation to one terminal with one
 * conditional update, so two terminals racing for it cannot both print.
 */
export class TerminalService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'secrets' | 'mailer' | 'config'> & {
      issuer: Issuer;
      deliveries: Pick<DeliveryService, 'prepare' | 'deliver'>;
    },
  ) {}

  static secretPurpose = 'terminal-secret';

  /**
   * A new terminal with a new secret (#13). The secret is answered once and stored only as a
   * hash: whoever lost it gets a new one by `rotate`.
   */
  async create(
    input: {
      tenantId: string | null;
      kind: TerminalKind;
      name: string;
    },
    actor: Actor = operatorActor(input.tenantId ?? ''),
  ): Promise<{ terminal: Terminal; secret: string }> {
    const secret = randomToken();
    const terminal: Terminal = {
      id: `${input.kind === 'campus' ? 'campus' : 'store'}-${randomToken(6)}`,
      ...input,
      secretHash: terminalSecretHash(secret),
    };
    await this.deps.uow.run(actor, async (tx) => {
      await tx.terminals.insert(terminal, tx.now);
      await tx.audit('terminal.created', {
        subject: terminal.id,
        detail: { kind: terminal.kind, name: terminal.name },
      });
    });
    return { terminal, secret };
  }

  /**
   * A terminal a university's administrator adds in the console (#12 §4): a campus printer, or a
   * gateway credential that serves this university's convenience-store reservations alone.
   */
  async add(
    tenantId: string,
    input: { name: string; kind: string },
    actor: Actor,
  ): Promise<
    { status: 'invalid'; violations: Violation[] } | { status: 'created'; terminal: Terminal; secret: string }
  > {
    const violations: Violation[] = [];
    const name = input.name.replace(/\s+/g, ' ').trim();
    if (name === '') violations.push({ code: 'terminals.nameRequired', path: 'name' });
    else if ([...name].length > 100)
      violations.push({ code: 'terminals.nameTooLong', path: 'name', params: { max: 100 } });
    if (input.kind !== 'campus' && input.kind !== 'convenience')
      violations.push({ code: 'terminals.kindRequired', path: 'kind' });
    if (violations.length > 0) return { status: 'invalid', violations };
    return { status: 'created', ...(await this.create({ tenantId, kind: input.kind as TerminalKind, name }, actor)) };
  }

  /** A terminal the operator names: `undefined` when it is not there or not the university's. */
  async find(id: string, tenantId: string | null): Promise<(Terminal & { active: boolean }) | undefined> {
    const terminal = await this.deps.uow.repos.terminals.find(id);
    return terminal && terminal.tenantId === tenantId ? terminal : undefined;
  }

  /** A new secret; from this moment the old one is refused. Undefined for a disabled terminal. */
  async rotate(terminal: Terminal, actor: Actor = operatorActor(terminal.tenantId ?? '')): Promise<string | undefined> {
    const secret = randomToken();
    const rotated = await this.deps.uow.run(actor, async (tx) => {
      const done = await tx.terminals.replaceSecret(terminal.id, terminalSecretHash(secret));
      if (done) await tx.audit('terminal.rotated', { subject: terminal.id });
      return done;
    });
    return rotated ? secret : undefined;
  }

  /** The terminal's calls are refused from now on (401), whatever secret it holds. */
  async disable(terminal: Terminal, actor: Actor = operatorActor(terminal.tenantId ?? '')): Promise<boolean> {
    return this.deps.uow.run(actor, async (tx) => {
      const done = await tx.terminals.deactivate(terminal.id);
      if (done) await tx.audit('terminal.disabled', { subject: terminal.id });
      return done;
    });
  }

  /**
   * What a university's console lists (#12 §4): its campus printers and gateway credentials, and
   * the store gateways serving every university, each with the reservations paid at it today
   * (Japan's day) for this university.
   */
  async list(tenantId: string): Promise<Array<TerminalListing & { paidToday: number }>> {
    const repos = this.deps.uow.repos;
    const from = japanDayStart(todayInJapan(this.deps.clock.now()))!;
    const paid = new Map<string, number>();
    for (const entry of await repos.terminalLedger.listBetween(from, from + 86_400_000, { tenantId }))
      if (entry.kind === 'payment') paid.set(entry.terminalId, (paid.get(entry.terminalId) ?? 0) + 1);
    return (await repos.terminals.listForTenant(tenantId)).map((terminal) => ({
      ...terminal,
      paidToday: paid.get(terminal.id) ?? 0,
    }));
  }

  /** Makes sure a terminal exists, active, with a secret its owner already holds (the simulator's). */
  async register(terminal: Omit<Terminal, 'secretHash'>, secret: string): Promise<void> {
    await this.deps.uow.repos.terminals.upsert(
      { ...terminal, secretHash: terminalSecretHash(secret) },
      this.deps.clock.now(),
    );
  }

  /** The university's name, for the terminal's screen (a store gateway serves every university). */
  async universityName(tenantId: string): Promise<{ ja: string; en: string }> {
    const tenant = await this.deps.uow.repos.tenants.findById(tenantId);
    return tenant?.name ?? { ja: '', en: '' };
  }

  async authenticate(header: string | undefined): Promise<Terminal> {
    const match = /^Bearer ([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{16,128})$/.exec(header ?? '');
    if (!match?.[1] || !match[2]) throw new AppError('unauthorized');
    if (match[1].startsWith(SIMULATOR_TERMINAL_PREFIX) && !this.deps.config.terminalSimulator)
      throw new AppError('unauthorized');
    const secret = match[2];
    const terminals = this.deps.uow.repos.terminals;
    const terminal = await terminals.findActive(match[1]);
    if (!terminal) throw new AppError('unauthorized');
    if (terminalSecretMatches(secret, terminal.secretHash)) {
      await terminals.touch(terminal.id, this.deps.clock.now());
      return terminal;
    }
    const legacy =
      !isKeylessTerminalHash(terminal.secretHash) &&
      this.deps.secrets.matches(TerminalService.secretPurpose, secret, terminal.secretHash);
    if (!legacy) throw new AppError('unauthorized');
    // Stored under the server key before #13: moved to the keyless hash so a rotation cannot lock it out.
    const secretHash = terminalSecretHash(secret);
    await terminals.replaceSecretHash(terminal.id, terminal.secretHash, secretHash);
    await terminals.touch(terminal.id, this.deps.clock.now());
    return { ...terminal, secretHash };
  }

  /**
   * A reservation this terminal may see: its own university's campus orders, or any store order
   * for a gateway; for a gateway also a postal or digital order's payment number (#12, A-8).
   */
  async lookup(terminal: Terminal, machine: Machine, typedNumber: string): Promise<Order> {
    const reservationNumber = canonicalReservationNumber(typedNumber);
    if (!RESERVATION_PATTERN.test(reservationNumber)) throw new AppError('reservation_not_found');
    const order = await this.deps.uow.repos.orders.findByReservationNumber(reservationNumber);
    if (!order) return this.lookUpPaymentNumber(terminal, machine, reservationNumber);
    const visible =
      order &&
      (terminal.kind === 'convenience'
        ? // A gateway credential a university made in its console serves that university alone.
          order.destination === 'convenience' && (terminal.tenantId === null || order.tenantId === terminal.tenantId)
        : order.destination === 'campus' && order.tenantId === terminal.tenantId);
    if (!order || !visible) throw new AppError('reservation_not_found');
    if (order.state === 'cancelled') throw new AppError('reservation_cancelled');
    if (order.state === 'printed') throw new AppError('reservation_printed');
    if (order.state === 'voided') throw new AppError('reservation_voided');
    if (order.state === 'released') throw new AppError('reservation_released');
    if (order.state === 'paid' && !boundTo(order, terminal, machine)) throw new AppError('reservation_in_use');
    if (order.state === 'reserved' && (order.reservationExpiresAt ?? 0) <= this.deps.clock.now())
      throw new AppError('reservation_expired');
    if (order.state === 'reserved') await this.deps.issuer.assertIssuable(order, 'lookup');
    return order;
  }

  /**
   * A payment number (#12, A-8) is for store gateways only. Paid at this machine it answers as
   * paid (a retry); paid anywhere else, at another machine or the university's cashier, it is
   * `already_paid`. Past its expiry it is refused, while the order stays submitted: the
   * registrar may still take the payment at the cashier.
   */
  private async lookUpPaymentNumber(terminal: Terminal, machine: Machine, paymentNumber: string): Promise<Order> {
    const order =
      terminal.kind === 'convenience' ? await this.deps.uow.repos.orders.findByPaymentNumber(paymentNumber) : undefined;
    if (!order || !payOnly(order)) throw new AppError('reservation_not_found');
    if (order.state === 'cancelled') throw new AppError('reservation_cancelled');
    if (order.state !== 'submitted') {
      if (paidHere(order, terminal, machine)) return order;
      throw new AppError('already_paid');
    }
    if ((order.paymentExpiresAt ?? 0) <= this.deps.clock.now()) throw new AppError('reservation_expired');
    await this.deps.issuer.assertIssuable(order, 'lookup');
    return order;
  }

  async pay(terminal: Terminal, machine: Machine, reservationNumber: string, amountYen: number): Promise<Order> {
    const order = await this.lookup(terminal, machine, reservationNumber);
    if (payOnly(order)) return this.payOrder(terminal, machine, order, reservationNumber, amountYen);
    if (order.state === 'paid') return order;
    if (amountYen !== order.feeYen + order.postageYen) throw new AppError('amount_mismatch');
    await this.deps.issuer.assertCanIssue(order.tenantId);
    await this.deps.uow.run(terminalActor(order.tenantId, terminal, machine), async (tx) => {
      const paid = await tx.orders.advance(
        order.tenantId,
        order.id,
        'reserved',
        orderTransition(order.destination, 'reserved', 'pay'),
        tx.now,
        {
          terminalId: terminal.id,
          storeId: machine.storeId,
          machineId: machine.machineId,
          paymentTransactionId: machine.transactionId,
          paidAt: tx.now,
        },
        { unexpiredAt: tx.now },
      );
      if (!paid) return;
      await tx.terminalLedger.insert(ledgerEntry(order, terminal, machine, 'payment', amountYen, tx.now));
      await tx.audit('order.paid', {
        accountId: order.accountId,
        subject: order.id,
        detail: { terminal: terminal.id },
      });
    });
    // Lost the race: the winner's state decides (this machine's own double payment is fine).
    const current = await this.lookup(terminal, machine, reservationNumber);
    if (current.state !== 'paid') throw new AppError('reservation_in_use');
    return current;
  }

  /**
   * The payment of a postal or digital order (#12, A-8): the order moves by its state machine as
   * if staff had marked it paid, in one transaction with the ledger entry (so the settlement
   * lists it) and the student's mail. A digital order's PDFs are issued first, outside the
   * transaction and before any money is recorded; its recipient's link goes out with the payment.
   */
  private async payOrder(
    terminal: Terminal,
    machine: Machine,
    order: Order,
    paymentNumber: string,
    amountYen: number,
  ): Promise<Order> {
    if (order.state !== 'submitted') return order;
    if (amountYen !== order.feeYen + order.postageYen) throw new AppError('amount_mismatch');
    await this.deps.issuer.assertCanIssue(order.tenantId);
    const next = orderTransition(order.destination, 'submitted', 'paid');
    const certificates = next === 'delivered' ? await this.deps.deliveries.prepare(order) : [];
    await this.deps.uow.run(terminalActor(order.tenantId, terminal, machine), async (tx) => {
      const moved = await tx.orders.advance(
        order.tenantId,
        order.id,
        'submitted',
        next,
        tx.now,
        {
          terminalId: terminal.id,
          storeId: machine.storeId,
          machineId: machine.machineId,
          paymentTransactionId: machine.transactionId,
          paidAt: tx.now,
        },
        { paymentUnexpiredAt: tx.now },
      );
      if (!moved) return;
      await tx.terminalLedger.insert(ledgerEntry(order, terminal, machine, 'payment', amountYen, tx.now));
      const paid = (await tx.orders.find(order.tenantId, order.id)) ?? order;
      const tenant = await tx.tenants.findById(order.tenantId);
      if (tenant && next === 'delivered') await this.deps.deliveries.deliver(tx, tenant, paid, certificates);
      const account = await tx.accounts.findById(order.tenantId, order.accountId);
      if (tenant && account) await mailOrderStatus(this.deps.mailer, tx, tenant, account, paid);
      await tx.audit('order.paid', {
        accountId: order.accountId,
        subject: order.id,
        detail: { terminal: terminal.id, paymentNumber: true, to: next },
      });
    });
    // Lost to the cashier, a cancel or the expiry: the lookup says which.
    const current = await this.lookup(terminal, machine, paymentNumber);
    if (current.state === 'submitted') throw new AppError('reservation_expired');
    return current;
  }

  async documents(
    terminal: Terminal,
    machine: Machine,
    reservationNumber: string,
  ): Promise<{ order: Order; certificates: IssuedCertificate[] }> {
    const order = await this.printable(terminal, machine, reservationNumber);
    if (order.state !== 'paid') throw new AppError('not_paid');
    return { order, certificates: await this.deps.issuer.ensureIssued(order) };
  }

  async printed(terminal: Terminal, machine: Machine, reservationNumber: string): Promise<Order> {
    const order = await this.printable(terminal, machine, reservationNumber);
    if (order.state !== 'paid') throw new AppError('not_paid');
    const now = this.deps.clock.now();
    const done = await this.deps.uow.repos.orders.advance(
      order.tenantId,
      order.id,
      'paid',
      orderTransition(order.destination, 'paid', 'printed'),
      now,
      { printedAt: now },
      { terminalId: terminal.id },
    );
    if (!done) throw new AppError('reservation_printed');
    return (await this.deps.uow.repos.orders.find(order.tenantId, order.id)) ?? order;
  }

  /** The print failed: the reservation stays paid to this terminal, which may fetch and print again. */
  async failed(terminal: Terminal, machine: Machine, reservationNumber: string): Promise<Order> {
    const order = await this.printable(terminal, machine, reservationNumber);
    if (order.state !== 'paid') throw new AppError('not_paid');
    await this.deps.uow.repos.orders.countPrintFailure(order.tenantId, order.id, terminal.id, this.deps.clock.now());
    return (await this.deps.uow.repos.orders.find(order.tenantId, order.id)) ?? order;
  }

  /**
   * The print failed and will not succeed here: the machine that took the payment refunds it on
   * the spot and voids it (#9). Only after a failure was reported, so a void is never the way
   * round a printout the student already holds.
   */
  async void(terminal: Terminal, machine: Machine, reservationNumber: string): Promise<Order> {
    const order = await this.printable(terminal, machine, reservationNumber);
    if (order.state !== 'paid') throw new AppError('not_paid');
    if (order.printFailures === 0) throw new AppError('void_refused');
    const voided = await this.deps.uow.run(terminalActor(order.tenantId, terminal, machine), async (tx) => {
      const ended = await endPaidReservation(tx, this.deps.mailer, order, 'void', { terminalId: terminal.id });
      if (ended)
        await tx.terminalLedger.insert(
          ledgerEntry(order, terminal, machine, 'void', order.feeYen + order.postageYen, tx.now),
        );
      return ended;
    });
    // Printed (or released) meanwhile: the lookup says which.
    return voided ?? this.lookup(terminal, machine, reservationNumber);
  }

  /** A reservation to print: a payment number has nothing to fetch, report or void (#12, A-8). */
  private async printable(terminal: Terminal, machine: Machine, number: string): Promise<Order> {
    const order = await this.lookup(terminal, machine, number);
    if (payOnly(order)) throw new AppError('nothing_to_print');
    return order;
  }
}
