import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { knownMigrations, migrateToLatest } from '../src/db/migrate.js';
import { backupSqlite, restoreSqlite } from '../src/db/sqlite-backup.js';
import { UnitOfWork } from '../src/db/unit-of-work.js';
import { seedDemo } from '../src/dev/demo/seed-demo.js';
import type { IssuedCertificate } from '../src/features/certificates/issued-certificate.model.js';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { operatorActor } from '../src/platform/actor.js';
import { systemClock } from '../src/platform/clock.js';
import { PasswordHasher } from '../src/platform/password-hasher.js';
import { createServices } from '../src/services.js';
import { tenant as newTenant } from './factories/tenant.js';
import { testDialect } from './helpers/database.js';
import { HttpBrowser } from './helpers/http-browser.js';
import { startShomei } from './helpers/shomei-process.js';
import { TestSmtpServer } from './helpers/smtp.js';

/**
 * #13 backups, restore, upgrades and the move to PostgreSQL, each on the database it concerns:
 * the SQLite file operations in the SQLite pass, the concurrent migration and the import into
 * PostgreSQL in the PostgreSQL pass (TEST_DATABASE_URL).
 */
const run = promisify(execFile);
/** The one startShomei gives the service, so what the tests seal the service can open. */
const SECRET_KEY = 'fault-test-secret-key-0123456789abcdef-0123';
const ENV = { NODE_ENV: 'test', SECRET_KEY, PUBLIC_URL: 'http://shomei.test', SEED_DEMO: 'false' };

interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function shomei(databaseUrl: string, ...args: string[]): Promise<CliOutcome> {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, ...ENV, DATABASE_URL: databaseUrl },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

function servicesOn(database: DatabaseHandle) {
  const config = loadConfig({ ...ENV, DATABASE_URL: 'sqlite::memory:' });
  return createServices({ config, database, clock: systemClock, secretKey: SECRET_KEY });
}

async function demoTenant(database: DatabaseHandle): Promise<{ tenant: Tenant; studentNumber: string }> {
  const services = servicesOn(database);
  const tenant = (await services.uow.repos.tenants.findBySlug('demo'))!;
  const record = (await services.uow.repos.records.findByUserId(tenant.id, 's2026006'))!;
  return { tenant, studentNumber: record.studentNumber };
}

async function issue(database: DatabaseHandle, orderId: string): Promise<IssuedCertificate> {
  const { tenant, studentNumber } = await demoTenant(database);
  const [certificate] = await servicesOn(database).issuance.ensureIssued({
    tenantId: tenant.id,
    id: orderId,
    studentNumber,
    items: [{ seq: 1, type: 'enrollment', lang: 'ja' }],
  });
  return certificate!;
}

async function seededSqlite(file: string): Promise<void> {
  const database = openDatabase(`sqlite:${file}`);
  await migrateToLatest(database.db);
  const hasher = new PasswordHasher({ concurrency: 1, queueLimit: 100 });
  const uow = new UnitOfWork(database.db, systemClock);
  await seedDemo(uow, systemClock, hasher);
  await uow.repos.tenants.fillMissingPublicUrl(ENV.PUBLIC_URL);
  await database.close();
}

function count(file: string, sqlText: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sqlText).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe.skipIf(testDialect !== 'sqlite')('#13 SQLite backup and restore (SQLite only)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-backup-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('#13 a backup taken under write load holds every transaction committed before it, whole; restored into a fresh directory the service starts on it', async () => {
    const file = path.join(dir, 'live.sqlite');
    const database = openDatabase(`sqlite:${file}`);
    await migrateToLatest(database.db);
    const university = newTenant('load');
    await new UnitOfWork(database.db, systemClock).repos.tenants.insert(university, Date.now());
    await database.close();

    const writer: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/sqlite-writer.ts', file, university.id, '100000'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const committed: string[] = [];
    let wrote = () => undefined as void;
    readline.createInterface({ input: writer.stdout! }).on('line', (line) => {
      committed.push(line.replace('committed ', ''));
      wrote();
    });
    const ended = new Promise((resolve) => writer.once('exit', resolve));
    try {
      await new Promise<void>((resolve) => {
        wrote = () => committed.length >= 20 && resolve();
      });
      const before = [...committed];
      const backup = path.join(dir, 'under-load.sqlite');
      const outcome = await shomei(`sqlite:${file}`, 'backup', '--to', backup);
      expect(outcome.stderr).toBe('');
      expect(outcome.code).toBe(0);
      const after = committed.length;
      expect(after, 'the writer kept committing while the backup ran').toBeGreaterThan(before.length);

      // Every order in the copy came with its account and certificate: no transaction is in half.
      const orders = count(
        backup,
        "select count(*) as n from orders where tenant_id = (select id from tenants where slug = 'load')",
      );
      expect(orders).toBeGreaterThanOrEqual(before.length);
      expect(count(backup, 'select count(*) as n from issued_certificates')).toBe(orders);
      expect(count(backup, "select count(*) as n from accounts where user_id like 'load%'")).toBe(orders);
      const copy = new Database(backup, { readonly: true });
      const ids = new Set((copy.prepare('select id from orders').all() as { id: string }[]).map((row) => row.id));
      copy.close();
      for (const id of before) expect(ids.has(id), `order ${id}, committed before the backup began`).toBe(true);

      const fresh = path.join(dir, 'fresh', 'shomei.sqlite');
      const restored = await shomei(`sqlite:${fresh}`, 'restore', '--from', backup);
      expect(restored.code).toBe(0);
      expect(count(fresh, 'select count(*) as n from orders')).toBe(orders);
      expect(count(fresh, 'select count(*) as n from issued_certificates')).toBe(orders);
      const smtp = new TestSmtpServer();
      const service = await startShomei({ DATABASE_URL: `sqlite:${fresh}`, SMTP_URL: await smtp.start() });
      try {
        expect((await fetch(`${service.base}/readyz`)).status).toBe(200);
        // While it runs, a restore over its file is refused and changes nothing.
        const refused = await shomei(`sqlite:${fresh}`, 'restore', '--from', backup);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain('is in use');
        expect(refused.stderr).not.toMatch(/\n\s+at /);
      } finally {
        await service.stop();
        await smtp.stop();
      }
    } finally {
      writer.kill('SIGTERM');
      await ended;
    }
  }, 240_000);

  it('#13 a backup from a newer schema is refused by restore, and the database it would replace is left alone', async () => {
    const file = path.join(dir, 'newer-source.sqlite');
    const database = openDatabase(`sqlite:${file}`);
    await migrateToLatest(database.db);
    await database.close();
    const backup = path.join(dir, 'newer.sqlite');
    await backupSqlite(file, backup);
    const db = new Database(backup);
    db.prepare("insert into kysely_migration (name, timestamp) values ('2099-01-01T0000_from_the_future', 'x')").run();
    db.close();
    const target = path.join(dir, 'newer-target.sqlite');
    fs.copyFileSync(file, target);
    const before = fs.readFileSync(target);
    const outcome = await shomei(`sqlite:${target}`, 'restore', '--from', backup);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('2099-01-01T0000_from_the_future');
    expect(outcome.stderr).toContain('newer version');
    expect(fs.readFileSync(target).equals(before)).toBe(true);
  }, 120_000);

  it('#13 after restoring an older backup (the live file lost), a new certificate takes a serial no certificate had; the one lost with the restore verifies as not found, never altered', async () => {
    const file = path.join(dir, 'older.sqlite');
    await seededSqlite(file);
    let database = openDatabase(`sqlite:${file}`);
    const kept = await issue(database, 'order-before-backup');
    const backup = path.join(dir, 'older-backup.sqlite');
    await backupSqlite(file, backup);
    const lost = await issue(database, 'order-after-backup');
    await database.close();
    // The disk went with the live file: nothing of what came after the backup survives.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    await restoreSqlite(backup, file, new Date());

    database = openDatabase(`sqlite:${file}`);
    try {
      await migrateToLatest(database.db);
      const issued = await issue(database, 'order-after-restore');
      expect(issued.serial).not.toBe(lost.serial);
      const { tenant } = await demoTenant(database);
      const { verification } = servicesOn(database);
      expect((await verification.byFile(tenant, lost.pdf, operatorActor(tenant.id))).status).toBe('unknown');
      expect((await verification.byCode(tenant, lost.verificationCode, operatorActor(tenant.id))).status).toBe(
        'unknown',
      );
      expect((await verification.byFile(tenant, issued.pdf, operatorActor(tenant.id))).status).toBe('genuine');
      expect((await verification.byFile(tenant, kept.pdf, operatorActor(tenant.id))).status).toBe('genuine');
      // Where a serial was reused all the same (a restore before serials had their tag), the
      // record under that serial is another certificate: the lost one is still not found.
      await database.db
        .updateTable('issued_certificates')
        .set({ serial: lost.serial })
        .where('serial', '=', issued.serial)
        .execute();
      expect((await verification.byFile(tenant, lost.pdf, operatorActor(tenant.id))).status).toBe('unknown');
      await verification.close();
    } finally {
      await database.close();
    }
  }, 240_000);

  it('#13 restoring over a live file that issued after the backup carries its serial counters past the backup’s', async () => {
    const file = path.join(dir, 'carry.sqlite');
    await seededSqlite(file);
    const database = openDatabase(`sqlite:${file}`);
    const { tenant } = await demoTenant(database);
    const uow = new UnitOfWork(database.db, systemClock);
    await uow.run(operatorActor(tenant.id), (tx) => tx.orders.nextCounter(tenant.id, 'serial-2026'));
    const backup = path.join(dir, 'carry-backup.sqlite');
    await backupSqlite(file, backup);
    for (let i = 0; i < 5; i++)
      await uow.run(operatorActor(tenant.id), (tx) => tx.orders.nextCounter(tenant.id, 'serial-2026'));
    await database.close();
    const summary = await restoreSqlite(backup, file, new Date());
    expect(summary.countersCarried).toBe(1);
    expect(count(file, "select value as n from tenant_counters where name = 'serial-2026'")).toBe(6);
    expect(fs.existsSync(summary.replacedKeptAt!)).toBe(true);
  }, 120_000);
});

describe.skipIf(testDialect !== 'postgres')(
  '#13 PostgreSQL: upgrades and the move from SQLite (PostgreSQL only)',
  () => {
    const base = process.env.TEST_DATABASE_URL!;
    const created: string[] = [];
    let dir: string;

    async function freshPostgres(): Promise<string> {
      const name = `shomei_data_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      created.push(name);
      const url = new URL(base);
      url.pathname = `/${name}`;
      return url.toString();
    }

    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-move-'));
    });
    afterAll(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      await admin.end();
    });

    it('#13 two instances starting at once on a fresh database both start, and each migration is applied once', async () => {
      const url = await freshPostgres();
      const smtp = new TestSmtpServer();
      const smtpUrl = await smtp.start();
      const instances = await Promise.all([
        startShomei({ DATABASE_URL: url, SMTP_URL: smtpUrl }),
        startShomei({ DATABASE_URL: url, SMTP_URL: smtpUrl }),
      ]);
      try {
        for (const instance of instances) expect((await fetch(`${instance.base}/readyz`)).status).toBe(200);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const { rows } = await client.query<{ name: string }>('select name from kysely_migration order by name');
        await client.end();
        expect(rows.map((row) => row.name)).toEqual([...knownMigrations]);
        expect((await shomei(url, 'migrate', '--check')).code).toBe(0);
      } finally {
        await Promise.all(instances.map((instance) => instance.stop()));
        await smtp.stop();
      }
    }, 180_000);

    it('#13 migrate --check lists what would run (exit 1) without running it; a database newer than the code is refused at start', async () => {
      const url = await freshPostgres();
      const pending = await shomei(url, 'migrate', '--check');
      expect(pending.code).toBe(1);
      for (const name of knownMigrations) expect(pending.stdout).toContain(`would apply ${name}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const tables = await client.query("select 1 from information_schema.tables where table_name = 'tenants'");
      expect(tables.rowCount).toBe(0);
      expect((await shomei(url, 'migrate')).code).toBe(0);
      await client.query(
        "insert into kysely_migration (name, timestamp) values ('2099-01-01T0000_from_the_future', 'x')",
      );
      await client.end();
      const refused = await shomei(url, 'migrate', '--check');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('2099-01-01T0000_from_the_future');
      const handle = openDatabase(url);
      await expect(migrateToLatest(handle.db)).rejects.toThrow(/newer version/);
      await handle.close();
    }, 120_000);

    it('#13 a SQLite database (demo, a certificate) exported and imported into PostgreSQL: a student logs in and the certificate verifies there', async () => {
      const file = path.join(dir, 'move.sqlite');
      await seededSqlite(file);
      const source = openDatabase(`sqlite:${file}`);
      const certificate = await issue(source, 'order-moved');
      await source.close();
      const exported = path.join(dir, 'move.jsonl');
      expect((await shomei(`sqlite:${file}`, 'export', '--to', exported)).code).toBe(0);
      const url = await freshPostgres();
      const imported = await shomei(url, 'import', '--from', exported);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      // A second import into the now populated database is refused and adds nothing.
      const again = await shomei(url, 'import', '--from', exported);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('not empty');

      const smtp = new TestSmtpServer();
      const service = await startShomei({ DATABASE_URL: url, SMTP_URL: await smtp.start() });
      try {
        const browser = new HttpBrowser({ lang: 'en' });
        expect((await browser.get(`${service.base}/demo/login`)).status).toBe(200);
        const login = await browser.post(`${service.base}/demo/login`, {
          userId: 's2026006',
          password: 'Campus-pass-006',
          secondPassword: 'Shomei2026b',
        });
        expect(login.status).toBe(303);
        expect(login.location).not.toContain('login');
        const verdict = await browser.get(
          `${service.base}/demo/verify?code=${encodeURIComponent(certificate.verificationCode)}`,
        );
        expect(verdict.status).toBe(200);
        expect(verdict.body).toContain('Genuine');
        expect(verdict.body).toContain(certificate.serial);
      } finally {
        await service.stop();
        await smtp.stop();
      }
    }, 240_000);
  },
);
