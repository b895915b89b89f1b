import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, freshDatabase } from '../../../test/helpers/database.js';
import { down, up } from '../../db/migrations/2026-11-30T0600_signing_key_history.js';
import { UnitOfWork } from '../../db/unit-of-work.js';
import { ManualClock } from '../../platform/clock.js';
import { createDevelopmentSigner } from './pdf/certificate.signing.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe('#9 §3 key history migration', () => {
  it('#9 each university keeps the key it had, current, with its fingerprint; development keys are marked as such', async () => {
    const db = database.handle.db as Kysely<any>;
    const uow = new UnitOfWork(database.handle.db, new ManualClock(T0));
    await down(db);
    const dev = createDevelopmentSigner('A University (development)', 'A University', T0);
    const own = createDevelopmentSigner('B University Signing', 'B University', T0);
    for (const [tenant, made] of [
      ['tenant-a', dev],
      ['tenant-b', own],
    ] as const)
      await db
        .insertInto('tenant_signers')
        .values({
          tenant_id: tenant,
          p12_base64: made.p12Base64,
          passphrase_sealed: `sealed-${tenant}`,
          certificate_pem: made.certificatePem,
          created_at: T0,
        })
        .execute();
    await up(db);

    expect(await uow.repos.signingKeys.find('tenant-a')).toEqual({
      p12Base64: dev.p12Base64,
      passphraseSealed: 'sealed-tenant-a',
      certificatePem: dev.certificatePem,
      development: true,
    });
    expect(await uow.repos.signingKeys.find('tenant-b')).toMatchObject({ development: false });
    const [history] = await uow.repos.signingKeys.history('tenant-b');
    expect(history).toMatchObject({
      validFrom: T0,
      retiredAt: null,
      fingerprintSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});
