import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type DialectAdapter, Kysely, SqliteAdapter, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { ReconnectingPool, ReconnectingPostgresDialect } from './connection-faults.js';
import type { Database } from './schema.js';

export type DatabaseHandle = SqliteHandle | PostgresHandle;

interface HandleBase {
  readonly db: Kysely<Database>;
  /** Where it points, with any password hidden, for messages. */
  readonly description: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface SqliteHandle extends HandleBase {
  readonly dialect: 'sqlite';
  /** The driver (with its statement cache), for libraries that keep their own tables (rate limiter). */
  readonly sqlite: CachingSqlite;
}

export interface PostgresHandle extends HandleBase {
  readonly dialect: 'postgres';
  readonly pool: pg.Pool;
}

export interface PostgresOptions {
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** How long a connection is waited for while the server refuses them (a restart), before failing. */
  reconnectWithinMs: number;
  /** How long the readiness probe waits for the database before it says "unavailable". */
  pingTimeoutMs: number;
}

const defaultPostgresOptions: PostgresOptions = {
  poolMax: 10,
  statementTimeoutMs: 5_000,
  connectTimeoutMs: 5_000,
  reconnectWithinMs: 3_000,
  pingTimeoutMs: 1_000,
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** The URL without its password, safe for logs and error messages. */
export function describeDatabaseUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export function openDatabase(url: string, options: Partial<PostgresOptions> = {}): DatabaseHandle {
  return isPostgresUrl(url) ? openPostgres(url, { ...defaultPostgresOptions, ...options }) : openSqlite(url);
}

/** The file a `sqlite:` URL names (`:memory:` for an in-memory database). */
export function sqliteFile(url: string): string {
  const rest = url.slice('sqlite:'.length);
  return rest === ':memory:' || rest === '' ? ':memory:' : rest.replace(/^\/\//, '');
}

function openSqlite(url: string): SqliteHandle {
  const file = sqliteFile(url);
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the one writer; the busy timeout covers a second process (CLI) on the file.
  sqlite.pragma('journal_mode = WAL');
  if (file !== ':memory:') for (const suffix of ['-wal', '-shm']) narrowIfPresent(file + suffix);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const cached = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new TransactionalDdlSqliteDialect({ database: cached }) });
  return {
    dialect: 'sqlite',
    db,
    sqlite: cached,
    description: url,
    async ping() {
      sqlite.prepare('select 1').get();
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * SQLite can roll back schema changes, but Kysely's adapter says it cannot, so its migrator would
 * run migrations outside a transaction and a failure halfway would leave half a schema (#13).
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * The database holds password hashes and sealed secrets: only the service's user may read it.
 * The file is created 0600 before SQLite opens it (SQLite gives its WAL and shared-memory files
 * the database's mode); files left wider by an older version are narrowed.
 */
function narrowIfPresent(file: string): void {
  if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; compiling the same SQL on each request was a measurable share
 * of a login's work on the event loop. The queries come from code, so their texts are few.
 */
export interface CachingSqlite extends SqliteDatabase {
  prepare(sql: string): SQLite.Statement;
  transaction: SQLite.Database['transaction'];
}

function withStatementCache(sqlite: SQLite.Database): CachingSqlite {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    transaction: (fn) => sqlite.transaction(fn),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** bigint columns hold epoch milliseconds, well inside a JavaScript number. */
const int8AsNumber = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function openPostgres(url: string, options: PostgresOptions): PostgresHandle {
  const poolConfig: pg.PoolConfig = {
    connectionString: url,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: options.statementTimeoutMs * 2,
    types: int8AsNumber,
  };
  const pool = new ReconnectingPool(poolConfig, options.reconnectWithinMs);
  const db = new Kysely<Database>({ dialect: new ReconnectingPostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    pool,
    description: describeDatabaseUrl(url),
    // The probe must say "down" while the database is down, not wait for it like a request does:
    // one connection of its own, not the pool's, with a short deadline.
    async ping() {
      const client = new pg.Client({
        ...poolConfig,
        connectionTimeoutMillis: options.pingTimeoutMs,
        query_timeout: options.pingTimeoutMs,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('select 1');
      } finally {
        void client.end().catch(() => undefined);
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
