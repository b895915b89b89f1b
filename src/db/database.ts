import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  /** The raw driver, for libraries that keep their own tables (rate limiter). */
  readonly sqlite: SQLite.Database;
  ping(): Promise<void>;
  close(): Promise<void>;
}

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  return rest === ':memory:' || rest === '' ? ':memory:' : rest.replace(/^\/\//, '');
}

export function openDatabase(url: string): DatabaseHandle {
  const file = sqlitePath(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the one writer; the busy timeout covers a second process (CLI) on the file.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    sqlite,
    async ping() {
      sqlite.prepare('select 1').get();
    },
    async close() {
      await db.destroy();
    },
  };
}
