import type { Infrastructure } from '../../infrastructure.js';
import type { SettlementReport, SettlementRow } from './settlement.model.js';

const DAY = 86_400_000;
export const SETTLEMENT_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** 00:00 of a calendar day in Japan (UTC+9, no daylight saving), or undefined for a date that does not exist. */
export function japanDayStart(date: string): number | undefined {
  if (!SETTLEMENT_DATE.test(date)) return undefined;
  const start = Date.parse(`${date}T00:00:00+09:00`);
  if (Number.isNaN(start)) return undefined;
  // Date.parse rolls 2026-02-30 over to March: the date must come back as given.
  return new Date(start + 9 * 3_600_000).toISOString().slice(0, 10) === date ? start : undefined;
}

/**
 * The daily settlement (#9, A-9): per network (the terminal credential: a store gateway or a
 * campus printer) and per university, the reservations paid and voided that day in Japan, with
 * their amounts and every transaction behind them, so a network can reconcile its own records.
 */
export class SettlementService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow'>) {}

  async report(date: string, filter: { terminalId?: string; tenantId?: string } = {}): Promise<SettlementReport> {
    const from = japanDayStart(date);
    if (from === undefined) throw new RangeError(`not a date: ${date}`);
    const repos = this.deps.uow.repos;
    const entries = await repos.terminalLedger.listBetween(from, from + DAY, filter);
    const slugs = new Map<string, string>();
    for (const entry of entries)
      if (!slugs.has(entry.tenantId))
        slugs.set(entry.tenantId, (await repos.tenants.findById(entry.tenantId))?.slug ?? entry.tenantId);
    const rows = new Map<string, SettlementRow>();
    for (const entry of entries) {
      const university = slugs.get(entry.tenantId) ?? entry.tenantId;
      const key = `${entry.terminalId}\u0000${university}`;
      const row = rows.get(key) ?? {
        date,
        network: entry.terminalId,
        university,
        payments: 0,
        paidYen: 0,
        voids: 0,
        voidedYen: 0,
        netYen: 0,
      };
      if (entry.kind === 'payment') {
        row.payments += 1;
        row.paidYen += entry.amountYen;
      } else {
        row.voids += 1;
        row.voidedYen += entry.amountYen;
      }
      row.netYen = row.paidYen - row.voidedYen;
      rows.set(key, row);
    }
    return {
      date,
      rows: [...rows.values()].sort((a, b) =>
        a.network === b.network ? a.university.localeCompare(b.university) : a.network.localeCompare(b.network),
      ),
      transactions: entries.map((entry) => ({
        network: entry.terminalId,
        university: slugs.get(entry.tenantId) ?? entry.tenantId,
        reservationNumber: entry.reservationNumber,
        storeId: entry.storeId,
        machineId: entry.machineId,
        transactionId: entry.transactionId,
        kind: entry.kind,
        amountYen: entry.amountYen,
        at: new Date(entry.at).toISOString(),
      })),
    };
  }
}
