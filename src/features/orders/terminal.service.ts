import type { Store } from '../../db/repositories.js';
import type { Clock } from '../../platform/clock.js';
import type { SecretHasher } from '../../platform/crypto.js';
import type { IssuedCertificate } from '../certificates/issued-certificate.repository.js';
import type { Order } from './order.model.js';
import { orderTransition } from './order.state.js';
import type { Terminal } from './terminal.repository.js';

/** The terminal API's refusals, each with its own code for the terminal software (C-5). */
export const terminalErrorStatus = {
  unauthorized: 401,
  reservation_not_found: 404,
  reservation_expired: 410,
  reservation_cancelled: 410,
  reservation_printed: 410,
  reservation_in_use: 409,
  not_paid: 409,
  amount_mismatch: 422,
  bad_request: 400,
} as const;
export type TerminalErrorCode = keyof typeof terminalErrorStatus;

export class TerminalError extends Error {
  readonly status: number;
  constructor(readonly code: TerminalErrorCode) {
    super(code);
    this.name = 'TerminalError';
    this.status = terminalErrorStatus[code];
  }
}

/** Turns an order's documents into PDFs once; later calls return the same certificates. */
export interface Issuer {
  ensureIssued(order: Order): Promise<IssuedCertificate[]>;
}

export const RESERVATION_PATTERN = /^\d{12}$/;

/**
 * What a print terminal may do with a reservation (C-5): look it up, take payment, fetch the
 * PDFs, say they printed or failed. Payment binds the reservation to one terminal with one
 * conditional update, so two terminals racing for it cannot both print.
 */
export class TerminalService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly secrets: SecretHasher,
    private readonly issuer: Issuer,
  ) {}

  static secretPurpose = 'terminal-secret';

  async authenticate(header: string | undefined): Promise<Terminal> {
    const match = /^Bearer ([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{16,128})$/.exec(header ?? '');
    if (!match?.[1] || !match[2]) throw new TerminalError('unauthorized');
    const terminal = await this.store.repos.terminals.findActive(match[1]);
    if (!terminal || !this.secrets.matches(TerminalService.secretPurpose, match[2], terminal.secretHash)) {
      throw new TerminalError('unauthorized');
    }
    return terminal;
  }

  /** A reservation this terminal may see: its own university's campus orders, or any store order for a gateway. */
  async lookup(terminal: Terminal, reservationNumber: string): Promise<Order> {
    if (!RESERVATION_PATTERN.test(reservationNumber)) throw new TerminalError('reservation_not_found');
    const order = await this.store.repos.orders.findByReservationNumber(reservationNumber);
    const visible =
      order &&
      (terminal.kind === 'convenience'
        ? order.destination === 'convenience'
        : order.destination === 'campus' && order.tenantId === terminal.tenantId);
    if (!order || !visible) throw new TerminalError('reservation_not_found');
    if (order.state === 'cancelled') throw new TerminalError('reservation_cancelled');
    if (order.state === 'printed') throw new TerminalError('reservation_printed');
    if (order.state === 'paid' && order.terminalId !== terminal.id) throw new TerminalError('reservation_in_use');
    if (order.state === 'reserved' && (order.reservationExpiresAt ?? 0) <= this.clock.now())
      throw new TerminalError('reservation_expired');
    return order;
  }

  async pay(terminal: Terminal, reservationNumber: string, amountYen: number): Promise<Order> {
    const order = await this.lookup(terminal, reservationNumber);
    if (order.state === 'paid') return order;
    if (amountYen !== order.feeYen + order.postageYen) throw new TerminalError('amount_mismatch');
    const now = this.clock.now();
    const paid = await this.store.repos.orders.advance(
      order.tenantId,
      order.id,
      'reserved',
      orderTransition(order.destination, 'reserved', 'pay'),
      now,
      { terminal_id: terminal.id, paid_at: now },
      { unexpiredAt: now },
    );
    // Lost the race: the winner's state decides (this terminal's own double payment is fine).
    const current = await this.lookup(terminal, reservationNumber);
    if (!paid && current.state !== 'paid') throw new TerminalError('reservation_in_use');
    return current;
  }

  async documents(
    terminal: Terminal,
    reservationNumber: string,
  ): Promise<{ order: Order; certificates: IssuedCertificate[] }> {
    const order = await this.lookup(terminal, reservationNumber);
    if (order.state !== 'paid') throw new TerminalError('not_paid');
    return { order, certificates: await this.issuer.ensureIssued(order) };
  }

  async printed(terminal: Terminal, reservationNumber: string): Promise<Order> {
    const order = await this.lookup(terminal, reservationNumber);
    if (order.state !== 'paid') throw new TerminalError('not_paid');
    const now = this.clock.now();
    const done = await this.store.repos.orders.advance(
      order.tenantId,
      order.id,
      'paid',
      orderTransition(order.destination, 'paid', 'printed'),
      now,
      { printed_at: now },
      { terminalId: terminal.id },
    );
    if (!done) throw new TerminalError('reservation_printed');
    return (await this.store.repos.orders.find(order.tenantId, order.id)) ?? order;
  }

  /** The print failed: the reservation stays paid to this terminal, which may fetch and print again. */
  async failed(terminal: Terminal, reservationNumber: string): Promise<Order> {
    const order = await this.lookup(terminal, reservationNumber);
    if (order.state !== 'paid') throw new TerminalError('not_paid');
    await this.store.repos.orders.countPrintFailure(order.tenantId, order.id, terminal.id, this.clock.now());
    return (await this.store.repos.orders.find(order.tenantId, order.id)) ?? order;
  }
}
