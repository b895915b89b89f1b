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
import type { SignerReport } from './features/certificates/signing/signing-key.service.js';
import { type ResealReport, resealSecrets } from './features/operations/reseal.js';
import type { Services } from './services.js';

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

/**
 * What start-up checks before serving, none of it fatal (#13): a university whose settings are
 * invalid, or whose signing key cannot be opened, is logged and refuses alone; the others serve.
 * Every other university gets its signer now (a development key when it has none). After a
 * rotation, values sealed under the previous key are sealed again in the background.
 */
export async function checkAtStart(
  services: Services,
  log: Logger,
): Promise<{ slugs: string[]; signers: SignerReport; resealed: Promise<ResealReport | undefined> }> {
  const loaded = await services.uow.repos.tenants.loadAll();
  for (const broken of loaded.filter((tenant) => !tenant.ok))
    log.error({ tenant: broken.slug, reason: broken.reason }, 'university settings are invalid; its pages answer 503');
  const signers = await services.signingKeys.checkSigners();
  if (signers.unusable.length > 0)
    log.error(
      { tenants: signers.unusable.map((signer) => signer.slug) },
      'these universities cannot issue certificates until their signing key opens (docs/operations/keys.md)',
    );
  const resealed = services.keyring.previous
    ? resealSecrets(services.uow, services.box, log).then(
        (report) => {
          log.info(report, 'values sealed under SECRET_KEY_PREVIOUS sealed again under SECRET_KEY');
          return report;
        },
        (error: unknown) => {
          log.error({ err: error }, 're-sealing under the new SECRET_KEY failed; run `shomei secrets reseal`');
          return undefined;
        },
      )
    : Promise.resolve(undefined);
  return { slugs: loaded.map((tenant) => (tenant.ok ? tenant.tenant.slug : tenant.slug)), signers, resealed };
}

/** The start line names the demo only when there is one to visit. */
export function startMessage(config: Pick<Config, 'publicUrl'>, slugs: readonly string[]): string {
  const demo = slugs.includes('demo') ? `  (demo: ${config.publicUrl}/demo/)` : '';
  return `Shomei is running: ${config.publicUrl}/${demo}`;
}
