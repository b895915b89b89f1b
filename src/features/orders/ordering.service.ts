import { randomInt } from 'node:crypto';
import type { Repositories } from '../../db/repositories.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { todayInJapan } from '../../platform/clock.js';
import { newId, randomDigits } from '../../platform/crypto.js';
import type { Invalid, Violation } from '../../platform/violation.js';
import type { Flow } from '../../flows/flow.model.js';
import type { FlowService } from '../../flows/flow.service.js';
import { transition } from '../../flows/flow.state.js';
import type { Account } from '../auth/account.model.js';
import type { CatalogueItem } from '../catalogue/catalogue.model.js';
import type { Issuer } from '../certificates/issuance.service.js';
import { type Offering, offerings } from '../catalogue/eligibility.js';
import type { StudentRecord } from '../records/record.model.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { mailOrderStatus } from './order-status.mail.js';
import type { Order, OrderItem } from './order.model.js';
import { payableByNumber } from './payment-number.js';
import { type OrderDraft, type Quote, isExpired, orderViolations, quote } from './order.rules.js';
import { type Destination, canTake, initialOrderState, orderTransition } from './order.state.js';

interface DraftContext extends OrderDraft {
  lang: string;
  binding: string;
}

export type DraftResult = { status: 'ok'; flowId: string } | Invalid;
export type PlaceResult = { status: 'placed'; order: Order } | { status: 'gone' } | Invalid;

const DRAFT_LIFETIME_MS = 30 * 60_000;

/** 12 random digits without a leading zero, every first digit as likely as another. */
export function reservationNumberCandidate(): string {
  return `${randomInt(1, 10)}${randomDigits(11)}`;
}

/**
 * The student's side of issuance (C-1, C-4, C-8, C-10): what may be ordered where, the fee, the
 * confirmation (a flow, so a double confirm makes one order), the reservation number, history and
 * cancellation. Violations follow order.rules.ts.
 */
export class OrderingService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'mailer'> & {
      flows: FlowService;
      issuer: Pick<Issuer, 'issuability'>;
    },
  ) {}

  destinations(tenant: Tenant): Destination[] {
    return tenant.policy.destinations;
  }

  catalogue(tenant: Tenant): Promise<CatalogueItem[]> {
    return this.deps.uow.repos.catalogue.list(tenant.id, { activeOnly: true });
  }

  record(tenant: Tenant, account: Account): Promise<StudentRecord | undefined> {
    return this.deps.uow.repos.records.findByUserId(tenant.id, account.userId);
  }

  /** Every type the university offers for this destination, each with why it cannot be had (C-10). */
  async offerings(tenant: Tenant, record: StudentRecord, destination: Destination): Promise<Offering[]> {
    return offerings(await this.catalogue(tenant), record, destination, todayInJapan(this.deps.clock.now()));
  }

  /** Checks the order form and keeps it in a flow until the student confirms the fee. */
  async draft(tenant: Tenant, account: Account, draft: OrderDraft, actor: Actor): Promise<DraftResult> {
    const record = await this.record(tenant, account);
    if (!record) return { status: 'invalid', violations: [{ code: 'order.noRecord', path: 'lines' }] };
    const violations = orderViolations(tenant, record, await this.catalogue(tenant), draft, this.today());
    if (violations.length === 0) violations.push(...(await this.issuabilityViolations(tenant, record, draft)));
    if (violations.length > 0) return { status: 'invalid', violations };
    const flow = await this.deps.flows.start<DraftContext>(this.deps.uow.repos, {
      tenantId: tenant.id,
      kind: 'order_draft',
      subjectId: account.id,
      lifetimeMs: DRAFT_LIFETIME_MS,
      context: { ...draft, lang: actor.lang, binding: actor.binding },
    });
    return { status: 'ok', flowId: flow.id };
  }

  async review(
    tenant: Tenant,
    account: Account,
    flowId: string,
    actor: Actor,
  ): Promise<{ status: 'ok'; draft: OrderDraft; quote: Quote } | { status: 'gone' }> {
    const flow = await this.liveDraft(tenant, account, flowId, actor);
    if (!flow) return { status: 'gone' };
    return {
      status: 'ok',
      draft: flow.context,
      quote: quote(tenant, await this.catalogue(tenant), flow.context, actor.lang),
    };
  }

  /**
   * The student's newest draft not yet placed, from this browser, for this destination: the form
   * the browser's Back returns to from the review shows it filled (#10 §1).
   */
  async openDraft(
    tenant: Tenant,
    account: Account,
    destination: Destination,
    actor: Actor,
  ): Promise<OrderDraft | undefined> {
    const flow = await this.deps.uow.repos.flows.findOpen<DraftContext>(
      tenant.id,
      account.id,
      'order_draft',
      this.deps.clock.now(),
    );
    const usable = flow?.context.binding === actor.binding && flow.context.destination === destination;
    return usable ? flow.context : undefined;
  }

  /** Confirm: the draft flow is used up by one conditional update, so a double confirm places one order. */
  async place(tenant: Tenant, account: Account, flowId: string, actor: Actor): Promise<PlaceResult> {
    const flow = await this.liveDraft(tenant, account, flowId, actor);
    const record = await this.record(tenant, account);
    if (!flow || !record) return { status: 'gone' };
    const catalogue = await this.catalogue(tenant);
    const violations = orderViolations(tenant, record, catalogue, flow.context, this.today());
    if (violations.length === 0) violations.push(...(await this.issuabilityViolations(tenant, record, flow.context)));
    if (violations.length > 0) return { status: 'invalid', violations };
    const priced = quote(tenant, catalogue, flow.context, actor.lang);
    const order = await this.deps.uow.run(actor, async (tx) => {
      const next = transition('order_draft', flow.state, 'place');
      if (!(await tx.flows.advance(tenant.id, flow.id, flow.state, next, tx.now))) return undefined;
      const destination = flow.context.destination;
      const reserves = destination === 'campus' || destination === 'convenience';
      const payableAtStore = !reserves && tenant.policy.convenienceOrderPayment;
      const placed: Order = {
        tenantId: tenant.id,
        id: newId(),
        accountId: account.id,
        studentNumber: record.studentNumber,
        destination,
        state: initialOrderState[destination],
        lang: actor.lang,
        feeYen: priced.feeYen,
        postageYen: priced.postageYen,
        reservationNumber: reserves ? await this.newReservationNumber(tx) : null,
        reservationExpiresAt: reserves ? tx.now + tenant.policy.reservationDays * 86_400_000 : null,
        terminalId: null,
        storeId: null,
        machineId: null,
        paymentTransactionId: null,
        printFailures: 0,
        shippingAddress: destination === 'postal' ? (flow.context.address ?? null) : null,
        trackingNumber: null,
        recipient: destination === 'digital' ? (flow.context.recipient ?? null) : null,
        createdAt: tx.now,
        updatedAt: tx.now,
        paidAt: null,
        printedAt: null,
        shippedAt: null,
        cancelledAt: null,
        voidedAt: null,
        releasedAt: null,
        paymentNumber: payableAtStore ? await this.newReservationNumber(tx) : null,
        paymentExpiresAt: payableAtStore ? tx.now + tenant.policy.paymentNumberDays * 86_400_000 : null,
        paymentReceipt: null,
        refundNote: null,
        items: priced.lines.map((line, index): OrderItem => ({
          seq: index + 1,
          type: line.type,
          lang: line.lang,
          copies: line.copies,
          unitFeeYen: line.unitFeeYen,
        })),
      };
      await tx.orders.insert(placed);
      await mailOrderStatus(this.deps.mailer, tx, tenant, account, placed);
      await tx.audit('order.placed', {
        accountId: account.id,
        subject: placed.id,
        detail: { order: placed.id, destination },
      });
      return placed;
    });
    return order ? { status: 'placed', order } : { status: 'gone' };
  }

  /** A reservation past its expiry is dead (C-4): no terminal takes it, and the student is told so (C-8). */
  isExpired(order: Order): boolean {
    return isExpired(order, this.deps.clock.now());
  }

  /** A payment number the student may still pay at a convenience store (#12, A-8). */
  payableByNumber(order: Order): boolean {
    return payableByNumber(order, this.deps.clock.now());
  }

  history(tenant: Tenant, account: Account): Promise<Order[]> {
    return this.deps.uow.repos.orders.listForAccount(tenant.id, account.id);
  }

  async find(tenant: Tenant, account: Account, orderId: string): Promise<Order | undefined> {
    const order = await this.deps.uow.repos.orders.find(tenant.id, orderId);
    return order && order.accountId === account.id ? order : undefined;
  }

  /** Cancel while nothing is printed: a conditional update, so a terminal paying at the same moment wins or loses whole. */
  async cancel(
    tenant: Tenant,
    account: Account,
    orderId: string,
    actor: Actor,
  ): Promise<{ status: 'cancelled' | 'notCancellable' }> {
    const order = await this.find(tenant, account, orderId);
    if (!order || !canTake(order.destination, order.state, 'cancel')) return { status: 'notCancellable' };
    const done = await this.deps.uow.run(actor, async (tx) => {
      const next = orderTransition(order.destination, order.state, 'cancel');
      if (!(await tx.orders.advance(tenant.id, order.id, order.state, next, tx.now, { cancelledAt: tx.now })))
        return false;
      await tx.audit('order.cancelled', { accountId: account.id, subject: order.id, detail: { order: order.id } });
      return true;
    });
    return { status: done ? 'cancelled' : 'notCancellable' };
  }

  /**
   * C-11 at order time, before any money: every character of the documents can be drawn, and the
   * university's signer signs (else `signer_unavailable` is thrown, a page of its own).
   */
  private async issuabilityViolations(tenant: Tenant, record: StudentRecord, draft: OrderDraft): Promise<Violation[]> {
    const problem = await this.deps.issuer.issuability(
      {
        tenantId: tenant.id,
        id: 'draft',
        studentNumber: record.studentNumber,
        destination: draft.destination,
        items: draft.lines.map((line, index) => ({ seq: index + 1, type: line.type, lang: line.lang })),
      },
      'order',
    );
    if (problem?.reason !== 'undrawable') return [];
    return [{ code: 'order.undrawable', path: 'lines', params: { characters: problem.characters.join(' ') } }];
  }

  private today(): string {
    return todayInJapan(this.deps.clock.now());
  }

  /** Only the student who began the draft, in the browser that began it, may see or confirm it. */
  private liveDraft(
    tenant: Tenant,
    account: Account,
    flowId: string,
    actor: Actor,
  ): Promise<Flow<DraftContext> | undefined> {
    return this.deps.flows
      .findLive<DraftContext>(this.deps.uow.repos, tenant.id, 'order_draft', flowId, {
        binding: actor.binding,
        states: ['awaiting_confirmation'],
      })
      .then((flow) => (flow?.subjectId === account.id ? flow : undefined));
  }

  /**
   * 12 digits, unique across the deployment among reservation and payment numbers alike: a
   * store terminal knows nothing but the number.
   */
  private async newReservationNumber(repos: Repositories): Promise<string> {
    for (;;) {
      const candidate = reservationNumberCandidate();
      if (!(await repos.orders.reservationNumberTaken(candidate))) return candidate;
    }
  }
}
