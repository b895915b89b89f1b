import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { UnitOfWork } from './db/unit-of-work.js';
import { requestIdMixin } from './platform/http/request-id.js';
import { redactUrl } from './platform/log-redaction.js';
import { seedDemo } from './dev/demo/seed-demo.js';
import { systemClock } from './platform/clock.js';
import { PasswordHasher } from './platform/password-hasher.js';

/** Opens the database and brings it to the latest schema (and the demo data, when asked). */
export async function prepareDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  const database = connect(config);
  let applied: string[];
  try {
    applied = await migrateToLatest(database.db);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new DatabaseUnavailableError(database.description, error);
  }
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  const uow = new UnitOfWork(database.db, systemClock);
  if (config.seedDemo) {
    const hasher = new PasswordHasher({ concurrency: config.hashConcurrency, queueLimit: 1000 });
    if (await seedDemo(uow, systemClock, hasher)) log.info('demo universities created (see README for the accounts)');
  }
  // Only the service knows where it is served; the CLI never fills this in (#8).
  await uow.repos.tenants.fillMissingPublicUrl(config.publicUrl);
  return database;
}

export function connect(config: Config): DatabaseHandle {
  return openDatabase(config.databaseUrl, {
    poolMax: config.databasePoolMax,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  });
}

/** Start-up could not reach or migrate the database: one clear line instead of a stack. */
export class DatabaseUnavailableError extends Error {
  constructor(where: string, cause: unknown) {
    super(`Cannot use the database at ${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** JSON lines on stdout, or on `destination` (tests read them). */
export function createLogger(config: Config, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    mixin: requestIdMixin,
    serializers: {
      // Tokens, verification codes, flow ids and reservation numbers never reach the logs.
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
