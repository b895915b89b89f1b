import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface TestDatabase {
  url: string;
  handle: DatabaseHandle;
  drop(): Promise<void>;
}

/** Where the suite runs: SQLite in memory, or PostgreSQL when TEST_DATABASE_URL is set. */
export const testDialect = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';

/**
 * A fresh, migrated database for one test file: in memory on SQLite, a new database (dropped
 * afterwards) on the PostgreSQL server TEST_DATABASE_URL points at.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  if (process.env.SHOMEI_TEST_TIER === 'unit') {
    throw new Error('a unit test opened a database: name its file *.db.test.ts (vitest.config.ts, README "Test it")');
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const handle = openDatabase('sqlite::memory:');
    await migrateToLatest(handle.db);
    return { url: 'sqlite::memory:', handle, drop: () => handle.close() };
  }
  const name = `shomei_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(base, `CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate(base)}`);
  const url = databaseUrl(base, name);
  const handle = openDatabase(url, { poolMax: 20 });
  return {
    url,
    handle,
    async drop() {
      await handle.close();
      await dropDatabase(base, name);
    },
  };
}

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

let template: Promise<string> | undefined;

/**
 * Migrating a PostgreSQL database takes about a second, and the suite makes one for each test file
 * and many tests: they are copied from a database migrated once (CREATE DATABASE … TEMPLATE), named
 * by the migrations' own text so a changed migration makes a new one. Test processes that race to
 * make it take an advisory lock; the template appears under its name only once it is complete.
 */
function migratedTemplate(base: string): Promise<string> {
  template ??= (async () => {
    const directory = new URL('../../src/db/migrations/', import.meta.url);
    const hash = createHash('sha256');
    for (const file of readdirSync(directory).sort()) hash.update(file).update(readFileSync(new URL(file, directory)));
    const name = `shomei_template_${hash.digest('hex').slice(0, 16)}`;
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) {
        const building = `${name}_building`;
        await client.query(`DROP DATABASE IF EXISTS ${building}`);
        await client.query(`CREATE DATABASE ${building}`);
        const handle = openDatabase(databaseUrl(base, building));
        try {
          await migrateToLatest(handle.db);
        } finally {
          await handle.close();
        }
        await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
    } finally {
      await client.end();
    }
    return name;
  })();
  return template;
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Our own connections are closed by now; an autovacuum worker may still be in the database. A plain
 * DROP stops it by itself, where WITH (FORCE) would need the right to signal a superuser's process.
 */
async function dropDatabase(base: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(base, `DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
