import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import { newId } from '../../platform/crypto.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { IssuedCertificate } from './issued-certificate.model.js';
import { createDevelopmentSigner } from './pdf/certificate.signing.js';
import type { StoredSigner } from './signing-key.model.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

function certificate(overrides: Partial<IssuedCertificate> = {}): IssuedCertificate {
  return {
    serial: 'TU-2026-000001',
    orderId: newId(),
    itemSeq: 1,
    type: 'enrollment',
    lang: 'ja',
    studentNumber: '2023L012',
    verificationCode: 'AB12-CD34-EF56',
    pdfSha256: 'a'.repeat(64),
    pdf: Buffer.from('%PDF-1.7 tenant A'),
    statement: {
      title: '在学証明書',
      holderName: '山田 太郎',
      studentNumber: '2023L012',
      affiliation: '文学部 日本文学科',
      issueDate: '令和8年11月22日',
      details: [],
    },
    issuedAt: T0,
    revokedAt: null,
    revokedReason: null,
    revokedCategory: null,
    ...overrides,
  };
}

const { certificatePem } = createDevelopmentSigner('Isolation (development)', 'Isolation', T0);

function signer(name: string): StoredSigner {
  return { p12Base64: `p12-${name}`, passphraseSealed: `sealed-${name}`, certificatePem };
}

describe('IssuedCertificateRepository tenant isolation (ARCHITECTURE "Data")', () => {
  it("#2 C-7 a certificate of tenant A is not found by order, code, serial or hash with tenant B's id", async () => {
    const issued = certificate();
    await repos.certificates.insert(a.id, issued);
    expect(await repos.certificates.listForOrder(a.id, issued.orderId)).toEqual([issued]);
    expect(await repos.certificates.findByCode(a.id, issued.verificationCode)).toEqual(issued);
    expect(await repos.certificates.findBySerial(a.id, issued.serial)).toEqual(issued);
    expect(await repos.certificates.findByHash(a.id, issued.pdfSha256)).toEqual(issued);
    expect(await repos.certificates.listForOrder(b.id, issued.orderId)).toEqual([]);
    expect(await repos.certificates.findByCode(b.id, issued.verificationCode)).toBeUndefined();
    expect(await repos.certificates.findBySerial(b.id, issued.serial)).toBeUndefined();
    expect(await repos.certificates.findByHash(b.id, issued.pdfSha256)).toBeUndefined();
  });

  it("#2 C-7 a certificate of tenant A is not revoked with tenant B's id", async () => {
    const issued = certificate();
    await repos.certificates.insert(a.id, issued);
    expect(await repos.certificates.revoke(b.id, issued.serial, { category: 'other', note: 'forged' }, T0 + 1)).toBe(
      false,
    );
    expect(await repos.certificates.findBySerial(a.id, issued.serial)).toEqual(issued);
    expect(
      await repos.certificates.revoke(a.id, issued.serial, { category: 'superseded', note: 'reissued' }, T0 + 1),
    ).toBe(true);
  });

  it('#2 C-7 the same serial and code in two tenants are two certificates; revoking one leaves the other', async () => {
    const inA = certificate();
    const inB = certificate({ pdf: Buffer.from('%PDF-1.7 tenant B'), pdfSha256: 'b'.repeat(64) });
    await repos.certificates.insert(a.id, inA);
    await repos.certificates.insert(b.id, inB);
    expect(await repos.certificates.findByCode(b.id, inA.verificationCode)).toEqual(inB);
    expect(await repos.certificates.findByHash(a.id, inB.pdfSha256)).toBeUndefined();
    expect(
      await repos.certificates.revoke(b.id, inA.serial, { category: 'superseded', note: 'reissued' }, T0 + 1),
    ).toBe(true);
    expect((await repos.certificates.findBySerial(a.id, inA.serial))?.revokedAt).toBeNull();
  });

  it("#4 the signing key of tenant A is neither read nor replaced with tenant B's id", async () => {
    await repos.signingKeys.insert(a.id, signer('a'), T0);
    expect(await repos.signingKeys.find(b.id)).toBeUndefined();
    await repos.signingKeys.insert(b.id, signer('b'), T0);
    await repos.signingKeys.replace(b.id, signer('b2'), T0 + 1);
    expect(await repos.signingKeys.find(a.id)).toEqual({ ...signer('a'), development: true });
    expect(await repos.signingKeys.find(b.id)).toEqual({ ...signer('b2'), development: false });
    expect((await repos.signingKeys.history(a.id)).length).toBe(1);
  });
});
