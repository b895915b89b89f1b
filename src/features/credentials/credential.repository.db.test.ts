import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import { newId } from '../../platform/crypto.js';
import type { IssuedCertificate } from '../certificates/issued-certificate.model.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { IssuedCredential } from './credential.model.js';

const T0 = Date.UTC(2026, 10, 30, 1, 0, 0);

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

function certificate(serial: string): IssuedCertificate {
  return {
    serial,
    orderId: newId(),
    itemSeq: 1,
    type: 'enrollment',
    lang: 'ja',
    studentNumber: '2023L012',
    verificationCode: `AB12-CD34-${serial.slice(-4)}`,
    pdfSha256: serial.padEnd(64, '0'),
    pdf: Buffer.from('%PDF-1.7'),
    statement: {
      title: '在学証明書',
      holderName: '山田',
      studentNumber: '2023L012',
      affiliation: '',
      issueDate: '',
      details: [],
    },
    issuedAt: T0,
    revokedAt: null,
    revokedReason: null,
    revokedCategory: null,
  };
}

function credential(serial: string, statusIndex: number): IssuedCredential {
  return { serial, statusList: 1, statusIndex, jwt: `jwt-${serial}`, issuedAt: T0 };
}

describe('CredentialRepository (#9 §5) and tenant isolation (ARCHITECTURE "Data")', () => {
  it("#9 a credential of tenant A is not found, counted or taken with tenant B's id; B may use the same index", async () => {
    await repos.credentials.insert(a.id, credential('TU-1', 7));
    expect(await repos.credentials.findBySerial(a.id, 'TU-1')).toEqual(credential('TU-1', 7));
    expect(await repos.credentials.findBySerial(b.id, 'TU-1')).toBeUndefined();
    expect(await repos.credentials.newestList(a.id)).toEqual({ statusList: 1, used: 1 });
    expect(await repos.credentials.newestList(b.id)).toEqual({ statusList: 1, used: 0 });
    expect(await repos.credentials.isTaken(b.id, 1, 7)).toBe(false);
    await repos.credentials.insert(b.id, credential('TU-2', 7));
    await expect(repos.credentials.insert(a.id, credential('TU-3', 7))).rejects.toThrow();
  });

  it("#9 a list's set bits are its revoked certificates of that tenant only; a signed list is kept per tenant", async () => {
    for (const [tenant, serial, index] of [
      [a, 'A-1', 3],
      [a, 'A-2', 90_000],
      [b, 'A-1', 5],
    ] as const) {
      await repos.certificates.insert(tenant.id, certificate(serial));
      await repos.credentials.insert(tenant.id, credential(serial, index));
    }
    expect(await repos.credentials.revokedIndices(a.id, 1)).toEqual([]);
    await repos.certificates.revoke(a.id, 'A-2', { category: 'issued_in_error', note: 'issued in error' }, T0 + 1);
    expect(await repos.credentials.revokedIndices(a.id, 1)).toEqual([90_000]);
    expect(await repos.credentials.revokedIndices(b.id, 1)).toEqual([]);

    const signed = { statusList: 1, listSha256: 'a'.repeat(64), jwt: 'list-a', signedAt: T0 };
    await repos.credentials.saveStatusList(a.id, signed);
    await repos.credentials.saveStatusList(a.id, { ...signed, jwt: 'list-a2' });
    expect((await repos.credentials.findStatusList(a.id, 1))?.jwt).toBe('list-a2');
    expect(await repos.credentials.findStatusList(b.id, 1)).toBeUndefined();
  });
});
