import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DigitalDelivery } from './delivery.model.js';

export class DeliveryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tenantId: string, delivery: DigitalDelivery, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('digital_deliveries')
      .values({
        tenant_id: tenantId,
        order_id: delivery.orderId,
        token_hash: tokenHash,
        recipient_name: delivery.recipientName,
        recipient_email: delivery.recipientEmail,
        expires_at: delivery.expiresAt,
        first_retrieved_at: null,
        retrievals: 0,
      })
      .execute();
  }

  async findByToken(tenantId: string, tokenHash: string): Promise<DigitalDelivery | undefined> {
    const row = await this.db
      .selectFrom('digital_deliveries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  async findForOrder(tenantId: string, orderId: string): Promise<DigitalDelivery | undefined> {
    const row = await this.db
      .selectFrom('digital_deliveries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  /** Counts a download while the link is live; the first one is remembered for the student. */
  async recordRetrieval(tenantId: string, orderId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('digital_deliveries')
      .set((eb) => ({
        retrievals: eb('retrievals', '+', 1),
        first_retrieved_at: eb.fn.coalesce('first_retrieved_at', eb.val(now)),
      }))
      .where('tenant_id', '=', tenantId)
      .where('order_id', '=', orderId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}

function toDelivery(row: {
  order_id: string;
  recipient_name: string;
  recipient_email: string;
  expires_at: number;
  first_retrieved_at: number | null;
  retrievals: number;
}): DigitalDelivery {
  return {
    orderId: row.order_id,
    recipientName: row.recipient_name,
    recipientEmail: row.recipient_email,
    expiresAt: row.expires_at,
    firstRetrievedAt: row.first_retrieved_at,
    retrievals: row.retrievals,
  };
}
