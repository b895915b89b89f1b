import type { Infrastructure } from '../../infrastructure.js';
import { type Actor, operatorActor } from '../../platform/actor.js';
import type { Lang } from '../../platform/i18n.js';
import type { Invalid } from '../../platform/violation.js';
import type { AuditRecord } from '../audit/audit.model.js';
import type { Issuer, NotIssuable } from '../certificates/issuance.service.js';
import {
  type IssuedCertificate,
  type Revocation,
  isStaffRevocationCategory,
} from '../certificates/issued-certificate.model.js';
import type { VerificationService } from '../certificates/verification.service.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { DeliveryService } from './delivery.service.js';
import { placedRangeOf, receiptNumberOf, refundNoteOf, trackingNumberOf } from './order-console.rules.js';
import { mailOrderStatus } from './order-status.mail.js';
import type { Order } from './order.model.js';
import type { OrderChanges, OrderSearch } from './order.repository.js';
import {
  type Destination,
  type OrderEvent,
  type OrderState,
  canTake,
  isDestination,
  orderStates,
  orderTransition,
} from './order.state.js';
import { endPaidReservation } from './paid-reservation.js';
import { type PostalDocumentData, addressLabelPdf, packingSlipPdf } from './postal-documents.js';

const DAY = 86_400_000;
export const ORDERS_PER_PAGE = 25;

export type StaffMove = Extract<OrderEvent, 'paid' | 'printed' | 'shipped'>;

/** What the console's search form asks (#12 A-5), as typed. */
export interface OrderQuery {
  state: string;
  destination: string;
  from: string;
  to: string;
  userId: string;
  page: number;
}

/** An order as the console's order page shows it. */
export interface OrderDetail {
  order: Order;
  userId: string | undefined;
  studentName: string | undefined;
  certificates: Array<Omit<IssuedCertificate, 'pdf'>>;
  /** The audit entries about the order and its certificates, oldest first. */
  history: AuditRecord[];
  /** Each certificate type's name, in the page's language. */
  names: Record<string, string>;
}

/** A move that found the order no longer where the page showed it (another tab, another member). */
type Stale = { status: 'stale' };

/**
 * The registrar's side of orders (C-4, C-9, #12 A-5): search, an order's page, the postal queue's
 * paid → printed → shipped, payment at the campus cashier, revocation, and ending paid reservations
 * that cannot print. The student is mailed at each step; every change is audited with the actor.
 */
export class OrderStaffService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'mailer' | 'clock' | 'config'> & {
      deliveries: DeliveryService;
      issuer: Pick<Issuer, 'issuability' | 'ensureIssued'>;
      revoker: Pick<VerificationService, 'revoke'>;
    },
  ) {}

  async advance(
    tenant: Tenant,
    orderId: string,
    event: StaffMove,
    actor: Actor,
    trackingNumber?: string,
  ): Promise<{ status: 'moved'; order: Order } | { status: 'invalid' }> {
    const order = await this.deps.uow.repos.orders.find(tenant.id, orderId);
    if (!order || !this.staffMoves(order, event)) return { status: 'invalid' };
    let stamp: Partial<OrderChanges> = {};
    if (event === 'shipped') {
      const tracking = trackingNumberOf(trackingNumber ?? '');
      if ('violation' in tracking) return { status: 'invalid' };
      stamp = { trackingNumber: tracking.value };
    }
    const moved = await this.move(tenant, order, event, actor, stamp);
    return moved ? { status: 'moved', order: moved } : { status: 'invalid' };
  }

  /**
   * C-4 (b): the student paid at the campus cashier; staff record it with the receipt number,
   * which the student sees on their order page and in the mail. Whether the documents can still
   * be issued is judged again first, as a terminal does before it takes money (C-11).
   */
  async recordCashierPayment(
    tenant: Tenant,
    orderId: string,
    typedReceipt: string,
    actor: Actor,
  ): Promise<{ status: 'paid'; order: Order } | Invalid | Stale | { status: 'notIssuable'; problem: NotIssuable }> {
    const receipt = receiptNumberOf(typedReceipt);
    if ('violation' in receipt) return { status: 'invalid', violations: [receipt.violation] };
    const order = await this.deps.uow.repos.orders.find(tenant.id, orderId);
    if (!order || !this.staffMoves(order, 'paid')) return { status: 'stale' };
    const problem = await this.deps.issuer.issuability(order, 'lookup');
    if (problem) return { status: 'notIssuable', problem };
    const moved = await this.move(tenant, order, 'paid', actor, { paymentReceipt: receipt.value });
    return moved ? { status: 'paid', order: moved } : { status: 'stale' };
  }

  async markPrinted(
    tenant: Tenant,
    orderId: string,
    actor: Actor,
  ): Promise<{ status: 'printed'; order: Order } | Stale> {
    const order = await this.deps.uow.repos.orders.find(tenant.id, orderId);
    const moved =
      order && this.staffMoves(order, 'printed') ? await this.move(tenant, order, 'printed', actor, {}) : undefined;
    return moved ? { status: 'printed', order: moved } : { status: 'stale' };
  }

  async ship(
    tenant: Tenant,
    orderId: string,
    typedTracking: string,
    actor: Actor,
  ): Promise<{ status: 'shipped'; order: Order } | Invalid | Stale> {
    const tracking = trackingNumberOf(typedTracking);
    if ('violation' in tracking) return { status: 'invalid', violations: [tracking.violation] };
    const order = await this.deps.uow.repos.orders.find(tenant.id, orderId);
    const moved =
      order && this.staffMoves(order, 'shipped')
        ? await this.move(tenant, order, 'shipped', actor, { trackingNumber: tracking.value })
        : undefined;
    return moved ? { status: 'shipped', order: moved } : { status: 'stale' };
  }

  /**
   * A terminal reservation that was paid and cannot be printed is released (#9, C-11): it will
   * never print, its certificates are revoked, and the student is mailed to ask the registrar
   * for the refund. Invalid unless it is a campus or convenience order still paid. Staff write
   * how it is refunded (the note is shown on the student's order page).
   */
  async release(
    tenant: Tenant,
    orderId: string,
    actor: Actor,
    refundNote?: string,
  ): Promise<{ status: 'released'; order: Order } | { status: 'invalid' }> {
    const { uow, mailer } = this.deps;
    const order = await uow.repos.orders.find(tenant.id, orderId);
    if (!order || order.state !== 'paid' || !canTake(order.destination, 'paid', 'release'))
      return { status: 'invalid' };
    const released = await uow.run(actor, (tx) => endPaidReservation(tx, mailer, order, 'release', {}, refundNote));
    return released ? { status: 'released', order: released } : { status: 'invalid' };
  }

  /** The console's release: the refund note is required there. */
  async releaseWithNote(
    tenant: Tenant,
    orderId: string,
    typedNote: string,
    actor: Actor,
  ): Promise<{ status: 'released'; order: Order } | Invalid | Stale> {
    const note = refundNoteOf(typedNote);
    if ('violation' in note) return { status: 'invalid', violations: [note.violation] };
    const released = await this.release(tenant, orderId, actor, note.value);
    return released.status === 'released' ? released : { status: 'stale' };
  }

  /**
   * A voided reservation was refunded at the terminal; a released one at the registrar. Either
   * way staff may write (or correct) how, and the student reads it on their order page.
   */
  async noteRefund(
    tenant: Tenant,
    orderId: string,
    typedNote: string,
    actor: Actor,
  ): Promise<{ status: 'noted' } | Invalid | Stale> {
    const note = refundNoteOf(typedNote);
    if ('violation' in note) return { status: 'invalid', violations: [note.violation] };
    const order = await this.deps.uow.repos.orders.find(tenant.id, orderId);
    if (!order || (order.state !== 'voided' && order.state !== 'released')) return { status: 'stale' };
    const noted = await this.deps.uow.run(actor, async (tx) => {
      if (!(await tx.orders.advance(tenant.id, order.id, order.state, order.state, tx.now, { refundNote: note.value })))
        return false;
      await tx.audit('order.refund_noted', {
        accountId: order.accountId,
        subject: order.id,
        detail: { staffId: actor.staffId ?? null },
      });
      return true;
    });
    return noted ? { status: 'noted' } : { status: 'stale' };
  }

  /**
   * Revokes one of the order's certificates (#12 A-5): the category is public, the note internal.
   * A serial of another order, or another university, is not found.
   */
  async revoke(
    tenant: Tenant,
    orderId: string,
    serial: string,
    input: { category: string; note: string },
    actor: Actor,
  ): Promise<{ status: 'revoked' | 'notFound' } | Invalid> {
    if (!isStaffRevocationCategory(input.category))
      return { status: 'invalid', violations: [{ code: 'orders.revoke.categoryRequired', path: 'category' }] };
    const note = input.note.trim();
    if ([...note].length > 1000)
      return { status: 'invalid', violations: [{ code: 'orders.revoke.noteTooLong', path: 'note' }] };
    const certificate = await this.deps.uow.repos.certificates.findBySerial(tenant.id, serial);
    if (!certificate || certificate.orderId !== orderId) return { status: 'notFound' };
    const revocation: Revocation = { category: input.category, note };
    return this.deps.revoker.revoke(tenant, serial, revocation, actor);
  }

  async search(
    tenant: Tenant,
    query: OrderQuery,
  ): Promise<{ status: 'found'; orders: Order[]; more: boolean } | Invalid> {
    const range = placedRangeOf(query.from, query.to);
    if (range.violations.length > 0) return { status: 'invalid', violations: range.violations };
    const filter: OrderSearch = {
      ...((orderStates as readonly string[]).includes(query.state) && { states: [query.state as OrderState] }),
      ...(isDestination(query.destination) && { destinations: [query.destination] }),
      ...(range.placedFrom !== undefined && { placedFrom: range.placedFrom }),
      ...(range.placedBefore !== undefined && { placedBefore: range.placedBefore }),
    };
    const repos = this.deps.uow.repos;
    if (query.userId.trim() !== '') {
      const account = await repos.accounts.findByUserId(tenant.id, query.userId.trim());
      if (!account) return { status: 'found', orders: [], more: false };
      filter.accountId = account.id;
    }
    const page = Math.max(1, Math.min(query.page, 10_000));
    const found = await repos.orders.search(tenant.id, filter, {
      limit: ORDERS_PER_PAGE,
      offset: (page - 1) * ORDERS_PER_PAGE,
    });
    return { status: 'found', ...found };
  }

  /** The postal queue (#12 A-5): paid orders to print, printed orders to ship, oldest first. */
  async postalQueue(tenant: Tenant): Promise<{ toPrint: Order[]; toShip: Order[] }> {
    const orders = this.deps.uow.repos.orders;
    return {
      toPrint: await orders.listByState(tenant.id, 'postal', 'paid'),
      toShip: await orders.listByState(tenant.id, 'postal', 'printed'),
    };
  }

  async detail(tenant: Tenant, orderId: string, lang: Lang): Promise<OrderDetail | undefined> {
    const repos = this.deps.uow.repos;
    const order = await repos.orders.find(tenant.id, orderId);
    if (!order) return undefined;
    const account = await repos.accounts.findById(tenant.id, order.accountId);
    const record = await repos.records.findByStudentNumber(tenant.id, order.studentNumber);
    const certificates = (await repos.certificates.listForOrder(tenant.id, order.id)).map(
      ({ pdf: _bytes, ...certificate }) => certificate,
    );
    return {
      order,
      userId: account?.userId,
      studentName: record?.name.kanji,
      certificates,
      history: await repos.auditLog.listForSubject(tenant.id, order.id),
      names: await this.typeNames(tenant, lang),
    };
  }

  /**
   * The PDF of one line of a postal order that is paid or later: issued once (the same
   * certificate every time), for staff to print as many copies as the line asks.
   */
  async document(tenant: Tenant, orderId: string, seq: number): Promise<IssuedCertificate | undefined> {
    const order = await this.deps.uow.repos.orders.find(tenant.id, orderId);
    if (!order || order.destination !== 'postal' || !['paid', 'printed', 'shipped'].includes(order.state))
      return undefined;
    if (!order.items.some((item) => item.seq === seq)) return undefined;
    const certificates = await this.deps.issuer.ensureIssued(order);
    return certificates.find((certificate) => certificate.itemSeq === seq);
  }

  /** The packing slip or the address label of a postal order (#12 A-5), in `lang`. */
  async postalDocument(
    tenant: Tenant,
    orderId: string,
    kind: 'packing-slip' | 'address-label',
    lang: Lang,
  ): Promise<Uint8Array | undefined> {
    const detail = await this.detail(tenant, orderId, lang);
    if (!detail?.order.shippingAddress) return undefined;
    const data: PostalDocumentData = {
      tenant,
      order: detail.order,
      address: detail.order.shippingAddress,
      studentName: detail.studentName ?? '',
      names: detail.names,
      lang,
      printedAt: this.deps.clock.now(),
    };
    return kind === 'packing-slip' ? packingSlipPdf(data) : addressLabelPdf(data);
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

  private async typeNames(tenant: Tenant, lang: Lang): Promise<Record<string, string>> {
    const catalogue = await this.deps.uow.repos.catalogue.list(tenant.id);
    return Object.fromEntries(catalogue.map((item) => [item.type, item.name[lang]]));
  }

  /** Reservations are paid and printed at a terminal only: staff moving one would pull it from under the printer. */
  private staffMoves(order: Order, event: StaffMove): boolean {
    const staffs: Destination[] = ['postal', 'digital'];
    return staffs.includes(order.destination) && canTake(order.destination, order.state, event);
  }

  /** One step of a postal or digital order, from the state it was read in; undefined when it moved meanwhile. */
  private async move(
    tenant: Tenant,
    order: Order,
    event: StaffMove,
    actor: Actor,
    changes: Partial<OrderChanges>,
  ): Promise<Order | undefined> {
    const { uow, deliveries } = this.deps;
    const next: OrderState = orderTransition(order.destination, order.state, event);
    const delivering = order.destination === 'digital' && next === 'delivered';
    const certificates = delivering ? await deliveries.prepare(order) : [];
    // A postal order marked printed has its certificates, whether or not staff opened each PDF:
    // otherwise it could ship with nothing issued, nothing to verify and nothing to revoke.
    if (event === 'printed') await this.deps.issuer.ensureIssued(order);
    return uow.run(actor, async (tx) => {
      const stamp: OrderChanges = {
        ...(event === 'paid'
          ? { paidAt: tx.now }
          : event === 'printed'
            ? { printedAt: tx.now }
            : { shippedAt: tx.now }),
        ...changes,
      };
      if (!(await tx.orders.advance(tenant.id, order.id, order.state, next, tx.now, stamp))) return undefined;
      const updated = (await tx.orders.find(tenant.id, order.id)) ?? order;
      if (delivering) await deliveries.deliver(tx, tenant, updated, certificates);
      const account = await tx.accounts.findById(tenant.id, order.accountId);
      if (account) await mailOrderStatus(this.deps.mailer, tx, tenant, account, updated);
      await tx.audit('order.advanced', {
        accountId: order.accountId,
        subject: order.id,
        detail: {
          order: order.id,
          to: next,
          ...(changes.paymentReceipt !== undefined && { receipt: changes.paymentReceipt }),
          ...(changes.trackingNumber !== undefined && { tracking: changes.trackingNumber }),
          ...(actor.staffId && { staffId: actor.staffId }),
        },
      });
      return updated;
    });
  }
}
