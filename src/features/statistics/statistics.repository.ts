import type { Kysely } from 'kysely';
import { jstDayNumber } from '../../db/jst-day.js';
import type { Database } from '../../db/schema.js';

/** A half-open range of instants, epoch ms. */
export interface InstantRange {
  from: number;
  to: number;
}

/**
 * The counts behind the console's statistics (#12 A-7), grouped in the database by Japan-time day
 * so a year of a university's data comes back as a few hundred rows. Each query is bounded by
 * the tenant and an index that leads with it (issued_certificates_issued_idx, orders_created_idx,
 * mail_outbox_failed_idx).
 */
export class StatisticsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async certificatesIssued(
    tenantId: string,
    range: InstantRange,
  ): Promise<Array<{ day: number; type: string; destination: string; count: number }>> {
    const day = jstDayNumber('certificate.issued_at');
    const rows = await this.db
      .selectFrom('issued_certificates as certificate')
      .innerJoin('orders as order', (join) =>
        join.onRef('order.tenant_id', '=', 'certificate.tenant_id').onRef('order.id', '=', 'certificate.order_id'),
      )
      .select([day.as('day'), 'certificate.type', 'order.destination', (eb) => eb.fn.countAll().as('count')])
      .where('certificate.tenant_id', '=', tenantId)
      .where('certificate.issued_at', '>=', range.from)
      .where('certificate.issued_at', '<', range.to)
      .groupBy([day, 'certificate.type', 'order.destination'])
      .execute();
    return rows.map((row) => ({
      day: Number(row.day),
      type: row.type,
      destination: row.destination,
      count: Number(row.count),
    }));
  }

  /** Orders placed in the range, by the state they are in now. */
  async ordersByState(tenantId: string, range: InstantRange): Promise<Array<{ state: string; count: number }>> {
    const rows = await this.db
      .selectFrom('orders')
      .select(['state', (eb) => eb.fn.countAll().as('count')])
      .where('tenant_id', '=', tenantId)
      .where('created_at', '>=', range.from)
      .where('created_at', '<', range.to)
      .groupBy('state')
      .execute();
    return rows.map((row) => ({ state: row.state, count: Number(row.count) }));
  }

  /** Mail given up on (refused for good, or retried too long), by the day it was given up. */
  async mailFailures(tenantId: string, range: InstantRange): Promise<Array<{ day: number; count: number }>> {
    const day = jstDayNumber('failed_at');
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select([day.as('day'), (eb) => eb.fn.countAll().as('count')])
      .where('tenant_id', '=', tenantId)
      .where('failed_at', '>=', range.from)
      .where('failed_at', '<', range.to)
      .groupBy(day)
      .execute();
    return rows.map((row) => ({ day: Number(row.day), count: Number(row.count) }));
  }
}
