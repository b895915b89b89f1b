import type { Repositories, Store } from '../../db/repositories.js';
import type { Flow } from '../../flows/flow.repository.js';
import { initialState, transition } from '../../flows/flow.state.js';
import type { Clock } from '../../platform/clock.js';
import { newId, randomDigits } from '../../platform/crypto.js';
import { formatDateTime } from '../../platform/format.js';
import type { Lang } from '../../platform/i18n.js';
import type { FieldError } from '../../platform/views/components.js';
import type { Account } from '../auth/account.repository.js';
import type { RequestMeta } from '../auth/auth.context.js';
import { emailAddressViolations, normalizeEmail } from '../auth/email-address.rules.js';
import type { CatalogueItem } from '../catalogue/catalogue.model.js';
import { type Offering, availability, feeFor, offerings, todayInJapan } from '../catalogue/eligibility.js';
import type { IssuedCertificate } from '../certificates/issued-certificate.repository.js';
import type { Mailer } from '../mail/mailer.js';
import type { StudentRecord } from '../records/record.model.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { DigitalRecipient, Order, OrderItem, ShippingAddress } from './order.model.js';
import { prefectures } from './order.model.js';
import {
  type Destination,
  type OrderEvent,
  type OrderState,
  canTake,
  initialOrderState,
  orderTransition,
} from './order.state.js';

export interface DraftLine {
  type: string;
  lang: Lang;
  copies: number;
}

export interface OrderDraft {
  destination: Destination;
  lines: DraftLine[];
  address?: ShippingAddress;
  recipient?: DigitalRecipient;
  /** Digital only: the student confirms the recipient accepts digitally delivered certificates (C-9). */
  recipientAccepts?: boolean;
}

interface DraftContext extends OrderDraft {
  lang: Lang;
  binding: string;
}

export interface Quote {
  lines: Array<DraftLine & { name: string; unitFeeYen: number; subtotalYen: number }>;
  feeYen: number;
  postageYen: number;
  totalYen: number;
}

export type DraftResult = { status: 'ok'; flowId: string } | { status: 'invalid'; errors: FieldError[] };

/** Digital links and the mails about orders are written once an order exists; these hooks do it. */
export interface DigitalDelivery {
  prepare(order: Order): Promise<IssuedCertificate[]>;
  deliver(
    repos: Repositories,
    tenant: Tenant,
    order: Order,
    certificates: IssuedCertificate[],
    now: number,
  ): Promise<void>;
}

const DRAFT_LIFETIME_MS = 30 * 60_000;

/**
 * The student's side of issuance (C-1, C-4, C-8, C-10): what may be ordered where, the fee, the
 * confirmation (a flow, so a double confirm makes one order), the reservation number, history and
 * cancellation; and the staff moves of postal and digital orders, each mailed to the student.
 */
export class OrderService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    private readonly delivery: DigitalDelivery,
  ) {}

  destinations(tenant: Tenant): Destination[] {
    return tenant.policy.destinations;
  }

  catalogue(tenant: Tenant): Promise<CatalogueItem[]> {
    return this.store.repos.catalogue.list(tenant.id, { activeOnly: true });
  }

  async record(tenant: Tenant, account: Account): Promise<StudentRecord | undefined> {
    return this.store.repos.records.findByUserId(tenant.id, account.userId);
  }

  /** Every type the university offers for this destination, each with why it cannot be had (C-10). */
  async offerings(tenant: Tenant, record: StudentRecord, destination: Destination): Promise<Offering[]> {
    const catalogue = await this.store.repos.catalogue.list(tenant.id, { activeOnly: true });
    return offerings(catalogue, record, destination, todayInJapan(this.clock.now()));
  }

  /** Checks the order form and keeps it in a flow until the student confirms the fee. */
  async draft(tenant: Tenant, account: Account, draft: OrderDraft, meta: RequestMeta): Promise<DraftResult> {
    const record = await this.record(tenant, account);
    if (!record) return { status: 'invalid', errors: [{ field: 'lines', message: 'orders.errors.noRecord' }] };
    const catalogue = await this.store.repos.catalogue.list(tenant.id, { activeOnly: true });
    const errors = this.check(tenant, record, catalogue, draft);
    if (errors.length > 0) return { status: 'invalid', errors };
    const now = this.clock.now();
    const flow: Flow<DraftContext> = {
      tenantId: tenant.id,
      id: newId(),
      kind: 'order_draft',
      state: initialState.order_draft,
      subjectId: account.id,
      issuedAt: now,
      expiresAt: now + DRAFT_LIFETIME_MS,
      context: { ...draft, lang: meta.lang, binding: meta.binding },
    };
    await this.store.repos.flows.insert(flow);
    return { status: 'ok', flowId: flow.id };
  }

  async review(
    tenant: Tenant,
    account: Account,
    flowId: string,
    meta: RequestMeta,
  ): Promise<{ draft: OrderDraft; quote: Quote } | undefined> {
    const flow = await this.liveDraft(tenant, account, flowId, meta);
    if (!flow) return undefined;
    const catalogue = await this.store.repos.catalogue.list(tenant.id, { activeOnly: true });
    return { draft: flow.context, quote: this.quote(tenant, catalogue, flow.context, meta.lang) };
  }

  /** Confirm: the draft flow is used up by one conditional update, so a double confirm places one order. */
  async place(
    tenant: Tenant,
    account: Account,
    flowId: string,
    meta: RequestMeta,
  ): Promise<Order | { status: 'gone' } | { status: 'invalid'; errors: FieldError[] }> {
    const flow = await this.liveDraft(tenant, account, flowId, meta);
    const record = await this.record(tenant, account);
    if (!flow || !record) return { status: 'gone' };
    const catalogue = await this.store.repos.catalogue.list(tenant.id, { activeOnly: true });
    const errors = this.check(tenant, record, catalogue, flow.context);
    if (errors.length > 0) return { status: 'invalid', errors };
    const quote = this.quote(tenant, catalogue, flow.context, meta.lang);
    const now = this.clock.now();
    const order = await this.store.transaction(async (repos) => {
      if (
        !(await repos.flows.advance(
          tenant.id,
          flow.id,
          flow.state,
          transition('order_draft', flow.state, 'place'),
          now,
        ))
      )
        return undefined;
      const destination = flow.context.destination;
      const reserves = destination === 'campus' || destination === 'convenience';
      const placed: Order = {
        tenantId: tenant.id,
        id: newId(),
        accountId: account.id,
        studentNumber: record.studentNumber,
        destination,
        state: initialOrderState[destination],
        lang: meta.lang,
        feeYen: quote.feeYen,
        postageYen: quote.postageYen,
        reservationNumber: reserves ? await this.newReservationNumber(repos) : null,
        reservationExpiresAt: reserves ? now + tenant.policy.reservationDays * 86_400_000 : null,
        terminalId: null,
        printFailures: 0,
        shippingAddress: destination === 'postal' ? (flow.context.address ?? null) : null,
        trackingNumber: null,
        recipient: destination === 'digital' ? (flow.context.recipient ?? null) : null,
        createdAt: now,
        updatedAt: now,
        paidAt: null,
        printedAt: null,
        shippedAt: null,
        cancelledAt: null,
        items: quote.lines.map((line, index): OrderItem => ({
          seq: index + 1,
          type: line.type,
          lang: line.lang,
          copies: line.copies,
          unitFeeYen: line.unitFeeYen,
        })),
      };
      await repos.orders.insert(placed);
      await this.mailStudent(repos, tenant, account, placed, now);
      await repos.audit.record(
        tenant.id,
        {
          event: 'order.placed',
          accountId: account.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          detail: { order: placed.id, destination },
        },
        now,
      );
      return placed;
    });
    if (!order) return { status: 'gone' };
    this.mailer.flush();
    return order;
  }

  /** A reservation past its expiry is dead (C-4): no terminal takes it, and the student is told so (C-8). */
  isExpired(order: Order): boolean {
    return (
      order.state === 'reserved' &&
      order.reservationExpiresAt !== null &&
      order.reservationExpiresAt <= this.clock.now()
    );
  }

  async history(tenant: Tenant, account: Account): Promise<Order[]> {
    return this.store.repos.orders.listForAccount(tenant.id, account.id);
  }

  async find(tenant: Tenant, account: Account, orderId: string): Promise<Order | undefined> {
    const order = await this.store.repos.orders.find(tenant.id, orderId);
    return order && order.accountId === account.id ? order : undefined;
  }

  /** Cancel while nothing is printed: a conditional update, so a terminal paying at the same moment wins or loses whole. */
  async cancel(
    tenant: Tenant,
    account: Account,
    orderId: string,
    meta: RequestMeta,
  ): Promise<'cancelled' | 'notCancellable'> {
    const order = await this.find(tenant, account, orderId);
    if (!order || !canTake(order.destination, order.state, 'cancel')) return 'notCancellable';
    const now = this.clock.now();
    const done = await this.store.transaction(async (repos) => {
      const moved = await repos.orders.advance(
        tenant.id,
        order.id,
        order.state,
        orderTransition(order.destination, order.state, 'cancel'),
        now,
        { cancelled_at: now },
      );
      if (!moved) return false;
      await repos.audit.record(
        tenant.id,
        {
          event: 'order.cancelled',
          accountId: account.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          detail: { order: order.id },
        },
        now,
      );
      return true;
    });
    return done ? 'cancelled' : 'notCancellable';
  }

  /** Staff moves of postal and digital orders (until the staff console: the CLI); the student is mailed. */
  async advanceByStaff(
    tenant: Tenant,
    orderId: string,
    event: Extract<OrderEvent, 'paid' | 'printed' | 'shipped'>,
    trackingNumber?: string,
  ): Promise<Order | 'invalid'> {
    const order = await this.store.repos.orders.find(tenant.id, orderId);
    // Reservations are paid and printed at a terminal only: staff moving one would pull it from under the printer.
    const staffs = order?.destination === 'postal' || order?.destination === 'digital';
    if (!order || !staffs || !canTake(order.destination, order.state, event)) return 'invalid';
    if (event === 'shipped' && !trackingNumber) return 'invalid';
    const now = this.clock.now();
    const next: OrderState = orderTransition(order.destination, order.state, event);
    const delivering = order.destination === 'digital' && next === 'delivered';
    const certificates = delivering ? await this.delivery.prepare(order) : [];
    const moved = await this.store.transaction(async (repos) => {
      const stamp =
        event === 'paid'
          ? { paid_at: now }
          : event === 'printed'
            ? { printed_at: now }
            : { shipped_at: now, tracking_number: trackingNumber ?? '' };
      if (!(await repos.orders.advance(tenant.id, order.id, order.state, next, now, stamp))) return undefined;
      const updated = (await repos.orders.find(tenant.id, order.id)) ?? order;
      if (delivering) await this.delivery.deliver(repos, tenant, updated, certificates, now);
      const account = await repos.accounts.findById(tenant.id, order.accountId);
      if (account) await this.mailStudent(repos, tenant, account, updated, now);
      await repos.audit.record(
        tenant.id,
        { event: 'order.advanced', accountId: order.accountId, detail: { order: order.id, to: next } },
        now,
      );
      return updated;
    });
    if (!moved) return 'invalid';
    this.mailer.flush();
    return moved;
  }

  quote(tenant: Tenant, catalogue: readonly CatalogueItem[], draft: OrderDraft, lang: Lang): Quote {
    const priced = feeFor(draft.lines, catalogue);
    const names = new Map(catalogue.map((item) => [item.type as string, item.name[lang]]));
    const postageYen = draft.destination === 'postal' ? tenant.policy.postageYen : 0;
    return {
      lines: priced.lines.map((line) => ({ ...line, name: names.get(line.type) ?? line.type })),
      feeYen: priced.totalYen,
      postageYen,
      totalYen: priced.totalYen + postageYen,
    };
  }

  private check(
    tenant: Tenant,
    record: StudentRecord,
    catalogue: readonly CatalogueItem[],
    draft: OrderDraft,
  ): FieldError[] {
    const errors: FieldError[] = [];
    if (!tenant.policy.destinations.includes(draft.destination))
      return [{ field: 'lines', message: 'orders.errors.destination' }];
    if (draft.lines.length === 0) errors.push({ field: 'lines', message: 'orders.errors.nothingChosen' });
    const today = todayInJapan(this.clock.now());
    for (const line of draft.lines) {
      const item = catalogue.find((entry) => entry.type === line.type);
      const field = `copies-${line.type}`;
      if (!item) {
        errors.push({ field: 'lines', message: 'orders.errors.unknownType' });
        continue;
      }
      const verdict = availability(item, record, draft.destination, today, line.lang);
      if (!verdict.available)
        errors.push({
          field,
          message: `orders.unavailable.${verdict.reason}`,
          params: { date: verdict.availableFrom ?? '' },
        });
      const sameType = draft.lines
        .filter((other) => other.type === line.type)
        .reduce((sum, other) => sum + other.copies, 0);
      if (!Number.isInteger(line.copies) || line.copies < 1 || sameType > item.maxCopies) {
        errors.push({ field, message: 'orders.errors.copies', params: { max: item.maxCopies } });
      }
    }
    if (draft.destination === 'postal') errors.push(...addressErrors(draft.address));
    if (draft.destination === 'digital') {
      errors.push(...recipientErrors(tenant, draft.recipient));
      if (!draft.recipientAccepts) errors.push({ field: 'recipientAccepts', message: 'orders.recipient.mustConfirm' });
    }
    // A type on two lines (Japanese and English) is one problem, told once.
    return errors.filter(
      (error, index) =>
        errors.findIndex((other) => other.field === error.field && other.message === error.message) === index,
    );
  }

  private async liveDraft(
    tenant: Tenant,
    account: Account,
    flowId: string,
    meta: RequestMeta,
  ): Promise<Flow<DraftContext> | undefined> {
    const flow = await this.store.repos.flows.find<DraftContext>(tenant.id, flowId, 'order_draft');
    const live = flow && flow.state === 'awaiting_confirmation' && flow.expiresAt > this.clock.now();
    return live && flow.subjectId === account.id && flow.context.binding === meta.binding ? flow : undefined;
  }

  /** 12 digits, unique across the deployment: a store terminal knows nothing but the number. */
  private async newReservationNumber(repos: Repositories): Promise<string> {
    for (;;) {
      const candidate = `${1 + Math.floor(Number(randomDigits(1)) % 9)}${randomDigits(11)}`;
      if (!(await repos.orders.reservationNumberTaken(candidate))) return candidate;
    }
  }

  private async mailStudent(
    repos: Repositories,
    tenant: Tenant,
    account: Account,
    order: Order,
    now: number,
  ): Promise<void> {
    if (!account.email) return;
    const lang = order.lang;
    await this.mailer.queue(
      repos,
      tenant,
      {
        event: 'orderStatus',
        lang,
        to: account.email,
        params: {
          context: `${order.destination}_${order.state}`,
          reservationNumber: order.reservationNumber ?? '',
          expiry: order.reservationExpiresAt ? formatDateTime(order.reservationExpiresAt, lang) : '',
          total: order.feeYen + order.postageYen,
          tracking: order.trackingNumber ?? '',
          recipient: order.recipient?.name ?? '',
          userId: account.userId,
        },
      },
      now,
    );
  }
}

const POSTAL_CODE = /^\d{3}-?\d{4}$/;

/** A Japanese address (C-4): 7-digit postal code, one of the 47 prefectures, city, street, building, recipient. */
export function addressErrors(address: ShippingAddress | undefined): FieldError[] {
  const a = address ?? { postalCode: '', prefecture: '', city: '', street: '', building: '', recipient: '' };
  const errors: FieldError[] = [];
  if (!POSTAL_CODE.test(a.postalCode))
    errors.push({
      field: 'postalCode',
      message: a.postalCode ? 'orders.address.postalCodeInvalid' : 'orders.address.postalCodeRequired',
    });
  if (!prefectures.some(([code]) => code === a.prefecture))
    errors.push({ field: 'prefecture', message: 'orders.address.prefectureRequired' });
  for (const field of ['city', 'street', 'recipient'] as const) {
    if (!a[field].trim()) errors.push({ field, message: `orders.address.${field}Required` });
    else if (a[field].length > 100) errors.push({ field, message: 'orders.address.tooLong' });
  }
  if (a.building.length > 100) errors.push({ field: 'building', message: 'orders.address.tooLong' });
  return errors;
}

/** A recipient of a digital copy (C-9), refused before the order when the university knows it does not accept them. */
export function recipientErrors(tenant: Tenant, recipient: DigitalRecipient | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!recipient?.name.trim()) errors.push({ field: 'recipientName', message: 'orders.recipient.nameRequired' });
  const email = recipient?.email ?? '';
  const violations = emailAddressViolations(email, email).address;
  if (violations.length > 0)
    errors.push(...violations.map((rule) => ({ field: 'recipientEmail', message: `validation.email.${rule}` })));
  else {
    const domain = normalizeEmail(email).split('@')[1] ?? '';
    if (
      tenant.policy.digitalRefusingDomains.some((refusing) => domain === refusing || domain.endsWith(`.${refusing}`))
    ) {
      errors.push({ field: 'recipientEmail', message: 'orders.recipient.refuses' });
    }
  }
  return errors;
}
