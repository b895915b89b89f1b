import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import type { Tenant } from '../tenants/tenant.model.js';

const T0 = Date.UTC(2026, 10, 30, 1, 0, 0);

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

async function memberOfA(): Promise<string> {
  await repos.staff.insert(
    { tenantId: a.id, id: 'staff-a', email: 'same@example.ac.jp', staffNumber: 'S1', name: 'A', role: 'administrator' },
    T0,
  );
  return 'staff-a';
}

describe('StaffRepository tenant isolation (#12 A-1, ARCHITECTURE "Data")', () => {
  it("#12 A-1 tenant B finds none of tenant A's staff, by id, mail address, staff ID or in its list", async () => {
    const id = await memberOfA();
    expect(await repos.staff.findById(a.id, id)).toMatchObject({ email: 'same@example.ac.jp', status: 'invited' });
    expect(await repos.staff.findById(b.id, id)).toBeUndefined();
    expect(await repos.staff.findByLogin(b.id, 'same@example.ac.jp')).toBeUndefined();
    expect(await repos.staff.findByLogin(b.id, 'S1')).toBeUndefined();
    expect(await repos.staff.list(b.id)).toEqual([]);
    // The same address may serve two universities, each its own member.
    await repos.staff.insert(
      { tenantId: b.id, id: 'staff-b', email: 'same@example.ac.jp', staffNumber: 'S1', name: 'B', role: 'registrar' },
      T0,
    );
    expect((await repos.staff.findByLogin(b.id, 'SAME@example.ac.jp'))?.id).toBe('staff-b');
  });

  it("#12 A-1 tenant B cannot change tenant A's member, codes or sessions", async () => {
    const id = await memberOfA();
    await repos.staff.setRole(b.id, id, 'registrar', T0);
    await repos.staff.setStatus(b.id, id, 'disabled', T0);
    expect(await repos.staff.activate(b.id, id, undefined, T0)).toBe(false);
    expect(await repos.staff.takeTotpCounter(b.id, id, 5)).toBe(false);
    expect(await repos.staff.findById(a.id, id)).toMatchObject({ role: 'administrator', status: 'invited' });

    await repos.staff.insertRecoveryCodes(a.id, id, ['h1']);
    expect(await repos.staff.useRecoveryCode(b.id, id, 'h1', T0)).toBe(false);
    expect(await repos.staff.useRecoveryCode(a.id, id, 'h1', T0)).toBe(true);
    expect(await repos.staff.useRecoveryCode(a.id, id, 'h1', T0)).toBe(false);

    const session = {
      id_hash: 'session-hash',
      staff_id: id,
      created_at: T0,
      last_seen_at: T0,
      idle_expires_at: T0 + 60_000,
      absolute_expires_at: T0 + 60_000,
      authenticated_at: T0,
      ip: '',
      user_agent: '',
    };
    await repos.staff.insertSession(a.id, session);
    expect(await repos.staff.findLiveSession(b.id, 'session-hash', T0)).toBeUndefined();
    await repos.staff.deleteSessionsOf(b.id, id);
    expect(await repos.staff.findLiveSession(a.id, 'session-hash', T0)).toMatchObject({ staffId: id });

    await repos.staff.insertPasskey(a.id, {
      id: 'cred',
      staffId: id,
      publicKey: 'pk',
      counter: 0,
      transports: [],
      createdAt: T0,
      lastUsedAt: null,
    });
    expect(await repos.staff.passkeys(b.id, id)).toEqual([]);
    expect(await repos.staff.usePasskey(b.id, 'cred', 0, 1, T0)).toBe(false);
    expect(await repos.staff.passkeys(a.id, id)).toHaveLength(1);
  });

  it('#12 A-1 a TOTP time step is taken once, and never an earlier one (replay)', async () => {
    const id = await memberOfA();
    expect(await repos.staff.takeTotpCounter(a.id, id, 10)).toBe(true);
    expect(await repos.staff.takeTotpCounter(a.id, id, 10)).toBe(false);
    expect(await repos.staff.takeTotpCounter(a.id, id, 9)).toBe(false);
    expect(await repos.staff.takeTotpCounter(a.id, id, 11)).toBe(true);
  });

  it("#12 A-1 tenant B cannot set or clear tenant A's authenticator app, remove its passkey, lock its row or set its password", async () => {
    const id = await memberOfA();
    expect(await repos.staff.setTotp(b.id, id, { sealed: 'sealed', counter: 1 })).toBe(false);
    expect(await repos.staff.setTotp(a.id, id, { sealed: 'sealed', counter: 1 })).toBe(true);
    // Only one app at a time: a second set-up does not replace the first.
    expect(await repos.staff.setTotp(a.id, id, { sealed: 'other', counter: 2 })).toBe(false);
    await repos.staff.clearTotp(b.id, id);
    await repos.staff.setPasswordHash(b.id, id, 'hash-from-b', T0);
    expect(await repos.staff.lockForUpdate(b.id, id, T0 + 1)).toBeUndefined();
    expect(await repos.staff.findById(a.id, id)).toMatchObject({ totpSecretSealed: 'sealed', passwordHash: null });
    await repos.staff.insertPasskey(a.id, {
      id: 'cred',
      staffId: id,
      publicKey: 'pk',
      counter: 0,
      transports: [],
      createdAt: T0,
      lastUsedAt: null,
    });
    expect(await repos.staff.deletePasskey(b.id, id, 'cred')).toBe(false);
    expect(await repos.staff.deletePasskey(a.id, 'someone-else', 'cred')).toBe(false);
    expect(await repos.staff.passkeys(a.id, id)).toHaveLength(1);
    expect(await repos.staff.deletePasskey(a.id, id, 'cred')).toBe(true);
    await repos.staff.clearTotp(a.id, id);
    expect(await repos.staff.findById(a.id, id)).toMatchObject({ totpSecretSealed: null });
  });
});
