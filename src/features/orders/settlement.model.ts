export type LedgerKind = 'payment' | 'void';

/** One payment or void a terminal reported: what the settlement adds up (#9). */
export interface LedgerEntry {
  id: string;
  tenantId: string;
  orderId: string;
  /** The network's credential (a store gateway) or the campus printer. */
  terminalId: string;
  storeId: string;
  machineId: string;
  transactionId: string;
  kind: LedgerKind;
  amountYen: number;
  at: number;
}

/** One network's day at one university. */
export interface SettlementRow {
  date: string;
  network: string;
  university: string;
  payments: number;
  paidYen: number;
  voids: number;
  voidedYen: number;
  netYen: number;
}

export interface SettlementReport {
  /** The day in Japan (YYYY-MM-DD) the report covers, 00:00–24:00 JST. */
  date: string;
  rows: SettlementRow[];
  transactions: Array<{
    network: string;
    university: string;
    reservationNumber: string | null;
    storeId: string;
    machineId: string;
    transactionId: string;
    kind: LedgerKind;
    amountYen: number;
    at: string;
  }>;
}

const CSV_COLUMNS = [
  'date',
  'network',
  'university',
  'payments',
  'paid_yen',
  'voids',
  'voided_yen',
  'net_yen',
] as const;

function csvField(value: string | number): string {
  const text = String(value);
  // A leading =, +, - or @ would be a formula to a spreadsheet; quotes keep commas and quotes in.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report's rows as CSV (RFC 4180, CRLF), a header line first. */
export function settlementCsv(report: SettlementReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of report.rows)
    lines.push(
      [row.date, row.network, row.university, row.payments, row.paidYen, row.voids, row.voidedYen, row.netYen]
        .map(csvField)
        .join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}
