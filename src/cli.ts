#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { type OrderState, isDestination } from './features/orders/order.state.js';
import { formatImportReport } from './features/records/records-import.service.js';
import { seedDemo } from './dev/demo/seed-demo.js';
import type { Tenant } from './features/tenants/tenant.model.js';
import { operatorActor } from './platform/actor.js';
import { systemClock } from './platform/clock.js';
import { AppError } from './platform/errors.js';
import { connect } from './runtime.js';
import { SecretKeyError, resolveKeyring } from './platform/secret-key.js';
import { createServices } from './services.js';

const usage = `Usage: shomei <command> [options]

  migrate                                   bring the database to the latest schema
  demo                                      create the demo universities (if missing)
  tenant create --slug S --name-ja N --name-en N [--mandatory-2fa] [--public-url URL]
                                            a university, its links starting at URL (default PUBLIC_URL)
  roster set --tenant S --user ID           set a local-roster password (read from SHOMEI_PASSWORD)
  records import --tenant S --students F.csv [--courses F.csv] [--dry-run]
                                            import student records and transcripts (all or nothing)
  order list --tenant S [--destination postal|digital|campus|convenience] [--state submitted]
                                            orders waiting for staff (postal and digital by default)
  order advance --tenant S --order ID --to paid|printed|shipped [--tracking NUMBER]
                                            move a postal or digital order on; the student is mailed
  certificate revoke --tenant S --serial SERIAL --reason TEXT
                                            the verification page then says it is revoked
  signer import --tenant S --p12 FILE       the university's signing key and certificate (PKCS#12;
                                            passphrase from SHOMEI_P12_PASSPHRASE)
`;

async function run(argv: string[]): Promise<number> {
  const config = loadConfig();
  const database = connect(config);
  try {
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
    const { uow } = services;
    const tenantBySlug = async (slug: string): Promise<Tenant> => {
      const tenant = await uow.repos.tenants.findBySlug(slug);
      if (!tenant) throw new CliError(`no university with slug ${slug}`);
      return tenant;
    };
    const [command, sub] = argv;
    const { values } = parseArgs({
      args: argv.slice(
        ['tenant', 'roster', 'records', 'order', 'certificate', 'signer'].includes(command ?? '') ? 2 : 1,
      ),
      options: {
        slug: { type: 'string' },
        'name-ja': { type: 'string' },
        'name-en': { type: 'string' },
        'mandatory-2fa': { type: 'boolean' },
        'public-url': { type: 'string' },
        tenant: { type: 'string' },
        user: { type: 'string' },
        students: { type: 'string' },
        courses: { type: 'string' },
        'dry-run': { type: 'boolean' },
        destination: { type: 'string' },
        state: { type: 'string' },
        order: { type: 'string' },
        to: { type: 'string' },
        tracking: { type: 'string' },
        serial: { type: 'string' },
        reason: { type: 'string' },
        p12: { type: 'string' },
      },
    });
    switch (
      `${command ?? ''} ${['tenant', 'roster', 'records', 'order', 'certificate', 'signer'].includes(command ?? '') ? (sub ?? '') : ''}`.trim()
    ) {
      case 'migrate':
        console.log('database is at the latest schema');
        return 0;
      case 'demo':
        console.log(
          (await seedDemo(uow, systemClock, services.hasher))
            ? 'demo universities created'
            : 'demo universities already exist',
        );
        return 0;
      case 'tenant create': {
        if (!values.slug || !values['name-ja'] || !values['name-en']) break;
        // Its links are built from this address from now on; the CLI's own default is no address (#8).
        const publicUrl = values['public-url'] ?? process.env.PUBLIC_URL;
        if (!publicUrl) throw new CliError('give --public-url (the address the service is served at) or PUBLIC_URL');
        const tenant = await services.tenants.create({
          slug: values.slug,
          publicUrl,
          name: { ja: values['name-ja'], en: values['name-en'] },
          policy: { twoFactorMandatory: values['mandatory-2fa'] ?? false },
        });
        console.log(`created ${tenant.slug} (${tenant.id})`);
        return 0;
      }
      case 'roster set': {
        const password = process.env.SHOMEI_PASSWORD;
        if (!values.tenant || !values.user || !password) break;
        await services.tenants.setRosterPassword(await tenantBySlug(values.tenant), values.user, password);
        console.log(`password set for ${values.user}`);
        return 0;
      }
      case 'records import': {
        if (!values.tenant || !values.students) break;
        const tenant = await tenantBySlug(values.tenant);
        const report = await services.records.import(
          operatorActor(tenant.id),
          {
            students: await readFile(values.students),
            ...(values.courses ? { courses: await readFile(values.courses) } : {}),
          },
          { dryRun: values['dry-run'] ?? false },
        );
        const lines = formatImportReport(report, { students: values.students, courses: values.courses });
        for (const line of lines) (report.ok ? console.log : console.error)(line);
        return report.ok ? 0 : 1;
      }
      case 'order list': {
        if (!values.tenant) break;
        const tenant = await tenantBySlug(values.tenant);
        const wanted =
          values.destination && isDestination(values.destination)
            ? [values.destination]
            : (['postal', 'digital'] as const);
        for (const destination of wanted) {
          const states = values.state
            ? [values.state as OrderState]
            : destination === 'postal'
              ? (['submitted', 'paid', 'printed'] as const)
              : (['submitted'] as const);
          for (const state of states) {
            for (const order of await uow.repos.orders.listByState(tenant.id, destination, state)) {
              const items = order.items.map((item) => `${item.type}/${item.lang}×${item.copies}`).join(' ');
              console.log(
                `${order.id}  ${destination}  ${order.state}  ${order.feeYen + order.postageYen} yen  ${items}`,
              );
            }
          }
        }
        return 0;
      }
      case 'order advance': {
        const to = values.to;
        if (!values.tenant || !values.order || (to !== 'paid' && to !== 'printed' && to !== 'shipped')) break;
        const tenant = await tenantBySlug(values.tenant);
        const moved = await services.orderStaff.advance(
          tenant,
          values.order,
          to,
          operatorActor(tenant.id),
          values.tracking,
        );
        if (moved.status === 'invalid') {
          console.error(
            `order ${values.order} cannot move to ${to} (unknown order, wrong state, or no --tracking for shipped)`,
          );
          return 1;
        }
        console.log(`order ${moved.order.id} is now ${moved.order.state}; the student has been mailed`);
        return 0;
      }
      case 'signer import': {
        const passphrase = process.env.SHOMEI_P12_PASSPHRASE;
        if (!values.tenant || !values.p12 || passphrase === undefined) break;
        const tenant = await tenantBySlug(values.tenant);
        await services.issuance.importSigner(tenant, await readFile(values.p12), passphrase);
        console.log(`signing key imported for ${tenant.slug}; new certificates are signed with it`);
        return 0;
      }
      case 'certificate revoke': {
        if (!values.tenant || !values.serial || !values.reason) break;
        const tenant = await tenantBySlug(values.tenant);
        const outcome = await services.verification.revoke(
          tenant,
          values.serial,
          values.reason,
          operatorActor(tenant.id),
        );
        if (outcome.status === 'notFound') {
          console.error(`no unrevoked certificate ${values.serial} at ${tenant.slug}`);
          return 1;
        }
        console.log(`certificate ${values.serial} revoked`);
        return 0;
      }
    }
    console.error(usage);
    return 64;
  } finally {
    await database.close();
  }
}

class CliError extends Error {}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof CliError || error instanceof SecretKeyError) {
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
