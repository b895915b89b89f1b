import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Lang } from '../../platform/i18n.js';
import type { Order, OrderItem } from './order.model.js';
import type { Destination, OrderState } from './order.state.js';
import type { OrderItemTable, OrderTable } from './order.table.js';

function toOrder(row: Selectable<OrderTable>, items: Selectable<OrderItemTable>[]): Order {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    accountId: row.account_id,
    studentNumber: row.student_number,
    destination: row.destination as Destination,
    state: row.state as OrderState,
    lang: row.lang as Lang,
    feeYen: row.fee_yen,
    postageYen: row.postage_yen,
    reservationNumber: row.reservation_number,
    reservationExpiresAt: row.reservation_expires_at,
    terminalId: row.terminal_id,
    storeId: row.store_id,
    machineId: row.machine_id,
    paymentTransactionId: row.payment_transaction_id,
    printFailures: row.print_failures,
    shippingAddress: row.shipping_address ? JSON.parse(row.shipping_address) : null,
    trackingNumber: row.tracking_number,
    recipient: row.recipient ? JSON.parse(row.recipient) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paidAt: row.paid_at,
    printedAt: row.printed_at,
    shippedAt: row.shipped_at,
    cancelledAt: row.cancelled_at,
    voidedAt: row.voided_at,
    releasedAt: row.released_at,
    paymentNumber: row.payment_number,
    paymentExpiresAt: row.payment_expires_at,
    paymentReceipt: row.payment_receipt,
    refundNote: row.refund_note,
    items: items
      .filter((item) => item.order_id === row.id)
      .sort((a, b) => a.seq - b.seq)
      .map((item): OrderItem => ({
        seq: item.seq,
        type: item.type,
        lang: item.lang as Lang,
        copies: item.copies,
        unitFeeYen: item.unit_fee_yen,
      })),
  };
}

export interface OrderSearch {
  states?: OrderState[];
  destinations?: Destination[];
  accountId?: string;
  placedFrom?: number;
  placedBefore?: number;
}

/** What a state change may stamp on the order besides its state. */
export interface OrderChanges {
  terminalId?: string | null;
  paidAt?: number;
  printedAt?: number;
  shippedAt?: number;
  cancelledAt?: number;
  trackingNumber?: string;
  printFailures?: number;
  storeId?: string;
  machineId?: string;
  paymentTransactionId?: string;
  voidedAt?: number;
  releasedAt?: number;
  paymentReceipt?: string;
  refundNote?: string;
}

function changeColumns(changes: OrderChanges) {
  return {
    ...(changes.terminalId !== undefined && { terminal_id: changes.terminalId }),
    ...(changes.paidAt !== undefined && { paid_at: changes.paidAt }),
    ...(changes.printedAt !== undefined && { printed_at: changes.printedAt }),
    ...(changes.shippedAt !== undefined && { shipped_at: changes.shippedAt }),
    ...(changes.cancelledAt !== undefined && { cancelled_at: changes.cancelledAt }),
    ...(changes.trackingNumber !== undefined && { tracking_number: changes.trackingNumber }),
    ...(changes.printFailures !== undefined && { print_failures: changes.printFailures }),
    ...(changes.storeId !== undefined && { store_id: changes.storeId }),
    ...(changes.machineId !== undefined && { machine_id: changes.machineId }),
    ...(changes.paymentTransactionId !== undefined && { payment_transaction_id: changes.paymentTransactionId }),
    ...(changes.voidedAt !== undefined && { voided_at: changes.voidedAt }),
    ...(changes.releasedAt !== undefined && { released_at: changes.releasedAt }),
    ...(changes.paymentReceipt !== undefined && { payment_receipt: changes.paymentReceipt }),
    ...(changes.refundNote !== undefined && { refund_note: changes.refundNote }),
  };
}

export class OrderRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private async withItems(tenantId: string, rows: Selectable<OrderTable>[]): Promise<Order[]> {
    if (rows.length === 0) return [];
    const items = await this.db
      .selectFrom('order_items')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(
        'order_id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map((row) => toOrder(row, items));
  }

  async insert(order: Order): Promise<void> {
    await this.db
      .insertInto('orders')
      .values({
        tenant_id: order.tenantId,
        id: order.id,
        account_id: order.accountId,
        student_number: order.studentNumber,
        destination: order.destination,
        state: order.state,
        lang: order.lang,
        fee_yen: order.feeYen,
        postage_yen: order.postageYen,
        reservation_number: order.reservationNumber,
        reservation_expires_at: order.reservationExpiresAt,
        terminal_id: null,
        store_id: null,
        machine_id: null,
        payment_transaction_id: null,
        print_failures: 0,
        shipping_address: order.shippingAddress ? JSON.stringify(order.shippingAddress) : null,
        tracking_number: null,
        recipient: order.recipient ? JSON.stringify(order.recipient) : null,
        created_at: order.createdAt,
        updated_at: order.updatedAt,
        paid_at: null,
        printed_at: null,
        shipped_at: null,
        cancelled_at: null,
        voided_at: null,
        released_at: null,
        payment_number: order.paymentNumber,
        payment_expires_at: order.paymentExpiresAt,
        payment_receipt: null,
        refund_note: null,
      })
      .execute();
    await this.db
      .insertInto('order_items')
      .values(
        order.items.map((item) => ({
          tenant_id: order.tenantId,
          order_id: order.id,
          seq: item.seq,
          type: item.type,
          lang: item.lang,
          copies: item.copies,
          unit_fee_yen: item.unitFeeYen,
        })),
      )
      .execute();
  }

  async find(tenantId: string, id: string): Promise<Order | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const items = await this.db
      .selectFrom('order_items')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('order_id', '=', id)
      .execute();
    return toOrder(row, items);
  }

  async listForAccount(tenantId: string, accountId: string, limit = 100): Promise<Order[]> {
    const rows = await this.db
      .selectFrom('orders')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return this.withItems(tenantId, rows);
  }

  async listByState(tenantId: string, destination: Destination, state: OrderState): Promise<Order[]> {
    const rows = await this.db
      .selectFrom('orders')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('destination', '=', destination)
      .where('state', '=', state)
      .orderBy('created_at')
      .execute();
    return this.withItems(tenantId, rows);
  }

  /**
   * The console's order search (#12 A-5): newest first, one page and whether more follow. Every
   * filter is optional; `placedFrom`/`placedBefore` bound `created_at` (epoch ms, end exclusive).
   */
  async search(
    tenantId: string,
    filter: OrderSearch,
    page: { limit: number; offset: number },
  ): Promise<{ orders: Order[]; more: boolean }> {
    let query = this.db.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId);
    if (filter.states?.length) query = query.where('state', 'in', filter.states);
    if (filter.destinations?.length) query = query.where('destination', 'in', filter.destinations);
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
    if (filter.placedFrom !== undefined) query = query.where('created_at', '>=', filter.placedFrom);
    if (filter.placedBefore !== undefined) query = query.where('created_at', '<', filter.placedBefore);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .offset(page.offset)
      .execute();
    return { orders: await this.withItems(tenantId, rows.slice(0, page.limit)), more: rows.length > page.limit };
  }

  /**
   * Orders in each destination and state, across every university: the metrics scrape reads it.
   * The (tenant, destination, state) index answers it without reading the orders themselves.
   */
  async countByDestinationAndState(): Promise<Array<{ destination: string; state: string; count: number }>> {
    const rows = await this.db
      .selectFrom('orders')
      .select((eb) => ['destination', 'state', eb.fn.countAll().as('count')])
      .groupBy(['destination', 'state'])
      .execute();
    return rows.map((row) => ({ destination: row.destination, state: row.state, count: Number(row.count) }));
  }

  /**
   * The terminal side finds an order by its reservation number alone (a convenience-store
   * machine does not know the university). Numbers are unique across the deployment.
   */
  async findByReservationNumber(reservationNumber: string): Promise<Order | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select(['tenant_id', 'id'])
      .where('reservation_number', '=', reservationNumber)
      .executeTakeFirst();
    return row && this.find(row.tenant_id, row.id);
  }

  /** A postal or digital order by its payment number (#12, A-8), found like a reservation: by the number alone. */
  async findByPaymentNumber(paymentNumber: string): Promise<Order | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select(['tenant_id', 'id'])
      .where('payment_number', '=', paymentNumber)
      .executeTakeFirst();
    return row && this.find(row.tenant_id, row.id);
  }

  /** Reservation and payment numbers share one namespace: a store terminal is given the number alone. */
  async reservationNumberTaken(reservationNumber: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('orders')
      .select('id')
      .where((eb) =>
        eb.or([eb('reservation_number', '=', reservationNumber), eb('payment_number', '=', reservationNumber)]),
      )
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Moves the order only if it is still in `from` (and, for reservations, not past its expiry):
   * one conditional update, so of two racing requests exactly one changes the row.
   */
  async advance(
    tenantId: string,
    id: string,
    from: OrderState,
    to: OrderState,
    now: number,
    changes: OrderChanges = {},
    guard: { terminalId?: string; unexpiredAt?: number; paymentUnexpiredAt?: number } = {},
  ): Promise<boolean> {
    let query = this.db
      .updateTable('orders')
      .set({ state: to, updated_at: now, ...changeColumns(changes) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', from);
    if (guard.terminalId !== undefined) query = query.where('terminal_id', '=', guard.terminalId);
    if (guard.unexpiredAt !== undefined) {
      const at = guard.unexpiredAt;
      query = query.where((eb) =>
        eb.or([eb('reservation_expires_at', 'is', null), eb('reservation_expires_at', '>', at)]),
      );
    }
    if (guard.paymentUnexpiredAt !== undefined)
      query = query.where('payment_expires_at', '>', guard.paymentUnexpiredAt);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Terminal reservations paid before `cutoff` and still not printed, across every university:
   * what housekeeping releases for refund (#9). Only their keys: each is then ended on its own.
   */
  async listPaidUnprintedBefore(cutoff: number, limit = 100): Promise<Array<{ tenantId: string; id: string }>> {
    const rows = await this.db
      .selectFrom('orders')
      .select(['tenant_id', 'id'])
      .where('state', '=', 'paid')
      .where('destination', 'in', ['campus', 'convenience'])
      .where('paid_at', '<=', cutoff)
      .orderBy('paid_at')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ tenantId: row.tenant_id, id: row.id }));
  }

  async countPrintFailure(tenantId: string, id: string, terminalId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('orders')
      .set((eb) => ({ print_failures: eb('print_failures', '+', 1), updated_at: now }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', 'paid')
      .where('terminal_id', '=', terminalId)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Next value of a per-tenant sequence (certificate serials), in one statement. */
  async nextCounter(tenantId: string, name: string): Promise<number> {
    const row = await this.db
      .insertInto('tenant_counters')
      .values({ tenant_id: tenantId, name, value: 1 })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({ value: eb('tenant_counters.value', '+', 1) })),
      )
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }
}
