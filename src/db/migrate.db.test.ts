import { type Kysely, Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, freshDatabase } from '../../test/helpers/database.js';
import { SchemaNewerThanCodeError, knownMigrations, migrateToLatest, migrationStatus } from './migrate.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe('#13 upgrades that cannot half-apply', () => {
  it('#13 a migration that fails halfway leaves nothing behind (one transaction, SQLite too)', async () => {
    const db = database.handle.db as Kysely<any>;
    const migrator = new Migrator({
      db,
      migrationTableName: 'halfway_migration',
      migrationLockTableName: 'halfway_migration_lock',
      provider: {
        getMigrations: async () => ({
          '2026-11-29T1600_halfway': {
            async up(trx: Kysely<any>) {
              await trx.schema.createTable('halfway_made').addColumn('id', 'text').execute();
              throw new Error('the second step of the migration fails');
            },
          },
        }),
      },
    });
    const { error } = await migrator.migrateToLatest();
    expect(String(error)).toContain('the second step');
    const tables = await db.introspection.getTables();
    expect(tables.map((table) => table.name)).not.toContain('halfway_made');
  });

  it('#13 a database with a migration the code does not know is refused, by name; the status lists it', async () => {
    const db = database.handle.db as Kysely<any>;
    expect(await migrationStatus(db)).toEqual({ applied: [...knownMigrations], pending: [], unknown: [] });
    await db.insertInto('kysely_migration').values({ name: '2099-01-01T0000_future', timestamp: 'x' }).execute();
    try {
      expect((await migrationStatus(db)).unknown).toEqual(['2099-01-01T0000_future']);
      const refused = await migrateToLatest(db).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(SchemaNewerThanCodeError);
      expect((refused as Error).message).toContain('2099-01-01T0000_future');
    } finally {
      await db.deleteFrom('kysely_migration').where('name', '=', '2099-01-01T0000_future').execute();
    }
  });
});
