import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { Housekeeping } from './db/housekeeping.js';
import { systemClock } from './platform/clock.js';
import { resolveSecretKey } from './platform/secret-key.js';
import { DatabaseUnavailableError, createLogger, prepareDatabase } from './runtime.js';

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
  const app = await buildApp({
    config,
    database,
    clock: systemClock,
    secretKey: resolveSecretKey(config),
    logger: log,
  });
  // Every university can sign from the first request; one without its own key gets a development key.
  const { services } = app;
  for (const tenant of await services.uow.repos.tenants.list()) await services.issuance.signerFor(tenant);
  services.mailWorker.start();
  const housekeeping = new Housekeeping(services.uow, systemClock, log);
  housekeeping.start();
  await app.server.listen({ port: config.port, host: config.host });
  if (app.metricsServer) {
    await app.metricsServer.listen({ port: config.metricsPort, host: config.metricsHost });
    log.info(`Metrics for Prometheus: http://${config.metricsHost}:${config.metricsPort}/metrics`);
  }
  log.info(`Shomei is running: ${config.publicUrl}/  (demo: ${config.publicUrl}/demo/)`);
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
