import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, freshDatabase } from '../../../test/helpers/database.js';
import { down, up } from '../../db/migrations/2026-11-30T0800_order_console.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe('#12 A-5 revocation category migration', () => {
  it('#12 A-5 certificates revoked before categories say "not delivered" or "other", never their old free text', async () => {
    const db = database.handle.db as Kysely<any>;
    await down(db);
    const row = (serial: string, reason: string | null) => ({
      tenant_id: 'tenant-a',
      serial,
      order_id: `order-${serial}`,
      item_seq: 1,
      type: 'enrollment',
      lang: 'ja',
      student_number: 's1',
      verification_code: `AAAA-BBBB-${serial}`,
      pdf_sha256: serial.padEnd(64, '0'),
      pdf_base64: '',
      statement: '{}',
      issued_at: T0,
      revoked_at: reason === null ? null : T0 + 1,
      revoked_reason: reason,
    });
    await db
      .insertInto('issued_certificates')
      .values([
        row('0001', 'released unprinted for refund'),
        row('0002', 'payment voided before printing'),
        row('0003', 'Typed by the operator'),
        row('0004', null),
      ])
      .execute();
    await up(db);
    const categories = await db
      .selectFrom('issued_certificates')
      .select(['serial', 'revoked_category'])
      .orderBy('serial')
      .execute();
    expect(categories.map((c) => c.revoked_category)).toEqual(['not_delivered', 'not_delivered', 'other', null]);
  });
});
