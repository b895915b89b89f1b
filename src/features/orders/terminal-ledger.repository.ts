import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { LedgerEntry, LedgerKind } from './settlement.model.js';

/**
 * The payments and voids terminals reported (#9), one row each, kept for the settlement. Like
 * terminals, the ledger is the deployment's: a store network's rows span every university, so
 * reads name a time range and, optionally, the network (terminal) or the university.
 */
export class TerminalLedgerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(entry: LedgerEntry): Promise<void> {
    await this.db
      .insertInto('terminal_ledger')
      .values({
        id: entry.id,
        tenant_id: entry.tenantId,
        order_id: entry.orderId,
        terminal_id: entry.terminalId,
        store_id: entry.storeId,
        machine_id: entry.machineId,
        transaction_id: entry.transactionId,
        kind: entry.kind,
        amount_yen: entry.amountYen,
        at: entry.at,
      })
      .execute();
  }

  /** Entries in [from, to), oldest first, with the number each was for: a reservation's, or a payment number (#12, A-8). */
  async listBetween(
    from: number,
    to: number,
    filter: { terminalId?: string; tenantId?: string } = {},
  ): Promise<Array<LedgerEntry & { reservationNumber: string | null }>> {
    let query = this.db
      .selectFrom('terminal_ledger as l')
      .leftJoin('orders as o', (join) => join.onRef('o.tenant_id', '=', 'l.tenant_id').onRef('o.id', '=', 'l.order_id'))
      .select([
        'l.id',
        'l.tenant_id',
        'l.order_id',
        'l.terminal_id',
        'l.store_id',
        'l.machine_id',
        'l.transaction_id',
        'l.kind',
        'l.amount_yen',
        'l.at',
        'o.reservation_number',
        'o.payment_number',
      ])
      .where('l.at', '>=', from)
      .where('l.at', '<', to);
    if (filter.terminalId !== undefined) query = query.where('l.terminal_id', '=', filter.terminalId);
    if (filter.tenantId !== undefined) query = query.where('l.tenant_id', '=', filter.tenantId);
    const rows = await query.orderBy('l.at').orderBy('l.kind').orderBy('l.id').execute();
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      orderId: row.order_id,
      terminalId: row.terminal_id,
      storeId: row.store_id,
      machineId: row.machine_id,
      transactionId: row.transaction_id,
      kind: row.kind as LedgerKind,
      amountYen: Number(row.amount_yen),
      at: Number(row.at),
      reservationNumber: row.reservation_number ?? row.payment_number,
    }));
  }
}
