import { isPostgresUrl, sqliteFile } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { exportDatabase, importDatabase } from '../db/portable-export.js';
import { backupSqlite, restoreSqlite } from '../db/sqlite-backup.js';
import { CliError, type CliCommand, text } from './command.js';

const DOCS = 'docs/operations/data.md';

/** The service's SQLite file, or a refusal naming what to do on PostgreSQL instead. */
function sqliteOnly(databaseUrl: string, instead: string): string {
  if (isPostgresUrl(databaseUrl)) throw new CliError(`On PostgreSQL ${instead} (${DOCS}).`);
  const file = sqliteFile(databaseUrl);
  if (file === ':memory:') throw new CliError('DATABASE_URL names an in-memory database: there is no file.');
  return file;
}

export const dataCommands: CliCommand[] = [
  {
    name: 'backup',
    usage: '--to FILE',
    summary: 'copy the SQLite database while the service runs (PostgreSQL: pg_dump)',
    options: { to: { type: 'string' } },
    database: 'none',
    async run({ config, resolvePath }, values) {
      const to = text(values, 'to');
      if (!to) return 'usage';
      const source = sqliteOnly(config.databaseUrl, 'back up with pg_dump');
      const done = await backupSqlite(source, resolvePath(to));
      console.log(`backed up ${source} to ${done.file} (${done.bytes} bytes, schema of ${done.migrations} migrations)`);
      console.log(
        'Keep the SECRET_KEY of today with it: without it the sealed secrets in the backup cannot be opened.',
      );
      return 0;
    },
  },
  {
    name: 'restore',
    usage: '--from FILE',
    summary: 'put a backup in place of the SQLite database (the service stopped)',
    options: { from: { type: 'string' } },
    database: 'none',
    async run({ config, resolvePath }, values) {
      const from = text(values, 'from');
      if (!from) return 'usage';
      const target = sqliteOnly(config.databaseUrl, 'restore with pg_restore');
      const done = await restoreSqlite(resolvePath(from), target, new Date());
      console.log(`restored ${target} from ${resolvePath(from)}`);
      if (done.replacedKeptAt) console.log(`the database it replaced is kept at ${done.replacedKeptAt}`);
      if (done.countersCarried > 0)
        console.log(`${done.countersCarried} serial counter(s) carried past the replaced database's`);
      console.log(
        'Start the service with the SECRET_KEY the backup was taken with; it migrates the file if it is older.',
      );
      return 0;
    },
  },
  {
    name: 'export',
    usage: '--to FILE',
    summary: 'write the whole database as JSON lines (to move from SQLite to PostgreSQL)',
    options: { to: { type: 'string' } },
    database: 'raw',
    async run({ database, resolvePath }, values) {
      const to = text(values, 'to');
      if (!to) return 'usage';
      const done = await exportDatabase(database, resolvePath(to));
      console.log(`exported ${done.rows} rows of ${done.tables} tables to ${resolvePath(to)}`);
      return 0;
    },
  },
  {
    name: 'import',
    usage: '--from FILE',
    summary: 'load an export into a new, empty database (all or nothing)',
    options: { from: { type: 'string' } },
    database: 'raw',
    async run({ database, resolvePath }, values) {
      const from = text(values, 'from');
      if (!from) return 'usage';
      await migrateToLatest(database.db);
      const done = await importDatabase(database, resolvePath(from));
      console.log(`imported ${done.rows} rows of ${done.tables} tables into ${database.description}`);
      return 0;
    },
  },
];
