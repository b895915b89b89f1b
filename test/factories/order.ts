import type { Order } from '../../src/features/orders/order.model.js';
import { newId, randomDigits } from '../../src/platform/crypto.js';

/** 22 November 2026, 10:00 in Japan: when the factories' orders are placed. */
const PLACED_AT = Date.UTC(2026, 10, 22, 1, 0, 0);

/** A campus reservation of one enrollment certificate, just placed, not yet stored: `repos.orders.insert` it. */
export function order(tenantId: string, overrides: Partial<Order> = {}): Order {
  return {
    tenantId,
    id: newId(),
    accountId: newId(),
    studentNumber: '2023L012',
    destination: 'campus',
    state: 'reserved',
    lang: 'ja',
    feeYen: 300,
    postageYen: 0,
    reservationNumber: randomDigits(12),
    reservationExpiresAt: PLACED_AT + 7 * 86_400_000,
    terminalId: null,
    storeId: null,
    machineId: null,
    paymentTransactionId: null,
    printFailures: 0,
    shippingAddress: null,
    trackingNumber: null,
    recipient: null,
    createdAt: PLACED_AT,
    updatedAt: PLACED_AT,
    paidAt: null,
    printedAt: null,
    shippedAt: null,
    cancelledAt: null,
    voidedAt: null,
    releasedAt: null,
    paymentNumber: null,
    paymentExpiresAt: null,
    paymentReceipt: null,
    refundNote: null,
    items: [{ seq: 1, type: 'enrollment', lang: 'ja', copies: 1, unitFeeYen: 300 }],
    ...overrides,
  };
}
