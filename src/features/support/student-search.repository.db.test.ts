import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import { newId } from '../../platform/crypto.js';
import type { Sealed } from '../mail/outbox.model.js';
import type { StudentRecordInput } from '../records/record.model.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { searchTokens } from './student-search.js';

const T0 = Date.UTC(2026, 10, 30, 1, 0, 0);

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

function record(userId: string, kanji: string, kana: string, roman: string): StudentRecordInput {
  return {
    studentNumber: `S-${userId}`,
    userId,
    name: { kanji, kana, roman },
    birthDate: '2004-06-14',
    faculty: { ja: '文学部', en: 'Faculty of Letters' },
    department: { ja: '日本文学科', en: 'Department of Japanese Literature' },
    year: 4,
    programYears: 4,
    status: 'enrolled',
    admissionDate: '2023-04-01',
    expectedGraduationDate: '2027-03-31',
    creditsEarned: 8,
    gpaHundredths: 325,
  };
}

describe('#12 A-2 the support repositories keep to their university', () => {
  it("#12 A-2 the search and a student's identity never read another university's records, accounts or roster", async () => {
    await repos.records.upsert(a.id, record('s1', '山田 太郎', 'ヤマダ タロウ', 'YAMADA Taro'), T0);
    await repos.records.upsert(b.id, record('s2', '山田 次郎', 'ヤマダ ジロウ', 'YAMADA Jiro'), T0);
    await repos.roster.upsert(b.id, 's3', 'hash', T0);
    const accountB = await repos.accounts.findOrCreate(b.id, newId(), 's2', { twoFactorEnabled: true, lang: 'ja' }, T0);
    await repos.accounts.setVerifiedEmail(b.id, accountB.id, 'yamada.jiro@example.ac.jp', T0);

    const found = await repos.studentSearch.search(a.id, searchTokens('やまだ'), 10);
    expect(found.map((s) => s.userId)).toEqual(['s1']);
    expect(await repos.studentSearch.search(a.id, searchTokens('yamada.jiro'), 10)).toEqual([]);
    expect(await repos.studentSearch.search(a.id, searchTokens('s3'), 10)).toEqual([]);
    expect(await repos.studentSearch.identity(a.id, 's2')).toBeUndefined();
    expect(await repos.studentSearch.identity(a.id, 's3')).toBeUndefined();
    expect(await repos.studentSearch.identity(b.id, 's3')).toMatchObject({ inRoster: true, name: null });
  });

  it('#12 A-2 unlocks, audit entries, sessions and undelivered mail are read per university', async () => {
    await repos.loginUnlocks.bump(b.id, 's1', T0);
    await repos.loginUnlocks.bump(b.id, 's1', T0 + 1);
    expect(await repos.loginUnlocks.find(a.id, 's1')).toBeUndefined();
    expect(await repos.loginUnlocks.find(b.id, 's1')).toEqual({ generation: 2, unlockedAt: T0 + 1 });

    await repos.auditLog.record(b.id, { event: 'login.failure', subject: 's1' }, T0);
    expect(await repos.auditLog.listForStudent(a.id, { userId: 's1' }, 20)).toEqual([]);
    expect(await repos.auditLog.listForStudent(b.id, { userId: 's1' }, 20)).toHaveLength(1);

    const accountB = await repos.accounts.findOrCreate(b.id, newId(), 's1', { twoFactorEnabled: true, lang: 'ja' }, T0);
    await repos.sessions.insert(b.id, 'hash-1', {
      accountId: accountB.id,
      createdAt: T0,
      lastSeenAt: T0,
      idleExpiresAt: T0 + 60_000,
      absoluteExpiresAt: T0 + 60_000,
      secondPasswordAt: T0,
      ip: '',
      userAgent: '',
    });
    expect(await repos.sessions.countLive(a.id, accountB.id, T0)).toBe(0);
    expect(await repos.sessions.countLive(b.id, accountB.id, T0)).toBe(1);
    expect(await repos.sessions.deleteAllForAccount(a.id, accountB.id)).toBe(0);
    expect(await repos.accounts.clearEmail(a.id, accountB.id, T0)).toBe(false);

    const id = newId();
    const opaque = (value: string) => value as Sealed;
    await repos.outbox.enqueue(
      {
        id,
        tenantId: b.id,
        event: 'authKey',
        to: 'x@example.ac.jp',
        priority: 'urgent',
        subject: opaque('s'),
        text: opaque('t'),
        html: opaque('h'),
      },
      T0,
    );
    const claimed = await repos.outbox.claimNext('worker', T0, 60_000);
    await repos.outbox.markUndeliverable(b.id, claimed!.id, 'worker', '550 user unknown', T0);
    expect(await repos.outbox.listTroubleTo(a.id, ['x@example.ac.jp'], 10)).toEqual([]);
    expect(await repos.outbox.findTrouble(a.id, id)).toBeUndefined();
    expect(await repos.outbox.listTroubleTo(b.id, ['x@example.ac.jp'], 10)).toEqual([
      expect.objectContaining({ id, reason: '550 user unknown', failedAt: T0 }),
    ]);
  });
});
