import { randomBytes } from 'node:crypto';
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
  await adminQuery(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString(), { poolMax: 20 });
  await migrateToLatest(handle.db);
  return {
    url: url.toString(),
    handle,
    async drop() {
      await handle.close();
      await dropDatabase(base, name);
    },
  };
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
