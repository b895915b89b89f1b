import type { EpochMs } from '../../db/types.js';

export interface OrderTable {
  tenant_id: string;
  id: string;
  account_id: string;
  student_number: string;
  destination: string;
  state: string;
  lang: string;
  fee_yen: number;
  postage_yen: number;
  reservation_number: string | null;
  reservation_expires_at: EpochMs | null;
  /** The terminal that took payment: only it may fetch the documents. */
  terminal_id: string | null;
  print_failures: number;
  /** The machine of the terminal's network that took payment, and the network's transaction id (#9). */
  store_id: string | null;
  machine_id: string | null;
  payment_transaction_id: string | null;
  voided_at: EpochMs | null;
  released_at: EpochMs | null;
  /** The campus cashier's receipt number, when staff recorded the payment there (#12 C-4 (b)). */
  payment_receipt: string | null;
  /** How a paid order that was never printed is refunded, as staff wrote it (#12). */
  refund_note: string | null;
  /** JSON of ShippingAddress. */
  shipping_address: string | null;
  tracking_number: string | null;
  /** JSON of DigitalRecipient. */
  recipient: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  paid_at: EpochMs | null;
  printed_at: EpochMs | null;
  shipped_at: EpochMs | null;
  cancelled_at: EpochMs | null;
  /** A postal or digital order's number payable at a convenience store, and until when (#12, A-8). */
  payment_number: string | null;
  payment_expires_at: EpochMs | null;
}

export interface OrderItemTable {
  tenant_id: string;
  order_id: string;
  seq: number;
  type: string;
  lang: string;
  copies: number;
  unit_fee_yen: number;
}

export interface TerminalTable {
  id: string;
  tenant_id: string | null;
  kind: string;
  name: string;
  secret_hash: string;
  active: number;
  created_at: EpochMs;
  /** The last authenticated call, to the minute. */
  last_seen_at: EpochMs | null;
}

export interface DigitalDeliveryTable {
  tenant_id: string;
  order_id: string;
  token_hash: string;
  recipient_name: string;
  recipient_email: string;
  expires_at: EpochMs;
  first_retrieved_at: EpochMs | null;
  retrievals: number;
}

export interface TenantCounterTable {
  tenant_id: string;
  name: string;
  value: number;
}

/** Every payment and void a terminal reported, as the daily settlement adds them up (#9). */
export interface TerminalLedgerTable {
  id: string;
  tenant_id: string;
  order_id: string;
  terminal_id: string;
  store_id: string;
  machine_id: string;
  transaction_id: string;
  kind: string;
  amount_yen: number;
  at: EpochMs;
}

/** A terminal's answer to a request with an Idempotency-Key; `status_code` null while it runs. */
export interface TerminalIdempotencyTable {
  terminal_id: string;
  key: string;
  fingerprint: string;
  status_code: number | null;
  body: string | null;
  created_at: EpochMs;
  expires_at: EpochMs;
}
