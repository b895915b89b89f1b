import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { Housekeeping } from './db/housekeeping.js';
import { seedDemoStaff } from './dev/demo/seed-demo-staff.js';
import { systemClock } from './platform/clock.js';
import { SecretKeyError, resolveKeyring } from './platform/secret-key.js';
import { lowerHelperThreads } from './platform/thread-priority.js';
import { DatabaseUnavailableError, checkAtStart, createLogger, prepareDatabase, startMessage } from './runtime.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config);
  let database;
  try {
    database = await prepareDatabase(config, log);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) {
      log.fatal(error.message);
      console.error(error.message);
      process.exit(3);
    }
    throw error;
  }
  let keyring;
  try {
    keyring = await resolveKeyring(config, database.db, { now: systemClock.now(), log });
  } catch (error) {
    if (error instanceof SecretKeyError) {
      log.fatal(error.message);
      console.error(error.message);
      await database.close();
      process.exit(2);
    }
    throw error;
  }
  const app = await buildApp({ config, database, clock: systemClock, secretKey: keyring, logger: log });
  const { services } = app;
  if (config.seedDemo && (await seedDemoStaff(services.uow, services.hasher, services.box)) > 0)
    log.info('demo staff created (see README for the console accounts)');
  const { slugs } = await checkAtStart(services, log);
  services.mailWorker.start();
  const housekeeping = new Housekeeping(services.uow, systemClock, log, {
    releaseUnprinted: () => services.orderStaff.releaseUnprinted(),
  });
  housekeeping.start();
  await app.server.listen({ port: config.port, host: config.host });
  await lowerHelperThreads(config.helperThreadNice);
  if (app.metricsServer) {
    await app.metricsServer.listen({ port: config.metricsPort, host: config.metricsHost });
    log.info(`Metrics for Prometheus: http://${config.metricsHost}:${config.metricsPort}/metrics`);
  }
  log.info(startMessage(config, slugs));
  if (config.devMailbox) log.info(`Dev mailbox (no SMTP_URL set): ${config.publicUrl}/dev/mailbox`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: draining requests and the mail worker');
    housekeeping.stop();
    await app.server.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
