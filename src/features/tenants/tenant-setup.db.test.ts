import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.js';
import { loadConfig } from '../../config.js';
import { ManualClock } from '../../platform/clock.js';
import { operatorActor } from '../../platform/actor.js';
import { type Services, createServices } from '../../services.js';
import { createDevelopmentSigner } from '../certificates/pdf/certificate.signing.js';
import type { Tenant } from './tenant.model.js';

const T0 = Date.UTC(2026, 10, 29, 1, 0, 0);
const examples = path.resolve(import.meta.dirname, '../../../docs/operations');
const example = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(examples, name), 'utf8'));

let testDatabase: Awaited<ReturnType<typeof freshDatabase>>;
let services: Services;
let tenant: Tenant;

beforeAll(async () => {
  testDatabase = await freshDatabase();
  services = createServices({
    config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: testDatabase.url, PUBLIC_URL: 'http://shomei.test' }),
    database: testDatabase.handle,
    clock: new ManualClock(T0),
    secretKey: 'tenant-setup-test-secret-key-0123456789abcdef',
  });
  tenant = await services.tenants.create({
    slug: 'setup',
    name: { ja: '設定大学', en: 'Setup University' },
    enabled: false,
  });
});

afterAll(async () => {
  await testDatabase.drop();
});

describe('#13 setting up a university', () => {
  it('#13 a duplicate slug is a coded refusal, not a database error', async () => {
    await expect(services.tenants.create({ slug: 'setup', name: { ja: 'い', en: 'I' } })).rejects.toMatchObject({
      code: 'tenant_slug_taken',
    });
  });

  it('#13 settings are checked whole before anything is stored: every problem named by its place, unknown fields too', async () => {
    const content = await services.tenants.setContent(tenant, { ja: { presidentName: 7, inquiry: { phones: [{}] } } });
    expect(content).toEqual({
      status: 'invalid',
      violations: expect.arrayContaining([
        expect.objectContaining({ path: 'ja.presidentName' }),
        expect.objectContaining({ path: 'ja.inquiry.phones[0].number' }),
      ]),
    });
    expect(await services.tenants.setPolicy(tenant, { keyLenght: 8 })).toEqual({
      status: 'invalid',
      violations: [{ code: 'unknown field', path: 'keyLenght' }],
    });
    const catalogue = [example('catalogue.example.json') as unknown[]].flat();
    expect(await services.catalogue.replace(tenant, [...catalogue, catalogue[0]])).toMatchObject({
      status: 'invalid',
      violations: [{ path: '[4].type', code: 'enrollment is listed twice' }],
    });
    expect(await services.catalogue.list(tenant)).toEqual([]);
    expect((await services.tenants.list()).find((each) => each.id === tenant.id)?.content.ja.presidentName).toBe('');
  });

  it('#13 the readiness check names what is missing until catalogue, contents, signer and directory are set; only then it opens', async () => {
    const whats = async () =>
      (await services.tenantReadiness.missing(tenant)).map((missing) => missing.what.split(' ')[0]);
    expect(await whats()).toEqual(
      expect.arrayContaining(['catalogue:', 'content.ja.presidentName', 'signer:', 'directory:']),
    );
    expect(await services.tenantReadiness.enable(tenant)).toMatchObject({ status: 'incomplete' });

    // The development key the service makes for a university does not count as its own.
    await services.issuance.signerFor(tenant);
    expect(await whats()).toContain('signer:');

    expect((await services.catalogue.replace(tenant, example('catalogue.example.json'))).status).toBe('set');
    const content = await services.tenants.setContent(tenant, example('content.example.json'));
    if (content.status !== 'set') throw new Error('content refused');
    tenant = content.tenant;
    const signer = createDevelopmentSigner('Setup University', 'Setup University', T0);
    await services.signingKeys.importPkcs12(
      tenant,
      Buffer.from(signer.p12Base64, 'base64'),
      signer.passphrase,
      operatorActor(tenant.id),
    );
    expect(await whats()).toEqual(['directory:']);

    expect(await services.tenants.setRosterPassword(tenant, 's1', 'Short1')).toMatchObject({ status: 'invalid' });
    expect(await whats()).toEqual(['directory:']);
    expect(await services.tenants.setRosterPassword(tenant, 's1', 'Long-enough-1')).toEqual({ status: 'set' });
    expect(await whats()).toEqual([]);
    expect(await services.tenantReadiness.enable(tenant)).toEqual({ status: 'enabled' });
    expect((await services.tenants.list()).find((each) => each.id === tenant.id)?.enabled).toBe(true);
  });

  it('#13 catalogue set withdraws the types the file leaves out, keeping them for old orders', async () => {
    const [first] = example('catalogue.example.json') as unknown[];
    expect((await services.catalogue.replace(tenant, [first])).status).toBe('set');
    const items = await services.catalogue.list(tenant);
    expect(items.filter((item) => item.active).map((item) => item.type)).toEqual(['enrollment']);
    expect(items).toHaveLength(4);
  });

  it('#13 a disabled roster user is refused by the directory and logged out; roster set enables them again', async () => {
    const account = await services.uow.repos.accounts.findOrCreate(
      tenant.id,
      'account-s1',
      's1',
      { twoFactorEnabled: false, lang: 'ja' },
      T0,
    );
    const session = {
      accountId: account.id,
      createdAt: T0,
      lastSeenAt: T0,
      idleExpiresAt: T0 + 3_600_000,
      absoluteExpiresAt: T0 + 3_600_000,
      secondPasswordAt: null,
      ip: '127.0.0.1',
      userAgent: 'test',
    };
    await services.uow.repos.sessions.insert(tenant.id, 'session-of-s1', session);
    expect(await services.tenants.disableRosterUser(tenant, 's1')).toBe(true);
    expect(await services.uow.repos.accounts.findByLiveSession(tenant.id, 'session-of-s1', T0)).toBeUndefined();
    expect(await services.directory.verify(tenant, 's1', 'Long-enough-1')).toEqual({ ok: false });
    expect(await services.tenants.disableRosterUser(tenant, 's1')).toBe(false);
    await services.tenants.setRosterPassword(tenant, 's1', 'Long-enough-1');
    expect(await services.directory.verify(tenant, 's1', 'Long-enough-1')).toEqual({ ok: true, userId: 's1' });
  });

  it('#13 terminals: the secret works once created, the old one stops at rotate, nothing works once disabled', async () => {
    const { terminal, secret } = await services.terminals.create({
      tenantId: tenant.id,
      kind: 'campus',
      name: 'Library',
    });
    await expect(services.terminals.authenticate(`Bearer ${terminal.id}.${secret}`)).resolves.toMatchObject({
      id: terminal.id,
    });
    expect(await services.terminals.find(terminal.id, null)).toBeUndefined();
    const rotated = await services.terminals.rotate(terminal);
    await expect(services.terminals.authenticate(`Bearer ${terminal.id}.${secret}`)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(services.terminals.authenticate(`Bearer ${terminal.id}.${rotated}`)).resolves.toBeDefined();
    expect(await services.terminals.disable(terminal)).toBe(true);
    await expect(services.terminals.authenticate(`Bearer ${terminal.id}.${rotated}`)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(await services.terminals.rotate(terminal)).toBeUndefined();
  });
});
