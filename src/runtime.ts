import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { Store } from './db/repositories.js';
import { seedDemo } from './features/tenants/demo.js';
import { systemClock } from './platform/clock.js';
import { PasswordHasher } from './platform/password-hasher.js';

/** Opens the database and brings it to the latest schema (and the demo data, when asked). */
export async function prepareDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  const database = openDatabase(config.databaseUrl);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  if (config.seedDemo) {
    const hasher = new PasswordHasher({ concurrency: config.hashConcurrency, queueLimit: 1000 });
    if (await seedDemo(new Store(database.db), systemClock, hasher))
      log.info('demo universities created (see README for the accounts)');
  }
  return database;
}

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    serializers: {
      // One-time URLs carry their token in the query string: it must never reach the logs.
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: request.url.replace(/([?&]token=)[^&]*/g, '$1[redacted]'),
        remoteAddress: request.ip,
      }),
    },
  });
}
