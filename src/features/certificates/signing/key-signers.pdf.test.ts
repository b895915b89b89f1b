import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCertificate, sampleIssuedAt } from '../../../../test/helpers/certificate-fixtures.js';
import { freshDatabase } from '../../../../test/helpers/database.js';
import { needsPoppler } from '../../../../test/helpers/pdf.js';
import { pdfsig } from '../../../../test/helpers/poppler.js';
import { makeKeyFixture } from '../../../../test/helpers/signing-keys.js';
import {
  SOFTHSM_MODULE,
  type SoftHsmToken,
  createSoftHsmToken,
  needsSoftHsm,
} from '../../../../test/helpers/softhsm.js';
import { loadConfig } from '../../../config.js';
import { operatorActor } from '../../../platform/actor.js';
import { ManualClock } from '../../../platform/clock.js';
import { type Services, createServices } from '../../../services.js';
import type { Tenant } from '../../tenants/tenant.model.js';
import { CertificateRenderer } from '../pdf/certificate.renderer.js';
import { signDocument } from '../pdf/certificate.signing.js';
import type { KeySigner } from './key-signer.js';
import { openPkcs12Signer } from './pkcs12-signer.js';

const SECRET = 'key-signers-test-secret-key-0123456789abcdef';

async function signedPage(key: KeySigner): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  return signDocument(doc, { key, name: 'Fixture University' }, { signingTime: new Date() });
}

describe('#9 §3 ECDSA keys sign certificates that pdfsig validates', () => {
  it.for(['P-256', 'P-384'] as const)(
    '#9 a PKCS#12 with an ECDSA %s key (openssl) signs; pdfsig: valid',
    async (curve, context) => {
      needsPoppler(context, 'pdfsig');
      const fixture = makeKeyFixture({ key: { ec: curve } });
      const key = openPkcs12Signer(fixture.p12, fixture.passphrase);
      expect(key.keyType).toBe('ec');
      const report = await pdfsig(await signedPage(key));
      expect(report).toContain('Signature Validation: Signature is Valid.');
      expect(report).toContain('Signing Hash Algorithm: SHA-256');
      expect(report).toContain('Total document signed');
    },
  );
});

describe('#9 §3 a key in a PKCS#11 token (SoftHSM2)', () => {
  let token: SoftHsmToken | undefined;
  let testDatabase: Awaited<ReturnType<typeof freshDatabase>>;
  let services: Services;
  let tenant: Tenant;
  const rsa = makeKeyFixture({ key: { rsa: 2048 } });
  const ec = makeKeyFixture({ key: { ec: 'P-256' } });

  beforeAll(async () => {
    testDatabase = await freshDatabase();
    services = createServices({
      config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: testDatabase.url, PUBLIC_URL: 'http://shomei.test' }),
      database: testDatabase.handle,
      clock: new ManualClock(Date.now() + 60 * 60 * 1000),
      secretKey: SECRET,
    });
    tenant = await services.tenants.create({ slug: 'hsm', name: { ja: 'HSM大学', en: 'HSM University' } });
  });

  afterAll(async () => {
    token?.remove();
    await testDatabase.drop();
  });

  function theToken(): SoftHsmToken {
    if (!token) {
      token = createSoftHsmToken();
      token.importKey(rsa.keyPem, 'rsa-signing', '01');
      token.writeCertificate(rsa.certificatePem, 'rsa-signing', '01');
      token.importKey(ec.keyPem, 'ec-signing', '02');
    }
    return token;
  }

  const location = (key: string) => ({ module: SOFTHSM_MODULE, token: 'shomei-test', key });

  it('#9 RSA key on the token, its certificate read from the token: imported, and a certificate it signs is valid in pdfsig', async (context) => {
    needsSoftHsm(context);
    needsPoppler(context, 'pdfsig');
    const { pin } = theToken();
    const imported = await services.signingKeys.importPkcs11(
      tenant,
      location('rsa-signing'),
      pin,
      undefined,
      operatorActor(tenant.id),
    );
    expect(imported.fingerprint).toBe(rsa.fingerprint);
    const signer = await services.issuance.signerFor(tenant);
    expect(signer.key.keyType).toBe('rsa');
    const pdf = await new CertificateRenderer().render(sampleCertificate('enrollment', 'ja'), sampleIssuedAt, signer);
    const report = await pdfsig(pdf);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Signer Certificate Common Name: Fixture University Signing');
    // The PIN is sealed like a passphrase, never stored in the clear.
    const stored = await services.uow.repos.signingKeys.find(tenant.id);
    expect(JSON.stringify(stored)).not.toContain(pin);
  });

  it('#9 ECDSA P-256 key on the token with its chain given as PEM: signatures are DER, and pdfsig says valid', async (context) => {
    needsSoftHsm(context);
    needsPoppler(context, 'pdfsig');
    const { pin } = theToken();
    await services.signingKeys.importPkcs11(
      tenant,
      location('ec-signing'),
      pin,
      ec.certificatePem,
      operatorActor(tenant.id),
    );
    const key = await services.signingKeys.current(tenant);
    expect(key.keyType).toBe('ec');
    // Two signatures at once share the one session in turn.
    await Promise.all([key.sign(Buffer.from('a')), key.sign(Buffer.from('b'))]);
    expect((await pdfsig(await signedPage(key))).includes('Signature is Valid.')).toBe(true);
    expect((await services.signingKeys.history(tenant)).map((cert) => cert.retiredAt === null)).toEqual([true, false]);
  });

  it('#9 refused with what is wrong: a certificate that is not the key’s, a wrong PIN, an unknown key label', async (context) => {
    needsSoftHsm(context);
    const { pin } = theToken();
    const actor = operatorActor(tenant.id);
    await expect(
      services.signingKeys.importPkcs11(
        tenant,
        location('ec-signing'),
        pin,
        makeKeyFixture({ key: { ec: 'P-256' } }).certificatePem,
        actor,
      ),
    ).rejects.toMatchObject({
      code: 'signer_invalid',
      options: { detail: expect.stringContaining('does not match the certificate') },
    });
    await expect(
      services.signingKeys.importPkcs11(tenant, location('ec-signing'), '000000', ec.certificatePem, actor),
    ).rejects.toMatchObject({
      code: 'signer_invalid',
      options: { detail: expect.stringContaining('CKR_PIN_INCORRECT') },
    });
    await expect(
      services.signingKeys.importPkcs11(tenant, location('nothing'), pin, ec.certificatePem, actor),
    ).rejects.toMatchObject({
      code: 'signer_invalid',
      options: { detail: expect.stringContaining('no private key labelled "nothing"') },
    });
  });
});
