import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../test/helpers/database.js';
import { makeKeyFixture } from '../../../../test/helpers/signing-keys.js';
import { loadConfig } from '../../../config.js';
import { operatorActor } from '../../../platform/actor.js';
import { ManualClock } from '../../../platform/clock.js';
import { type Services, createServices } from '../../../services.js';
import type { Tenant } from '../../tenants/tenant.model.js';

const DAY = 24 * 60 * 60 * 1000;
const SECRET = 'signing-key-test-secret-key-0123456789abcdef';

let testDatabase: Awaited<ReturnType<typeof freshDatabase>>;
let clock: ManualClock;
let services: Services;
let production: Services;
let tenant: Tenant;

beforeAll(async () => {
  testDatabase = await freshDatabase();
  // The fixtures' certificates are valid from the real time they are made, so the clock is ahead of it.
  clock = new ManualClock(Date.now() + 60 * 60 * 1000);
  const base = { DATABASE_URL: testDatabase.url, SECRET_KEY: SECRET };
  services = createServices({
    config: loadConfig({ ...base, NODE_ENV: 'test', PUBLIC_URL: 'http://shomei.test' }),
    database: testDatabase.handle,
    clock,
    secretKey: SECRET,
  });
  production = createServices({
    config: loadConfig({
      ...base,
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://shomei.test',
      SMTP_URL: 'smtp://127.0.0.1:1',
    }),
    database: testDatabase.handle,
    clock,
    secretKey: SECRET,
  });
  tenant = await services.tenants.create({ slug: 'keys', name: { ja: '鍵大学', en: 'Keys University' } });
});

afterAll(async () => {
  await testDatabase.drop();
});

const importP12 = (fixture: { p12: Buffer; passphrase: string }, as = services, to = tenant) =>
  as.signingKeys.importPkcs12(to, fixture.p12, fixture.passphrase, operatorActor(to.id));

describe('#9 §3 signing keys', () => {
  it('#9 in production no development key is made, none signs, and readiness says to import one', async () => {
    const other = await services.tenants.create({ slug: 'prod', name: { ja: '本番大学', en: 'Prod University' } });
    await expect(production.signingKeys.current(other)).rejects.toMatchObject({ code: 'signer_not_imported' });
    expect(await production.uow.repos.signingKeys.find(other.id)).toBeUndefined();
    expect(await production.signingKeys.whyNotSigning(other)).toMatch(/no signing key of its own/);
    await expect(production.issuance.assertCanIssue(other.id)).rejects.toMatchObject({ code: 'signer_not_imported' });

    // A development key made before the switch to production does not sign there either.
    await services.signingKeys.current(other);
    await expect(production.signingKeys.current(other)).rejects.toMatchObject({
      code: 'signer_not_imported',
      options: { detail: expect.stringContaining('shomei signer import') },
    });
    expect((await production.signingKeys.checkSigners()).unusable).toContainEqual({
      slug: 'prod',
      reason: expect.stringContaining('development key'),
    });

    await importP12(makeKeyFixture({ key: { ec: 'P-256' } }), production, other);
    expect((await production.signingKeys.current(other)).keyType).toBe('ec');
    expect(await production.signingKeys.whyNotSigning(other)).toBeUndefined();
  });

  it.each([
    ['an expired certificate', { key: { ec: 'P-256' } }, 40 * DAY, /expired on \d{4}-\d\d-\d\d/],
    ['a certificate not valid yet', { key: { ec: 'P-256' } }, -2 * DAY, /not valid before \d{4}-\d\d-\d\d/],
    [
      'no digitalSignature key usage',
      { key: { ec: 'P-256' }, keyUsage: 'critical,keyAgreement' },
      0,
      /key usage allows neither/,
    ],
    ['a key that does not match the certificate', { mismatched: true }, 0, /key does not match the certificate/],
    ['a short RSA key', { key: { rsa: 1024 } }, 0, /1024 bits; at least 2048/],
    ['an EC key on P-521', { key: { ec: 'P-521' } }, 0, /secp521r1; Shomei accepts P-256 and P-384/],
    ['a wrong passphrase', { key: { ec: 'P-256' }, passphrase: 'right' }, 0, /cannot open the PKCS#12 file/],
  ] as const)(
    '#9 signer import refuses %s, naming it, and keeps the current key',
    async (_, options, shift, detail) => {
      const before = await services.signingKeys.history(tenant);
      const fixture = makeKeyFixture(options);
      clock.advance(shift);
      try {
        const attempt = importP12(_ === 'a wrong passphrase' ? { ...fixture, passphrase: 'wrong' } : fixture);
        await expect(attempt).rejects.toMatchObject({
          code: 'signer_invalid',
          options: { detail: expect.stringMatching(detail) },
        });
      } finally {
        clock.advance(-shift);
      }
      expect(await services.signingKeys.history(tenant)).toEqual(before);
    },
  );

  it.each([
    ['RSA 2048 (OpenSSL 1.x encryption)', { key: { rsa: 2048 }, legacy: true }, 'rsa', 256],
    ['ECDSA P-256', { key: { ec: 'P-256' } }, 'ec', 73],
    ['ECDSA P-384', { key: { ec: 'P-384' } }, 'ec', 105],
    ['a certificate with nonRepudiation only', { key: { ec: 'P-256' }, keyUsage: 'critical,nonRepudiation' }, 'ec', 73],
  ] as const)('#9 signer import accepts %s from openssl; new certificates use it', async (_, options, keyType, max) => {
    const fixture = makeKeyFixture(options);
    const imported = await importP12(fixture);
    expect(imported.fingerprint).toBe(fixture.fingerprint);
    expect(imported.warnings).toEqual([expect.stringContaining('self-signed')]);
    const signer = await services.signingKeys.current(tenant);
    expect(signer).toMatchObject({ keyType, maxSignatureBytes: max });
    expect(new X509Certificate(signer.certificates[0]!).fingerprint256).toBe(fixture.fingerprint);
  });

  it('#9 key history: a new key retires the old one, which stays listed with its fingerprint and validity', async () => {
    const t = await services.tenants.create({ slug: 'history', name: { ja: '履歴大学', en: 'History University' } });
    await services.signingKeys.current(t);
    const first = makeKeyFixture({ key: { ec: 'P-256' } });
    const second = makeKeyFixture();
    clock.advance(1000);
    await services.signingKeys.importPkcs12(t, first.p12, first.passphrase, operatorActor(t.id));
    clock.advance(1000);
    await services.signingKeys.importPkcs12(t, second.p12, second.passphrase, operatorActor(t.id));
    const history = await services.signingKeys.history(t);
    const hex = (fingerprint: string) => fingerprint.replace(/:/g, '').toLowerCase();
    expect(history.map((cert) => [cert.fingerprintSha256, cert.retiredAt === null, cert.development])).toEqual([
      [hex(second.fingerprint), true, false],
      [hex(first.fingerprint), false, false],
      [expect.stringMatching(/^[0-9a-f]{64}$/), false, true],
    ]);
    expect(history[1]).toMatchObject({
      validFrom: history[2]!.retiredAt,
      retiredAt: history[0]!.validFrom,
      notAfter: Date.parse(new X509Certificate(first.certificatePem).validTo),
    });
    expect((await services.signingKeys.current(t)).keyType).toBe('rsa');
    // Re-sealing after a SECRET_KEY rotation reaches retired keys too.
    expect(
      (await services.uow.repos.signingKeys.listSealedPassphrases()).filter((s) => s.tenantId === t.id),
    ).toHaveLength(3);
  });
});
