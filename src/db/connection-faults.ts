import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  PostgresDialect,
  type PostgresDialectConfig,
  type QueryResult,
  SelectQueryNode,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';

/**
 * SQLSTATEs that say the session, not the statement, failed: the server shut the backend down
 * (57P01 admin, 57P02 crash), is starting or stopping (57P03), or the connection broke (class 08).
 */
const connectionStates = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
/** The socket failed, or the server was not there to take it. */
const socketCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNABORTED', 'ENOTCONN']);
/** node-postgres says a broken client in words only. */
const NOT_QUERYABLE = 'Client has encountered a connection error and is not queryable';
const brokenClientMessages = new Set(['Connection terminated unexpectedly', 'Connection terminated', NOT_QUERYABLE]);
const CONNECT_TIMEOUT = 'Connection terminated due to connection timeout';

/**
 * The connection to the database was lost or could not be made. Such a failure says nothing
 * about the work: done again on a new connection, it may well succeed. A connect timeout is not
 * one of them: waiting twice as long would only hold the request longer.
 */
export function isConnectionError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    if (cause.message === CONNECT_TIMEOUT) return false;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (connectionStates.has(code) || socketCodes.has(code))) return true;
    if (brokenClientMessages.has(cause.message)) return true;
  }
  return false;
}

/** node-postgres's pool, when no connection came free within its connection timeout. */
const POOL_TIMEOUT = 'timeout exceeded when trying to connect';

/**
 * The database cannot be reached at all, whether or not trying again is worth it: a page says
 * "unavailable, try again" (503), never "something went wrong" (#13).
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    if (cause.message === CONNECT_TIMEOUT || cause.message === POOL_TIMEOUT) return true;
  }
  return false;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A pool that rides out a short database restart: while connections are refused (the server is
 * down, starting up or shutting down) it tries again, a little later each time, for up to
 * `reconnectWithinMs` before giving up. Both Kysely and the rate limiters take connections from it.
 * A client that loses its connection while checked out must not crash the process with an
 * unhandled 'error' event: it is marked broken, and the pool drops it when it comes back.
 */
export class ReconnectingPool extends pg.Pool {
  constructor(
    options: pg.PoolConfig,
    private readonly reconnectWithinMs: number,
  ) {
    super(options);
    this.on('connect', (client) => client.on('error', () => undefined));
    this.on('error', () => undefined);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: boolean | Error) => void,
    ) => void,
  ): void;
  override connect(
    callback?: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: boolean | Error) => void,
    ) => void,
  ): Promise<pg.PoolClient> | void {
    const connected = this.connectPatiently();
    if (!callback) return connected;
    connected.then(
      (client) => callback(undefined, client, client.release),
      (error: Error) => callback(error, undefined, () => undefined),
    );
  }

  /**
   * `pool.query` (the rate limiters' way in) takes its connection from `connect` above; a read
   * that fails because its connection broke is run once more, like a Kysely read. (The base class
   * declares a dozen overloads; this one signature stands for them all.)
   */
  override query(...args: unknown[]): any {
    const query = (pg.Pool.prototype.query as (...args: unknown[]) => unknown).bind(this);
    if (typeof args[args.length - 1] === 'function' || !isRead(args[0])) return query(...args);
    return (query(...args) as Promise<pg.QueryResult>).catch((error: unknown) => {
      if (!isConnectionError(error)) throw error;
      return query(...args);
    });
  }

  private async connectPatiently(): Promise<pg.PoolClient> {
    const giveUpAt = Date.now() + this.reconnectWithinMs;
    for (let wait = 50; ; wait = Math.min(wait * 2, 400)) {
      try {
        return await super.connect();
      } catch (error) {
        if (!isConnectionError(error) || Date.now() + wait > giveUpAt || this.ending) throw error;
        await pause(wait);
      }
    }
  }
}

/**
 * Kysely on a ReconnectingPool, with one more thing: a statement outside a transaction that
 * fails because its connection broke is run once more on a new connection when running it twice
 * cannot do anything twice — a read, or any statement the broken client never sent. Statements
 * inside a transaction are not repeated here: the unit of work runs the whole transaction again.
 */
export class ReconnectingPostgresDialect extends PostgresDialect {
  constructor(config: PostgresDialectConfig & { pool: ReconnectingPool }) {
    super(config);
  }

  override createDriver(): Driver {
    return new ReconnectingDriver(super.createDriver());
  }
}

class ReconnectingDriver implements Driver {
  constructor(private readonly driver: Driver) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new ReconnectingConnection(await this.driver.acquireConnection(), this.driver);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const own = connection as ReconnectingConnection;
    own.inTransaction = true;
    await this.driver.beginTransaction(own.current, settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const own = connection as ReconnectingConnection;
    try {
      await this.driver.commitTransaction(own.current);
    } finally {
      own.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const own = connection as ReconnectingConnection;
    try {
      await this.driver.rollbackTransaction(own.current);
    } finally {
      own.inTransaction = false;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection((connection as ReconnectingConnection).current);
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}

class ReconnectingConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    public current: DatabaseConnection,
    private readonly driver: Driver,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.current.executeQuery<R>(query);
    } catch (error) {
      if (this.inTransaction || !isConnectionError(error) || !safeToRepeat(query, error)) throw error;
      const broken = this.current;
      this.current = await this.driver.acquireConnection();
      await this.driver.releaseConnection(broken);
      return this.current.executeQuery<R>(query);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.current.streamQuery<R>(query, chunkSize);
  }
}

function isRead(statement: unknown): boolean {
  const text = typeof statement === 'string' ? statement : (statement as { text?: unknown } | null)?.text;
  return typeof text === 'string' && /^\s*select\b/i.test(text);
}

function safeToRepeat(query: CompiledQuery, error: unknown): boolean {
  return SelectQueryNode.is(query.query) || (error instanceof Error && error.message === NOT_QUERYABLE);
}
