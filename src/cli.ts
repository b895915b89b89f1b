#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { Store } from './db/repositories.js';
import { seedDemo } from './features/tenants/demo.js';
import { TenantService, TenantSlugError } from './features/tenants/tenant.service.js';
import { systemClock } from './platform/clock.js';
import { PasswordHasher } from './platform/password-hasher.js';

const usage = `Usage: shomei <command> [options]

  migrate                                   bring the database to the latest schema
  demo                                      create the demo universities (if missing)
  tenant create --slug S --name-ja N --name-en N [--mandatory-2fa]
  roster set --tenant S --user ID           set a local-roster password (read from SHOMEI_PASSWORD)
`;

async function run(argv: string[]): Promise<number> {
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const store = new Store(database.db);
    const hasher = new PasswordHasher({ concurrency: config.hashConcurrency, queueLimit: 10_000 });
    const tenants = new TenantService(store, systemClock, hasher);
    const [command, sub] = argv;
    const { values } = parseArgs({
      args: argv.slice(command === 'tenant' || command === 'roster' ? 2 : 1),
      options: {
        slug: { type: 'string' },
        'name-ja': { type: 'string' },
        'name-en': { type: 'string' },
        'mandatory-2fa': { type: 'boolean' },
        tenant: { type: 'string' },
        user: { type: 'string' },
      },
    });
    switch (`${command ?? ''} ${command === 'tenant' || command === 'roster' ? (sub ?? '') : ''}`.trim()) {
      case 'migrate':
        console.log('database is at the latest schema');
        return 0;
      case 'demo':
        console.log(
          (await seedDemo(store, systemClock, hasher))
            ? 'demo universities created'
            : 'demo universities already exist',
        );
        return 0;
      case 'tenant create': {
        if (!values.slug || !values['name-ja'] || !values['name-en']) break;
        const tenant = await tenants.create({
          slug: values.slug,
          name: { ja: values['name-ja'], en: values['name-en'] },
          policy: { twoFactorMandatory: values['mandatory-2fa'] ?? false },
        });
        console.log(`created ${tenant.slug} (${tenant.id})`);
        return 0;
      }
      case 'roster set': {
        const password = process.env.SHOMEI_PASSWORD;
        if (!values.tenant || !values.user || !password) break;
        const tenant = await store.repos.tenants.findBySlug(values.tenant);
        if (!tenant) {
          console.error(`no university with slug ${values.tenant}`);
          return 1;
        }
        await tenants.setRosterPassword(tenant, values.user, password);
        console.log(`password set for ${values.user}`);
        return 0;
      }
    }
    console.error(usage);
    return 64;
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof TenantSlugError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  });
