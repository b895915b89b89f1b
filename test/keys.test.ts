import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { secretsCommand } from '../src/cli/secrets.commands.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createDevelopmentSigner } from '../src/features/certificates/pdf/certificate.signing.js';
import { sealMail } from '../src/features/mail/mail.seal.js';
import type { Sealed } from '../src/features/mail/outbox.model.js';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { Keyring, SecretBox, newId } from '../src/platform/crypto.js';
import { SecretKeyError, resolveKeyring } from '../src/platform/secret-key.js';
import { checkAtStart } from '../src/runtime.js';
import type { Harness } from './helpers/harness.js';
import {
  type OrderingStudent,
  orderingStudent,
  placeOrder,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
} from './helpers/orders.js';

/** The harness's key: everything made before the rotation is made under it. */
const OLD = 'test-secret-key-that-is-long-enough-0123456789';
const NEW = 'rotated-secret-key-for-the-13-tests-abcdefghij';
const quiet = pino({ enabled: false });

function configWith(env: Record<string, string>) {
  return loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', PUBLIC_URL: 'http://shomei.test', ...env });
}

describe('#13 rotating SECRET_KEY with a signer, a terminal and queued mail', () => {
  let h: Harness;
  let student: OrderingStudent;
  let other: Tenant;
  /** Registered under the old key (its secret hashed with it). */
  let terminal: Awaited<ReturnType<typeof registerTerminal>>;
  const apps: App[] = [];

  /** Another instance of the service on the same database, started the way server.ts starts. */
  async function startInstance(env: Record<string, string>) {
    const keyring = await resolveKeyring(configWith(env), h.database.db, { now: h.clock.now() });
    const app = await buildApp({
      config: h.app.services.config,
      database: h.database,
      clock: h.clock,
      secretKey: keyring,
      mailPollIntervalMs: 50,
    });
    apps.push(app);
    const started = await checkAtStart(app.services, quiet);
    return { app, started, as: { ...h, app } as Harness };
  }

  async function reservation(): Promise<string> {
    const { page } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '1' });
    return reservationNumberIn(page.body);
  }

  beforeAll(async () => {
    h = await startIssuanceHarness();
    student = await orderingStudent(h, 'ja');
    other = await h.tenants.create({ slug: 'other', name: { ja: '別大学', en: 'Other University' } });
    // The first start under the old key records its fingerprint and makes the signers under it.
    await startInstance({ SECRET_KEY: OLD });
  });

  afterAll(async () => {
    for (const app of apps) await app.server.close();
    await h.close();
  });

  it('#13 with the new key and the old one as SECRET_KEY_PREVIOUS: start works, the terminal authenticates, signing works, mail sealed before is sent', async () => {
    // A terminal registered under the old key, and mail queued under it, unsent.
    terminal = await registerTerminal(h, 'campus', h.tenant.id);
    await h.app.services.mailWorker.stop();
    const oldBox = new SecretBox(OLD);
    await h.uow.repos.outbox.enqueue(
      {
        id: newId(),
        tenantId: h.tenant.id,
        event: 'test.before-rotation',
        to: 'queued@example.ac.jp',
        priority: 'bulk',
        ...sealMail(oldBox, {
          subject: 'Queued before the rotation',
          text: 'sealed under the old key',
          html: '<p>x</p>',
        }),
      },
      h.clock.now(),
    );
    const number = await reservation();

    const { app, started, as } = await startInstance({ SECRET_KEY: NEW, SECRET_KEY_PREVIOUS: OLD });
    expect(started.signers.unusable).toEqual([]);
    const resealed = await started.resealed;
    expect(resealed).toMatchObject({ signers: 2, unopenable: 0 });
    expect(resealed?.mails).toBeGreaterThanOrEqual(1);

    const paid = await terminalCall(as, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: 300 });
    expect(paid.statusCode, paid.body).toBe(200);
    const documents = await terminalCall(as, terminal, 'GET', `/reservations/${number}/documents`);
    expect(documents.statusCode, documents.body).toBe(200);
    expect((documents.json() as { documents: unknown[] }).documents).toHaveLength(1);
    // Its secret is now stored keyless: no later rotation can lock it out.
    expect((await h.uow.repos.terminals.findActive(terminal.id))?.secretHash).toMatch(/^sha256:/);

    app.services.mailWorker.start();
    const mail = await h.smtp.waitFor('queued@example.ac.jp');
    expect(mail.subject).toBe('Queued before the rotation');
  });

  it('#13 without SECRET_KEY_PREVIOUS: start still works; the university whose signer is under the gone key refuses issuance clearly, the others are unaffected', async () => {
    // A signer sealed under the old key after the re-seal: as if the operator dropped the old key too early.
    const made = createDevelopmentSigner('Test University (development)', 'Test University', h.clock.now());
    await h.uow.repos.signingKeys.replace(
      h.tenant.id,
      {
        p12Base64: made.p12Base64,
        passphraseSealed: new SecretBox(OLD).seal(made.passphrase),
        certificatePem: made.certificatePem,
      },
      h.clock.now(),
    );
    const number = await reservation();

    const { started, as, app } = await startInstance({ SECRET_KEY: NEW });
    expect(started.signers.unusable.map((signer) => signer.slug)).toEqual(['tu']);
    expect(started.signers.usable).toContain('other');

    const refused = await terminalCall(as, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: 300 });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({ error: 'signer_unavailable' });
    expect((await h.uow.repos.orders.findByReservationNumber(number))?.state).toBe('reserved');
    await expect(app.services.issuance.assertCanIssue(other.id)).resolves.toBeUndefined();

    // Readiness says one university cannot sign, by count only; the instance stays in service.
    const ready = await app.server.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded', signers: { usable: 1, unusable: 1 } });
    expect(ready.body).not.toMatch(/\btu\b|Test University|other/);
    expect((await as.app.server.inject({ url: '/other/login' })).statusCode).toBe(200);
    expect((await as.app.server.inject({ url: '/tu/login' })).statusCode).toBe(200);
  });

  it('#13 `secrets status` and `secrets reseal` report what is left under the previous key', async () => {
    const lines: string[] = [];
    const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(`! ${line}`) };
    const app = apps[apps.length - 1]!;
    const rotated = { ...app.services, keyring: new Keyring(NEW, OLD), box: new SecretBox(new Keyring(NEW, OLD)) };
    expect(await secretsCommand('status', rotated, out)).toBe(0);
    expect(lines.at(-1)).toMatch(
      /^to seal again under SECRET_KEY: 1 signing-key passphrase\(s\), \d+ queued mail\(s\)$/,
    );
    expect(await secretsCommand('reseal', rotated, out)).toBe(0);
    expect(await secretsCommand('status', rotated, out)).toBe(0);
    expect(lines.at(-1)).toBe('to seal again under SECRET_KEY: 0 signing-key passphrase(s), 0 queued mail(s)');
    await expect(app.services.issuance.assertCanIssue(h.tenant.id)).resolves.toBeUndefined();
    expect(await secretsCommand('nonsense', rotated, out)).toBeUndefined();
  });

  it('#13 a SECRET_KEY that is not the database’s is refused before anything is sealed (the CLI and the service)', async () => {
    await expect(
      resolveKeyring(configWith({ SECRET_KEY: 'a-third-key-nobody-set-up-0123456789abcdef' }), h.database.db, {
        now: h.clock.now(),
      }),
    ).rejects.toThrow(SecretKeyError);
    // The old key alone, after the rotation moved on, is no longer the database's either.
    await expect(
      resolveKeyring(configWith({ SECRET_KEY: OLD }), h.database.db, { now: h.clock.now() }),
    ).rejects.toThrow(/does not match the key this database was set up with/);
  });

  it('#13 without SECRET_KEY, no ./data/secret.key is made for a database that already knows its key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-keys-'));
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: `sqlite:${path.join(dir, 'shomei.sqlite')}` });
      await expect(resolveKeyring(config, h.database.db, { now: h.clock.now() })).rejects.toThrow(
        /SECRET_KEY is not set, and this database was set up with one/,
      );
      expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('#13 the service refuses to start with a SECRET_KEY that is not the database’s', () => {
  it('#13 server.ts exits 2 with one clear line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-keys-'));
    const url = `sqlite:${path.join(dir, 'shomei.sqlite')}`;
    try {
      const database = openDatabase(url);
      await migrateToLatest(database.db);
      await resolveKeyring(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, SECRET_KEY: OLD }), database.db, {
        now: Date.now(),
      });
      await database.close();
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATABASE_URL: url,
          SECRET_KEY: NEW,
          PORT: '0',
          SEED_DEMO: 'false',
          LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('SECRET_KEY does not match the key this database was set up with');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('#13 legacy sealed values still open', () => {
  it('#13 a value sealed before key ids (iv.tag.body) opens under the same key, and is stale', async () => {
    const { createCipheriv, createHmac, randomBytes } = await import('node:crypto');
    const key = createHmac('sha256', OLD).update('secret-box').digest();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update('passphrase', 'utf8'), cipher.final()]);
    const legacy = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.') as Sealed;
    const box = new SecretBox(new Keyring(NEW, OLD));
    expect(box.open(legacy)).toBe('passphrase');
    expect(box.isStale(legacy)).toBe(true);
    expect(() => new SecretBox(NEW).open(legacy)).toThrow();
  });
});
