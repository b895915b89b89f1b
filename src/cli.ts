#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { type CliCommand, CliError, type CliValues, resolveOperatorPath } from './cli/command.js';
import { commandUsage, findCommand, usageText } from './cli/registry.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { SchemaNewerThanCodeError, migrateToLatest } from './db/migrate.js';
import { PortableExportError } from './db/portable-export.js';
import { BackupError } from './db/sqlite-backup.js';
import type { Tenant } from './features/tenants/tenant.model.js';
import { systemClock } from './platform/clock.js';
import { AppError } from './platform/errors.js';
import { connect } from './runtime.js';
import { SecretKeyError, resolveKeyring } from './platform/secret-key.js';
import { createServices } from './services.js';

async function run(argv: string[]): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0] ?? '')) {
    // Help opens nothing: it works without the service's environment or a reachable database.
    (argv.length === 0 ? console.error : console.log)(usageText());
    return argv.length === 0 ? 64 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    console.error(`unknown command: ${argv.slice(0, 2).join(' ')}\n\n${usageText()}`);
    return 64;
  }
  const { command, args } = found;
  if (args.includes('--help') || args.includes('-h')) {
    console.log(commandUsage(command));
    return 0;
  }
  let values;
  let positionals: string[];
  const allowed = command.positionals ?? 0;
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: command.options,
      strict: true,
      allowPositionals: allowed > 0,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${commandUsage(command)}`);
    return 64;
  }
  if (positionals.length > allowed) {
    console.error(`too many arguments: ${positionals.slice(allowed).join(' ')}\n\n${commandUsage(command)}`);
    return 64;
  }
  const config = loadConfig();
  const code = await runCommand(command, config, values, positionals);
  if (code !== 'usage') return code;
  console.error(commandUsage(command));
  return 64;
}

async function runCommand(
  command: CliCommand,
  config: Config,
  values: CliValues,
  positionals: string[],
): Promise<number | 'usage'> {
  const bare = { config, resolvePath: resolveOperatorPath };
  if (command.database === 'none') return command.run(bare, values, positionals);
  const database = connect(config);
  try {
    if (command.database === 'raw') return await command.run({ ...bare, database }, values, positionals);
    await migrateToLatest(database.db);
    // The CLI is an ordinary user of the services (no HTTP app); mail it queues goes out from the service's worker.
    const services = createServices({
      config,
      database,
      clock: systemClock,
      // Refuses before anything is sealed or written when the key is not the database's (#13).
      secretKey: await resolveKeyring(config, database.db, { now: systemClock.now() }),
      hashQueueLimit: 10_000,
    });
    const tenantBySlug = async (slug: string): Promise<Tenant> => {
      const tenant = await services.uow.repos.tenants.findBySlug(slug);
      if (!tenant) throw new CliError(`no university with slug ${slug}`);
      return tenant;
    };
    return await command.run({ ...bare, database, services, tenantBySlug }, values, positionals);
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof SchemaNewerThanCodeError) {
      console.error(error.message);
      process.exit(1);
    }
    if (
      error instanceof ConfigError ||
      error instanceof CliError ||
      error instanceof SecretKeyError ||
      error instanceof BackupError ||
      error instanceof PortableExportError
    ) {
      console.error(error.message);
      process.exit(2);
    }
    if (error instanceof AppError && error.status < 500) {
      console.error(error.options.detail ?? error.code);
      process.exit(2);
    }
    // SQLite: the service held the write lock past the busy timeout. Nothing was written (every
    // command's writes are one transaction); the operator only has to run it again.
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
      console.error('The database is busy (the service is writing to it). Nothing was changed; run the command again.');
      process.exit(75);
    }
    console.error(error);
    process.exit(1);
  });
